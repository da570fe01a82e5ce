#include "store/ProjectSql.h"

#include <SQLiteCpp/Transaction.h>

// The dataset side of the project: classes, images, descriptions and few-shot sets.
namespace aape::store {

using namespace detail;

Result<std::int64_t> Project::ensureClass(const std::string& name)
{
    if (name.empty())
        return makeError(ErrorCode::InvalidArgument, "A class needs a name.", m_impl->path);
    return guarded(m_impl->path, "saved", [&]() -> Result<std::int64_t> {
        SQLite::Statement find(m_impl->db, "SELECT id FROM classes WHERE name = ?");
        find.bind(1, name);
        if (find.executeStep())
            return static_cast<std::int64_t>(find.getColumn(0).getInt64());
        SQLite::Statement insert(m_impl->db, "INSERT INTO classes(name, position) "
                                             "VALUES(?, (SELECT COALESCE(MAX(position), -1) + 1 FROM classes))");
        insert.bind(1, name);
        insert.exec();
        return static_cast<std::int64_t>(m_impl->db.getLastInsertRowid());
    });
}

Result<std::vector<ClassRecord>> Project::classes() const
{
    return guarded(m_impl->path, "read", [&]() -> Result<std::vector<ClassRecord>> {
        SQLite::Statement statement(m_impl->db, "SELECT id, name, position, kind FROM classes ORDER BY position, id");
        std::vector<ClassRecord> out;
        while (statement.executeStep()) {
            ClassRecord record;
            record.id = statement.getColumn(0).getInt64();
            record.name = statement.getColumn(1).getString();
            record.position = statement.getColumn(2).getInt();
            record.kind = statement.getColumn(3).getString() == "new" ? ClassKind::New : ClassKind::Base;
            out.push_back(std::move(record));
        }
        return out;
    });
}

Status Project::renameClass(std::int64_t classId, const std::string& name)
{
    if (name.empty())
        return makeError(ErrorCode::InvalidArgument, "A class needs a name.", m_impl->path);
    return guarded(m_impl->path, "saved", [&]() -> Status {
        SQLite::Statement statement(m_impl->db, "UPDATE classes SET name = ? WHERE id = ?");
        statement.bind(1, name);
        statement.bind(2, static_cast<std::int64_t>(classId));
        if (statement.exec() == 0)
            return makeError(ErrorCode::InvalidArgument, "That class is not in the project.", m_impl->path);
        return {};
    });
}

Status Project::removeClass(std::int64_t classId)
{
    return guarded(m_impl->path, "saved", [&]() -> Status {
        SQLite::Statement statement(m_impl->db, "DELETE FROM classes WHERE id = ?");
        statement.bind(1, static_cast<std::int64_t>(classId));
        statement.exec();
        return {};
    });
}

Status Project::setClassKinds(const std::vector<std::pair<std::int64_t, ClassKind>>& kinds)
{
    return guarded(m_impl->path, "saved", [&]() -> Status {
        SQLite::Transaction transaction(m_impl->db, SQLite::TransactionBehavior::IMMEDIATE);
        SQLite::Statement statement(m_impl->db, "UPDATE classes SET kind = ? WHERE id = ?");
        for (const auto& [id, kind] : kinds) {
            statement.bind(1, classKindName(kind));
            statement.bind(2, static_cast<std::int64_t>(id));
            statement.exec();
            statement.reset();
        }
        transaction.commit();
        return {};
    });
}

Result<std::pair<int, int>> Project::addImages(const std::vector<NewImage>& images)
{
    return guarded(m_impl->path, "saved", [&]() -> Result<std::pair<int, int>> {
        SQLite::Transaction transaction(m_impl->db, SQLite::TransactionBehavior::IMMEDIATE);
        SQLite::Statement statement(
            m_impl->db, std::string("INSERT OR IGNORE INTO images(path, content_hash, width, height, class_id, "
                                    "split, excluded, source, added_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ")
                            + kNow + ")");
        int added = 0;
        int duplicates = 0;
        for (const NewImage& image : images) {
            statement.bind(1, image.path);
            statement.bind(2, image.contentHash);
            statement.bind(3, image.width);
            statement.bind(4, image.height);
            bindOptionalId(statement, 5, image.classId);
            statement.bind(6, splitName(image.split));
            statement.bind(7, image.excluded ? 1 : 0);
            statement.bind(8, image.source);
            if (statement.exec() == 1)
                ++added;
            else
                ++duplicates;
            statement.reset();
        }
        transaction.commit();
        return std::make_pair(added, duplicates);
    });
}

namespace {

constexpr const char* kImageColumns =
    "SELECT id, path, content_hash, width, height, class_id, split, excluded, source FROM images";

ImageRecord readImage(SQLite::Statement& statement)
{
    ImageRecord record;
    record.id = statement.getColumn(0).getInt64();
    record.path = statement.getColumn(1).getString();
    record.contentHash = statement.getColumn(2).getString();
    record.width = statement.getColumn(3).getInt();
    record.height = statement.getColumn(4).getInt();
    record.classId = columnOptionalId(statement.getColumn(5));
    record.split = parseSplit(statement.getColumn(6).getString()).value_or(Split::Train);
    record.excluded = statement.getColumn(7).getInt() != 0;
    record.source = statement.getColumn(8).getString();
    return record;
}

} // namespace

Result<std::vector<ImageRecord>> Project::images(const ImageFilter& filter) const
{
    return guarded(m_impl->path, "read", [&]() -> Result<std::vector<ImageRecord>> {
        const WhereClause where = imageWhere(filter);
        SQLite::Statement statement(m_impl->db, std::string(kImageColumns) + where.sql() + " ORDER BY id"
                                                    + pagingSql(filter.offset, filter.limit));
        where.bind(statement);
        std::vector<ImageRecord> out;
        while (statement.executeStep())
            out.push_back(readImage(statement));
        return out;
    });
}

Result<int> Project::countImages(const ImageFilter& filter) const
{
    return guarded(m_impl->path, "read", [&]() -> Result<int> {
        const WhereClause where = imageWhere(filter);
        SQLite::Statement statement(m_impl->db, "SELECT COUNT(*) FROM images" + where.sql());
        where.bind(statement);
        statement.executeStep();
        return statement.getColumn(0).getInt();
    });
}

Result<std::optional<ImageRecord>> Project::image(std::int64_t imageId) const
{
    return guarded(m_impl->path, "read", [&]() -> Result<std::optional<ImageRecord>> {
        SQLite::Statement statement(m_impl->db, std::string(kImageColumns) + " WHERE id = ?");
        statement.bind(1, static_cast<std::int64_t>(imageId));
        if (!statement.executeStep())
            return std::optional<ImageRecord>();
        return std::optional<ImageRecord>(readImage(statement));
    });
}

Result<std::vector<ClassSplitCounts>> Project::countsPerClassAndSplit() const
{
    return guarded(m_impl->path, "read", [&]() -> Result<std::vector<ClassSplitCounts>> {
        SQLite::Statement statement(
            m_impl->db,
            "SELECT c.id, "
            "  SUM(i.split = 'train' AND i.excluded = 0), SUM(i.split = 'val' AND i.excluded = 0), "
            "  SUM(i.split = 'test' AND i.excluded = 0), SUM(i.excluded = 1) "
            "FROM classes c LEFT JOIN images i ON i.class_id = c.id GROUP BY c.id ORDER BY c.position, c.id");
        std::vector<ClassSplitCounts> out;
        const auto fill = [&](ClassSplitCounts& counts) {
            counts.train = statement.getColumn(1).getInt();
            counts.val = statement.getColumn(2).getInt();
            counts.test = statement.getColumn(3).getInt();
            counts.excluded = statement.getColumn(4).getInt();
        };
        while (statement.executeStep()) {
            ClassSplitCounts counts;
            counts.classId = statement.getColumn(0).getInt64();
            fill(counts);
            out.push_back(counts);
        }
        SQLite::Statement unlabelled(
            m_impl->db, "SELECT COUNT(*), SUM(split = 'train' AND excluded = 0), SUM(split = 'val' AND excluded = 0), "
                        "  SUM(split = 'test' AND excluded = 0), SUM(excluded = 1) FROM images WHERE class_id IS NULL");
        if (unlabelled.executeStep() && unlabelled.getColumn(0).getInt() > 0) {
            ClassSplitCounts counts;
            counts.train = unlabelled.getColumn(1).getInt();
            counts.val = unlabelled.getColumn(2).getInt();
            counts.test = unlabelled.getColumn(3).getInt();
            counts.excluded = unlabelled.getColumn(4).getInt();
            out.push_back(counts);
        }
        return out;
    });
}

namespace {

template <typename Bind>
Status updateImage(SQLite::Database& db, const std::string& path, const char* sql, std::int64_t imageId, Bind&& bind)
{
    return guarded(path, "saved", [&]() -> Status {
        SQLite::Statement statement(db, sql);
        bind(statement);
        statement.bind(2, static_cast<std::int64_t>(imageId));
        if (statement.exec() == 0)
            return makeError(ErrorCode::InvalidArgument, "That image is not in the project.", path,
                             "image " + std::to_string(imageId));
        return {};
    });
}

} // namespace

Status Project::setImageLabel(std::int64_t imageId, std::optional<std::int64_t> classId)
{
    return updateImage(m_impl->db, m_impl->path, "UPDATE images SET class_id = ? WHERE id = ?", imageId,
                       [&](SQLite::Statement& statement) { bindOptionalId(statement, 1, classId); });
}

Status Project::setImageSplit(std::int64_t imageId, Split split)
{
    return updateImage(m_impl->db, m_impl->path, "UPDATE images SET split = ? WHERE id = ?", imageId,
                       [&](SQLite::Statement& statement) { statement.bind(1, splitName(split)); });
}

Status Project::setImageExcluded(std::int64_t imageId, bool excluded)
{
    return updateImage(m_impl->db, m_impl->path, "UPDATE images SET excluded = ? WHERE id = ?", imageId,
                       [&](SQLite::Statement& statement) { statement.bind(1, excluded ? 1 : 0); });
}

Result<std::int64_t> Project::addDescription(std::int64_t classId, const std::string& text, const std::string& source)
{
    auto added = addDescriptions({DescriptionInsert{classId, text, source}});
    if (!added.ok())
        return added.error();
    if (added->added == 0)
        return makeError(ErrorCode::InvalidArgument, "This class already has that description.", m_impl->path, text);
    return static_cast<std::int64_t>(m_impl->db.getLastInsertRowid());
}

Result<DescriptionInsertResult> Project::addDescriptions(const std::vector<DescriptionInsert>& rows)
{
    for (const DescriptionInsert& row : rows) {
        if (row.text.empty())
            return makeError(ErrorCode::InvalidArgument, "A description cannot be empty.", m_impl->path);
    }
    return guarded(m_impl->path, "saved", [&]() -> Result<DescriptionInsertResult> {
        SQLite::Transaction transaction(m_impl->db, SQLite::TransactionBehavior::IMMEDIATE);
        SQLite::Statement statement(
            m_impl->db, "INSERT OR IGNORE INTO descriptions(class_id, text, source, position) VALUES(?1, ?2, ?3, "
                        "(SELECT COALESCE(MAX(position), -1) + 1 FROM descriptions WHERE class_id = ?1))");
        DescriptionInsertResult result;
        for (const DescriptionInsert& row : rows) {
            statement.bind(1, static_cast<std::int64_t>(row.classId));
            statement.bind(2, row.text);
            statement.bind(3, row.source);
            if (statement.exec() == 1)
                ++result.added;
            else
                ++result.duplicates;
            statement.reset();
        }
        transaction.commit();
        return result;
    });
}

Status Project::editDescription(std::int64_t descriptionId, const std::string& text)
{
    if (text.empty())
        return makeError(ErrorCode::InvalidArgument, "A description cannot be empty; remove it instead.", m_impl->path);
    return guarded(m_impl->path, "saved", [&]() -> Status {
        SQLite::Statement statement(m_impl->db, "UPDATE descriptions SET text = ? WHERE id = ?");
        statement.bind(1, text);
        statement.bind(2, static_cast<std::int64_t>(descriptionId));
        if (statement.exec() == 0)
            return makeError(ErrorCode::InvalidArgument, "That description is not in the project.", m_impl->path);
        return {};
    });
}

Status Project::removeDescription(std::int64_t descriptionId)
{
    return guarded(m_impl->path, "saved", [&]() -> Status {
        SQLite::Statement statement(m_impl->db, "DELETE FROM descriptions WHERE id = ?");
        statement.bind(1, static_cast<std::int64_t>(descriptionId));
        statement.exec();
        return {};
    });
}

Result<std::vector<DescriptionRecord>> Project::descriptions(std::optional<std::int64_t> classId) const
{
    return guarded(m_impl->path, "read", [&]() -> Result<std::vector<DescriptionRecord>> {
        WhereClause where;
        if (classId)
            where.add("d.class_id = ?", static_cast<std::int64_t>(*classId));
        SQLite::Statement statement(m_impl->db,
                                    "SELECT d.id, d.class_id, d.text, d.source, d.position FROM descriptions d "
                                    "JOIN classes c ON c.id = d.class_id"
                                        + where.sql() + " ORDER BY c.position, d.class_id, d.position, d.id");
        where.bind(statement);
        std::vector<DescriptionRecord> out;
        while (statement.executeStep()) {
            DescriptionRecord record;
            record.id = statement.getColumn(0).getInt64();
            record.classId = statement.getColumn(1).getInt64();
            record.text = statement.getColumn(2).getString();
            record.source = statement.getColumn(3).getString();
            record.position = statement.getColumn(4).getInt();
            out.push_back(std::move(record));
        }
        return out;
    });
}

namespace {

std::optional<FewShotSet> readFewShotSet(SQLite::Database& db, SQLite::Statement& header)
{
    if (!header.executeStep())
        return std::nullopt;
    FewShotSet set;
    set.id = header.getColumn(0).getInt64();
    set.shots = header.getColumn(1).getInt();
    set.seed = static_cast<std::uint64_t>(header.getColumn(2).getInt64());
    SQLite::Statement members(db, "SELECT image_id, class_id FROM few_shot_members WHERE set_id = ? ORDER BY draw");
    members.bind(1, static_cast<std::int64_t>(set.id));
    while (members.executeStep()) {
        set.imageIds.push_back(members.getColumn(0).getInt64());
        set.classIds.push_back(members.getColumn(1).isNull() ? 0 : members.getColumn(1).getInt64());
    }
    return set;
}

} // namespace

Result<std::int64_t> Project::saveFewShotSet(const FewShotSet& set)
{
    return guarded(m_impl->path, "saved", [&]() -> Result<std::int64_t> {
        if (set.classIds.size() != set.imageIds.size())
            throw std::invalid_argument("few-shot set: one class per image expected");
        SQLite::Transaction transaction(m_impl->db, SQLite::TransactionBehavior::IMMEDIATE);
        // Runs on unchanged data draw the same set: they share one stored copy.
        SQLite::Statement candidates(
            m_impl->db, "SELECT id, shots, seed FROM few_shot_sets WHERE shots = ? AND seed = ? ORDER BY id DESC");
        candidates.bind(1, set.shots);
        candidates.bind(2, static_cast<std::int64_t>(set.seed));
        while (auto stored = readFewShotSet(m_impl->db, candidates)) {
            if (stored->imageIds == set.imageIds && stored->classIds == set.classIds)
                return stored->id;
        }
        SQLite::Statement insertSet(m_impl->db, std::string("INSERT INTO few_shot_sets(shots, seed, created_at) "
                                                            "VALUES(?, ?, ")
                                                    + kNow + ")");
        insertSet.bind(1, set.shots);
        insertSet.bind(2, static_cast<std::int64_t>(set.seed));
        insertSet.exec();
        const std::int64_t setId = static_cast<std::int64_t>(m_impl->db.getLastInsertRowid());
        SQLite::Statement insertMember(
            m_impl->db, "INSERT INTO few_shot_members(set_id, image_id, class_id, draw) VALUES(?, ?, ?, ?)");
        for (std::size_t draw = 0; draw < set.imageIds.size(); ++draw) {
            insertMember.bind(1, setId);
            insertMember.bind(2, static_cast<std::int64_t>(set.imageIds[draw]));
            insertMember.bind(3, static_cast<std::int64_t>(set.classIds[draw]));
            insertMember.bind(4, static_cast<int>(draw));
            insertMember.exec();
            insertMember.reset();
        }
        transaction.commit();
        return static_cast<std::int64_t>(setId);
    });
}

Result<std::optional<FewShotSet>> Project::fewShotSetById(std::int64_t id) const
{
    return guarded(m_impl->path, "read", [&]() -> Result<std::optional<FewShotSet>> {
        SQLite::Statement header(m_impl->db, "SELECT id, shots, seed FROM few_shot_sets WHERE id = ?");
        header.bind(1, static_cast<std::int64_t>(id));
        return readFewShotSet(m_impl->db, header);
    });
}

} // namespace aape::store

#include "store/ProjectSql.h"

#include <SQLiteCpp/Transaction.h>

// Scenes imported as tiles: the scene rows and each tile's window and bounding box.
namespace aape::store {

using namespace detail;

namespace {

constexpr const char* kSceneColumns = "SELECT id, path, width, height, band_count, crs, crs_name, geotransform, "
                                      "tile_size, stride, rendering, labels FROM scenes";
constexpr const char* kTileColumns =
    "SELECT image_id, scene_id, x, y, width, height, min_x, min_y, max_x, max_y FROM tiles";

SceneRecord readScene(SQLite::Statement& statement)
{
    SceneRecord scene;
    scene.id = statement.getColumn(0).getInt64();
    scene.path = statement.getColumn(1).getString();
    scene.width = statement.getColumn(2).getInt();
    scene.height = statement.getColumn(3).getInt();
    scene.bandCount = statement.getColumn(4).getInt();
    scene.crsWkt = statement.getColumn(5).getString();
    scene.crsName = statement.getColumn(6).getString();
    const auto transform = nlohmann::json::parse(statement.getColumn(7).getString());
    for (std::size_t i = 0; i < 6; ++i)
        scene.geoTransform[i] = transform.at(i).get<double>();
    scene.tileSize = statement.getColumn(8).getInt();
    scene.stride = statement.getColumn(9).getInt();
    scene.rendering = nlohmann::json::parse(statement.getColumn(10).getString());
    scene.labels = nlohmann::json::parse(statement.getColumn(11).getString());
    return scene;
}

TileRecord readTile(SQLite::Statement& statement)
{
    TileRecord tile;
    tile.imageId = statement.getColumn(0).getInt64();
    tile.sceneId = statement.getColumn(1).getInt64();
    tile.x = statement.getColumn(2).getInt();
    tile.y = statement.getColumn(3).getInt();
    tile.width = statement.getColumn(4).getInt();
    tile.height = statement.getColumn(5).getInt();
    tile.minX = statement.getColumn(6).getDouble();
    tile.minY = statement.getColumn(7).getDouble();
    tile.maxX = statement.getColumn(8).getDouble();
    tile.maxY = statement.getColumn(9).getDouble();
    return tile;
}

} // namespace

Result<std::pair<int, int>> Project::addSceneTiles(const SceneRecord& scene, const std::vector<NewImage>& images,
                                                   const std::vector<TileRecord>& tiles)
{
    if (images.size() != tiles.size())
        return makeError(ErrorCode::Internal, "The tiles of the scene do not match their images.", m_impl->path,
                         std::to_string(images.size()) + " images, " + std::to_string(tiles.size()) + " tiles");
    return guarded(m_impl->path, "saved", [&]() -> Result<std::pair<int, int>> {
        SQLite::Transaction transaction(m_impl->db, SQLite::TransactionBehavior::IMMEDIATE);
        const std::string rendering = scene.rendering.dump();
        const nlohmann::json transform(scene.geoTransform);
        SQLite::Statement findScene(m_impl->db, "SELECT id FROM scenes WHERE path = ? AND tile_size = ? AND stride = ? "
                                                "AND rendering = ?");
        findScene.bind(1, scene.path);
        findScene.bind(2, scene.tileSize);
        findScene.bind(3, scene.stride);
        findScene.bind(4, rendering);
        std::int64_t sceneId = 0;
        if (findScene.executeStep()) {
            sceneId = findScene.getColumn(0).getInt64();
            SQLite::Statement update(m_impl->db, "UPDATE scenes SET labels = ? WHERE id = ?");
            update.bind(1, scene.labels.dump());
            update.bind(2, sceneId);
            update.exec();
        } else {
            SQLite::Statement insert(m_impl->db,
                                     std::string("INSERT INTO scenes(path, width, height, band_count, crs, crs_name, "
                                                 "geotransform, tile_size, stride, rendering, labels, added_at) "
                                                 "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ")
                                         + kNow + ")");
            insert.bind(1, scene.path);
            insert.bind(2, scene.width);
            insert.bind(3, scene.height);
            insert.bind(4, scene.bandCount);
            insert.bind(5, scene.crsWkt);
            insert.bind(6, scene.crsName);
            insert.bind(7, transform.dump());
            insert.bind(8, scene.tileSize);
            insert.bind(9, scene.stride);
            insert.bind(10, rendering);
            insert.bind(11, scene.labels.dump());
            insert.exec();
            sceneId = m_impl->db.getLastInsertRowid();
        }
        SQLite::Statement image(m_impl->db,
                                std::string("INSERT OR IGNORE INTO images(path, content_hash, width, height, class_id, "
                                            "split, excluded, source, added_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ")
                                    + kNow + ")");
        SQLite::Statement tile(m_impl->db, "INSERT INTO tiles(image_id, scene_id, x, y, width, height, min_x, min_y, "
                                           "max_x, max_y) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        int added = 0;
        int duplicates = 0;
        for (std::size_t i = 0; i < images.size(); ++i) {
            const NewImage& row = images[i];
            image.bind(1, row.path);
            image.bind(2, row.contentHash);
            image.bind(3, row.width);
            image.bind(4, row.height);
            bindOptionalId(image, 5, row.classId);
            image.bind(6, splitName(row.split));
            image.bind(7, row.excluded ? 1 : 0);
            image.bind(8, row.source);
            const bool inserted = image.exec() == 1;
            image.reset();
            if (!inserted) {
                ++duplicates;
                continue;
            }
            ++added;
            const TileRecord& t = tiles[i];
            tile.bind(1, static_cast<std::int64_t>(m_impl->db.getLastInsertRowid()));
            tile.bind(2, sceneId);
            tile.bind(3, t.x);
            tile.bind(4, t.y);
            tile.bind(5, t.width);
            tile.bind(6, t.height);
            tile.bind(7, t.minX);
            tile.bind(8, t.minY);
            tile.bind(9, t.maxX);
            tile.bind(10, t.maxY);
            tile.exec();
            tile.reset();
        }
        transaction.commit();
        return std::make_pair(added, duplicates);
    });
}

Result<std::vector<SceneRecord>> Project::scenes() const
{
    return guarded(m_impl->path, "read", [&]() -> Result<std::vector<SceneRecord>> {
        SQLite::Statement statement(m_impl->db, std::string(kSceneColumns) + " ORDER BY id");
        std::vector<SceneRecord> out;
        while (statement.executeStep())
            out.push_back(readScene(statement));
        return out;
    });
}

Result<std::vector<TileRecord>> Project::tiles(std::int64_t sceneId) const
{
    return guarded(m_impl->path, "read", [&]() -> Result<std::vector<TileRecord>> {
        SQLite::Statement statement(m_impl->db, std::string(kTileColumns) + " WHERE scene_id = ? ORDER BY y, x");
        statement.bind(1, sceneId);
        std::vector<TileRecord> out;
        while (statement.executeStep())
            out.push_back(readTile(statement));
        return out;
    });
}

Result<std::optional<TileRecord>> Project::tileOfImage(std::int64_t imageId) const
{
    return guarded(m_impl->path, "read", [&]() -> Result<std::optional<TileRecord>> {
        SQLite::Statement statement(m_impl->db, std::string(kTileColumns) + " WHERE image_id = ?");
        statement.bind(1, imageId);
        if (statement.executeStep())
            return std::optional<TileRecord>(readTile(statement));
        return std::optional<TileRecord>();
    });
}

} // namespace aape::store

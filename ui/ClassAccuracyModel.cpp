#include "ClassAccuracyModel.h"

#include "aape/store/Project.h"

#include <map>

namespace aape::ui {

store::Split evaluatedSplit(const store::RunRecord& run)
{
    if (run.summary.is_object()) {
        const auto it = run.summary.find("evaluated_split");
        if (it != run.summary.end() && it->is_string())
            if (const auto split = store::parseSplit(it->get<std::string>()))
                return *split;
    }
    return store::Split::Test;
}

QString splitNoun(store::Split split)
{
    switch (split) {
    case store::Split::Train: return ClassAccuracyModel::tr("training");
    case store::Split::Val: return ClassAccuracyModel::tr("validation");
    case store::Split::Test: return ClassAccuracyModel::tr("test");
    }
    return {};
}

ClassAccuracyModel::ClassAccuracyModel(QObject* parent)
    : QAbstractTableModel(parent)
{}

void ClassAccuracyModel::refresh(store::Project* project, std::int64_t runId)
{
    beginResetModel();
    m_rows.clear();
    m_split = store::Split::Test;
    if (project && runId > 0) {
        if (auto run = project->run(runId); run && run.value())
            m_split = evaluatedSplit(*run.value());
        auto accuracy = project->perClassAccuracy(runId);
        auto cells = project->confusionMatrix(runId);
        auto classes = project->classes();
        if (accuracy && cells && classes) {
            std::map<std::int64_t, QString> names;
            std::map<std::int64_t, int> position;
            for (const auto& cls : classes.value()) {
                names[cls.id] = QString::fromStdString(cls.name);
                position[cls.id] = cls.position;
            }
            // The largest off-diagonal cell of each true class; ties go to the earlier class.
            std::map<std::int64_t, std::pair<std::int64_t, int>> worst;
            for (const auto& cell : cells.value()) {
                if (cell.trueClassId == cell.predictedClassId || cell.count <= 0)
                    continue;
                auto [it, inserted] = worst.try_emplace(cell.trueClassId, cell.predictedClassId, cell.count);
                if (!inserted
                    && (cell.count > it->second.second
                        || (cell.count == it->second.second
                            && position[cell.predictedClassId] < position[it->second.first])))
                    it->second = {cell.predictedClassId, cell.count};
            }
            std::map<std::int64_t, store::ClassAccuracy> byClass;
            for (const auto& row : accuracy.value())
                byClass[row.classId] = row;
            for (const auto& cls : classes.value()) {
                const auto found = byClass.find(cls.id);
                if (found == byClass.end() || found->second.total <= 0)
                    continue;
                Row row;
                row.classId = cls.id;
                row.name = names[cls.id];
                row.total = found->second.total;
                row.correct = found->second.correct;
                row.zeroShotCorrect = found->second.zeroShotCorrect;
                if (const auto w = worst.find(cls.id); w != worst.end()) {
                    row.confusedWith = w->second.first;
                    const auto name = names.find(w->second.first);
                    row.confusedName = name != names.end() ? name->second : tr("(class %1)").arg(w->second.first);
                    row.confusedCount = w->second.second;
                }
                m_rows.push_back(std::move(row));
            }
        }
    }
    endResetModel();
}

int ClassAccuracyModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int ClassAccuracyModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

int ClassAccuracyModel::rowOfClass(std::int64_t classId) const
{
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].classId == classId)
            return static_cast<int>(i);
    return -1;
}

QVariant ClassAccuracyModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows[static_cast<std::size_t>(index.row())];
    const double accuracy = 100.0 * row.correct / row.total;
    const double zeroShot = 100.0 * row.zeroShotCorrect / row.total;
    const auto percent = [](double value) { return QStringLiteral("%1%").arg(value, 0, 'f', 1); };
    switch (role) {
    case ClassIdRole: return QVariant::fromValue<qint64>(row.classId);
    case ConfusedClassIdRole: return QVariant::fromValue<qint64>(row.confusedWith);
    case SortRole:
        switch (index.column()) {
        case Name: return row.name.toCaseFolded();
        case Images: return row.total;
        case Accuracy: return accuracy;
        case ZeroShot: return zeroShot;
        case Change: return accuracy - zeroShot;
        case ConfusedWith: return row.confusedName.toCaseFolded();
        case ConfusedCount: return row.confusedCount;
        default: return {};
        }
    case Qt::DisplayRole:
        switch (index.column()) {
        case Name: return row.name;
        case Images: return row.total;
        case Accuracy: return percent(accuracy);
        case ZeroShot: return percent(zeroShot);
        case Change:
            // Percentage points, signed, so that a loss reads as one.
            return QStringLiteral("%1%2")
                .arg(accuracy - zeroShot >= 0 ? QStringLiteral("+") : QString())
                .arg(accuracy - zeroShot, 0, 'f', 1);
        case ConfusedWith: return row.confusedName;
        case ConfusedCount: return row.confusedCount > 0 ? QVariant(row.confusedCount) : QVariant(QString());
        default: return {};
        }
    case Qt::TextAlignmentRole:
        if (index.column() != Name && index.column() != ConfusedWith)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ToolTipRole:
        switch (index.column()) {
        case Name: return tr("%1: click to list its %2 images.").arg(row.name, splitNoun(m_split));
        case ConfusedWith:
        case ConfusedCount:
            if (row.confusedCount == 0)
                return tr("No image of %1 was misclassified.").arg(row.name);
            return tr("%n image(s) of %1 predicted as %2. Click to list them.", nullptr, row.confusedCount)
                .arg(row.name, row.confusedName);
        default:
            return tr("%1 of %2 %3 images right after adaptation, %4 with zero-shot CLIP. Click to list them.")
                .arg(row.correct)
                .arg(row.total)
                .arg(splitNoun(m_split))
                .arg(row.zeroShotCorrect);
        }
    default: return {};
    }
}

QVariant ClassAccuracyModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    const QString split = splitNoun(m_split);
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Images: return tr("How many %1 images of the class the run was evaluated on.").arg(split);
        case Accuracy:
            return tr("Share of the class's %1 images the adapted model (AAPE) classifies right.").arg(split);
        case ZeroShot: return tr("Share of the class's %1 images zero-shot CLIP classifies right.").arg(split);
        case Change:
            return tr("Accuracy after adaptation minus zero-shot accuracy, in percentage points: negative where "
                      "adaptation made the class worse.");
        case ConfusedWith: return tr("The class this class's images are most often mistaken for.");
        case ConfusedCount: return tr("How many images of the class were predicted as that class.");
        default: return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name: return tr("Class");
    case Images:
        switch (m_split) {
        case store::Split::Train: return tr("Training images");
        case store::Split::Val: return tr("Validation images");
        case store::Split::Test: return tr("Test images");
        }
        return {};
    case Accuracy: return tr("Accuracy (%1)").arg(split);
    case ZeroShot: return tr("Zero-shot");
    case Change: return tr("Change");
    case ConfusedWith: return tr("Most confused with");
    case ConfusedCount: return tr("Count");
    default: return {};
    }
}

ClassAccuracyProxy::ClassAccuracyProxy(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(ClassAccuracyModel::SortRole);
    setFilterKeyColumn(ClassAccuracyModel::Name);
    setFilterCaseSensitivity(Qt::CaseInsensitive);
}

} // namespace aape::ui

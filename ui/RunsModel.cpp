#include "RunsModel.h"

#include "aape/store/Project.h"

#include <QDateTime>
#include <QLocale>

namespace aape::ui {

namespace {

// The evaluation's summary keys have varied ("base" as a number or as {"accuracy": ...});
// accept the spellings in use and ignore anything else.
std::optional<double> summaryNumber(const nlohmann::json& summary, std::initializer_list<const char*> keys)
{
    if (!summary.is_object())
        return std::nullopt;
    for (const char* key : keys) {
        const auto it = summary.find(key);
        if (it == summary.end())
            continue;
        if (it->is_number())
            return it->get<double>();
        if (it->is_object()) {
            const auto acc = it->find("accuracy");
            if (acc != it->end() && acc->is_number())
                return acc->get<double>();
        }
    }
    return std::nullopt;
}

QVariant percent(const std::optional<double>& value)
{
    if (!value)
        return QVariant();
    return QStringLiteral("%1%").arg(*value * 100.0, 0, 'f', 1);
}

QString statusText(store::RunRecord const& run)
{
    switch (run.status) {
    case store::RunStatus::Queued: return RunsModel::tr("queued");
    case store::RunStatus::Running: return run.resumable ? RunsModel::tr("interrupted") : RunsModel::tr("running");
    case store::RunStatus::Finished: return RunsModel::tr("finished");
    case store::RunStatus::Failed: return RunsModel::tr("failed");
    case store::RunStatus::Interrupted: return RunsModel::tr("interrupted");
    case store::RunStatus::Cancelled: return RunsModel::tr("cancelled");
    }
    return {};
}

} // namespace

RunNumbers runNumbers(const store::RunRecord& run, const std::vector<store::EpochMetrics>& epochs)
{
    RunNumbers numbers;
    const auto& s = run.summary;
    numbers.accuracy = summaryNumber(s, {"accuracy", "test_accuracy"});
    numbers.base = summaryNumber(s, {"base_accuracy", "base"});
    numbers.novel = summaryNumber(s, {"new_accuracy", "new", "novel_accuracy"});
    numbers.harmonic = summaryNumber(s, {"harmonic_mean", "h", "H"});
    if (!numbers.harmonic && numbers.base && numbers.novel && *numbers.base + *numbers.novel > 0)
        numbers.harmonic = 2.0 * *numbers.base * *numbers.novel / (*numbers.base + *numbers.novel);
    if (!epochs.empty()) {
        numbers.finalLoss = epochs.back().totalLoss;
        if (!numbers.accuracy)
            numbers.accuracy = epochs.back().valAccuracy;
    }
    return numbers;
}

RunsModel::RunsModel(QObject* parent) : QAbstractTableModel(parent) {}

void RunsModel::refresh(store::Project* project)
{
    beginResetModel();
    m_rows.clear();
    if (project) {
        auto runs = project->runs();
        if (runs) {
            for (auto& run : runs.value()) {
                Row row;
                auto epochs = project->epochMetrics(run.id);
                if (epochs)
                    row.epochs = std::move(epochs).value();
                row.numbers = runNumbers(run, row.epochs);
                row.run = std::move(run);
                m_rows.push_back(std::move(row));
            }
        }
    }
    endResetModel();
}

int RunsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int RunsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

int RunsModel::rowOf(std::int64_t runId) const
{
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].run.id == runId)
            return static_cast<int>(i);
    return -1;
}

QVariant RunsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows[static_cast<std::size_t>(index.row())];
    const auto& run = row.run;
    const auto& n = row.numbers;
    const int configured = run.config.value("epochs", 0);
    switch (role) {
    case RunIdRole: return QVariant::fromValue<qint64>(run.id);
    case ResumableRole: return run.resumable;
    case GroupRole: return QString::fromStdString(run.group);
    case StatusRole: return QString::fromLatin1(store::runStatusName(run.status));
    case SortRole:
        switch (index.column()) {
        case Id: return QVariant::fromValue<qint64>(run.id);
        case Seed: return QVariant::fromValue<qulonglong>(run.seed);
        case Epochs: return run.lastEpoch + 1;
        case Accuracy: return n.accuracy ? *n.accuracy : -1.0;
        case Base: return n.base ? *n.base : -1.0;
        case New: return n.novel ? *n.novel : -1.0;
        case Harmonic: return n.harmonic ? *n.harmonic : -1.0;
        default: return data(index, Qt::DisplayRole);
        }
    case Qt::TextAlignmentRole:
        if (index.column() == Name || index.column() == Group || index.column() == Status || index.column() == Created)
            return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ToolTipRole:
        if (!run.errorMessage.empty())
            return QString::fromStdString(run.errorMessage);
        if (index.column() == Accuracy)
            return tr("Accuracy on the test images after evaluation, else the last validation accuracy.");
        return {};
    case Qt::DisplayRole:
        switch (index.column()) {
        case Id: return QVariant::fromValue<qint64>(run.id);
        case Name: return QString::fromStdString(run.name);
        case Status: return statusText(run);
        case Seed: return QVariant::fromValue<qulonglong>(run.seed);
        case Group: return QString::fromStdString(run.group);
        case Epochs: return configured > 0 ? tr("%1 / %2").arg(run.lastEpoch + 1).arg(configured) : QString::number(run.lastEpoch + 1);
        case Accuracy: return percent(n.accuracy);
        case Base: return percent(n.base);
        case New: return percent(n.novel);
        case Harmonic: return percent(n.harmonic);
        case Created: {
            const auto when = QDateTime::fromString(QString::fromStdString(run.createdAt), Qt::ISODate);
            return when.isValid() ? QLocale().toString(when.toLocalTime(), QLocale::ShortFormat)
                                  : QString::fromStdString(run.createdAt);
        }
        default: return {};
        }
    default: return {};
    }
}

QVariant RunsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Base: return tr("Accuracy on the classes trained on (base-to-new protocol).");
        case New: return tr("Accuracy on classes never seen in training (base-to-new protocol).");
        case Harmonic: return tr("Harmonic mean of base and new accuracy: high only when both are.");
        default: return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Id: return tr("Id");
    case Name: return tr("Name");
    case Status: return tr("Status");
    case Seed: return tr("Seed");
    case Group: return tr("Group");
    case Epochs: return tr("Epochs");
    case Accuracy: return tr("Accuracy");
    case Base: return tr("Base");
    case New: return tr("New");
    case Harmonic: return tr("H");
    case Created: return tr("Created");
    default: return {};
    }
}

} // namespace aape::ui

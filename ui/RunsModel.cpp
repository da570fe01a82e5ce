#include "RunsModel.h"

#include "aape/store/Project.h"

#include <QDateTime>
#include <QLocale>
#include <QStringList>

#include <cmath>
#include <map>

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

// The settings a user compares runs by, in one line: "16 shots · λ 5 · lr 0.002 · 10 views".
QString settingsText(const nlohmann::json& config)
{
    if (!config.is_object())
        return {};
    QStringList parts;
    const auto number = [&config](const char* key) -> std::optional<double> {
        const auto it = config.find(key);
        return it != config.end() && it->is_number() ? std::optional<double>(it->get<double>()) : std::nullopt;
    };
    if (const auto shots = number("shots"))
        parts << RunsModel::tr("%n shot(s)", nullptr, int(*shots));
    if (const auto lambda = number("distill_weight"))
        parts << RunsModel::tr("λ %1").arg(*lambda);
    if (const auto rate = number("learning_rate"))
        parts << RunsModel::tr("lr %1").arg(*rate);
    if (const auto views = number("augmented_views"))
        parts << RunsModel::tr("%n view(s)", nullptr, int(*views));
    if (const auto it = config.find("base_to_new"); it != config.end() && it->is_boolean() && it->get<bool>()) {
        // Which classes were base follows a rule that depends on the data's source: say which.
        const auto rule = config.find("base_to_new_rule");
        const std::string order = rule != config.end() && rule->is_object() ? rule->value("order", "") : "";
        if (order == "label")
            parts << RunsModel::tr("base-to-new (label order)");
        else if (order == "natural")
            parts << RunsModel::tr("base-to-new (name order)");
        else
            parts << RunsModel::tr("base-to-new");
    }
    return parts.join(QStringLiteral(" · "));
}

// Every setting of the run, one per line, for the tooltip.
QString settingsTooltip(const nlohmann::json& config)
{
    if (!config.is_object())
        return {};
    QStringList lines;
    for (const auto& [key, value] : config.items()) {
        if (key == "training_classes")
            continue;
        if (key == "base_to_new_rule" && value.is_object()) {
            QStringList base;
            for (const auto& name : value.value("base_classes", nlohmann::json::array()))
                if (name.is_string())
                    base << QString::fromStdString(name.get<std::string>());
            lines << RunsModel::tr("base classes (%1 order): %2")
                         .arg(QString::fromStdString(value.value("order", std::string())),
                              base.join(QStringLiteral(", ")));
            continue;
        }
        lines << QStringLiteral("%1: %2").arg(QString::fromStdString(key), QString::fromStdString(value.dump()));
    }
    return lines.join(QLatin1Char('\n'));
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
    numbers.zeroShot = summaryNumber(s, {"zero_shot_accuracy"});
    if (!numbers.harmonic && numbers.base && numbers.novel && *numbers.base + *numbers.novel > 0)
        numbers.harmonic = 2.0 * *numbers.base * *numbers.novel / (*numbers.base + *numbers.novel);
    if (s.is_object()) {
        numbers.split = QString::fromStdString(s.value("evaluated_split", std::string()));
        numbers.evaluatedEpoch = s.value("evaluated_epoch", 0);
        numbers.bestEpoch = s.value("epoch_choice", std::string()) == "best";
        if (!numbers.zeroShot && !numbers.accuracy)
            numbers.zeroShot = summaryNumber(s, {"zero_shot_val_accuracy"});
    }
    if (!epochs.empty()) {
        numbers.finalLoss = epochs.back().totalLoss;
        if (!numbers.accuracy && epochs.back().valAccuracy) {
            numbers.accuracy = epochs.back().valAccuracy;
            numbers.accuracyIsValidation = true;
        }
    }
    return numbers;
}

std::vector<RunSetSummary> summariseRunSets(const RunsModel& model)
{
    struct Values {
        RunSetSummary summary;
        std::vector<double> accuracy, zeroShot, base, novel, harmonic;
    };
    std::map<QString, Values> sets;
    for (int row = 0; row < model.rowCount(); ++row) {
        const auto& run = model.run(row);
        if (run.group.empty())
            continue;
        Values& set = sets[QString::fromStdString(run.group)];
        ++set.summary.runs;
        if (run.status != store::RunStatus::Finished)
            continue;
        ++set.summary.finished;
        const RunNumbers& n = model.numbers(row);
        for (auto [value, into] :
             {std::pair{&n.accuracy, &set.accuracy}, std::pair{&n.zeroShot, &set.zeroShot},
              std::pair{&n.base, &set.base}, std::pair{&n.novel, &set.novel}, std::pair{&n.harmonic, &set.harmonic}})
            if (*value)
                into->push_back(**value);
    }
    std::vector<RunSetSummary> summaries;
    for (auto& [group, set] : sets) {
        set.summary.group = group;
        const auto spread = [](const std::vector<double>& values) {
            return values.size() >= 2 ? meanStd(values) : std::nullopt;
        };
        set.summary.accuracy = spread(set.accuracy);
        set.summary.zeroShot = spread(set.zeroShot);
        set.summary.base = spread(set.base);
        set.summary.novel = spread(set.novel);
        set.summary.harmonic = spread(set.harmonic);
        summaries.push_back(set.summary);
    }
    return summaries;
}

RunsModel::RunsModel(QObject* parent)
    : QAbstractTableModel(parent)
{}

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
        case ZeroShot: return n.zeroShot ? *n.zeroShot : -1.0;
        case Base: return n.base ? *n.base : -1.0;
        case New: return n.novel ? *n.novel : -1.0;
        case Harmonic: return n.harmonic ? *n.harmonic : -1.0;
        default: return data(index, Qt::DisplayRole);
        }
    case Qt::TextAlignmentRole:
        if (index.column() == Name || index.column() == Group || index.column() == Status || index.column() == Settings
            || index.column() == Created)
            return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ToolTipRole:
        if (!run.errorMessage.empty())
            return QString::fromStdString(run.errorMessage);
        if (index.column() == Accuracy || index.column() == ZeroShot) {
            if (n.accuracyIsValidation)
                return tr("Not evaluated yet: the last epoch's accuracy on the validation images.");
            if (n.evaluatedEpoch > 0)
                return tr("On the %1 images, at epoch %2 (%3).")
                    .arg(n.split == QStringLiteral("val") ? tr("validation") : tr("test"))
                    .arg(n.evaluatedEpoch)
                    .arg(n.bestEpoch ? tr("the best on validation") : tr("the last"));
            return {};
        }
        if (index.column() == Settings)
            return settingsTooltip(run.config);
        return {};
    case Qt::DisplayRole:
        switch (index.column()) {
        case Id: return QVariant::fromValue<qint64>(run.id);
        case Name: return QString::fromStdString(run.name);
        case Status: return statusText(run);
        case Seed: return QVariant::fromValue<qulonglong>(run.seed);
        case Group: return QString::fromStdString(run.group);
        case Epochs:
            return configured > 0 ? tr("%1 / %2").arg(run.lastEpoch + 1).arg(configured)
                                  : QString::number(run.lastEpoch + 1);
        case Accuracy: {
            const QVariant text = percent(n.accuracy);
            return n.accuracyIsValidation && text.isValid() ? tr("%1 (val)").arg(text.toString()) : text;
        }
        case ZeroShot: return percent(n.zeroShot);
        case Base: return percent(n.base);
        case New: return percent(n.novel);
        case Harmonic: return percent(n.harmonic);
        case Settings: return settingsText(run.config);
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
        case Accuracy:
            return tr("Accuracy of the run's evaluated epoch on the test images (the validation images when the "
                      "project has no test split); \"(val)\" marks a run not evaluated yet.");
        case ZeroShot: return tr("Zero-shot CLIP (the class name alone, no training) on the same images.");
        case Base: return tr("Accuracy on the classes trained on (base-to-new protocol).");
        case New: return tr("Accuracy on classes never seen in training (base-to-new protocol).");
        case Harmonic: return tr("Harmonic mean of base and new accuracy: high only when both are.");
        case Settings: return tr("The main training settings; hover over a run's cell for all of them.");
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
    case Accuracy: return tr("Test accuracy");
    case ZeroShot: return tr("Zero-shot");
    case Base: return tr("Base");
    case New: return tr("New");
    case Harmonic: return tr("H");
    case Settings: return tr("Settings");
    case Created: return tr("Created");
    default: return {};
    }
}

} // namespace aape::ui

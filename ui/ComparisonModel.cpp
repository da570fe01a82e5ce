#include "ComparisonModel.h"

#include "LossPlot.h"

#include "aape/store/Project.h"

#include <QBrush>
#include <QFont>
#include <QStringList>

#include <algorithm>
#include <map>

namespace aape::ui {

namespace {

const std::string kComparePrefix = "compare · ";
const std::string kSeparator = " · ";

int methodOrder(Method method)
{
    const auto& all = allMethods();
    return static_cast<int>(std::find(all.begin(), all.end(), method) - all.begin());
}

} // namespace

QString methodDisplayName(Method method)
{
    switch (method) {
    case Method::ZeroShot: return ClassWinnersModel::tr("Zero-shot CLIP");
    case Method::Cupl: return ClassWinnersModel::tr("CuPL");
    case Method::LinearProbe: return ClassWinnersModel::tr("Linear probe");
    case Method::TipAdapter: return ClassWinnersModel::tr("Tip-Adapter");
    case Method::TipAdapterF: return ClassWinnersModel::tr("Tip-Adapter-F");
    case Method::Aape: return ClassWinnersModel::tr("AAPE");
    }
    return QString::fromUtf8(methodName(method));
}

std::vector<ComparisonChoice> findComparisons(const std::vector<store::RunRecord>& runs)
{
    std::vector<ComparisonChoice> choices;
    std::map<std::string, std::vector<std::pair<Method, std::string>>> groupsByKey;
    for (const auto& run : runs) { // newest first: the newest comparison comes first
        if (run.group.rfind(kComparePrefix, 0) != 0)
            continue;
        const std::string rest = run.group.substr(kComparePrefix.size());
        const auto separator = rest.find(kSeparator);
        if (separator == std::string::npos)
            continue;
        const std::string name = rest.substr(0, separator);
        const auto method = parseMethod(name);
        if (!method || run.config.value("method", std::string()) != name)
            continue;
        const std::string key = rest.substr(separator + kSeparator.size());
        auto& groups = groupsByKey[key];
        if (groups.empty()) {
            ComparisonChoice choice;
            choice.key = QString::fromStdString(key);
            choice.baseToNew = run.config.value("base_to_new", false);
            choice.shots = run.config.value("shots", 0);
            choices.push_back(choice);
        }
        const bool known =
            std::any_of(groups.begin(), groups.end(), [&run](const auto& entry) { return entry.second == run.group; });
        if (!known)
            groups.emplace_back(*method, run.group);
    }
    for (auto& choice : choices) {
        auto groups = groupsByKey[choice.key.toStdString()];
        std::stable_sort(groups.begin(), groups.end(),
                         [](const auto& a, const auto& b) { return methodOrder(a.first) < methodOrder(b.first); });
        for (const auto& entry : groups)
            choice.groups.push_back(entry.second);
        // The key ends with the local date and time it was started at.
        const QString when = choice.key.section(QStringLiteral(" · "), -1);
        choice.label = choice.baseToNew
                           ? ClassWinnersModel::tr("%1: %n shot(s), base-to-new, %2 method(s)", nullptr, choice.shots)
                                 .arg(when)
                                 .arg(choice.groups.size())
                           : ClassWinnersModel::tr("%1: %n shot(s), %2 method(s)", nullptr, choice.shots)
                                 .arg(when)
                                 .arg(choice.groups.size());
    }
    return choices;
}

Result<ClassWinners> classWinners(const store::Project& project, const workflow::ComparisonReport& report,
                                  const std::vector<store::RunRecord>& runs)
{
    ClassWinners out;
    auto classes = project.classes();
    if (!classes)
        return classes.error();
    std::map<std::int64_t, std::size_t> rowOf;
    for (const auto& cls : classes.value()) {
        rowOf[cls.id] = out.rows.size();
        ClassWinners::Row row;
        row.classId = cls.id;
        row.name = QString::fromStdString(cls.name);
        out.rows.push_back(row);
    }
    for (const auto& method : report.methods) {
        out.methods.push_back(method.method);
        // Per class: the sum of the runs' accuracies and how many runs predicted the class.
        std::map<std::int64_t, std::pair<double, int>> sums;
        for (const auto runId : method.runIds) {
            const auto run = std::find_if(runs.begin(), runs.end(), [runId](const auto& r) { return r.id == runId; });
            std::optional<store::Split> split;
            if (run != runs.end())
                split = store::parseSplit(run->summary.value("evaluated_split", std::string("test")));
            auto perClass = project.perClassAccuracy(runId, split);
            if (!perClass)
                return perClass.error();
            if (perClass->empty()) {
                out.runsWithoutPredictions.push_back(runId);
                continue;
            }
            for (const auto& cls : perClass.value()) {
                if (cls.total <= 0)
                    continue;
                auto& sum = sums[cls.classId];
                sum.first += static_cast<double>(cls.correct) / cls.total;
                ++sum.second;
            }
        }
        for (auto& row : out.rows) {
            const auto it = sums.find(row.classId);
            row.accuracy.push_back(it == sums.end() ? std::nullopt
                                                    : std::optional<double>(it->second.first / it->second.second));
        }
    }
    // Classes no method predicted (e.g. without evaluated images) are left out.
    out.rows.erase(std::remove_if(out.rows.begin(), out.rows.end(),
                                  [](const auto& row) {
                                      return std::none_of(row.accuracy.begin(), row.accuracy.end(),
                                                          [](const auto& a) { return a.has_value(); });
                                  }),
                   out.rows.end());
    for (auto& row : out.rows) {
        double best = -1.0;
        for (const auto& a : row.accuracy)
            if (a)
                best = std::max(best, *a);
        for (const auto& a : row.accuracy)
            row.wins.push_back(a && *a == best);
    }
    return out;
}

ClassWinnersModel::ClassWinnersModel(QObject* parent)
    : QAbstractTableModel(parent)
{}

void ClassWinnersModel::setWinners(ClassWinners winners)
{
    beginResetModel();
    m_winners = std::move(winners);
    endResetModel();
}

int ClassWinnersModel::methodColumn(Method method) const
{
    const auto it = std::find(m_winners.methods.begin(), m_winners.methods.end(), method);
    return it == m_winners.methods.end() ? -1 : static_cast<int>(it - m_winners.methods.begin()) + 2;
}

int ClassWinnersModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_winners.rows.size());
}

int ClassWinnersModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_winners.methods.size()) + 2;
}

QString ClassWinnersModel::bestText(const ClassWinners::Row& row) const
{
    QStringList names;
    for (std::size_t m = 0; m < row.wins.size(); ++m)
        if (row.wins[m])
            names << methodDisplayName(m_winners.methods[m]);
    return names.join(QStringLiteral(", "));
}

QVariant ClassWinnersModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const auto& row = m_winners.rows[static_cast<std::size_t>(index.row())];
    const int column = index.column();
    if (role == ClassIdRole)
        return static_cast<qlonglong>(row.classId);
    if (column == kClassColumn) {
        if (role == Qt::DisplayRole || role == SortRole)
            return row.name;
        return {};
    }
    if (column == kBestColumn) {
        if (role == Qt::DisplayRole || role == SortRole)
            return bestText(row);
        return {};
    }
    const auto m = static_cast<std::size_t>(column - 2);
    const auto& accuracy = row.accuracy[m];
    const bool wins = row.wins[m];
    switch (role) {
    case Qt::DisplayRole:
        return accuracy ? QStringLiteral("%1%").arg(*accuracy * 100.0, 0, 'f', 1) : QStringLiteral("—");
    case SortRole: return accuracy ? *accuracy : -1.0; // classes a method cannot answer sort last
    case WinnerRole: return wins;
    case Qt::TextAlignmentRole: return int(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::BackgroundRole: {
        if (!wins)
            return {};
        // Translucent, so that the text stays readable on the light and the dark theme alike.
        QColor colour = curveColour(2);
        colour.setAlpha(90);
        return QBrush(colour);
    }
    case Qt::FontRole: {
        if (!wins)
            return {};
        QFont font;
        font.setBold(true);
        return font;
    }
    case Qt::ToolTipRole:
        if (!accuracy)
            return tr("%1 made no prediction for this class's images (it cannot score classes it was not "
                      "fitted on, or its runs kept no per-image results).")
                .arg(methodDisplayName(m_winners.methods[m]));
        return tr("%1: %2% of this class's images right, mean over the comparison's runs.")
            .arg(methodDisplayName(m_winners.methods[m]))
            .arg(*accuracy * 100.0, 0, 'f', 1);
    default: return {};
    }
}

QVariant ClassWinnersModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    const int methods = static_cast<int>(m_winners.methods.size());
    if (section == kClassColumn)
        return tr("Class");
    if (section == kBestColumn)
        return tr("Best method");
    if (section >= 2 && section < methods + 2)
        return methodDisplayName(m_winners.methods[static_cast<std::size_t>(section - 2)]);
    return {};
}

} // namespace aape::ui

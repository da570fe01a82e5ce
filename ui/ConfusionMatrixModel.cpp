#include "ConfusionMatrixModel.h"

#include "aape/store/Project.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>
#include <tuple>

namespace aape::ui {

ConfusionMatrixModel::ConfusionMatrixModel(QObject* parent)
    : QAbstractTableModel(parent)
{}

void ConfusionMatrixModel::refresh(store::Project* project, std::int64_t runId)
{
    beginResetModel();
    m_classIds.clear();
    m_names.clear();
    m_counts.clear();
    m_rowTotals.clear();
    m_maxCount = 0;
    if (project && runId > 0) {
        auto cells = project->confusionMatrix(runId);
        auto classes = project->classes();
        if (cells && classes) {
            std::set<std::int64_t> present;
            for (const auto& cell : cells.value()) {
                present.insert(cell.trueClassId);
                present.insert(cell.predictedClassId);
            }
            std::map<std::int64_t, int> position;
            for (const auto& cls : classes.value()) {
                if (!present.count(cls.id))
                    continue;
                position[cls.id] = static_cast<int>(m_classIds.size());
                m_classIds.push_back(cls.id);
                m_names.push_back(QString::fromStdString(cls.name));
            }
            const std::size_t n = m_classIds.size();
            m_counts.assign(n * n, 0);
            m_rowTotals.assign(n, 0);
            for (const auto& cell : cells.value()) {
                const auto t = position.find(cell.trueClassId);
                const auto p = position.find(cell.predictedClassId);
                if (t == position.end() || p == position.end())
                    continue;
                int& value = m_counts[static_cast<std::size_t>(t->second) * n + static_cast<std::size_t>(p->second)];
                value += cell.count;
                m_rowTotals[static_cast<std::size_t>(t->second)] += cell.count;
                m_maxCount = qMax(m_maxCount, value);
            }
        }
    }
    endResetModel();
}

int ConfusionMatrixModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_classIds.size());
}

int ConfusionMatrixModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_classIds.size());
}

int ConfusionMatrixModel::count(int row, int column) const
{
    return m_counts[static_cast<std::size_t>(row) * m_classIds.size() + static_cast<std::size_t>(column)];
}

int ConfusionMatrixModel::errors(int row) const
{
    return m_rowTotals[static_cast<std::size_t>(row)] - count(row, row);
}

int ConfusionMatrixModel::positionOf(std::int64_t classId) const
{
    const auto it = std::find(m_classIds.begin(), m_classIds.end(), classId);
    return it == m_classIds.end() ? -1 : static_cast<int>(it - m_classIds.begin());
}

std::vector<int> ConfusionMatrixModel::ordering(Order order) const
{
    const int n = static_cast<int>(m_classIds.size());
    std::vector<int> positions(static_cast<std::size_t>(n));
    std::iota(positions.begin(), positions.end(), 0);
    if (order == Order::Classes || n == 0)
        return positions;
    if (order == Order::MostErrors) {
        std::stable_sort(positions.begin(), positions.end(), [this](int a, int b) { return errors(a) > errors(b); });
        return positions;
    }
    // Confusable: join classes into chains along their strongest confusions, both directions
    // summed (a greedy path cover, as for a travelling salesman's first tour), so that each
    // heavily confused pair ends up side by side; classes confused with none come last.
    struct Edge {
        int weight;
        int a;
        int b;
    };
    std::vector<Edge> edges;
    for (int a = 0; a < n; ++a)
        for (int b = a + 1; b < n; ++b)
            if (const int weight = count(a, b) + count(b, a); weight > 0)
                edges.push_back({weight, a, b});
    std::sort(edges.begin(), edges.end(),
              [](const Edge& x, const Edge& y) { return std::tie(y.weight, x.a, x.b) < std::tie(x.weight, y.a, y.b); });
    std::vector<int> chain(static_cast<std::size_t>(n));
    std::iota(chain.begin(), chain.end(), 0);
    const auto root = [&chain](int i) {
        const auto at = [&chain](int k) -> int& { return chain[static_cast<std::size_t>(k)]; };
        while (at(i) != i)
            i = at(i) = at(at(i)); // path halving
        return i;
    };
    std::vector<std::vector<int>> next(static_cast<std::size_t>(n));
    std::vector<int> weightOf(static_cast<std::size_t>(n), 0); // confusion inside the chain, at its root
    for (const Edge& e : edges) {
        auto& na = next[static_cast<std::size_t>(e.a)];
        auto& nb = next[static_cast<std::size_t>(e.b)];
        const int ra = root(e.a);
        const int rb = root(e.b);
        if (ra == rb || na.size() >= 2 || nb.size() >= 2)
            continue;
        na.push_back(e.b);
        nb.push_back(e.a);
        chain[static_cast<std::size_t>(rb)] = ra;
        weightOf[static_cast<std::size_t>(ra)] += weightOf[static_cast<std::size_t>(rb)] + e.weight;
    }
    // Each chain read from the end nearer its heaviest confusion, so that the worst pair sits
    // at the top-left of its block; chains with the worst confusion first, then by their total.
    struct Chain {
        std::vector<int> members;
        int heaviest = 0;
        int total = 0;
    };
    std::vector<Chain> chains;
    std::vector<bool> placed(static_cast<std::size_t>(n), false);
    for (int start = 0; start < n; ++start) {
        if (placed[static_cast<std::size_t>(start)] || next[static_cast<std::size_t>(start)].size() > 1)
            continue;
        Chain c;
        int previous = -1;
        int heaviestAt = 0;
        for (int at = start; at >= 0;) {
            c.members.push_back(at);
            placed[static_cast<std::size_t>(at)] = true;
            int following = -1;
            for (int candidate : next[static_cast<std::size_t>(at)])
                if (candidate != previous)
                    following = candidate;
            if (following >= 0) {
                const int weight = count(at, following) + count(following, at);
                if (weight > c.heaviest) {
                    c.heaviest = weight;
                    heaviestAt = static_cast<int>(c.members.size()) - 1;
                }
            }
            previous = at;
            at = following;
        }
        // The heaviest link joins members heaviestAt and heaviestAt + 1.
        if (2 * heaviestAt + 1 > static_cast<int>(c.members.size()) - 1)
            std::reverse(c.members.begin(), c.members.end());
        c.total = weightOf[static_cast<std::size_t>(root(start))];
        chains.push_back(std::move(c));
    }
    std::stable_sort(chains.begin(), chains.end(), [](const Chain& x, const Chain& y) {
        return std::tie(y.heaviest, y.total) < std::tie(x.heaviest, x.total);
    });
    positions.clear();
    for (const Chain& c : chains)
        positions.insert(positions.end(), c.members.begin(), c.members.end());
    return positions;
}

QVariant ConfusionMatrixModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int value = count(index.row(), index.column());
    const int total = m_rowTotals[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole: return value;
    case CountRole: return value;
    case RowFractionRole: return total > 0 ? double(value) / total : 0.0;
    case TrueClassIdRole: return QVariant::fromValue<qint64>(classId(index.row()));
    case PredictedClassIdRole: return QVariant::fromValue<qint64>(classId(index.column()));
    case Qt::TextAlignmentRole: return QVariant(Qt::AlignCenter);
    case Qt::ToolTipRole:
        return tr("%n image(s) of %1 predicted as %2. Click to list them.", nullptr, value)
            .arg(m_names[static_cast<std::size_t>(index.row())], m_names[static_cast<std::size_t>(index.column())]);
    default: return {};
    }
}

QVariant ConfusionMatrixModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (section < 0 || section >= static_cast<int>(m_names.size()))
        return {};
    const QString& name = m_names[static_cast<std::size_t>(section)];
    if (role == Qt::DisplayRole)
        return name;
    if (role == Qt::ToolTipRole) {
        if (orientation == Qt::Vertical)
            return tr("True class: %1 (%n misclassified)", nullptr, errors(section)).arg(name);
        return tr("Predicted class: %1").arg(name);
    }
    return {};
}

} // namespace aape::ui

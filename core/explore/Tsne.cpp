// Barnes-Hut t-SNE (L. van der Maaten, "Accelerating t-SNE using Tree-Based Algorithms", JMLR
// 2014) over the cached CLIP embeddings, with the usual optimisation schedule (early
// exaggeration 12 for 250 iterations, momentum 0.5 then 0.8, per-parameter gains, learning rate
// max(200, N/12) as in openTSNE/opt-SNE) and a PCA start (Kobak & Berens 2019), which makes the
// map deterministic and keeps the global layout.

#include "aape/explore/Projection.h"

#include "aape/data/ContentHash.h"
#include "explore/Linear.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <queue>

namespace aape::explore {

namespace {

Error stopped()
{
    return makeError(ErrorCode::Cancelled, "The map was stopped before it was finished.");
}

void report(const TsneOptions& options, const char* stage, std::size_t done, std::size_t total)
{
    if (options.progress)
        options.progress(stage, done, total);
}

// Row-normalised sparse affinities: for each image its k nearest neighbours and p_{j|i}.
struct Neighbours {
    int k = 0;
    std::vector<std::uint32_t> index; // [n, k]
    std::vector<float> distance2;     // [n, k], squared euclidean (2 − 2 cos for unit vectors)
};

Status nearestNeighbours(const EmbeddedCollection& collection, int k, Neighbours& out, const TsneOptions& options)
{
    const std::size_t n = collection.size();
    const int d = collection.dim;
    out.k = k;
    out.index.assign(n * static_cast<std::size_t>(k), 0);
    out.distance2.assign(n * static_cast<std::size_t>(k), 0.0f);
    constexpr std::size_t kBlock = 256;
    std::vector<float> similarities(kBlock * n);
    using Entry = std::pair<float, std::uint32_t>; // similarity, index; the heap keeps the worst on top
    const auto worse = [](const Entry& a, const Entry& b) { return a.first > b.first; };
    for (std::size_t start = 0; start < n; start += kBlock) {
        if (stopRequested(options.stop))
            return stopped();
        const std::size_t rows = std::min(kBlock, n - start);
        detail::multiply(false, true, static_cast<std::int64_t>(rows), static_cast<std::int64_t>(n), d,
                         collection.row(start), d, collection.embeddings.data(), d, similarities.data(),
                         static_cast<std::int64_t>(n));
        for (std::size_t r = 0; r < rows; ++r) {
            const std::size_t i = start + r;
            const float* row = similarities.data() + r * n;
            std::priority_queue<Entry, std::vector<Entry>, decltype(worse)> best(worse);
            for (std::size_t j = 0; j < n; ++j) {
                if (j == i)
                    continue;
                if (static_cast<int>(best.size()) < k)
                    best.push({row[j], static_cast<std::uint32_t>(j)});
                else if (row[j] > best.top().first) {
                    best.pop();
                    best.push({row[j], static_cast<std::uint32_t>(j)});
                }
            }
            for (int slot = k - 1; slot >= 0; --slot) {
                const auto [similarity, j] = best.top();
                best.pop();
                out.index[i * static_cast<std::size_t>(k) + static_cast<std::size_t>(slot)] = j;
                out.distance2[i * static_cast<std::size_t>(k) + static_cast<std::size_t>(slot)] =
                    std::max(0.0f, 2.0f - 2.0f * similarity);
            }
        }
        report(options, "neighbours", start + rows, n);
    }
    return {};
}

// p_{j|i} over the k neighbours with the Gaussian's precision chosen by bisection so that the
// distribution's perplexity is the one asked for.
std::vector<double> conditionalAffinities(const Neighbours& neighbours, std::size_t n, double perplexity)
{
    const int k = neighbours.k;
    std::vector<double> p(n * static_cast<std::size_t>(k));
    const double target = std::log(perplexity);
    std::vector<double> row(static_cast<std::size_t>(k));
    for (std::size_t i = 0; i < n; ++i) {
        const float* dist = neighbours.distance2.data() + i * static_cast<std::size_t>(k);
        const double minimum = *std::min_element(dist, dist + k);
        double beta = 1.0, low = -1.0, high = -1.0; // -1: unbounded
        for (int iteration = 0; iteration < 200; ++iteration) {
            double sum = 0.0, weighted = 0.0;
            for (int j = 0; j < k; ++j) {
                const double shifted = dist[j] - minimum;
                row[static_cast<std::size_t>(j)] = std::exp(-beta * shifted);
                sum += row[static_cast<std::size_t>(j)];
                weighted += shifted * row[static_cast<std::size_t>(j)];
            }
            const double entropy = std::log(sum) + beta * weighted / sum;
            if (std::abs(entropy - target) < 1e-5)
                break;
            if (entropy > target) {
                low = beta;
                beta = high < 0.0 ? beta * 2.0 : (beta + high) / 2.0;
            } else {
                high = beta;
                beta = low < 0.0 ? beta / 2.0 : (beta + low) / 2.0;
            }
        }
        double sum = 0.0;
        for (int j = 0; j < k; ++j)
            sum += row[static_cast<std::size_t>(j)];
        for (int j = 0; j < k; ++j)
            p[i * static_cast<std::size_t>(k) + static_cast<std::size_t>(j)] = row[static_cast<std::size_t>(j)] / sum;
    }
    return p;
}

// P = (P_{j|i} + P_{i|j}) / 2n as compressed rows.
struct SparseMatrix {
    std::vector<std::size_t> rowStart; // n + 1
    std::vector<std::uint32_t> column;
    std::vector<double> value;
};

SparseMatrix symmetrise(const Neighbours& neighbours, const std::vector<double>& conditional, std::size_t n)
{
    struct Triplet {
        std::uint32_t row, column;
        double value;
    };
    const auto k = static_cast<std::size_t>(neighbours.k);
    std::vector<Triplet> triplets;
    triplets.reserve(2 * n * k);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t slot = 0; slot < k; ++slot) {
            const std::uint32_t j = neighbours.index[i * k + slot];
            const double v = conditional[i * k + slot];
            triplets.push_back({static_cast<std::uint32_t>(i), j, v});
            triplets.push_back({j, static_cast<std::uint32_t>(i), v});
        }
    std::sort(triplets.begin(), triplets.end(),
              [](const Triplet& a, const Triplet& b) { return a.row != b.row ? a.row < b.row : a.column < b.column; });
    SparseMatrix p;
    p.rowStart.assign(n + 1, 0);
    const double scale = 1.0 / (2.0 * static_cast<double>(n));
    for (std::size_t t = 0; t < triplets.size();) {
        std::size_t u = t;
        double sum = 0.0;
        while (u < triplets.size() && triplets[u].row == triplets[t].row && triplets[u].column == triplets[t].column)
            sum += triplets[u++].value;
        p.column.push_back(triplets[t].column);
        p.value.push_back(sum * scale);
        ++p.rowStart[triplets[t].row + 1];
        t = u;
    }
    for (std::size_t i = 0; i < n; ++i)
        p.rowStart[i + 1] += p.rowStart[i];
    return p;
}

// A quadtree over the 2-D points for the repulsive forces. Nodes live in one vector; a leaf
// holds one point (or, at the depth limit, several at practically the same place).
class QuadTree {
public:
    void build(const std::vector<double>& y, std::size_t n)
    {
        double minX = std::numeric_limits<double>::max(), minY = minX, maxX = -minX, maxY = -minX;
        for (std::size_t i = 0; i < n; ++i) {
            minX = std::min(minX, y[2 * i]);
            maxX = std::max(maxX, y[2 * i]);
            minY = std::min(minY, y[2 * i + 1]);
            maxY = std::max(maxY, y[2 * i + 1]);
        }
        m_nodes.clear();
        m_nodes.reserve(4 * n + 1);
        const double half = std::max(maxX - minX, maxY - minY) / 2.0 + 1e-9;
        m_nodes.push_back(Node{(minX + maxX) / 2.0, (minY + maxY) / 2.0, half});
        for (std::size_t i = 0; i < n; ++i)
            insert(y[2 * i], y[2 * i + 1], static_cast<std::int64_t>(i));
    }

    // Σ_j q_ij² Z² (y_i − y_j) into (fx, fy), Σ_j q_ij Z into sumQ, over the tree's cells.
    void repulsion(double x, double yv, std::int64_t self, double theta, double& fx, double& fy, double& sumQ) const
    {
        m_stack.clear();
        m_stack.push_back(0);
        while (!m_stack.empty()) {
            const Node& node = m_nodes[static_cast<std::size_t>(m_stack.back())];
            m_stack.pop_back();
            if (node.count == 0 || (node.child < 0 && node.point == self && node.count == 1))
                continue;
            const double dx = x - node.comX, dy = yv - node.comY;
            const double distance2 = dx * dx + dy * dy;
            if (node.child < 0 || 2.0 * node.half < theta * std::sqrt(distance2)) {
                const double q = 1.0 / (1.0 + distance2);
                double multiple = node.count * q;
                sumQ += multiple;
                multiple *= q;
                fx += multiple * dx;
                fy += multiple * dy;
            } else {
                for (int c = 0; c < 4; ++c)
                    m_stack.push_back(node.child + c);
            }
        }
    }

private:
    struct Node {
        double cx = 0.0, cy = 0.0, half = 0.0;
        double comX = 0.0, comY = 0.0;
        int count = 0;
        std::int32_t child = -1; // first of four, or -1 for a leaf
        std::int64_t point = -1;
    };
    static constexpr int kMaxDepth = 48;

    int quadrant(const Node& node, double x, double y) const { return (x >= node.cx ? 1 : 0) + (y >= node.cy ? 2 : 0); }

    void subdivide(std::size_t index)
    {
        const auto first = static_cast<std::int32_t>(m_nodes.size());
        const Node parent = m_nodes[index];
        for (int c = 0; c < 4; ++c) {
            Node child;
            child.half = parent.half / 2.0;
            child.cx = parent.cx + ((c & 1) ? child.half : -child.half);
            child.cy = parent.cy + ((c & 2) ? child.half : -child.half);
            m_nodes.push_back(child);
        }
        m_nodes[index].child = first;
    }

    void insert(double x, double y, std::int64_t point)
    {
        std::size_t index = 0;
        for (int depth = 0;; ++depth) {
            Node& node = m_nodes[index];
            node.comX = (node.comX * node.count + x) / (node.count + 1);
            node.comY = (node.comY * node.count + y) / (node.count + 1);
            ++node.count;
            if (node.child < 0) {
                if (node.count == 1) {
                    node.point = point;
                    return;
                }
                if (depth >= kMaxDepth)
                    return; // coincident points share the leaf
                // Move the leaf's point one level down, then go on with the new one.
                const std::int64_t old = node.point;
                const double oldX = node.count == 2 ? (node.comX * 2 - x) : node.comX;
                const double oldY = node.count == 2 ? (node.comY * 2 - y) : node.comY;
                subdivide(index);
                Node& parent = m_nodes[index];
                parent.point = -1;
                Node& moved = m_nodes[static_cast<std::size_t>(parent.child + quadrant(parent, oldX, oldY))];
                moved.comX = oldX;
                moved.comY = oldY;
                moved.count = 1;
                moved.point = old;
            }
            const Node& current = m_nodes[index];
            index = static_cast<std::size_t>(current.child + quadrant(current, x, y));
        }
    }

    std::vector<Node> m_nodes;
    mutable std::vector<std::int32_t> m_stack;
};

} // namespace

Result<Projection2D> tsneProjection(const EmbeddedCollection& collection, const TsneOptions& options)
{
    const std::size_t n = collection.size();
    if (n < 4)
        return makeError(ErrorCode::InvalidArgument, "A t-SNE map needs at least four encoded images.",
                         collection.projectPath);
    const double perplexity = std::clamp(options.perplexity, 2.0, (static_cast<double>(n) - 1.0) / 3.0);
    const int k = std::min(static_cast<int>(n) - 1, static_cast<int>(std::ceil(3.0 * perplexity)));

    Neighbours neighbours;
    if (auto status = nearestNeighbours(collection, k, neighbours, options); !status)
        return status.error();
    const SparseMatrix p = symmetrise(neighbours, conditionalAffinities(neighbours, n, perplexity), n);

    // The PCA map, scaled to a standard deviation of 1e-4 on its first axis.
    auto start = pcaProjection(collection);
    if (!start)
        return start.error();
    std::vector<double> y(2 * n), update(2 * n, 0.0), gains(2 * n, 1.0), gradient(2 * n);
    double spread = 0.0;
    for (std::size_t i = 0; i < n; ++i)
        spread += double(start->xy[2 * i]) * start->xy[2 * i];
    spread = std::sqrt(spread / static_cast<double>(n));
    const double scale = spread > 0.0 ? 1e-4 / spread : 1.0;
    for (std::size_t i = 0; i < 2 * n; ++i)
        y[i] = start->xy[i] * scale;

    const int iterations = std::max(1, options.iterations);
    const int exaggerated = std::min(250, iterations / 3);
    const double learningRate = std::max(200.0, static_cast<double>(n) / 12.0);
    QuadTree tree;
    std::vector<double> repulsive(2 * n);
    for (int iteration = 0; iteration < iterations; ++iteration) {
        if (stopRequested(options.stop))
            return stopped();
        const double exaggeration = iteration < exaggerated ? 12.0 : 1.0;
        const double momentum = iteration < exaggerated ? 0.5 : 0.8;
        tree.build(y, n);
        double sumQ = 0.0;
        for (std::size_t i = 0; i < n; ++i) {
            double fx = 0.0, fy = 0.0;
            tree.repulsion(y[2 * i], y[2 * i + 1], static_cast<std::int64_t>(i), options.theta, fx, fy, sumQ);
            repulsive[2 * i] = fx;
            repulsive[2 * i + 1] = fy;
        }
        for (std::size_t i = 0; i < n; ++i) {
            double ax = 0.0, ay = 0.0;
            for (std::size_t e = p.rowStart[i]; e < p.rowStart[i + 1]; ++e) {
                const std::size_t j = p.column[e];
                const double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
                const double w = p.value[e] / (1.0 + dx * dx + dy * dy);
                ax += w * dx;
                ay += w * dy;
            }
            gradient[2 * i] = 4.0 * (exaggeration * ax - repulsive[2 * i] / sumQ);
            gradient[2 * i + 1] = 4.0 * (exaggeration * ay - repulsive[2 * i + 1] / sumQ);
        }
        double meanX = 0.0, meanY = 0.0;
        for (std::size_t c = 0; c < 2 * n; ++c) {
            const bool sameSign = (gradient[c] > 0.0) == (update[c] > 0.0);
            gains[c] = std::max(0.01, sameSign ? gains[c] * 0.8 : gains[c] + 0.2);
            update[c] = momentum * update[c] - learningRate * gains[c] * gradient[c];
            y[c] += update[c];
            (c % 2 == 0 ? meanX : meanY) += y[c];
        }
        meanX /= static_cast<double>(n);
        meanY /= static_cast<double>(n);
        for (std::size_t i = 0; i < n; ++i) {
            y[2 * i] -= meanX;
            y[2 * i + 1] -= meanY;
        }
        if (iteration % 10 == 9 || iteration + 1 == iterations)
            report(options, "layout", static_cast<std::size_t>(iteration + 1), static_cast<std::size_t>(iterations));
    }
    Projection2D projection;
    projection.xy.resize(2 * n);
    for (std::size_t c = 0; c < 2 * n; ++c)
        projection.xy[c] = static_cast<float>(y[c]);
    return projection;
}

std::string collectionDigest(const EmbeddedCollection& collection)
{
    std::vector<std::int64_t> ids;
    ids.reserve(collection.size());
    for (const auto& image : collection.images)
        ids.push_back(image.id);
    const std::uint64_t a = data::contentHash64(ids.data(), ids.size() * sizeof(std::int64_t));
    const std::uint64_t b =
        data::contentHash64(collection.embeddings.data(), collection.embeddings.size() * sizeof(float));
    return data::hashToHex(a) + data::hashToHex(b) + collection.modelFingerprint;
}

namespace {
const char* const kTsneSetting = "map.tsne";
} // namespace

std::optional<std::vector<float>> cachedTsne(const store::Project& project, const EmbeddedCollection& collection,
                                             double perplexity)
{
    auto stored = project.setting(kTsneSetting);
    if (!stored || !stored.value() || !stored.value()->is_object())
        return std::nullopt;
    const auto& json = *stored.value();
    if (json.value("digest", std::string()) != collectionDigest(collection)
        || std::abs(json.value("perplexity", 0.0) - perplexity) > 1e-9)
        return std::nullopt;
    const auto xy = json.find("xy");
    if (xy == json.end() || !xy->is_array() || xy->size() != 2 * collection.size())
        return std::nullopt;
    std::vector<float> values;
    values.reserve(xy->size());
    for (const auto& v : *xy) {
        if (!v.is_number())
            return std::nullopt;
        values.push_back(v.get<float>());
    }
    return values;
}

Status storeTsne(store::Project& project, const EmbeddedCollection& collection, const Projection2D& projection,
                 double perplexity)
{
    return project.setSetting(kTsneSetting, nlohmann::json{{"digest", collectionDigest(collection)},
                                                           {"perplexity", perplexity},
                                                           {"images", collection.size()},
                                                           {"xy", projection.xy}});
}

} // namespace aape::explore

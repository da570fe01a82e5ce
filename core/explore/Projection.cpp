#include "aape/explore/Projection.h"

#include "explore/Linear.h"

#include <cmath>

namespace aape::explore {

namespace {

// The leading eigenvector of the symmetric matrix `c` [d, d] (double), by power iteration
// started from a fixed vector that is not orthogonal to it in practice.
std::vector<double> leadingEigenvector(const std::vector<double>& c, int d, double& eigenvalue)
{
    std::vector<double> v(static_cast<std::size_t>(d)), next(static_cast<std::size_t>(d));
    for (int i = 0; i < d; ++i)
        v[static_cast<std::size_t>(i)] = 1.0 / std::sqrt(static_cast<double>(d)) * (1.0 + 0.01 * (i % 7));
    eigenvalue = 0.0;
    for (int iteration = 0; iteration < 2000; ++iteration) {
        for (int i = 0; i < d; ++i) {
            double sum = 0.0;
            const double* rowI = c.data() + static_cast<std::size_t>(i) * static_cast<std::size_t>(d);
            for (int j = 0; j < d; ++j)
                sum += rowI[j] * v[static_cast<std::size_t>(j)];
            next[static_cast<std::size_t>(i)] = sum;
        }
        double norm = 0.0;
        for (double x : next)
            norm += x * x;
        norm = std::sqrt(norm);
        if (norm <= 0.0)
            break;
        double change = 0.0;
        for (std::size_t i = 0; i < next.size(); ++i) {
            const double x = next[i] / norm;
            change += (x - v[i]) * (x - v[i]);
            v[i] = x;
        }
        eigenvalue = norm;
        if (change < 1e-18)
            break;
    }
    return v;
}

} // namespace

Result<Projection2D> pcaProjection(const EmbeddedCollection& collection)
{
    const auto n = static_cast<std::int64_t>(collection.size());
    const int d = collection.dim;
    if (n < 2 || d < 2)
        return makeError(ErrorCode::InvalidArgument, "A map needs at least two encoded images.",
                         collection.projectPath);
    const auto dd = static_cast<std::size_t>(d);

    std::vector<double> mean(dd, 0.0);
    for (std::int64_t i = 0; i < n; ++i) {
        const float* row = collection.row(static_cast<std::size_t>(i));
        for (std::size_t k = 0; k < dd; ++k)
            mean[k] += row[k];
    }
    for (auto& m : mean)
        m /= static_cast<double>(n);

    // Covariance [d, d] = XᵀX / N − μμᵀ.
    std::vector<float> gram(dd * dd);
    detail::multiply(true, false, d, d, n, collection.embeddings.data(), d, collection.embeddings.data(), d,
                     gram.data(), d);
    std::vector<double> covariance(dd * dd);
    double totalVariance = 0.0;
    for (std::size_t i = 0; i < dd; ++i) {
        for (std::size_t j = 0; j < dd; ++j)
            covariance[i * dd + j] = gram[i * dd + j] / static_cast<double>(n) - mean[i] * mean[j];
        totalVariance += covariance[i * dd + i];
    }

    std::vector<std::vector<double>> axes;
    double explained = 0.0;
    for (int component = 0; component < 2; ++component) {
        double eigenvalue = 0.0;
        auto axis = leadingEigenvector(covariance, d, eigenvalue);
        // Sign: largest loading positive, so the map does not mirror between runs.
        std::size_t largest = 0;
        for (std::size_t k = 1; k < dd; ++k)
            if (std::abs(axis[k]) > std::abs(axis[largest]))
                largest = k;
        if (axis[largest] < 0.0)
            for (auto& x : axis)
                x = -x;
        explained += eigenvalue;
        for (std::size_t i = 0; i < dd; ++i)
            for (std::size_t j = 0; j < dd; ++j)
                covariance[i * dd + j] -= eigenvalue * axis[i] * axis[j];
        axes.push_back(std::move(axis));
    }

    Projection2D projection;
    projection.explainedVariance = totalVariance > 0.0 ? explained / totalVariance : 0.0;
    projection.xy.resize(static_cast<std::size_t>(n) * 2);
    for (std::int64_t i = 0; i < n; ++i) {
        const float* row = collection.row(static_cast<std::size_t>(i));
        for (std::size_t a = 0; a < 2; ++a) {
            double sum = 0.0;
            for (std::size_t k = 0; k < dd; ++k)
                sum += (row[k] - mean[k]) * axes[a][k];
            projection.xy[static_cast<std::size_t>(i) * 2 + a] = static_cast<float>(sum);
        }
    }
    return projection;
}

} // namespace aape::explore

#include "aape/data/Protocol.h"

#include "aape/data/ContentHash.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace aape::data {

std::uint64_t SeededRandom::next()
{
    std::uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

std::uint64_t SeededRandom::below(std::uint64_t bound)
{
    // Rejection sampling removes the modulo bias.
    const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % bound);
    std::uint64_t value = next();
    while (value >= limit)
        value = next();
    return value % bound;
}

std::uint64_t classSeed(std::uint64_t seed, const std::string& className)
{
    return seed ^ contentHash64(className.data(), className.size());
}

std::vector<store::Split> assignSplits(const std::vector<std::string>& groups, const std::vector<std::string>& sortKeys,
                                       const SplitFractions& fractions, std::uint64_t seed)
{
    std::vector<store::Split> splits(groups.size(), store::Split::Train);
    std::map<std::string, std::vector<std::size_t>> members;
    for (std::size_t i = 0; i < groups.size(); ++i)
        members[groups[i]].push_back(i);
    const double total = fractions.train + fractions.val + fractions.test;
    for (auto& [group, indices] : members) {
        std::sort(indices.begin(), indices.end(),
                  [&](std::size_t a, std::size_t b) { return sortKeys[a] < sortKeys[b]; });
        SeededRandom random(classSeed(seed, group));
        seededShuffle(indices, random);
        const auto n = static_cast<double>(indices.size());
        const auto trainCount = static_cast<std::size_t>(std::lround(n * fractions.train / total));
        const auto valCount = std::min(indices.size() - std::min(trainCount, indices.size()),
                                       static_cast<std::size_t>(std::lround(n * fractions.val / total)));
        for (std::size_t rank = 0; rank < indices.size(); ++rank) {
            store::Split split = store::Split::Test;
            if (rank < trainCount)
                split = store::Split::Train;
            else if (rank < trainCount + valCount)
                split = store::Split::Val;
            splits[indices[rank]] = split;
        }
    }
    return splits;
}

Result<store::FewShotSet> drawFewShot(const store::Project& project, int shots, std::uint64_t seed,
                                      const std::vector<std::int64_t>& classIds)
{
    store::FewShotSet set;
    set.shots = std::max(shots, 0);
    set.seed = seed;
    for (const std::int64_t classId : classIds) {
        store::ImageFilter filter;
        filter.classId = classId;
        filter.split = store::Split::Train;
        filter.excluded = false;
        auto images = project.images(filter);
        if (!images.ok())
            return images.error();
        struct Ranked {
            std::uint64_t rank;
            const store::ImageRecord* image;
        };
        std::vector<Ranked> pool;
        for (const store::ImageRecord& image : images.value()) {
            SeededRandom random(seed ^ contentHash64(image.contentHash.data(), image.contentHash.size()));
            pool.push_back({random.next(), &image});
        }
        std::sort(pool.begin(), pool.end(), [](const Ranked& a, const Ranked& b) {
            return a.rank != b.rank ? a.rank < b.rank : a.image->path < b.image->path;
        });
        const std::size_t take = set.shots == 0 ? pool.size() : std::min(pool.size(), std::size_t(set.shots));
        for (std::size_t i = 0; i < take; ++i) {
            set.imageIds.push_back(pool[i].image->id);
            set.classIds.push_back(classId);
        }
    }
    return set;
}

const char* baseNewOrderName(BaseNewOrder order)
{
    switch (order) {
    case BaseNewOrder::ByName: return "name";
    case BaseNewOrder::ByLabel: return "label";
    case BaseNewOrder::ByNatural: return "natural";
    }
    return "label";
}

bool naturalLess(const std::string& a, const std::string& b)
{
    const auto isDigit = [](char c) { return c >= '0' && c <= '9'; };
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    std::size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (isDigit(a[i]) && isDigit(b[j])) {
            std::size_t ei = i, ej = j;
            while (ei < a.size() && isDigit(a[ei]))
                ++ei;
            while (ej < b.size() && isDigit(b[ej]))
                ++ej;
            // Compare the runs by value: without leading zeros, the longer one is larger.
            std::size_t si = i, sj = j;
            while (si + 1 < ei && a[si] == '0')
                ++si;
            while (sj + 1 < ej && b[sj] == '0')
                ++sj;
            if (ei - si != ej - sj)
                return ei - si < ej - sj;
            const int order = a.compare(si, ei - si, b, sj, ej - sj);
            if (order != 0)
                return order < 0;
            i = ei;
            j = ej;
            continue;
        }
        const char ca = lower(a[i]), cb = lower(b[j]);
        if (ca != cb)
            return static_cast<unsigned char>(ca) < static_cast<unsigned char>(cb);
        ++i;
        ++j;
    }
    if ((a.size() - i) != (b.size() - j))
        return a.size() - i < b.size() - j;
    return a < b; // equal but for case: a stable tie-break
}

Result<BaseNewOrder> defaultBaseNewOrder(const store::Project& project)
{
    auto split = project.setting("import.split");
    if (!split)
        return split.error();
    if (split.value() && split.value()->is_object() && split.value()->value("method", "") == "split file")
        return BaseNewOrder::ByLabel;
    return BaseNewOrder::ByNatural;
}

BaseNewSplit splitBaseNew(const std::vector<store::ClassRecord>& classes, BaseNewOrder order)
{
    std::vector<store::ClassRecord> sorted = classes;
    switch (order) {
    case BaseNewOrder::ByName:
        std::sort(sorted.begin(), sorted.end(),
                  [](const store::ClassRecord& a, const store::ClassRecord& b) { return a.name < b.name; });
        break;
    case BaseNewOrder::ByNatural:
        std::sort(sorted.begin(), sorted.end(),
                  [](const store::ClassRecord& a, const store::ClassRecord& b) { return naturalLess(a.name, b.name); });
        break;
    case BaseNewOrder::ByLabel:
        std::sort(sorted.begin(), sorted.end(), [](const store::ClassRecord& a, const store::ClassRecord& b) {
            return a.position != b.position ? a.position < b.position : a.id < b.id;
        });
        break;
    }
    BaseNewSplit split;
    split.order = order;
    const std::size_t baseCount = (sorted.size() + 1) / 2; // math.ceil(n / 2)
    for (std::size_t i = 0; i < sorted.size(); ++i)
        (i < baseCount ? split.base : split.novel).push_back(sorted[i].id);
    return split;
}

Result<BaseNewSplit> assignBaseNew(store::Project& project, std::optional<BaseNewOrder> order)
{
    if (!order) {
        auto chosen = defaultBaseNewOrder(project);
        if (!chosen)
            return chosen.error();
        order = chosen.value();
    }
    auto classes = project.classes();
    if (!classes)
        return classes.error();
    BaseNewSplit split = splitBaseNew(classes.value(), *order);
    std::vector<std::pair<std::int64_t, store::ClassKind>> kinds;
    for (std::int64_t id : split.base)
        kinds.emplace_back(id, store::ClassKind::Base);
    for (std::int64_t id : split.novel)
        kinds.emplace_back(id, store::ClassKind::New);
    if (Status status = project.setClassKinds(kinds); !status)
        return status.error();
    const nlohmann::json rule = {{"rule", "first ceil(C/2) classes base, rest new"},
                                 {"order", baseNewOrderName(*order)}};
    if (Status status = project.setSetting("protocol.base_to_new", rule); !status)
        return status.error();
    return split;
}

double harmonicMean(double baseAccuracy, double newAccuracy)
{
    const double sum = baseAccuracy + newAccuracy;
    return sum <= 0.0 ? 0.0 : 2.0 * baseAccuracy * newAccuracy / sum;
}

} // namespace aape::data

#pragma once
// Dataset protocols of the prompt-learning literature: seeded per-class train/val/test splits,
// few-shot sampling and the base-to-new class split. Pure functions, or one Project per thread.

#include "aape/store/Project.h"
#include "aape/util/Error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace aape::data {

// Default 50/20/30, as CoOp's read_and_split_data (p_trn 0.5, p_val 0.2) does for datasets
// without an official split: train = round(n * 0.5), val = round(n * 0.2), test = the rest.
struct SplitFractions {
    double train = 0.5;
    double val = 0.2;
    double test = 0.3;
};

// Small deterministic generator (SplitMix64) so that splits and samples are identical on
// every platform and standard library (std::shuffle's algorithm is not specified).
class SeededRandom final {
public:
    explicit SeededRandom(std::uint64_t seed)
        : m_state(seed)
    {}
    std::uint64_t next();
    std::uint64_t below(std::uint64_t bound); // in [0, bound)

private:
    std::uint64_t m_state;
};

// Seed for one class: the run's seed mixed with the class name, so adding a class leaves the
// other classes' draws unchanged.
std::uint64_t classSeed(std::uint64_t seed, const std::string& className);

template <typename T>
void seededShuffle(std::vector<T>& items, SeededRandom& random)
{
    for (std::size_t i = items.size(); i > 1; --i)
        std::swap(items[i - 1], items[static_cast<std::size_t>(random.below(i))]);
}

// Splits items per group (class name; "" for unlabelled). Within a group, items are ordered
// by sortKey (the path) and then shuffled with classSeed(seed, group), so the result depends
// on the set of items, not on the order they were found in.
std::vector<store::Split> assignSplits(const std::vector<std::string>& groups, const std::vector<std::string>& sortKeys,
                                       const SplitFractions& fractions, std::uint64_t seed);

// The few-shot set of a run, drawn from the data as it is now: per class of `classIds`, K of
// its labelled, non-excluded train images. Every image has a rank, a hash of (seed, its
// content hash), ties broken by path; a class takes its K lowest. So the draw depends only on
// (pool, shots, seed), unchanged data gives the same set, and a change moves the set only as
// far as it must: excluding a drawn image brings in the next-ranked one, a new image enters
// only if it ranks among the K lowest, relabelling moves an image between classes, and other
// classes keep their images. shots <= 0 means all train images. Reads the project only.
Result<store::FewShotSet> drawFewShot(const store::Project& project, int shots, std::uint64_t seed,
                                      const std::vector<std::int64_t>& classIds);

enum class BaseNewOrder {
    ByName,    // class names in byte order (capitals first); kept for older projects
    ByLabel,   // label indices (class position): CoOp's subsample_classes exactly
    ByNatural, // names case-insensitively, digit runs by value ("class 2" before "class 10")
};
const char* baseNewOrderName(BaseNewOrder order); // "name", "label", "natural"

struct BaseNewSplit {
    std::vector<std::int64_t> base;  // class ids, in the rule's order
    std::vector<std::int64_t> novel; // class ids, in the rule's order
    BaseNewOrder order = BaseNewOrder::ByLabel;
};

// Case-insensitive natural order of two names: digit runs compare by value.
bool naturalLess(const std::string& a, const std::string& b);

// The rule a project's classes follow: CoOp's label order when they came from a CoOp split
// (their positions are CoOp's labels), else natural name order (folder and CSV imports, whose
// positions only say in which order the classes were found).
Result<BaseNewOrder> defaultBaseNewOrder(const store::Project& project);

// First ceil(C / 2) classes in the chosen order are base, the rest new (CoOp's rule).
BaseNewSplit splitBaseNew(const std::vector<store::ClassRecord>& classes, BaseNewOrder order);
// Computes the split (by the project's default rule when no order is given), stores each
// class's kind and records the rule in the settings.
Result<BaseNewSplit> assignBaseNew(store::Project& project, std::optional<BaseNewOrder> order = std::nullopt);

// Harmonic mean of base and new accuracy, as reported in base-to-new tables; 0 if both are 0.
double harmonicMean(double baseAccuracy, double newAccuracy);

} // namespace aape::data

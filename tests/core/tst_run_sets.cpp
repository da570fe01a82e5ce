// Mean ± standard deviation over the seeds of a run set (workflow::summariseRunSets).

#include "aape/store/Records.h"
#include "aape/workflow/Workflow.h"

#include <nlohmann/json.hpp>

#include <QtTest/QtTest>

#include <cmath>

using namespace aape;

namespace {

store::RunRecord runOf(std::int64_t id, const std::string& group, nlohmann::json summary)
{
    store::RunRecord r;
    r.id = id;
    r.group = group;
    r.summary = std::move(summary);
    return r;
}

const workflow::RunSetSummary::Statistic* statistic(const workflow::RunSetSummary& set, const std::string& key)
{
    for (const auto& s : set.statistics)
        if (s.key == key)
            return &s;
    return nullptr;
}

} // namespace

class TestRunSets final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void meanAndSampleDeviationPerGroup()
    {
        const std::vector<store::RunRecord> runs = {
            runOf(5, "seeds", {{"accuracy", 0.7}, {"zero_shot_accuracy", 0.5}, {"harmonic_mean", 0.6}}),
            runOf(3, "seeds", {{"accuracy", 0.5}, {"zero_shot_accuracy", 0.5}, {"harmonic_mean", 0.4}}),
            runOf(4, "seeds", {{"accuracy", 0.6}, {"zero_shot_accuracy", 0.5}, {"harmonic_mean", 0.5}}),
            runOf(6, "seeds", {}),             // not evaluated (still training, or stopped): left out
            runOf(1, "", {{"accuracy", 0.9}}), // a single run, no set
            runOf(7, "other", {{"accuracy", 0.2}}),
        };
        const auto sets = workflow::summariseRunSets(runs);
        QCOMPARE(static_cast<int>(sets.size()), 2);
        const auto& seeds = sets[0];
        QCOMPARE(seeds.group, std::string("seeds"));
        QCOMPARE(seeds.runIds, (std::vector<std::int64_t>{3, 4, 5}));
        const auto* accuracy = statistic(seeds, "accuracy");
        QVERIFY(accuracy);
        QCOMPARE(accuracy->count, 3);
        QVERIFY(std::abs(accuracy->mean - 0.6) < 1e-12);
        QVERIFY(std::abs(accuracy->std - 0.1) < 1e-12); // sample deviation (n − 1), as papers report
        const auto* zeroShot = statistic(seeds, "zero_shot_accuracy");
        QVERIFY(zeroShot);
        QCOMPARE(zeroShot->std, 0.0);
        QVERIFY(statistic(seeds, "harmonic_mean"));
        QVERIFY(!statistic(seeds, "base_accuracy"));
        QCOMPARE(sets[1].group, std::string("other"));
        QCOMPARE(statistic(sets[1], "accuracy")->std, 0.0); // one run: no spread
    }
};

QTEST_APPLESS_MAIN(TestRunSets)
#include "tst_run_sets.moc"

// Export of the trained prompt generator to *.aape.safetensors and loading it back.

#include "TestSupport.h"

#include "aape/aape/Bundle.h"
#include "aape/aape/Evaluator.h"
#include "aape/aape/Trainer.h"
#include "aape/bench/Synthetic.h"
#include "aape/util/SafeTensors.h"

#include <QtTest/QtTest>

#include <cmath>

using namespace aape;

namespace {

struct Trained {
    TrainingData data;
    TrainState state;
};

const Trained& trained()
{
    static const Trained t = [] {
        SyntheticSpec spec;
        spec.classes = 6;
        spec.shots = 4;
        spec.dim = 32;
        spec.descriptions = 3;
        spec.views = 2;
        spec.validationPerClass = 3;
        Trained out{makeSyntheticTrainingData(spec), {}};
        TrainConfig config;
        config.epochs = 5;
        config.batchSize = 8;
        config.learningRate = 0.05;
        config.device = "cpu";
        auto result = train(out.data, config);
        if (result.ok())
            out.state = result->state;
        return out;
    }();
    return t;
}

BundleContents contentsFor(const TrainingData& data)
{
    BundleContents contents;
    contents.dim = data.dim;
    contents.classEmbeddings = data.templates;
    for (int c = 0; c < data.classCount; ++c)
        contents.classNames.push_back("class " + std::to_string(c));
    contents.logitScale = data.logitScale;
    contents.manifest = {{"template", "a photo of a {}."}, {"clip", {{"architecture", "synthetic"}}}};
    return contents;
}

std::vector<float> tensorValues(const TrainState& state, const std::string& name)
{
    return state.find(name)->values;
}

} // namespace

class TestBundle final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTripGivesSamePredictions();
    void extraClassesFollowBundleClasses();
    void rejectsBrokenFiles_data();
    void rejectsBrokenFiles();
};

void TestBundle::roundTripGivesSamePredictions()
{
    const auto& t = trained();
    QVERIFY(!t.state.tensors.empty());
    test::TempDir dir;
    const auto path = dir.file("model.aape.safetensors");
    auto contents = contentsFor(t.data);
    contents.includeAggregator = true;
    contents.descriptions = t.data.descriptions;
    const auto status = exportBundle(path, t.state, contents);
    QVERIFY2(status.ok(), status.ok() ? "" : status.error().toString().c_str());

    const auto bundle = Bundle::load(path);
    QVERIFY2(bundle.ok(), bundle.ok() ? "" : bundle.error().toString().c_str());
    QCOMPARE(bundle->dim, 32);
    QCOMPARE(bundle->hidden, 2);
    QCOMPARE(bundle->classCount(), 6);
    QCOMPARE(bundle->classNames.at(5), std::string("class 5"));
    QCOMPARE(bundle->manifest.at("template").get<std::string>(), std::string("a photo of a {}."));
    QCOMPARE(bundle->manifest.at("format_version").get<int>(), kBundleFormatVersion);
    QCOMPARE(bundle->logitScale, t.data.logitScale);
    QCOMPARE(bundle->gWeight, tensorValues(t.state, "g.weight"));

    const auto file = st::SafeTensorsFile::open(path);
    QVERIFY(file.ok());
    QCOMPARE(file->tensors().at("h.fc1.weight").shape, (std::vector<std::int64_t>{2, 32}));
    QCOMPARE(file->tensors().at("h.fc2.weight").shape, (std::vector<std::int64_t>{32, 2}));
    QCOMPARE(file->tensors().at("g.weight").shape, (std::vector<std::int64_t>{32, 64}));
    QVERIFY(file->tensors().at("logit_scale").shape.empty());
    QVERIFY(file->contains("aggregator.in_proj_weight"));
    QVERIFY(file->contains("descriptions.0"));

    // The bundle predicts what the evaluator (the training-time code path) predicts.
    const auto logits = predict(bundle.value(), t.data.validationEmbeddings);
    QVERIFY(logits.ok());
    EvalInput input;
    input.dim = t.data.dim;
    input.templates = t.data.templates;
    input.images = t.data.validationEmbeddings;
    input.labels = t.data.validationLabels;
    input.logitScale = t.data.logitScale;
    const auto report = evaluate(t.state, input);
    QVERIFY(report.ok());
    const int c = bundle->classCount();
    QCOMPARE(static_cast<int>(logits->size()), static_cast<int>(report->images.size()) * c);
    for (std::size_t i = 0; i < report->images.size(); ++i) {
        const auto* row = logits->data() + i * static_cast<std::size_t>(c);
        const int argmax = static_cast<int>(std::max_element(row, row + c) - row);
        QCOMPARE(argmax, report->images[i].predicted);
        double denominator = 0;
        for (int k = 0; k < c; ++k)
            denominator += std::exp(row[k] - row[argmax]);
        QVERIFY(std::abs(1.0 / denominator - report->images[i].topProbabilities[0]) < 1e-5);
    }
}

void TestBundle::extraClassesFollowBundleClasses()
{
    const auto& t = trained();
    test::TempDir dir;
    const auto d = static_cast<std::size_t>(t.data.dim);
    // A bundle of the first 4 classes plus the last 2 given at prediction time must equal a
    // bundle of all 6: unseen classes need only their template embeddings.
    auto partial = contentsFor(t.data);
    partial.classEmbeddings.resize(4 * d);
    partial.classNames.resize(4);
    QVERIFY(exportBundle(dir.file("partial.aape.safetensors"), t.state, partial).ok());
    QVERIFY(exportBundle(dir.file("full.aape.safetensors"), t.state, contentsFor(t.data)).ok());
    const auto partialBundle = Bundle::load(dir.file("partial.aape.safetensors"));
    const auto fullBundle = Bundle::load(dir.file("full.aape.safetensors"));
    QVERIFY(partialBundle.ok() && fullBundle.ok());
    const std::vector<float> extra(t.data.templates.begin() + 4 * d, t.data.templates.end());
    const auto a = predict(partialBundle.value(), t.data.validationEmbeddings, extra);
    const auto b = predict(fullBundle.value(), t.data.validationEmbeddings);
    QVERIFY(a.ok() && b.ok());
    QCOMPARE(a->size(), b->size());
    for (std::size_t i = 0; i < a->size(); ++i)
        QVERIFY(std::abs(a.value()[i] - b.value()[i]) < 1e-4f);
    QVERIFY(!predict(fullBundle.value(), std::vector<float>(d + 1, 0.1f)).ok());
}

void TestBundle::rejectsBrokenFiles_data()
{
    QTest::addColumn<QString>("mutation");
    QTest::addColumn<QString>("expectedInDetail");
    QTest::newRow("missing h.fc2.bias") << "drop:h.fc2.bias"
                                        << "h.fc2.bias";
    QTest::newRow("g.weight transposed") << "transpose:g.weight"
                                         << "g.weight";
    QTest::newRow("class embeddings of another dim") << "classdim"
                                                     << "class_embeddings";
    QTest::newRow("no manifest") << "nomanifest"
                                 << "manifest";
    QTest::newRow("manifest not JSON") << "badmanifest"
                                       << "JSON";
    QTest::newRow("newer format") << "newer"
                                  << "format_version";
    QTest::newRow("not a file") << "nofile"
                                << "";
}

void TestBundle::rejectsBrokenFiles()
{
    QFETCH(QString, mutation);
    QFETCH(QString, expectedInDetail);
    const auto& t = trained();
    const auto d = static_cast<std::int64_t>(t.data.dim);
    test::TempDir dir;
    const auto path = dir.file("broken.aape.safetensors");
    const auto m = mutation.toStdString();

    std::vector<st::TensorToWrite> tensors;
    for (const char* name : {"h.fc1.weight", "h.fc1.bias", "h.fc2.weight", "h.fc2.bias", "g.weight", "g.bias"}) {
        const auto* tensor = t.state.find(name);
        if (m == std::string("drop:") + name)
            continue;
        auto shape = tensor->shape;
        if (m == std::string("transpose:") + name)
            std::swap(shape[0], shape[1]);
        tensors.push_back(st::float32Tensor(name, shape, tensor->values.data()));
    }
    std::vector<float> classes(static_cast<std::size_t>(3 * (d + 1)), 0.1f);
    const std::vector<std::int64_t> classShape =
        m == "classdim" ? std::vector<std::int64_t>{3, d + 1} : std::vector<std::int64_t>{3, d};
    tensors.push_back(st::float32Tensor("class_embeddings", classShape, classes.data()));
    const float scale = 100.0f;
    tensors.push_back(st::float32Tensor("logit_scale", {}, &scale));
    std::map<std::string, std::string> metadata{{"aape", R"({"format_version": 1})"}};
    if (m == "nomanifest")
        metadata.clear();
    if (m == "badmanifest")
        metadata["aape"] = "{not json";
    if (m == "newer")
        metadata["aape"] = R"({"format_version": 99})";
    if (m != "nofile")
        QVERIFY(st::writeSafeTensors(path, tensors, metadata).ok());

    const auto bundle = Bundle::load(path);
    QVERIFY(!bundle.ok());
    QVERIFY(!bundle.error().message.empty());
    if (m != "nofile")
        QCOMPARE(bundle.error().file, path);
    const auto all = bundle.error().message + " " + bundle.error().detail;
    QVERIFY2(all.find(expectedInDetail.toStdString()) != std::string::npos, all.c_str());
}

QTEST_APPLESS_MAIN(TestBundle)
#include "tst_bundle.moc"

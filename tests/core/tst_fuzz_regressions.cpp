// Bad files never crash the core: every committed fuzz seed and every input a fuzzer once
// crashed on (tests/fuzz/regressions/<parser>/) is replayed through the fuzzers' own harnesses,
// checkpoints that claim huge shapes are refused before any large allocation, and an import
// of awkward paths and broken images adds what it can and names the rest.
#include "FuzzTargets.h"
#include "ImageFixtures.h"
#include "TestSupport.h"

#include "aape/aape/Bundle.h"
#include "aape/data/DatasetImport.h"
#include "aape/data/Descriptions.h"
#include "aape/store/Project.h"
#include "aape/util/SafeTensors.h"

#include <opencv2/imgcodecs.hpp>

#include <QtTest/QtTest>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <new>

#ifndef AAPE_FUZZ_DIR
#error "AAPE_FUZZ_DIR must name tests/fuzz of the source tree"
#endif

namespace {

// The largest single operator-new request since the last reset: how the tests see that a
// hostile header is refused before its claims are believed.
std::atomic<std::size_t> g_largestAllocation{0};

void resetLargestAllocation()
{
    g_largestAllocation = 0;
}

} // namespace

void* operator new(std::size_t size)
{
    std::size_t seen = g_largestAllocation.load(std::memory_order_relaxed);
    while (size > seen && !g_largestAllocation.compare_exchange_weak(seen, size, std::memory_order_relaxed)) {
    }
    if (void* p = std::malloc(size == 0 ? 1 : size))
        return p;
    throw std::bad_alloc();
}

void operator delete(void* p) noexcept
{
    std::free(p);
}

void operator delete(void* p, std::size_t) noexcept
{
    std::free(p);
}

using namespace aape;
namespace fs = std::filesystem;

namespace {

using Harness = std::function<int(const std::uint8_t*, std::size_t)>;

const std::map<std::string, Harness>& harnesses()
{
    static const std::map<std::string, Harness> all = {
        {"safetensors", fuzz::safeTensors}, {"hf_tokenizer", fuzz::hfTokenizerFiles},
        {"bpe_vocab", fuzz::bpeVocabulary}, {"tokenize", fuzz::tokenize},
        {"cupl", fuzz::cuplJson},           {"coop_split", fuzz::coopSplit},
        {"label_csv", fuzz::labelCsv},      {"image_decode", fuzz::imageDecode},
        {"hf_config", fuzz::hfConfig},      {"bundle", fuzz::bundle},
    };
    return all;
}

// 8-byte little-endian length, then the header, then `dataBytes` zero bytes.
std::vector<unsigned char> safetensorsBytes(const std::string& header, std::size_t dataBytes)
{
    std::vector<unsigned char> bytes(8);
    for (int i = 0; i < 8; ++i)
        bytes[i] = static_cast<unsigned char>((std::uint64_t(header.size()) >> (8 * i)) & 0xff);
    bytes.insert(bytes.end(), header.begin(), header.end());
    bytes.resize(bytes.size() + dataBytes, 0);
    return bytes;
}

// A two-frame animated GIF (1x1 pixels), as browsers show them.
test::ImageBytes animatedGif()
{
    return {0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0xff, 0x00, 0x00, 0x00,
            0x00, 0xff, 0x21, 0xff, 0x0b, 0x4e, 0x45, 0x54, 0x53, 0x43, 0x41, 0x50, 0x45, 0x32, 0x2e, 0x30, 0x03,
            0x01, 0x00, 0x00, 0x00, 0x21, 0xf9, 0x04, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
            0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x21, 0xf9, 0x04, 0x00, 0x0a, 0x00, 0x00,
            0x00, 0x2c, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x4c, 0x01, 0x00, 0x3b};
}

void writePng(const std::string& path, const cv::Mat& image)
{
    fs::create_directories(fs::path(path).parent_path());
    if (!cv::imwrite(path, image))
        qFatal("could not write %s", path.c_str());
}

} // namespace

class TestFuzzRegressions final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void replaysSeedsAndCrashes_data();
    void replaysSeedsAndCrashes();
    void hugeClaimsAreRefusedBeforeAllocating_data();
    void hugeClaimsAreRefusedBeforeAllocating();
    void hugeBundleClaimsAreRefusedBeforeAllocating();
    void awkwardPathsAndImagesImport();
    void classNamesInAnyScriptMatchDescriptions();
};

void TestFuzzRegressions::replaysSeedsAndCrashes_data()
{
    QTest::addColumn<QString>("parser");
    QTest::addColumn<QString>("file");
    int rows = 0;
    for (const char* kind : {"corpus", "regressions"}) {
        const fs::path base = fs::path(AAPE_FUZZ_DIR) / kind;
        for (const auto& [parser, harness] : harnesses()) {
            std::error_code ec;
            if (!fs::is_directory(base / parser, ec))
                continue;
            std::vector<fs::path> files;
            for (const auto& entry : fs::directory_iterator(base / parser))
                files.push_back(entry.path());
            std::sort(files.begin(), files.end());
            for (const fs::path& file : files) {
                const std::string row = std::string(kind) + "/" + parser + "/" + file.filename().string();
                QTest::newRow(row.c_str()) << QString::fromStdString(parser) << QString::fromStdString(file.string());
                ++rows;
            }
        }
    }
    if (rows < 20)
        qFatal("expected the committed fuzz corpora under %s", AAPE_FUZZ_DIR);
}

void TestFuzzRegressions::replaysSeedsAndCrashes()
{
    QFETCH(QString, parser);
    QFETCH(QString, file);
    const auto bytes = test::readBinaryFile(file.toStdString());
    resetLargestAllocation();
    // A crash, sanitizer report or abort() in the harness fails the whole test executable.
    QCOMPARE(harnesses().at(parser.toStdString())(bytes.data(), bytes.size()), 0);
    if (parser != "image_decode" && parser != "hf_config" && parser != "bundle")
        QVERIFY2(g_largestAllocation < (64u << 20), "a small input made the parser allocate over 64 MiB");
}

void TestFuzzRegressions::hugeClaimsAreRefusedBeforeAllocating_data()
{
    QTest::addColumn<std::string>("header");
    QTest::addColumn<int>("dataBytes");
    QTest::newRow("shape of 2^40 floats")
        << std::string(R"({"w":{"dtype":"F32","shape":[1099511627776],"data_offsets":[0,4398046511104]}})") << 64;
    QTest::newRow("offsets past the file")
        << std::string(R"({"w":{"dtype":"U8","shape":[4294967296],"data_offsets":[0,4294967296]}})") << 64;
    QTest::newRow("shape product overflows")
        << std::string(R"({"w":{"dtype":"F64","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,8]}})") << 8;
    QTest::newRow("offset near 2^64") << std::string(
        R"({"w":{"dtype":"U8","shape":[2],"data_offsets":[18446744073709551614,18446744073709551615]}})")
                                      << 8;
    QTest::newRow("offsets overlap") << std::string(
        R"({"a":{"dtype":"U8","shape":[8],"data_offsets":[0,8]},"b":{"dtype":"U8","shape":[8],"data_offsets":[4,12]}})")
                                     << 16;
    QTest::newRow("negative dimension") << std::string(R"({"w":{"dtype":"U8","shape":[-1],"data_offsets":[0,1]}})")
                                        << 8;
}

void TestFuzzRegressions::hugeClaimsAreRefusedBeforeAllocating()
{
    QFETCH(std::string, header);
    QFETCH(int, dataBytes);
    test::TempDir dir;
    const std::string path = dir.file("huge claims.safetensors");
    test::writeBinaryFile(path, safetensorsBytes(header, static_cast<std::size_t>(dataBytes)));
    resetLargestAllocation();
    auto file = st::SafeTensorsFile::open(path);
    QVERIFY(!file.ok());
    QCOMPARE(file.error().code, ErrorCode::BadFormat);
    QCOMPARE(file.error().file, path);
    QVERIFY2(g_largestAllocation < (1u << 20), "the reader believed the header before checking it");

    // A header length of 2^63 in an 8-byte file.
    test::writeBinaryFile(path, {0, 0, 0, 0, 0, 0, 0, 0x80, '{', '}'});
    resetLargestAllocation();
    QVERIFY(!st::SafeTensorsFile::open(path).ok());
    QVERIFY(g_largestAllocation < (1u << 20));
}

void TestFuzzRegressions::hugeBundleClaimsAreRefusedBeforeAllocating()
{
    test::TempDir dir;
    const std::string path = dir.file("huge.aape.safetensors");
    // g.bias claims d = 2^34, so g.weight would be 2^69 floats.
    test::writeBinaryFile(
        path, safetensorsBytes(R"({"g.bias":{"dtype":"F32","shape":[17179869184],"data_offsets":[0,68719476736]},)"
                               R"("__metadata__":{"aape":"{\"format_version\":1}"}})",
                               64));
    resetLargestAllocation();
    auto bundle = Bundle::load(path);
    QVERIFY(!bundle.ok());
    QCOMPARE(bundle.error().file, path);
    QVERIFY(g_largestAllocation < (1u << 20));
}

void TestFuzzRegressions::awkwardPathsAndImagesImport()
{
    test::TempDir dir;
    const fs::path root = fs::path(dir.path()) / "data set with spaces ü";
    const cv::Mat pixel(1, 1, CV_8UC3, cv::Scalar(10, 20, 30));
    const cv::Mat small(8, 6, CV_8UC3, cv::Scalar(200, 100, 50));
    std::map<std::string, std::string> expectSkipped; // file name -> what the reason must mention

    writePng((root / "海湾" / "one pixel ü.png").string(), pixel);
    const std::string longName = std::string(240, 'n') + ".png"; // NAME_MAX is 255 bytes
    writePng((root / "Ελιά" / longName).string(), small);
    fs::path deep = root / "مدينة";
    for (int i = 0; i < 4; ++i)
        deep /= std::string(200, static_cast<char>('a' + i));
    writePng((deep / "deep.png").string(), small); // a path over 800 bytes long
    cv::Mat deep16(5, 5, CV_16UC3, cv::Scalar(1000, 30000, 65535));
    writePng((root / "кот" / "sixteen bit.png").string(), deep16);
    test::writeBinaryFile((root / "кот" / "cmyk.jpg").string(), test::cmykJpeg());
    // A real 20,000 x 20,000 image: grey, so that the PNG stays small.
    writePng((root / "big" / "twenty thousand.png").string(), cv::Mat(20000, 20000, CV_8UC1, cv::Scalar(7)));

    auto truncated = test::encodeImage(small, ".jpg");
    truncated.resize(truncated.size() / 2);
    test::writeBinaryFile((root / "broken" / "truncated.jpg").string(), truncated);
    expectSkipped["truncated.jpg"] = "truncated";
    test::writeBinaryFile((root / "broken" / "animated.gif").string(), animatedGif());
    expectSkipped["animated.gif"] = ".gif";
    test::writeTextFile((root / "broken" / "text.jpg").string(), "this is not an image\n");
    expectSkipped["text.jpg"] = "not an image";
    test::writeTextFile((root / "broken" / "empty.png").string(), "");
    expectSkipped["empty.png"] = "empty";

    auto project = store::Project::create(dir.file("awkward ü.aapeproj"));
    QVERIFY(project.ok());
    auto report = data::importFolderPerClass(project.value(), root.string());
    QVERIFY2(report.ok(), report.ok() ? "" : report.error().toString().c_str());
    QCOMPARE(report->added, 6);
    QCOMPARE(static_cast<int>(report->skipped.size()), static_cast<int>(expectSkipped.size()));
    for (const auto& skipped : report->skipped) {
        const std::string name = fs::path(skipped.path).filename().string();
        QVERIFY2(expectSkipped.count(name) == 1, name.c_str());
        QVERIFY2(!skipped.reason.empty(), name.c_str());
        QVERIFY2(skipped.reason.find(expectSkipped[name]) != std::string::npos, (name + ": " + skipped.reason).c_str());
    }
    auto images = project->images();
    QVERIFY(images.ok());
    std::map<std::string, std::pair<int, int>> sizes;
    for (const auto& image : images.value())
        sizes[fs::path(image.path).filename().string()] = {image.width, image.height};
    QCOMPARE(sizes.at("one pixel ü.png"), std::make_pair(1, 1));
    QCOMPARE(sizes.at(longName), std::make_pair(6, 8));
    QCOMPARE(sizes.at("deep.png"), std::make_pair(6, 8));
    QCOMPARE(sizes.at("twenty thousand.png"), std::make_pair(20000, 20000));
    QCOMPARE(sizes.at("cmyk.jpg").first, 16);
    QCOMPARE(sizes.at("sixteen bit.png"), std::make_pair(5, 5));
}

void TestFuzzRegressions::classNamesInAnyScriptMatchDescriptions()
{
    test::TempDir dir;
    auto project = store::Project::create(dir.file("p.aapeproj"));
    QVERIFY(project.ok());
    const std::vector<std::string> names = {"海湾", "Ελιά", "مدينة", "кот", "Straße", "ナ ミ", "देवनागरी"};
    for (const auto& name : names)
        QVERIFY(project->ensureClass(name).ok());
    test::writeTextFile(dir.file("cupl.json"),
                        R"({"海湾": ["a bay."], "ΕΛΙΆ": ["an olive tree."], "مدينة": ["a city."], "КОТ": ["a cat."],)"
                        R"( "strasse": ["a street."], "ナミ": ["waves."], "देवनागरी": ["a script."]})");
    auto report = data::importCuplJson(project.value(), dir.file("cupl.json"));
    QVERIFY2(report.ok(), report.ok() ? "" : report.error().toString().c_str());
    QCOMPARE(report->added, 7);
    QVERIFY(report->unmatched.empty());
    QVERIFY(report->classesWithoutDescriptions.empty());
}

QTEST_GUILESS_MAIN(TestFuzzRegressions)
#include "tst_fuzz_regressions.moc"

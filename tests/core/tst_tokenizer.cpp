#include "aape/clip/Tokenizer.h"
#include "cli/Cli.h"

#include "BpeFixture.h"
#include "TestSupport.h"

#include <QtTest/QtTest>

#include <nlohmann/json.hpp>

#include <iostream>
#include <random>
#include <sstream>
#include <thread>

using aape::ErrorCode;
using aape::clip::Tokenizer;
using aape::test::bpeFixtureByteId;
using aape::test::bpeFixtureMergeId;
using Ids = std::vector<std::int32_t>;

Q_DECLARE_METATYPE(Ids)
Q_DECLARE_METATYPE(std::string)
Q_DECLARE_METATYPE(aape::ErrorCode)

namespace QTest {
// Shows both id lists when a comparison fails.
template <>
inline char* toString(const Ids& ids)
{
    std::string text = "[";
    for (std::size_t i = 0; i < ids.size(); ++i)
        text += (i ? ", " : "") + std::to_string(ids[i]);
    return qstrdup((text + "]").c_str());
}
} // namespace QTest

namespace {

std::int32_t byteId(unsigned char byte)
{
    return bpeFixtureByteId(byte, false);
}

std::int32_t endId(unsigned char byte)
{
    return bpeFixtureByteId(byte, true);
}

const std::int32_t kThe = bpeFixtureMergeId(1);
const std::int32_t kCat = bpeFixtureMergeId(3);
const std::int32_t kEcole = bpeFixtureMergeId(14);

// Runs `aape args...` with `input` as stdin; returns exit code, stdout and stderr.
struct CliRun {
    int exitCode = 0;
    std::string out;
    std::string err;
};

CliRun runCli(std::vector<std::string> args, const std::string& input)
{
    args.insert(args.begin(), "aape");
    std::vector<const char*> argv;
    for (const std::string& arg : args)
        argv.push_back(arg.c_str());
    std::istringstream in(input);
    std::streambuf* saved = std::cin.rdbuf(in.rdbuf());
    std::ostringstream out;
    std::ostringstream err;
    const int code = aape::cli::run(static_cast<int>(argv.size()), argv.data(), out, err);
    std::cin.rdbuf(saved);
    std::cin.clear();
    return {code, out.str(), err.str()};
}

std::vector<std::string> lines(const std::string& text)
{
    std::vector<std::string> result;
    std::istringstream stream(text);
    std::string line;
    while (std::getline(stream, line))
        result.push_back(line);
    return result;
}

} // namespace

class TestTokenizer final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void fixtureMatchesClipByteIds();
    void bothFormsGiveSameIds_data();
    void bothFormsGiveSameIds();
    void knownIds_data();
    void knownIds();
    void specialTokensComeFromTheVocabulary();
    void emptyTextIsStartAndEnd();
    void truncation();
    void cleaning_data();
    void cleaning();
    void invalidUtf8IsReplacedNotFatal();
    void decodeInvertsEncode();
    void concurrentCallsAgree();
    void loadErrorsNameTheFile_data();
    void loadErrorsNameTheFile();
    void forModelFindsTheVocabulary();
    void forModelWithoutVocabularyAsksForVocabOption();
    void cliWritesOneJsonObjectPerLine();
    void cliReportsMissingVocabulary();

private:
    std::unique_ptr<aape::test::TempDir> m_dir;
    aape::test::BpeFixtureFiles m_files;
    std::unique_ptr<Tokenizer> m_tokenizer; // from vocab.json + merges.txt
};

void TestTokenizer::initTestCase()
{
    m_dir = std::make_unique<aape::test::TempDir>();
    m_files = aape::test::writeBpeFixture(m_dir->path());
    auto tokenizer = Tokenizer::fromHuggingFace(m_files.vocabJson, m_files.merges);
    QVERIFY2(tokenizer.ok(), tokenizer.ok() ? "" : tokenizer.error().toString().c_str());
    m_tokenizer = std::make_unique<Tokenizer>(std::move(tokenizer).value());
}

void TestTokenizer::fixtureMatchesClipByteIds()
{
    // Anchors the fixture to CLIP's real vocabulary: "a</w>" is 320 and ".</w>" is 269 there.
    QCOMPARE(bpeFixtureByteId('a', true), 320);
    QCOMPARE(bpeFixtureByteId('.', true), 269);
    // Letters and punctuation are separate words, so "a." is "a</w>" ".</w>" as in CLIP.
    QCOMPARE(m_tokenizer->encode("a."), (Ids{320, 269}));
    QCOMPARE(m_tokenizer->encode("a.."), (Ids{320, byteId('.'), 269}));
}

void TestTokenizer::bothFormsGiveSameIds_data()
{
    QTest::addColumn<std::string>("text");
    QTest::newRow("words") << std::string("The cat's dog, then THE école!");
    QTest::newRow("mixed") << std::string("abc aaaa 2023 猫 😀 &amp; <|endoftext|> they're");
    QTest::newRow("empty") << std::string();
}

void TestTokenizer::bothFormsGiveSameIds()
{
    QFETCH(std::string, text);
    auto gz = Tokenizer::fromBpeFile(m_files.bpeGz);
    auto txt = Tokenizer::fromBpeFile(m_files.bpeTxt);
    QVERIFY2(gz.ok(), gz.ok() ? "" : gz.error().toString().c_str());
    QVERIFY2(txt.ok(), txt.ok() ? "" : txt.error().toString().c_str());
    const Ids expected = m_tokenizer->tokenize(text, false);
    QCOMPARE(gz->tokenize(text, false), expected);
    QCOMPARE(txt->tokenize(text, false), expected);
    QCOMPARE(gz->vocabSize(), m_tokenizer->vocabSize());
}

void TestTokenizer::knownIds_data()
{
    QTest::addColumn<std::string>("text");
    QTest::addColumn<Ids>("ids");

    QTest::newRow("merged words") << std::string("the cat") << Ids{kThe, kCat};
    QTest::newRow("upper case") << std::string("THE CAT") << Ids{kThe, kCat};
    QTest::newRow("partial merge") << std::string("then") << Ids{bpeFixtureMergeId(0), byteId('e'), endId('n')};
    QTest::newRow("rank order, not left to right") << std::string("abc") << Ids{byteId('a'), bpeFixtureMergeId(15)};
    // "a a" merges left to right; the final "a</w>" is another symbol and stays.
    QTest::newRow("non-overlapping pairs")
        << std::string("aaaa") << Ids{bpeFixtureMergeId(17), byteId('a'), endId('a')};
    QTest::newRow("non-ASCII lower case") << std::string("ÉCOLE") << Ids{kEcole};
    QTest::newRow("NFC") << std::string("\xC3\xA9"
                                        "cole")
                         << Ids{kEcole};
    QTest::newRow("NFD") << std::string("e\xCC\x81"
                                        "cole")
                         << Ids{kEcole};
    QTest::newRow("NFD upper") << std::string("E\xCC\x81"
                                              "COLE")
                               << Ids{kEcole};
    QTest::newRow("tabs and newlines") << std::string("\t the\n\n cat \r\n") << Ids{kThe, kCat};
    QTest::newRow("NBSP is whitespace") << std::string("the\xC2\xA0"
                                                       "cat")
                                        << Ids{kThe, kCat};
    QTest::newRow("ideographic space") << std::string("the\xE3\x80\x80"
                                                      "cat")
                                       << Ids{kThe, kCat};
    // U+180E is not White_Space in Unicode; the reference keeps it as a symbol.
    QTest::newRow("U+180E is a symbol") << std::string("the\xE1\xA0\x8E"
                                                       "cat")
                                        << Ids{kThe, byteId(0xE1), byteId(0xA0), endId(0x8E), kCat};
    QTest::newRow("&amp;") << std::string("&amp;") << Ids{endId('&')};
    QTest::newRow("&amp;amp; unescaped twice") << std::string("&amp;amp;") << Ids{endId('&')};
    QTest::newRow("&#x41;") << std::string("&#x41;") << Ids{endId('a')};
    QTest::newRow("&#65 without ;") << std::string("&#65") << Ids{endId('a')};
    QTest::newRow("&eacute;") << std::string("&eacute;cole") << Ids{kEcole};
    QTest::newRow("&Eacute without ;") << std::string("&EacuteCOLE") << Ids{kEcole};
    QTest::newRow("&nbsp;") << std::string("the&nbsp;cat") << Ids{kThe, kCat};
    QTest::newRow("&#128; is Windows-1252 euro")
        << std::string("&#128;") << Ids{byteId(0xE2), byteId(0x82), endId(0xAC)};
    // "&zz;" is no entity; it splits into "&", "zz" and ";".
    QTest::newRow("unknown entity kept") << std::string("&zz;") << Ids{endId('&'), byteId('z'), endId('z'), endId(';')};
    QTest::newRow("'s") << std::string("cat's") << Ids{kCat, bpeFixtureMergeId(6)};
    QTest::newRow("'S upper") << std::string("CAT'S") << Ids{kCat, bpeFixtureMergeId(6)};
    QTest::newRow("'t") << std::string("don't") << Ids{bpeFixtureMergeId(4), endId('n'), bpeFixtureMergeId(7)};
    QTest::newRow("'re") << std::string("they're")
                         << Ids{bpeFixtureMergeId(0), byteId('e'), endId('y'), bpeFixtureMergeId(9)};
    QTest::newRow("'ll 'd 've 'm") << std::string("'ll'd've'm")
                                   << Ids{byteId('\''), byteId('l'), endId('l'), byteId('\''), endId('d'),
                                          byteId('\''), byteId('v'), endId('e'), byteId('\''), endId('m')};
    QTest::newRow("digits one per token") << std::string("2023") << Ids{endId('2'), endId('0'), endId('2'), endId('3')};
    QTest::newRow("punctuation run") << std::string("cat!?.") << Ids{kCat, byteId('!'), byteId('?'), endId('.')};
    QTest::newRow("CJK bytes") << std::string("猫") << Ids{byteId(0xE7), byteId(0x8C), endId(0xAB)};
    QTest::newRow("emoji bytes") << std::string("😀") << Ids{byteId(0xF0), byteId(0x9F), byteId(0x98), endId(0x80)};
    QTest::newRow("literal end of text") << std::string("the<|endoftext|>cat")
                                         << Ids{kThe, aape::test::bpeFixtureEndOfText(), kCat};
    QTest::newRow("literal end of text, upper")
        << std::string("<|ENDOFTEXT|>") << Ids{aape::test::bpeFixtureEndOfText()};
}

void TestTokenizer::knownIds()
{
    QFETCH(std::string, text);
    QFETCH(Ids, ids);
    QCOMPARE(m_tokenizer->encode(text), ids);
}

void TestTokenizer::specialTokensComeFromTheVocabulary()
{
    // The fixture's special tokens are not at CLIP's 49406/49407.
    QCOMPARE(m_tokenizer->startOfText(), aape::test::bpeFixtureStartOfText());
    QCOMPARE(m_tokenizer->endOfText(), aape::test::bpeFixtureEndOfText());
    QCOMPARE(m_tokenizer->vocabSize(), aape::test::bpeFixtureEndOfText() + 1);
    QCOMPARE(m_tokenizer->tokenize("the cat"),
             (Ids{aape::test::bpeFixtureStartOfText(), kThe, kCat, aape::test::bpeFixtureEndOfText()}));
    QCOMPARE(m_tokenizer->tokenize("<|startoftext|>"),
             (Ids{aape::test::bpeFixtureStartOfText(), aape::test::bpeFixtureStartOfText(),
                  aape::test::bpeFixtureEndOfText()}));
}

void TestTokenizer::emptyTextIsStartAndEnd()
{
    const Ids expected{aape::test::bpeFixtureStartOfText(), aape::test::bpeFixtureEndOfText()};
    QCOMPARE(m_tokenizer->tokenize(""), expected);
    QCOMPARE(m_tokenizer->tokenize(" \t\n "), expected);
    QCOMPARE(m_tokenizer->tokenize("&#11;"), expected);
}

void TestTokenizer::truncation()
{
    std::string text;
    for (int i = 0; i < 100; ++i)
        text += "a ";
    const Ids truncated = m_tokenizer->tokenize(text);
    QCOMPARE(static_cast<int>(truncated.size()), Tokenizer::kContextLength);
    QCOMPARE(truncated.front(), aape::test::bpeFixtureStartOfText());
    QCOMPARE(truncated.back(), aape::test::bpeFixtureEndOfText());
    QCOMPARE(truncated[75], endId('a'));

    const Ids full = m_tokenizer->tokenize(text, false);
    QCOMPARE(full.size(), std::size_t(102));
    QCOMPARE(full.back(), aape::test::bpeFixtureEndOfText());
    QCOMPARE(Ids(full.begin(), full.begin() + 76), Ids(truncated.begin(), truncated.begin() + 76));

    const Ids ten = m_tokenizer->tokenize(text, true, 10);
    QCOMPARE(ten.size(), std::size_t(10));
    QCOMPARE(ten.back(), aape::test::bpeFixtureEndOfText());

    // Exactly at the limit nothing is overwritten.
    const Ids exact = m_tokenizer->tokenize("a a a", true, 5);
    QCOMPARE(exact, (Ids{aape::test::bpeFixtureStartOfText(), 320, 320, 320, aape::test::bpeFixtureEndOfText()}));
}

void TestTokenizer::cleaning_data()
{
    QTest::addColumn<std::string>("input");
    QTest::addColumn<std::string>("cleaned");
    QTest::newRow("trim and collapse") << std::string("  The\t\n CAT\xC2\xA0\xE2\x80\x83 ") << std::string("the cat");
    QTest::newRow("NEL collapses") << std::string("a\xC2\x85"
                                                  "b")
                                   << std::string("a b");
    QTest::newRow("U+001C kept inside") << std::string("a\x1C"
                                                       "b")
                                        << std::string("a\x1C"
                                                       "b");
    QTest::newRow("U+001C stripped at ends") << std::string("\x1C a \x1F") << std::string("a");
    QTest::newRow("twice unescaped") << std::string("&amp;lt;") << std::string("<");
    QTest::newRow("three times is too many") << std::string("&amp;amp;amp;") << std::string("&amp;");
    QTest::newRow("hex upper X") << std::string("&#X4a;") << std::string("j");
    QTest::newRow("NUL reference") << std::string("&#0;") << std::string("\xEF\xBF\xBD");
    QTest::newRow("beyond Unicode") << std::string("&#x110000;") << std::string("\xEF\xBF\xBD");
    QTest::newRow("huge number") << std::string("&#99999999999999999999;") << std::string("\xEF\xBF\xBD");
    QTest::newRow("surrogate") << std::string("&#xD800;") << std::string("\xEF\xBF\xBD");
    QTest::newRow("invalid code point vanishes") << std::string("a&#11;b") << std::string("ab");
    QTest::newRow("Windows-1252 dash") << std::string("&#150;") << std::string("\xE2\x80\x93");
    QTest::newRow("longest prefix") << std::string("&notit;")
                                    << std::string("\xC2\xAC"
                                                   "it;");
    QTest::newRow("entity needing ;") << std::string("&notin")
                                      << std::string("\xC2\xAC"
                                                     "in");
    QTest::newRow("no such entity") << std::string("&xyz; &# &#x; &") << std::string("&xyz; &# &#x; &");
    QTest::newRow("final sigma") << std::string("ΣΑΣ") << std::string("σας");
    QTest::newRow("dotted I") << std::string("İ") << std::string("i\xCC\x87");
    QTest::newRow("NFC") << std::string("E\xCC\x81") << std::string("\xC3\xA9");
}

void TestTokenizer::cleaning()
{
    QFETCH(std::string, input);
    QFETCH(std::string, cleaned);
    QCOMPARE(aape::clip::cleanTextForClip(input), cleaned);
}

void TestTokenizer::invalidUtf8IsReplacedNotFatal()
{
    // Each invalid sequence reads as U+FFFD, as Python's decode(errors="replace") does.
    QCOMPARE(m_tokenizer->tokenize("\xFF\xFE the \xC3"),
             m_tokenizer->tokenize("\xEF\xBF\xBD\xEF\xBF\xBD the \xEF\xBF\xBD"));
    std::mt19937 rng(42);
    for (int i = 0; i < 2000; ++i) {
        std::string bytes(rng() % 40, '\0');
        for (char& c : bytes)
            c = static_cast<char>(rng() % 256);
        const Ids ids = m_tokenizer->tokenize(bytes, false);
        QVERIFY(ids.size() >= 2);
        QCOMPARE(ids.front(), aape::test::bpeFixtureStartOfText());
        QCOMPARE(ids.back(), aape::test::bpeFixtureEndOfText());
        (void)m_tokenizer->decode(ids);
    }
}

void TestTokenizer::decodeInvertsEncode()
{
    QCOMPARE(m_tokenizer->decode(m_tokenizer->tokenize("The cat")),
             std::string("<|startoftext|>the cat <|endoftext|>"));
    QCOMPARE(m_tokenizer->decode(m_tokenizer->encode("école 猫 abc")), std::string("école 猫 abc "));
    // A cut multi-byte character decodes to U+FFFD; unknown ids are skipped.
    const Ids cut{byteId(0xE7), byteId(0x8C), -5, 999999};
    QCOMPARE(m_tokenizer->decode(cut), std::string("\xEF\xBF\xBD"));
}

void TestTokenizer::concurrentCallsAgree()
{
    std::vector<std::string> texts;
    for (int i = 0; i < 300; ++i)
        texts.push_back("the cat " + std::to_string(i) + " abc école aaaa" + std::string(i % 7, 'a'));
    std::vector<Ids> expected;
    {
        auto fresh = Tokenizer::fromHuggingFace(m_files.vocabJson, m_files.merges);
        QVERIFY(fresh.ok());
        for (const std::string& text : texts)
            expected.push_back(fresh->tokenize(text));
    }
    auto shared = Tokenizer::fromBpeFile(m_files.bpeGz);
    QVERIFY(shared.ok());
    std::vector<std::vector<Ids>> results(4);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < results.size(); ++t) {
        threads.emplace_back([&, t] {
            for (int round = 0; round < 5; ++round) {
                results[t].clear();
                for (const std::string& text : texts)
                    results[t].push_back(shared->tokenize(text));
            }
        });
    }
    for (std::thread& thread : threads)
        thread.join();
    for (const auto& result : results)
        QCOMPARE(result, expected);
}

void TestTokenizer::loadErrorsNameTheFile_data()
{
    QTest::addColumn<std::string>("kind"); // "hf" or "bpe"
    QTest::addColumn<std::string>("vocabContent");
    QTest::addColumn<std::string>("mergesContent");
    QTest::addColumn<std::string>("blamed"); // "vocab" or "merges"
    QTest::addColumn<aape::ErrorCode>("code");

    const std::string goodMerges = "#version: 0.2\nt h\n";
    QTest::newRow("missing vocab.json") << std::string("hf") << std::string() << goodMerges << std::string("vocab")
                                        << ErrorCode::FileNotFound;
    QTest::newRow("vocab.json not JSON") << std::string("hf") << std::string("{\"a\": 1,") << goodMerges
                                         << std::string("vocab") << ErrorCode::BadFormat;
    QTest::newRow("vocab.json not an object")
        << std::string("hf") << std::string("[1, 2]") << goodMerges << std::string("vocab") << ErrorCode::BadFormat;
    QTest::newRow("vocab.json without byte symbols")
        << std::string("hf") << std::string("{\"a\": 0}") << goodMerges << std::string("vocab") << ErrorCode::BadFormat;
    QTest::newRow("missing merges.txt") << std::string("hf") << std::string("fixture") << std::string()
                                        << std::string("merges") << ErrorCode::FileNotFound;
    QTest::newRow("merge of unknown tokens")
        << std::string("hf") << std::string("fixture") << std::string("#version: 0.2\nzz qq\n") << std::string("merges")
        << ErrorCode::BadFormat;
    QTest::newRow("merge line with three tokens")
        << std::string("hf") << std::string("fixture") << std::string("#version: 0.2\nt h e\n") << std::string("merges")
        << ErrorCode::BadFormat;
    QTest::newRow("missing bpe file") << std::string("bpe") << std::string() << std::string() << std::string("vocab")
                                      << ErrorCode::FileNotFound;
    QTest::newRow("truncated gzip") << std::string("bpe") << std::string("truncated-gz") << std::string()
                                    << std::string("vocab") << ErrorCode::BadFormat;
    QTest::newRow(".gz that is not gzip") << std::string("bpe") << std::string("#version\nt h\n") << std::string()
                                          << std::string("vocab") << ErrorCode::BadFormat;
    QTest::newRow("binary garbage") << std::string("bpe-txt") << std::string("\x01\xFF\xFE\x00zz", 6) << std::string()
                                    << std::string("vocab") << ErrorCode::BadFormat;
    QTest::newRow("empty bpe file") << std::string("bpe-txt") << std::string() << std::string() << std::string("vocab")
                                    << ErrorCode::BadFormat;
}

void TestTokenizer::loadErrorsNameTheFile()
{
    QFETCH(std::string, kind);
    QFETCH(std::string, vocabContent);
    QFETCH(std::string, mergesContent);
    QFETCH(std::string, blamed);
    QFETCH(aape::ErrorCode, code);

    aape::test::TempDir dir;
    aape::Result<Tokenizer> result = aape::makeError(ErrorCode::Internal, "not run");
    std::string vocabPath;
    std::string mergesPath = dir.file("merges.txt");
    if (kind == "hf") {
        vocabPath = dir.file("vocab.json");
        if (vocabContent == "fixture")
            aape::test::writeTextFile(vocabPath, aape::test::readTextFile(m_files.vocabJson));
        else if (!vocabContent.empty())
            aape::test::writeTextFile(vocabPath, vocabContent);
        if (!mergesContent.empty())
            aape::test::writeTextFile(mergesPath, mergesContent);
        else if (vocabContent.empty())
            aape::test::writeTextFile(mergesPath, "#version: 0.2\n");
        result = Tokenizer::fromHuggingFace(vocabPath, mergesPath);
    } else {
        vocabPath = dir.file(kind == "bpe" ? "bpe_simple_vocab_16e6.txt.gz" : "bpe_simple_vocab_16e6.txt");
        if (vocabContent == "truncated-gz") {
            std::vector<unsigned char> bytes = aape::test::gzipBytes(aape::test::readTextFile(m_files.bpeTxt));
            bytes.resize(bytes.size() / 2);
            aape::test::writeBinaryFile(vocabPath, bytes);
        } else if (!vocabContent.empty() || kind == "bpe-txt") {
            aape::test::writeTextFile(vocabPath, vocabContent);
        }
        result = Tokenizer::fromBpeFile(vocabPath);
    }
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, code);
    QCOMPARE(result.error().file, blamed == "vocab" ? vocabPath : mergesPath);
    QVERIFY(!result.error().message.empty());
}

void TestTokenizer::forModelFindsTheVocabulary()
{
    const std::string hfFolder = m_dir->file("hf");
    auto fromFolder = Tokenizer::forModel(hfFolder);
    QVERIFY2(fromFolder.ok(), fromFolder.ok() ? "" : fromFolder.error().toString().c_str());
    QCOMPARE(fromFolder->encode("the cat"), (Ids{kThe, kCat}));

    // A model file: the vocabulary is looked up beside it.
    const std::string modelFile = m_dir->file("hf/model.safetensors");
    aape::test::writeTextFile(modelFile, "not really weights");
    auto fromFile = Tokenizer::forModel(modelFile);
    QVERIFY2(fromFile.ok(), fromFile.ok() ? "" : fromFile.error().toString().c_str());
    QCOMPARE(fromFile->startOfText(), aape::test::bpeFixtureStartOfText());

    // An OpenAI checkpoint with the bpe file beside it.
    const std::string openAiModel = m_dir->file("ViT-B-32.pt");
    aape::test::writeTextFile(openAiModel, "not really a checkpoint");
    auto fromBpe = Tokenizer::forModel(openAiModel);
    QVERIFY2(fromBpe.ok(), fromBpe.ok() ? "" : fromBpe.error().toString().c_str());
    QCOMPARE(fromBpe->encode("école"), (Ids{kEcole}));

    // The override wins, in either form, even for a model path without a vocabulary.
    aape::test::TempDir empty;
    auto overrideJson = Tokenizer::forModel(empty.path(), m_files.vocabJson);
    QVERIFY(overrideJson.ok());
    auto overrideBpe = Tokenizer::forModel(empty.path(), m_files.bpeGz);
    QVERIFY(overrideBpe.ok());
    QCOMPARE(overrideBpe->encode("the cat"), (Ids{kThe, kCat}));
}

void TestTokenizer::forModelWithoutVocabularyAsksForVocabOption()
{
    aape::test::TempDir dir;
    const std::string model = dir.file("model.safetensors");
    aape::test::writeTextFile(model, "weights");
    auto result = Tokenizer::forModel(model);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().file, model);
    QVERIFY(result.error().message.find("--vocab bpe_simple_vocab_16e6.txt.gz") != std::string::npos);

    auto missing = Tokenizer::forModel(dir.file("no-such-model"));
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().code, ErrorCode::FileNotFound);
}

void TestTokenizer::cliWritesOneJsonObjectPerLine()
{
    std::string longLine;
    for (int i = 0; i < 100; ++i)
        longLine += "a ";
    const std::string input = "the cat\n\nTHE CAT'S\n" + longLine + "\n\xFF bad\n";

    const CliRun truncated = runCli({"tokenize", "--vocab", m_files.bpeGz}, input);
    QCOMPARE(truncated.exitCode, 0);
    QCOMPARE(truncated.err, std::string());
    const std::vector<std::string> outLines = lines(truncated.out);
    QCOMPARE(outLines.size(), std::size_t(5));
    const std::int32_t sot = aape::test::bpeFixtureStartOfText();
    const std::int32_t eot = aape::test::bpeFixtureEndOfText();
    QCOMPARE(outLines[0], "{\"text\":\"the cat\",\"ids\":[" + std::to_string(sot) + "," + std::to_string(kThe) + ","
                              + std::to_string(kCat) + "," + std::to_string(eot) + "]}");
    const auto empty = nlohmann::json::parse(outLines[1]);
    QCOMPARE(empty["ids"].get<Ids>(), (Ids{sot, eot}));
    const auto possessive = nlohmann::json::parse(outLines[2]);
    QCOMPARE(possessive["text"].get<std::string>(), std::string("THE CAT'S"));
    QCOMPARE(possessive["ids"].get<Ids>(), (Ids{sot, kThe, kCat, bpeFixtureMergeId(6), eot}));
    QCOMPARE(nlohmann::json::parse(outLines[3])["ids"].size(), std::size_t(77));
    // Input that is not UTF-8 still gives a valid JSON line.
    const auto bad = nlohmann::json::parse(outLines[4]);
    QCOMPARE(bad["text"].get<std::string>(), std::string("\xEF\xBF\xBD bad"));

    const CliRun full = runCli({"tokenize", "--vocab", m_files.vocabJson, "--no-truncate"}, longLine + "\n");
    QCOMPARE(full.exitCode, 0);
    const auto fullIds = nlohmann::json::parse(lines(full.out).at(0))["ids"].get<Ids>();
    QCOMPARE(fullIds.size(), std::size_t(102));
    QCOMPARE(fullIds.back(), eot);

    const CliRun model = runCli({"tokenize", "--model", m_dir->file("hf")}, "école\n");
    QCOMPARE(model.exitCode, 0);
    QCOMPARE(nlohmann::json::parse(lines(model.out).at(0))["ids"].get<Ids>(), (Ids{sot, kEcole, eot}));
}

void TestTokenizer::cliReportsMissingVocabulary()
{
    aape::test::TempDir dir;
    const std::string missing = dir.file("nothing.txt.gz");
    const CliRun run = runCli({"tokenize", "--vocab", missing}, "the cat\n");
    QVERIFY(run.exitCode != 0);
    QCOMPARE(run.out, std::string());
    QVERIFY(run.err.find(missing) != std::string::npos);

    const CliRun noOption = runCli({"tokenize"}, "the cat\n");
    QVERIFY(noOption.exitCode != 0);
    QVERIFY(noOption.err.find("--vocab") != std::string::npos);
}

QTEST_APPLESS_MAIN(TestTokenizer)
#include "tst_tokenizer.moc"

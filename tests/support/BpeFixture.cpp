#include "BpeFixture.h"

#include "TestSupport.h"

#include <nlohmann/json.hpp>
#include <zlib.h>

#include <array>
#include <stdexcept>

namespace aape::test {

namespace {

void appendUtf8(std::string& out, char32_t c)
{
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else {
        // The byte alphabet only reaches U+0143, so two bytes suffice.
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

// openai/CLIP bytes_to_unicode(), written out independently of the tokenizer under test.
struct ByteSymbols {
    std::array<std::string, 256> symbol;    // byte -> its character, UTF-8
    std::array<std::int32_t, 256> index{};  // byte -> position in the vocabulary's byte list
    std::array<unsigned char, 256> order{}; // position -> byte

    ByteSymbols()
    {
        int position = 0;
        const auto visible = [](int b) { return (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE; };
        for (int b = 0; b < 256; ++b) {
            if (visible(b)) {
                appendUtf8(symbol[b], static_cast<char32_t>(b));
                index[b] = position;
                order[position++] = static_cast<unsigned char>(b);
            }
        }
        char32_t shifted = 256;
        for (int b = 0; b < 256; ++b) {
            if (!visible(b)) {
                appendUtf8(symbol[b], shifted++);
                index[b] = position;
                order[position++] = static_cast<unsigned char>(b);
            }
        }
    }
};

const ByteSymbols& byteSymbols()
{
    static const ByteSymbols symbols;
    return symbols;
}

std::string bpeFileText()
{
    // The first line is a comment that the reader skips; this is the one OpenAI's file has.
    std::string text = "\"bpe_simple_vocab_16e6.txt#version: 0.2\n";
    for (const auto& [first, second] : bpeFixtureMerges())
        text += first + " " + second + "\n";
    return text;
}

} // namespace

const std::vector<std::pair<std::string, std::string>>& bpeFixtureMerges()
{
    static const std::vector<std::pair<std::string, std::string>> merges = {
        {"t", "h"},                       // 0  th
        {"th", "e</w>"},                  // 1  the</w>
        {"c", "a"},                       // 2  ca
        {"ca", "t</w>"},                  // 3  cat</w>
        {"d", "o"},                       // 4  do
        {"do", "g</w>"},                  // 5  dog</w>
        {"'", "s</w>"},                   // 6  's</w>
        {"'", "t</w>"},                   // 7  't</w>
        {"r", "e</w>"},                   // 8  re</w>
        {"'", "re</w>"},                  // 9  're</w>
        {"\xC3\x83", "\xC2\xA9"},         // 10 é (bytes C3 A9 as the symbols Ã ©)
        {"c", "o"},                       // 11 co
        {"l", "e</w>"},                   // 12 le</w>
        {"co", "le</w>"},                 // 13 cole</w>
        {"\xC3\x83\xC2\xA9", "cole</w>"}, // 14 école</w>
        {"b", "c</w>"},                   // 15 bc</w>: ranks before "a b", so "abc" -> a + bc</w>
        {"a", "b"},                       // 16 ab
        {"a", "a"},                       // 17 aa
    };
    return merges;
}

std::int32_t bpeFixtureByteId(unsigned char byte, bool endOfWord)
{
    return byteSymbols().index[byte] + (endOfWord ? 256 : 0);
}

std::int32_t bpeFixtureMergeId(std::size_t rank)
{
    return static_cast<std::int32_t>(512 + rank);
}

std::int32_t bpeFixtureStartOfText()
{
    return static_cast<std::int32_t>(512 + bpeFixtureMerges().size());
}

std::int32_t bpeFixtureEndOfText()
{
    return bpeFixtureStartOfText() + 1;
}

std::vector<unsigned char> gzipBytes(const std::string& text)
{
    z_stream stream{};
    if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("deflateInit2 failed");
    std::vector<unsigned char> out(deflateBound(&stream, static_cast<uLong>(text.size())) + 64);
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    stream.avail_in = static_cast<uInt>(text.size());
    stream.next_out = out.data();
    stream.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&stream, Z_FINISH);
    deflateEnd(&stream);
    if (rc != Z_STREAM_END)
        throw std::runtime_error("deflate failed");
    out.resize(stream.total_out);
    return out;
}

BpeFixtureFiles writeBpeFixture(const std::string& folder)
{
    const ByteSymbols& symbols = byteSymbols();
    // The vocabulary simple_tokenizer.py derives from the bpe file; vocab.json holds the same ids.
    nlohmann::json vocab = nlohmann::json::object();
    for (int position = 0; position < 256; ++position) {
        const std::string& symbol = symbols.symbol[symbols.order[position]];
        vocab[symbol] = position;
        vocab[symbol + "</w>"] = 256 + position;
    }
    const auto& merges = bpeFixtureMerges();
    for (std::size_t rank = 0; rank < merges.size(); ++rank)
        vocab[merges[rank].first + merges[rank].second] = bpeFixtureMergeId(rank);
    vocab["<|startoftext|>"] = bpeFixtureStartOfText();
    vocab["<|endoftext|>"] = bpeFixtureEndOfText();

    BpeFixtureFiles files;
    files.vocabJson = folder + "/hf/vocab.json";
    files.merges = folder + "/hf/merges.txt";
    files.bpeGz = folder + "/bpe_simple_vocab_16e6.txt.gz";
    files.bpeTxt = folder + "/txt/bpe_simple_vocab_16e6.txt";

    writeTextFile(files.vocabJson, vocab.dump());
    std::string mergesText = "#version: 0.2\n";
    for (const auto& [first, second] : merges)
        mergesText += first + " " + second + "\n";
    writeTextFile(files.merges, mergesText);
    writeBinaryFile(files.bpeGz, gzipBytes(bpeFileText()));
    writeTextFile(files.bpeTxt, bpeFileText());
    return files;
}

} // namespace aape::test

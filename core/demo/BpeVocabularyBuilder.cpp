#include "aape/demo/BpeVocabularyBuilder.h"

#include "aape/clip/Tokenizer.h"
#include "aape/util/Json.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>

namespace aape::clip {

namespace {

// CLIP's bytes_to_unicode(): printable bytes map to themselves, the rest to code points
// from 256 up, so every byte has a visible, non-space character.
std::vector<std::string> byteSymbols()
{
    std::vector<int> printable;
    for (int b = '!'; b <= '~'; ++b)
        printable.push_back(b);
    for (int b = 0xA1; b <= 0xAC; ++b)
        printable.push_back(b);
    for (int b = 0xAE; b <= 0xFF; ++b)
        printable.push_back(b);
    std::vector<int> codePoint(256, -1);
    for (int b : printable)
        codePoint[b] = b;
    int next = 0;
    for (int b = 0; b < 256; ++b)
        if (codePoint[b] < 0)
            codePoint[b] = 256 + next++;
    auto utf8 = [](int cp) {
        std::string out;
        if (cp < 0x80) {
            out.push_back(static_cast<char>(cp));
        } else {
            out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        }
        return out;
    };
    // Order as CLIP's vocabulary: the printable bytes first, then the remapped ones.
    std::vector<std::string> symbols(256);
    for (int b = 0; b < 256; ++b)
        symbols[b] = utf8(codePoint[b]);
    return symbols;
}

std::vector<int> vocabularyByteOrder()
{
    std::vector<int> order;
    for (int b = '!'; b <= '~'; ++b)
        order.push_back(b);
    for (int b = 0xA1; b <= 0xAC; ++b)
        order.push_back(b);
    for (int b = 0xAE; b <= 0xFF; ++b)
        order.push_back(b);
    for (int b = 0; b < 256; ++b)
        if (std::find(order.begin(), order.end(), b) == order.end())
            order.push_back(b);
    return order;
}

} // namespace

BpeVocabulary learnBpeVocabulary(const std::vector<std::string>& corpus, int merges)
{
    const auto symbols = byteSymbols();
    // Word frequencies; a word is a sequence of byte symbols, the last with "</w>".
    std::map<std::vector<std::string>, int> words;
    for (const auto& text : corpus) {
        const std::string cleaned = cleanTextForClip(text);
        std::string word;
        auto flush = [&] {
            if (word.empty())
                return;
            std::vector<std::string> pieces;
            for (unsigned char byte : word)
                pieces.push_back(symbols[byte]);
            pieces.back() += "</w>";
            ++words[pieces];
            word.clear();
        };
        // A simplified split (letters together, everything else alone) is enough to learn
        // merges; the tokenizer applies CLIP's exact split when it uses them.
        for (unsigned char c : cleaned) {
            const bool letter = std::isalpha(c) || c >= 0x80;
            if (c == ' ') {
                flush();
            } else if (letter) {
                word.push_back(static_cast<char>(c));
            } else {
                flush();
                word.push_back(static_cast<char>(c));
                flush();
            }
        }
        flush();
    }

    BpeVocabulary vocabulary;
    for (int b : vocabularyByteOrder())
        vocabulary.tokens.push_back(symbols[b]);
    for (int b : vocabularyByteOrder())
        vocabulary.tokens.push_back(symbols[b] + "</w>");

    for (int round = 0; round < merges; ++round) {
        std::map<std::pair<std::string, std::string>, int> pairs;
        for (const auto& [pieces, count] : words)
            for (std::size_t i = 0; i + 1 < pieces.size(); ++i)
                pairs[{pieces[i], pieces[i + 1]}] += count;
        auto best = pairs.end();
        for (auto it = pairs.begin(); it != pairs.end(); ++it)
            if (best == pairs.end() || it->second > best->second)
                best = it;
        if (best == pairs.end() || best->second < 2)
            break;
        const auto pair = best->first;
        vocabulary.merges.push_back(pair);
        // Two merges can spell the same token ("a"+"bc", "ab"+"c"); it gets one id.
        if (std::find(vocabulary.tokens.begin(), vocabulary.tokens.end(), pair.first + pair.second)
            == vocabulary.tokens.end())
            vocabulary.tokens.push_back(pair.first + pair.second);
        std::map<std::vector<std::string>, int> merged;
        for (const auto& [pieces, count] : words) {
            std::vector<std::string> out;
            for (std::size_t i = 0; i < pieces.size(); ++i) {
                if (i + 1 < pieces.size() && pieces[i] == pair.first && pieces[i + 1] == pair.second) {
                    out.push_back(pair.first + pair.second);
                    ++i;
                } else {
                    out.push_back(pieces[i]);
                }
            }
            merged[out] += count;
        }
        words = std::move(merged);
    }
    vocabulary.tokens.push_back("<|startoftext|>");
    vocabulary.tokens.push_back("<|endoftext|>");
    return vocabulary;
}

Status writeBpeVocabulary(const BpeVocabulary& vocabulary, const std::string& folder)
{
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    nlohmann::json vocab = nlohmann::json::object();
    for (std::size_t id = 0; id < vocabulary.tokens.size(); ++id)
        vocab[vocabulary.tokens[id]] = id;
    std::string merges = "#version: 0.2\n";
    for (const auto& [a, b] : vocabulary.merges)
        merges += a + " " + b + "\n";
    if (auto status = writeFileAtomically(folder + "/vocab.json", vocab.dump()); !status)
        return status;
    return writeFileAtomically(folder + "/merges.txt", merges);
}

} // namespace aape::clip

#pragma once
// A small CLIP-style byte-level BPE vocabulary (512 byte symbols, a few merges, the two
// special tokens) written in both file forms, for tokenizer tests. Plain functions; any thread.

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace aape::test {

struct BpeFixtureFiles {
    std::string vocabJson; // Hugging Face form: vocab.json ...
    std::string merges;    // ... and merges.txt ("#version" line first), in folder/hf/
    std::string bpeGz;     // OpenAI form, gzip: folder/bpe_simple_vocab_16e6.txt.gz
    std::string bpeTxt;    // the same, uncompressed: folder/txt/bpe_simple_vocab_16e6.txt
};

// The fixture's merges in rank order, spelled in byte symbols (ASCII letters stand for
// themselves; "Ã ©" is the UTF-8 of "é"). Merge rank r produces token id 512 + r.
const std::vector<std::pair<std::string, std::string>>& bpeFixtureMerges();

BpeFixtureFiles writeBpeFixture(const std::string& folder);

// Ids in the fixture vocabulary. Byte ids equal CLIP's (e.g. "a</w>" = 320).
std::int32_t bpeFixtureByteId(unsigned char byte, bool endOfWord = false);
std::int32_t bpeFixtureMergeId(std::size_t rank);
std::int32_t bpeFixtureStartOfText();
std::int32_t bpeFixtureEndOfText();

// `text` compressed as a single-member gzip file.
std::vector<unsigned char> gzipBytes(const std::string& text);

} // namespace aape::test

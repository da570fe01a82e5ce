#pragma once
// CLIP's byte-level BPE tokenizer, matching openai/CLIP's SimpleTokenizer id for id
// (without its ftfy step). Immutable after construction: all const methods may be called
// from any thread at the same time.

#include "aape/util/Error.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace aape::clip {

class Tokenizer final {
public:
    // CLIP's defaults. The ids actually used are looked up in the loaded vocabulary
    // (startOfText()/endOfText()), so a small project-made vocabulary works too.
    static constexpr std::int32_t kStartOfText = 49406;
    static constexpr std::int32_t kEndOfText = 49407;
    static constexpr int kContextLength = 77;

    // Hugging Face form: vocab.json ({"token</w>": id}) and merges.txt ("#version" line + merges).
    static Result<Tokenizer> fromHuggingFace(const std::string& vocabJsonPath, const std::string& mergesPath);
    // OpenAI form: bpe_simple_vocab_16e6.txt(.gz); the vocabulary is derived from the merges
    // as simple_tokenizer.py does. Gzip is recognised by its magic bytes.
    static Result<Tokenizer> fromBpeFile(const std::string& path);
    // The tokenizer belonging to a model. vocabOverride, when given, is a bpe .txt/.txt.gz or
    // a vocab.json (with merges.txt beside it). Otherwise modelPath (a folder, or a model file
    // whose folder is searched) must hold vocab.json + merges.txt or bpe_simple_vocab_16e6.txt(.gz).
    static Result<Tokenizer> forModel(const std::string& modelPath, const std::string& vocabOverride = "");

    // [SOT, bpe ids..., EOT]. With truncate, at most contextLength ids: the first
    // contextLength ids are kept and the last one is overwritten with EOT (as clip.tokenize).
    // Invalid UTF-8 never fails: each invalid sequence reads as U+FFFD, as Python's
    // bytes.decode("utf-8", errors="replace") would.
    std::vector<std::int32_t> tokenize(std::string_view utf8Text, bool truncate = true,
                                       int contextLength = kContextLength) const;
    // BPE ids only, no SOT/EOT, no truncation.
    std::vector<std::int32_t> encode(std::string_view utf8Text) const;
    // Text of the ids, "</w>" read as a space; unknown ids are skipped, broken UTF-8 becomes U+FFFD.
    std::string decode(const std::vector<std::int32_t>& ids) const;
    // Largest id + 1: the number of rows the text tower's token embedding needs.
    int vocabSize() const;
    std::int32_t startOfText() const;
    std::int32_t endOfText() const;

private:
    struct Impl;
    explicit Tokenizer(std::shared_ptr<const Impl> impl);
    std::shared_ptr<const Impl> m_impl;
};

// The text cleaning the reference applies before splitting, in its order: Unicode NFC (where
// ftfy would apply it), HTML unescape twice (Python's html.unescape), whitespace runs
// collapsed to one space and trimmed, lower case (Python's str.lower). Exposed for tests and reuse.
std::string cleanTextForClip(std::string_view utf8Text);

} // namespace aape::clip

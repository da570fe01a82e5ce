#pragma once
// Learns a CLIP-style byte-level BPE vocabulary (vocab.json + merges.txt) from a small
// corpus, for checkpoints the project generates itself (demo, toy pretraining). Pure function.

#include "aape/util/Error.h"

#include <string>
#include <vector>

namespace aape::clip {

struct BpeVocabulary {
    std::vector<std::string> tokens; // id order: 256 bytes, 256 bytes + "</w>", merges, specials
    std::vector<std::pair<std::string, std::string>> merges; // rank order
};

// Words are split as CLIP's tokenizer splits them (letters, single digits, other symbols),
// lower-cased; merges are learned greedily by pair frequency until `merges` are made or no
// pair occurs twice. The result always ends with <|startoftext|>, <|endoftext|>.
BpeVocabulary learnBpeVocabulary(const std::vector<std::string>& corpus, int merges);

// Writes folder/vocab.json and folder/merges.txt in the Hugging Face form.
Status writeBpeVocabulary(const BpeVocabulary& vocabulary, const std::string& folder);

} // namespace aape::clip

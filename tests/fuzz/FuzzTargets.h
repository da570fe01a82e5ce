#pragma once
// One entry point per parser that reads user files, shared by the libFuzzer fuzzers
// (fuzz_<parser>.cpp) and by tst_fuzz_regressions, which replays the seed corpora and every
// input a fuzzer once crashed on. Each function takes arbitrary bytes, must never crash,
// hang or allocate gigabytes, and returns 0. Not thread-safe: one call at a time per process.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace aape::fuzz {

// Torch-free parsers (FuzzTargets.cpp).
int safeTensors(const std::uint8_t* data, std::size_t size);
int hfTokenizerFiles(const std::uint8_t* data, std::size_t size); // vocab.json SEP merges.txt
int bpeVocabulary(const std::uint8_t* data, std::size_t size);    // bpe_simple_vocab_16e6.txt(.gz)
int tokenize(const std::uint8_t* data, std::size_t size);         // arbitrary text through the tokenizer
int cuplJson(const std::uint8_t* data, std::size_t size);         // CuPL JSON and plain description lines
int coopSplit(const std::uint8_t* data, std::size_t size);        // split_zhou_*.json
int labelCsv(const std::uint8_t* data, std::size_t size);         // path,label[,split] CSV
int imageDecode(const std::uint8_t* data, std::size_t size);      // flag byte, then the image file

// Parsers inside the LibTorch library (FuzzTargetsTorch.cpp).
int hfConfig(const std::uint8_t* data, std::size_t size); // config.json SEP preprocessor_config.json
int bundle(const std::uint8_t* data, std::size_t size);   // *.aape.safetensors

// Separates the files of a multi-file input (a line of its own).
inline constexpr const char* kPartSeparator = "\n=====\n";

// A private scratch folder for this process (under /dev/shm where it exists), removed at exit.
const std::filesystem::path& scratchDir();
void writeFile(const std::filesystem::path& path, const std::uint8_t* data, std::size_t size);
void writeFile(const std::filesystem::path& path, const std::string& bytes);
// The committed toy CLIP (resources/demo-clip) of the source tree.
std::filesystem::path demoClipDir();

} // namespace aape::fuzz

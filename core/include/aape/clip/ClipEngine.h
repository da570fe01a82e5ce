#pragma once
// A frozen CLIP ready to embed: the model, its tokenizer and its image normalisation, with
// file-level helpers. Use one ClipEngine from one thread at a time (it owns a ClipModel).

#include "aape/clip/ClipModel.h"
#include "aape/clip/ImagePreprocessor.h"
#include "aape/clip/Tokenizer.h"

#include <memory>
#include <string>
#include <vector>

namespace aape::clip {

struct EngineOptions {
    LoadOptions load;
    std::string vocabPath; // overrides the vocabulary found with the checkpoint
};

class ClipEngine final {
public:
    static Result<ClipEngine> open(const std::string& modelPath, const EngineOptions& options = {});

    const ModelInfo& info() const { return m_model->info(); }
    const ClipModel& model() const { return *m_model; }
    const Tokenizer& tokenizer() const { return *m_tokenizer; }
    int embedDim() const { return m_model->info().config.embedDim; }

    // [texts.size(), d], rows L2-normalised. Long texts are truncated to the context as
    // clip.tokenize(truncate=True) does; tokensOut receives the ids actually used.
    Result<std::vector<float>> encodeTexts(const std::vector<std::string>& texts,
                                           std::vector<std::vector<std::int32_t>>* tokensOut = nullptr) const;
    // Already decoded 8-bit RGB images -> [images.size(), d].
    Result<std::vector<float>> encodeImages(const std::vector<cv::Mat>& rgb8) const;
    // Preprocessed tensors ([3, S, S] each) -> [n, d].
    Result<std::vector<float>> encodePreprocessed(const std::vector<const PreprocessedImage*>& images) const;

private:
    ClipEngine(std::shared_ptr<ClipModel> model, std::shared_ptr<Tokenizer> tokenizer);
    std::shared_ptr<ClipModel> m_model;
    std::shared_ptr<Tokenizer> m_tokenizer;
};

} // namespace aape::clip

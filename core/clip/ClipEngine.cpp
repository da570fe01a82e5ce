#include "aape/clip/ClipEngine.h"

#include <cstring>

namespace aape::clip {

ClipEngine::ClipEngine(std::shared_ptr<ClipModel> model, std::shared_ptr<Tokenizer> tokenizer)
    : m_model(std::move(model))
    , m_tokenizer(std::move(tokenizer))
{}

Result<ClipEngine> ClipEngine::open(const std::string& modelPath, const EngineOptions& options)
{
    auto tokenizer = Tokenizer::forModel(modelPath, options.vocabPath);
    if (!tokenizer) {
        // No vocabulary beside a file that is no checkpoint at all (a picture chosen by
        // mistake): that is the problem to report, not the vocabulary.
        if (auto checkpoint = inspectCheckpoint(modelPath); !checkpoint)
            return checkpoint.error();
        return tokenizer.error();
    }
    auto model = ClipModel::load(modelPath, options.load);
    if (!model)
        return model.error();
    const int vocab = model->info().config.text.vocabSize;
    if (tokenizer->vocabSize() > vocab)
        return makeError(ErrorCode::ShapeMismatch,
                         "the tokenizer vocabulary (" + std::to_string(tokenizer->vocabSize())
                             + " entries) does not fit the model's token embedding (" + std::to_string(vocab)
                             + "); choose the vocabulary that belongs to this checkpoint",
                         options.vocabPath.empty() ? modelPath : options.vocabPath);
    return ClipEngine(std::make_shared<ClipModel>(std::move(model).value()),
                      std::make_shared<Tokenizer>(std::move(tokenizer).value()));
}

Result<std::vector<float>> ClipEngine::encodeTexts(const std::vector<std::string>& texts,
                                                   std::vector<std::vector<std::int32_t>>* tokensOut) const
{
    const int context = m_model->info().config.text.contextLength;
    std::vector<std::vector<std::int32_t>> tokens;
    tokens.reserve(texts.size());
    for (const auto& text : texts)
        tokens.push_back(m_tokenizer->tokenize(text, /*truncate=*/true, context));
    auto embeddings = m_model->encodeTokens(tokens);
    if (embeddings && tokensOut)
        *tokensOut = std::move(tokens);
    return embeddings;
}

Result<std::vector<float>> ClipEngine::encodeImages(const std::vector<cv::Mat>& rgb8) const
{
    std::vector<PreprocessedImage> prepared;
    prepared.reserve(rgb8.size());
    for (const auto& image : rgb8)
        prepared.push_back(preprocessForModel(image, m_model->info().normalisation));
    std::vector<const PreprocessedImage*> pointers;
    for (const auto& p : prepared)
        pointers.push_back(&p);
    return encodePreprocessed(pointers);
}

Result<std::vector<float>> ClipEngine::encodePreprocessed(const std::vector<const PreprocessedImage*>& images) const
{
    const int size = m_model->info().config.vision.imageSize;
    const std::size_t perImage = 3ULL * size * size;
    std::vector<float> pixels(images.size() * perImage);
    for (std::size_t i = 0; i < images.size(); ++i) {
        if (images[i]->tensor.size() != perImage)
            return makeError(ErrorCode::ShapeMismatch, "an image was preprocessed for another input size");
        std::memcpy(pixels.data() + i * perImage, images[i]->tensor.data(), perImage * sizeof(float));
    }
    return m_model->encodeImages(pixels.data(), static_cast<int>(images.size()));
}

} // namespace aape::clip

#include "aape/workflow/Export.h"

#include "aape/aape/Baselines.h"
#include "aape/workflow/Encode.h"
#include "workflow/Common.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace aape::workflow {

namespace {

// ": ViT ... (/path/to/model)" from the bundle's manifest, or nothing when it does not say.
std::string bundleClipHint(const Bundle& bundle)
{
    const auto clip = bundle.manifest.value("clip", nlohmann::json::object());
    if (!clip.is_object())
        return {};
    const std::string architecture = clip.value("architecture", "");
    const std::string path = clip.value("path", "");
    if (architecture.empty() && path.empty())
        return {};
    if (path.empty())
        return ", " + architecture;
    return architecture.empty() ? ", " + path : ", " + architecture + " (" + path + ")";
}

} // namespace

std::string clipMismatchWarning(const Bundle& bundle, const clip::ClipEngine& engine)
{
    const std::string expected = bundle.manifest.value("clip", nlohmann::json::object()).value("fingerprint", "");
    // Another embedding size is an error of predictImages, not a warning.
    if (expected.empty() || expected == engine.info().fingerprint || engine.embedDim() != bundle.dim)
        return {};
    return "This prompt generator was trained with another CLIP model than " + engine.info().path
           + ", so its predictions will be wrong; choose the one it was trained with" + bundleClipHint(bundle) + ".";
}

using detail::fillClassEmbeddings;
using detail::loadRunContext;

Status exportRunBundle(store::Project& project, std::int64_t runId, const std::string& path, bool includeDescriptions,
                       std::optional<EpochChoice> epoch)
{
    auto context = loadRunContext(project, runId, epoch);
    if (!context)
        return context.error();
    if (const auto method = parseMethod(context->run.config.value("method", "aape")); method && *method != Method::Aape)
        return makeError(ErrorCode::InvalidArgument,
                         "run " + std::to_string(runId) + " is a " + methodName(*method)
                             + " baseline; a bundle holds an AAPE prompt generator, so export an AAPE run",
                         project.path());
    // Every class of the project: the trained ones first (in training order), then the others,
    // which the bundle answers from their names (their templates), as base-to-new evaluates
    // new classes. The manifest lists which were trained.
    std::map<std::int64_t, store::ClassRecord> byId;
    for (const auto& cls : context->allClasses)
        byId[cls.id] = cls;
    std::vector<store::ClassRecord> classes;
    std::vector<std::string> trainedNames, untrainedNames;
    for (auto id : context->trainingClassIds)
        if (byId.count(id)) {
            classes.push_back(byId[id]);
            trainedNames.push_back(byId[id].name);
        }
    for (const auto& cls : context->allClasses)
        if (std::find(context->trainingClassIds.begin(), context->trainingClassIds.end(), cls.id)
            == context->trainingClassIds.end()) {
            classes.push_back(cls);
            untrainedNames.push_back(cls.name);
        }
    EvalInput input;
    std::vector<std::vector<std::int64_t>> descriptionIds;
    if (auto status = fillClassEmbeddings(project, context->run.modelFingerprint, classes, input, descriptionIds);
        !status)
        return status;

    BundleContents contents;
    contents.dim = input.dim;
    contents.classEmbeddings = input.templates;
    for (const auto& cls : classes)
        contents.classNames.push_back(cls.name);
    contents.logitScale = context->logitScale;
    contents.includeAggregator = includeDescriptions;
    // Predictions with the bundle compute the same OOD score as the evaluation of the run.
    auto reference = detail::oodReferenceFor(project, context.value());
    if (!reference)
        return reference.error();
    contents.oodScore = kDefaultOodScore;
    contents.oodReference = reference.value();
    if (includeDescriptions)
        contents.descriptions = input.descriptions;
    const auto imageSize = context->modelInfo.value("image_size", 224);
    contents.manifest = {
        {"template", "a photo of a {}."},
        {"clip", context->modelInfo},
        {"preprocessing",
         {{"image_size", imageSize},
          {"resize", "shorter side to image_size, bicubic with antialiasing (PIL Image.resize BICUBIC)"},
          {"crop", "centre crop image_size x image_size at round((h - s) / 2), round((w - s) / 2)"},
          {"normalise", "x / 255, then (x - mean) / std per channel, CLIP mean/std of the checkpoint"}}},
        {"training", context->run.config},
        {"metrics", context->run.summary},
        {"trained_classes", trainedNames},
        {"untrained_classes", untrainedNames},
        {"run",
         {{"id", context->run.id},
          {"name", context->run.name},
          {"epochs", context->run.lastEpoch + 1},
          {"exported_epoch", context->epoch + 1},
          {"epoch_choice", epochChoiceName(context->choice)}}},
        {"inference", "x = normalise(CLIP_image(img)); h = fc2(relu(fc1(x))); w_c = relu(g.weight [t_c; h] + "
                      "g.bias); logits_c = logit_scale * cos(x, w_c)"},
    };
    // What the run learned (aggregator, h, g) and what of it the bundle needs to predict (h, g).
    long long inBundle = 0;
    for (const auto& t : context->state.tensors)
        if (t.name.rfind("h.", 0) == 0 || t.name.rfind("g.", 0) == 0)
            inBundle += static_cast<long long>(t.values.size());
    contents.manifest["parameters"] = {{"learned", aapeLearnedParameters(context->state)}, {"in_bundle", inBundle}};
    // Trained on a scene's tiles: the band choice, stretch and tile size travel with the bundle,
    // so that predicting on a scene of the same sensor needs no band options.
    auto scenes = project.scenes();
    if (!scenes)
        return scenes.error();
    if (!scenes->empty()) {
        nlohmann::json raster = scenes->front().rendering;
        raster["tile_size"] = scenes->front().tileSize;
        contents.manifest["raster"] = raster;
    }
    return exportBundle(path, context->state, contents);
}

Result<std::vector<ImagePrediction>> predictImages(const Bundle& bundle, const clip::ClipEngine& engine,
                                                   const std::vector<std::string>& imagePaths,
                                                   const std::vector<std::string>& extraClasses, int topK)
{
    if (engine.embedDim() != bundle.dim)
        return makeError(ErrorCode::ShapeMismatch,
                         "This prompt generator was trained with another CLIP model than " + engine.info().path
                             + "; choose the one it was trained with" + bundleClipHint(bundle) + ".",
                         bundle.path,
                         "the bundle's embeddings have " + std::to_string(bundle.dim) + " dimensions, the model's "
                             + std::to_string(engine.embedDim()));
    std::vector<std::string> names = bundle.classNames;
    if (names.empty())
        for (int c = 0; c < bundle.classCount(); ++c)
            names.push_back("class " + std::to_string(c));
    std::vector<float> extra;
    if (!extraClasses.empty()) {
        std::vector<std::string> templates;
        for (const auto& name : extraClasses)
            templates.push_back(templateFor(name));
        auto embedded = engine.encodeTexts(templates);
        if (!embedded)
            return embedded.error();
        extra = embedded.value();
        names.insert(names.end(), extraClasses.begin(), extraClasses.end());
    }
    std::vector<ImagePrediction> results(imagePaths.size());
    std::vector<cv::Mat> decoded;
    std::vector<std::size_t> readable;
    for (std::size_t i = 0; i < imagePaths.size(); ++i) {
        results[i].path = imagePaths[i];
        auto image = clip::decodeImageRgb8(imagePaths[i]);
        if (!image) {
            results[i].error = image.error().message;
            continue;
        }
        decoded.push_back(std::move(image).value());
        readable.push_back(i);
    }
    if (readable.empty())
        return results;
    auto embeddings = engine.encodeImages(decoded);
    if (!embeddings)
        return embeddings.error();
    auto logits = predict(bundle, embeddings.value(), extra);
    if (!logits)
        return logits.error();
    auto ood = oodScores(bundle.oodScore, embeddings.value(), logits.value(), bundle.dim, bundle.logitScale,
                         bundle.oodReference);
    if (!ood)
        return Error{ood.error().code, ood.error().message, bundle.path, ood.error().detail};
    const std::size_t classes = names.size();
    for (std::size_t r = 0; r < readable.size(); ++r) {
        const float* row = logits->data() + r * classes;
        const float maxLogit = *std::max_element(row, row + classes);
        std::vector<std::pair<float, std::size_t>> probabilities;
        double sum = 0.0;
        for (std::size_t c = 0; c < classes; ++c)
            sum += std::exp(static_cast<double>(row[c] - maxLogit));
        for (std::size_t c = 0; c < classes; ++c)
            probabilities.emplace_back(static_cast<float>(std::exp(static_cast<double>(row[c] - maxLogit)) / sum), c);
        std::sort(probabilities.begin(), probabilities.end(), std::greater<>());
        auto& result = results[readable[r]];
        for (std::size_t k = 0; k < std::min<std::size_t>(static_cast<std::size_t>(topK), classes); ++k)
            result.top.emplace_back(names[probabilities[k].second], probabilities[k].first);
        result.oodScore = ood.value()[r];
        result.oodScoreKind = bundle.oodScore;
        const auto d = static_cast<std::size_t>(bundle.dim);
        result.embedding.assign(embeddings->begin() + static_cast<std::ptrdiff_t>(r * d),
                                embeddings->begin() + static_cast<std::ptrdiff_t>((r + 1) * d));
    }
    return results;
}

} // namespace aape::workflow

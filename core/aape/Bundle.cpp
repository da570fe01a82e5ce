#include "aape/aape/Bundle.h"

#include "aape/Modules.h"
#include "aape/util/SafeTensors.h"

namespace aape {

namespace {

using detail::toTensor;

const char* const kManifestKey = "aape";

// How a reader without our code computes the score, for the manifest.
const char* oodScoreDefinition(OodScoreKind kind)
{
    switch (kind) {
    case OodScoreKind::MaxSoftmax: return "1 - max_c softmax(logits)_c";
    case OodScoreKind::Energy: return "-logsumexp(logits)";
    case OodScoreKind::MaxCosine: return "1 - max_c logits_c / logit_scale";
    case OodScoreKind::Prototype:
        return "1 - max_p cos(x, ood.prototypes[p]); ood.prototypes: the L2-normalised mean CLIP embedding of each "
               "trained class's training images, in the order of trained_classes";
    case OodScoreKind::Mahalanobis:
        return "min_p (x - ood.means[p]) @ ood.precision @ (x - ood.means[p]); ood.precision: the inverse of the "
               "training images' shared covariance, shrunk (Ledoit-Wolf) towards a multiple of the identity";
    }
    return "";
}

Result<const NamedTensor*> stateTensor(const TrainState& state, const std::string& name)
{
    if (const auto* t = state.find(name))
        return t;
    return makeError(ErrorCode::InvalidArgument,
                     "The trained model lacks part of the prompt generator; train the run again.", {},
                     "missing " + name);
}

struct Expectation {
    const char* name;
    std::vector<std::int64_t> shape;
};

} // namespace

Status exportBundle(const std::string& path, const TrainState& state, const BundleContents& contents)
{
    const int d = contents.dim;
    if (d <= 0 || contents.classEmbeddings.empty()
        || contents.classEmbeddings.size() % static_cast<std::size_t>(d) != 0)
        return makeError(
            ErrorCode::InvalidArgument,
            "The class embeddings for the export are missing or of the wrong size; encode the class names first.",
            path);
    const auto classCount = static_cast<std::int64_t>(contents.classEmbeddings.size() / static_cast<std::size_t>(d));
    if (!contents.classNames.empty() && static_cast<std::int64_t>(contents.classNames.size()) != classCount)
        return makeError(ErrorCode::InvalidArgument, "The number of class names does not match the class embeddings.",
                         path);

    std::vector<st::TensorToWrite> tensors;
    for (const char* name : {"h.fc1.weight", "h.fc1.bias", "h.fc2.weight", "h.fc2.bias", "g.weight", "g.bias"}) {
        auto t = stateTensor(state, name);
        if (!t.ok())
            return t.error();
        tensors.push_back(st::float32Tensor(name, t.value()->shape, t.value()->values.data()));
    }
    const auto* gWeight = state.find("g.weight");
    if (gWeight->shape != std::vector<std::int64_t>{d, 2 * d})
        return makeError(
            ErrorCode::ShapeMismatch,
            "The trained model's dimension does not match the class embeddings; use embeddings of the same CLIP model.",
            path);
    tensors.push_back(st::float32Tensor("class_embeddings", {classCount, d}, contents.classEmbeddings.data()));
    tensors.push_back(st::float32Tensor("logit_scale", {}, &contents.logitScale));
    if (contents.includeAggregator)
        for (const auto& t : state.tensors)
            if (t.name.rfind("aggregator.", 0) == 0)
                tensors.push_back(st::float32Tensor(t.name, t.shape, t.values.data()));
    // The OOD score's reference, as the score needs it; without one predictions fall back to
    // max_softmax, which needs nothing more.
    OodScoreKind oodScore = contents.oodScore;
    const auto& reference = contents.oodReference;
    const bool haveCovariance = reference.precision.size() == static_cast<std::size_t>(d) * static_cast<std::size_t>(d);
    if (oodScoreNeedsReference(oodScore)
        && (reference.empty() || reference.dim != d || (oodScore == OodScoreKind::Mahalanobis && !haveCovariance)))
        oodScore = OodScoreKind::MaxSoftmax;
    if (oodScoreNeedsReference(oodScore)) {
        const auto p = static_cast<std::int64_t>(reference.classCount());
        if (p > classCount)
            return makeError(ErrorCode::InvalidArgument,
                             "The OOD reference has more classes than the bundle; export the run again.", path);
        tensors.push_back(st::float32Tensor("ood.prototypes", {p, d}, reference.prototypes.data()));
        if (oodScore == OodScoreKind::Mahalanobis) {
            tensors.push_back(st::float32Tensor("ood.means", {p, d}, reference.means.data()));
            tensors.push_back(st::float32Tensor("ood.precision", {d, d}, reference.precision.data()));
        }
    }
    for (std::size_t c = 0; c < contents.descriptions.size(); ++c) {
        const auto& p = contents.descriptions[c];
        if (p.empty())
            continue;
        tensors.push_back(st::float32Tensor("descriptions." + std::to_string(c),
                                            {static_cast<std::int64_t>(p.size() / static_cast<std::size_t>(d)), d},
                                            p.data()));
    }

    auto manifest = contents.manifest.is_object() ? contents.manifest : nlohmann::json::object();
    manifest["format"] = "aape-prompt-generator";
    manifest["format_version"] = kBundleFormatVersion;
    manifest["dim"] = d;
    manifest["class_names"] = contents.classNames;
    manifest["inference"] = "x = normalise(CLIP_image(img)); h = fc2(relu(fc1(x))); "
                            "w_c = relu(g.weight @ [t_c; h] + g.bias); logits_c = logit_scale * cos(x, w_c)";
    manifest["ood_score"] = {{"name", oodScoreName(oodScore)}, {"definition", oodScoreDefinition(oodScore)}};
    return st::writeSafeTensors(path, tensors, {{kManifestKey, manifest.dump()}});
}

Result<Bundle> Bundle::load(const std::string& path)
{
    auto file = st::SafeTensorsFile::open(path);
    if (!file.ok())
        return file.error();
    const auto bad = [&](const std::string& detail) {
        return makeError(ErrorCode::BadFormat,
                         "This file is not a usable AAPE prompt generator; export it again from AAPE Studio.", path,
                         detail);
    };
    const auto& entries = file->tensors();
    const auto gBias = entries.find("g.bias");
    if (gBias == entries.end())
        return bad("tensor 'g.bias' is missing");
    if (gBias->second.shape.size() != 1 || gBias->second.shape[0] <= 0 || gBias->second.shape[0] % 16 != 0)
        return bad("tensor 'g.bias' must have shape [d] with d a positive multiple of 16");
    const auto d = gBias->second.shape[0];
    const auto r = d / 16;
    const auto classes = entries.find("class_embeddings");
    if (classes == entries.end())
        return bad("tensor 'class_embeddings' is missing");
    if (classes->second.shape.size() != 2 || classes->second.shape[1] != d || classes->second.shape[0] <= 0)
        return bad("tensor 'class_embeddings' must have shape [C, " + std::to_string(d) + "]");

    const std::vector<Expectation> expected = {
        {"h.fc1.weight", {r, d}},
        {"h.fc1.bias", {r}},
        {"h.fc2.weight", {d, r}},
        {"h.fc2.bias", {d}},
        {"g.weight", {d, 2 * d}},
        {"g.bias", {d}},
        {"class_embeddings", classes->second.shape},
        {"logit_scale", {}},
    };
    Bundle bundle;
    bundle.dim = static_cast<int>(d);
    bundle.hidden = static_cast<int>(r);
    std::vector<std::vector<float>*> targets = {&bundle.fc1Weight,       &bundle.fc1Bias, &bundle.fc2Weight,
                                                &bundle.fc2Bias,         &bundle.gWeight, &bundle.gBias,
                                                &bundle.classEmbeddings, nullptr};
    std::vector<float> scale;
    targets.back() = &scale;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto& e = expected[i];
        const auto it = entries.find(e.name);
        if (it == entries.end())
            return bad(std::string("tensor '") + e.name + "' is missing");
        auto shape = it->second.shape;
        if (std::string(e.name) == "logit_scale" && shape == std::vector<std::int64_t>{1})
            shape.clear(); // tolerate [1] from writers that cannot express a scalar
        if (shape != e.shape)
            return bad(std::string("tensor '") + e.name + "' has shape " + c10::str(c10::IntArrayRef(it->second.shape))
                       + ", expected " + c10::str(c10::IntArrayRef(e.shape)));
        auto values = file->readFloat32(e.name);
        if (!values.ok())
            return values.error();
        *targets[i] = std::move(values.value());
    }
    bundle.logitScale = scale.front();
    if (!(bundle.logitScale > 0.0f))
        return bad("logit_scale must be a positive multiplier (exp of CLIP's logit_scale)");

    const auto& metadata = file->metadata();
    const auto manifest = metadata.find(kManifestKey);
    if (manifest == metadata.end())
        return bad("the header has no \"aape\" manifest in __metadata__");
    try {
        bundle.manifest = nlohmann::json::parse(manifest->second);
    } catch (const nlohmann::json::exception& e) {
        return bad(std::string("the manifest is not valid JSON: ") + e.what());
    }
    if (!bundle.manifest.is_object() || !bundle.manifest.contains("format_version")
        || !bundle.manifest["format_version"].is_number_integer())
        return bad("the manifest has no integer format_version");
    if (bundle.manifest["format_version"].get<int>() > kBundleFormatVersion)
        return makeError(ErrorCode::Unsupported,
                         "This prompt generator was written by a newer AAPE Studio; update the app to load it.", path,
                         "format_version " + bundle.manifest["format_version"].dump());
    if (bundle.manifest.contains("class_names")) {
        const auto& names = bundle.manifest["class_names"];
        if (!names.is_array() || (!names.empty() && static_cast<int>(names.size()) != bundle.classCount()))
            return bad("the manifest's class_names do not match class_embeddings");
        for (const auto& name : names) {
            if (!name.is_string())
                return bad("the manifest's class_names must be strings");
            bundle.classNames.push_back(name.get<std::string>());
        }
    }
    bundle.path = path;

    // The OOD score the bundle was exported with (bundles before it had none: max_softmax). A
    // name this version does not know falls back to max_softmax too: predictions still work.
    const auto ood = bundle.manifest.find("ood_score");
    if (ood != bundle.manifest.end() && ood->is_object() && ood->contains("name") && (*ood)["name"].is_string())
        bundle.oodScore = parseOodScoreKind((*ood)["name"].get<std::string>()).value_or(OodScoreKind::MaxSoftmax);
    if (oodScoreNeedsReference(bundle.oodScore)) {
        const auto prototypes = entries.find("ood.prototypes");
        if (prototypes == entries.end())
            return bad("tensor 'ood.prototypes' is missing, which the manifest's ood_score needs");
        const auto& shape = prototypes->second.shape;
        if (shape.size() != 2 || shape[1] != d || shape[0] <= 0 || shape[0] > bundle.classCount())
            return bad("tensor 'ood.prototypes' must have shape [P, " + std::to_string(d)
                       + "] with P at most the "
                         "number of classes");
        std::vector<std::pair<const char*, std::vector<std::int64_t>>> wanted = {{"ood.prototypes", shape}};
        if (bundle.oodScore == OodScoreKind::Mahalanobis) {
            wanted.push_back({"ood.means", shape});
            wanted.push_back({"ood.precision", {d, d}});
        }
        std::vector<std::vector<float>*> into = {&bundle.oodReference.prototypes, &bundle.oodReference.means,
                                                 &bundle.oodReference.precision};
        for (std::size_t i = 0; i < wanted.size(); ++i) {
            const auto it = entries.find(wanted[i].first);
            if (it == entries.end())
                return bad(std::string("tensor '") + wanted[i].first
                           + "' is missing, which the manifest's ood_score needs");
            if (it->second.shape != wanted[i].second)
                return bad(std::string("tensor '") + wanted[i].first + "' has shape "
                           + c10::str(c10::IntArrayRef(it->second.shape)) + ", expected "
                           + c10::str(c10::IntArrayRef(wanted[i].second)));
            auto values = file->readFloat32(wanted[i].first);
            if (!values.ok())
                return values.error();
            *into[i] = std::move(values.value());
        }
        bundle.oodReference.dim = bundle.dim;
    }
    return bundle;
}

Result<std::vector<float>> predict(const Bundle& bundle, const std::vector<float>& imageEmbeddings,
                                   const std::vector<float>& extraClassEmbeddings)
{
    const auto d = static_cast<std::int64_t>(bundle.dim);
    if (d <= 0 || imageEmbeddings.size() % static_cast<std::size_t>(d) != 0
        || extraClassEmbeddings.size() % static_cast<std::size_t>(d) != 0)
        return makeError(ErrorCode::ShapeMismatch, "The embeddings do not match the prompt generator's dimension; use "
                                                   "the same CLIP model it was trained with.");
    try {
        torch::NoGradGuard noGrad;
        const auto n = static_cast<std::int64_t>(imageEmbeddings.size()) / d;
        const auto r = static_cast<std::int64_t>(bundle.hidden);
        const auto x = toTensor(imageEmbeddings, {n, d});
        auto templates = toTensor(bundle.classEmbeddings, {bundle.classCount(), d});
        if (!extraClassEmbeddings.empty())
            templates =
                torch::cat({templates, toTensor(extraClassEmbeddings,
                                                {static_cast<std::int64_t>(extraClassEmbeddings.size()) / d, d})});
        const auto h = torch::linear(
            torch::relu(torch::linear(x, toTensor(bundle.fc1Weight, {r, d}), toTensor(bundle.fc1Bias, {r}))),
            toTensor(bundle.fc2Weight, {d, r}), toTensor(bundle.fc2Bias, {d})); // [N, d]
        const auto g = toTensor(bundle.gWeight, {d, 2 * d});
        const auto classTerm = torch::mm(templates, g.narrow(1, 0, d).t());                         // [C, d]
        const auto imageTerm = torch::addmm(toTensor(bundle.gBias, {d}), h, g.narrow(1, d, d).t()); // [N, d]
        return detail::toVector(detail::combinerCosine(classTerm, imageTerm, x) * bundle.logitScale);
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Internal,
                         "Prediction failed unexpectedly; please report it together with the log file.", bundle.path,
                         e.what());
    }
}

} // namespace aape

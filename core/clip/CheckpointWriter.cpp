#include "aape/clip/CheckpointWriter.h"

#include "clip/ClipWeights.h"

#include "aape/util/Json.h"
#include "aape/util/SafeTensors.h"

#include <torch/script.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <random>

namespace fs = std::filesystem;

namespace aape::clip {

namespace detail {

namespace {

// Deterministic normal samples from mt19937_64 (whose output the standard fixes) via
// Box-Muller, so generated checkpoints are identical on every platform and LibTorch version.
class NormalSource {
public:
    explicit NormalSource(std::uint64_t seed)
        : m_rng(seed)
    {}
    torch::Tensor sample(std::vector<std::int64_t> shape, double stddev, double mean = 0.0)
    {
        auto tensor = torch::empty(shape, torch::kFloat32);
        float* data = tensor.data_ptr<float>();
        for (std::int64_t i = 0; i < tensor.numel(); ++i)
            data[i] = static_cast<float>(mean + stddev * next());
        return tensor;
    }

private:
    double uniform() { return (static_cast<double>(m_rng() >> 11) + 0.5) * (1.0 / 9007199254740992.0); }
    double next()
    {
        if (m_hasSpare) {
            m_hasSpare = false;
            return m_spare;
        }
        const double u1 = uniform(), u2 = uniform();
        const double radius = std::sqrt(-2.0 * std::log(u1));
        m_spare = radius * std::sin(2.0 * M_PI * u2);
        m_hasSpare = true;
        return radius * std::cos(2.0 * M_PI * u2);
    }
    std::mt19937_64 m_rng;
    bool m_hasSpare = false;
    double m_spare = 0.0;
};

void addBlocks(WeightMap& w, NormalSource& normal, const std::string& prefix, int layers, int width, int mlp,
               bool perturb)
{
    const double attnStd = std::pow(width, -0.5);
    const double projStd = attnStd * std::pow(2.0 * layers, -0.5);
    const double fcStd = std::pow(2.0 * width, -0.5);
    const double normJitter = perturb ? 0.1 : 0.0;
    const double biasJitter = perturb ? 0.02 : 0.0;
    for (int i = 0; i < layers; ++i) {
        const std::string p = prefix + std::to_string(i) + ".";
        w[p + "ln_1.weight"] = normal.sample({width}, normJitter, 1.0);
        w[p + "ln_1.bias"] = normal.sample({width}, normJitter);
        w[p + "attn.in_proj_weight"] = normal.sample({3 * width, width}, attnStd);
        w[p + "attn.in_proj_bias"] = normal.sample({3 * width}, biasJitter);
        w[p + "attn.out_proj.weight"] = normal.sample({width, width}, projStd);
        w[p + "attn.out_proj.bias"] = normal.sample({width}, biasJitter);
        w[p + "ln_2.weight"] = normal.sample({width}, normJitter, 1.0);
        w[p + "ln_2.bias"] = normal.sample({width}, normJitter);
        w[p + "mlp.c_fc.weight"] = normal.sample({mlp, width}, fcStd);
        w[p + "mlp.c_fc.bias"] = normal.sample({mlp}, biasJitter);
        w[p + "mlp.c_proj.weight"] = normal.sample({width, mlp}, projStd);
        w[p + "mlp.c_proj.bias"] = normal.sample({width}, biasJitter);
    }
}

st::TensorToWrite toWrite(const std::string& name, const torch::Tensor& tensor)
{
    const torch::Tensor values = tensor.to(torch::kFloat32).contiguous();
    return st::float32Tensor(name, values.sizes().vec(), values.data_ptr<float>());
}

// OpenAI name -> (HF name, transpose). q/k/v are split separately.
WeightMap toHuggingFaceNames(const WeightMap& weights, const ClipConfig& config)
{
    WeightMap hf;
    const std::pair<const char*, const char*> top[] = {
        {"token_embedding.weight", "text_model.embeddings.token_embedding.weight"},
        {"positional_embedding", "text_model.embeddings.position_embedding.weight"},
        {"ln_final.weight", "text_model.final_layer_norm.weight"},
        {"ln_final.bias", "text_model.final_layer_norm.bias"},
        {"visual.class_embedding", "vision_model.embeddings.class_embedding"},
        {"visual.conv1.weight", "vision_model.embeddings.patch_embedding.weight"},
        {"visual.positional_embedding", "vision_model.embeddings.position_embedding.weight"},
        {"visual.ln_pre.weight", "vision_model.pre_layrnorm.weight"},
        {"visual.ln_pre.bias", "vision_model.pre_layrnorm.bias"},
        {"visual.ln_post.weight", "vision_model.post_layernorm.weight"},
        {"visual.ln_post.bias", "vision_model.post_layernorm.bias"},
        {"logit_scale", "logit_scale"},
    };
    for (const auto& [from, to] : top)
        hf[to] = weights.at(from);
    hf["text_projection.weight"] = weights.at("text_projection").t().contiguous();
    hf["visual_projection.weight"] = weights.at("visual.proj").t().contiguous();
    const std::pair<const char*, const char*> layer[] = {
        {"ln_1.weight", "layer_norm1.weight"},
        {"ln_1.bias", "layer_norm1.bias"},
        {"ln_2.weight", "layer_norm2.weight"},
        {"ln_2.bias", "layer_norm2.bias"},
        {"mlp.c_fc.weight", "mlp.fc1.weight"},
        {"mlp.c_fc.bias", "mlp.fc1.bias"},
        {"mlp.c_proj.weight", "mlp.fc2.weight"},
        {"mlp.c_proj.bias", "mlp.fc2.bias"},
        {"attn.out_proj.weight", "self_attn.out_proj.weight"},
        {"attn.out_proj.bias", "self_attn.out_proj.bias"},
    };
    auto blocks = [&](const std::string& from, const std::string& to, int layers) {
        for (int i = 0; i < layers; ++i) {
            const std::string f = from + std::to_string(i) + ".";
            const std::string t = to + std::to_string(i) + ".";
            for (const auto& [a, b] : layer)
                hf[t + b] = weights.at(f + a);
            const auto qkvWeight = weights.at(f + "attn.in_proj_weight").chunk(3, 0);
            const auto qkvBias = weights.at(f + "attn.in_proj_bias").chunk(3, 0);
            const char* names[] = {"q", "k", "v"};
            for (int j = 0; j < 3; ++j) {
                hf[t + "self_attn." + names[j] + "_proj.weight"] = qkvWeight[j].contiguous();
                hf[t + "self_attn." + names[j] + "_proj.bias"] = qkvBias[j].contiguous();
            }
        }
    };
    blocks("transformer.resblocks.", "text_model.encoder.layers.", config.text.layers);
    blocks("visual.transformer.resblocks.", "vision_model.encoder.layers.", config.vision.layers);
    return hf;
}

} // namespace

WeightMap randomWeights(const ClipConfig& config, std::uint64_t seed, bool perturbNorms, float logitScaleLog)
{
    NormalSource normal(seed);
    WeightMap w;
    const auto& v = config.vision;
    const auto& t = config.text;
    const double visionScale = std::pow(v.width, -0.5);
    const int grid = v.imageSize / v.patchSize;
    const double normJitter = perturbNorms ? 0.1 : 0.0;
    w["visual.conv1.weight"] =
        normal.sample({v.width, 3, v.patchSize, v.patchSize}, std::pow(3.0 * v.patchSize * v.patchSize, -0.5));
    w["visual.class_embedding"] = normal.sample({v.width}, visionScale);
    w["visual.positional_embedding"] = normal.sample({grid * grid + 1, v.width}, visionScale);
    w["visual.ln_pre.weight"] = normal.sample({v.width}, normJitter, 1.0);
    w["visual.ln_pre.bias"] = normal.sample({v.width}, normJitter);
    addBlocks(w, normal, "visual.transformer.resblocks.", v.layers, v.width, v.mlpWidth, perturbNorms);
    w["visual.ln_post.weight"] = normal.sample({v.width}, normJitter, 1.0);
    w["visual.ln_post.bias"] = normal.sample({v.width}, normJitter);
    w["visual.proj"] = normal.sample({v.width, config.embedDim}, visionScale);
    w["token_embedding.weight"] = normal.sample({t.vocabSize, t.width}, 0.02);
    w["positional_embedding"] = normal.sample({t.contextLength, t.width}, 0.01);
    addBlocks(w, normal, "transformer.resblocks.", t.layers, t.width, t.mlpWidth, perturbNorms);
    w["ln_final.weight"] = normal.sample({t.width}, normJitter, 1.0);
    w["ln_final.bias"] = normal.sample({t.width}, normJitter);
    w["text_projection"] = normal.sample({t.width, config.embedDim}, std::pow(t.width, -0.5));
    w["logit_scale"] = torch::tensor(logitScaleLog);
    return w;
}

Status writeHuggingFace(const std::string& folder, const ClipConfig& config, const ImageNormalisation& normalisation,
                        const WeightMap& weights, int shards)
{
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec)
        return makeError(ErrorCode::FileWrite, "cannot create the folder", folder, ec.message());
    const char* act = activationName(config.activation);
    nlohmann::json json = {
        {"architectures", {"CLIPModel"}},
        {"model_type", "clip"},
        {"projection_dim", config.embedDim},
        {"logit_scale_init_value", 2.6592},
        {"torch_dtype", "float32"},
        {"text_config",
         {{"model_type", "clip_text_model"},
          {"vocab_size", config.text.vocabSize},
          {"hidden_size", config.text.width},
          {"intermediate_size", config.text.mlpWidth},
          {"projection_dim", config.embedDim},
          {"num_hidden_layers", config.text.layers},
          {"num_attention_heads", config.text.heads},
          {"max_position_embeddings", config.text.contextLength},
          {"hidden_act", act},
          {"layer_norm_eps", config.layerNormEps},
          {"bos_token_id", config.text.vocabSize - 2},
          {"eos_token_id", config.text.vocabSize - 1}}},
        {"vision_config",
         {{"model_type", "clip_vision_model"},
          {"hidden_size", config.vision.width},
          {"intermediate_size", config.vision.mlpWidth},
          {"projection_dim", config.embedDim},
          {"num_hidden_layers", config.vision.layers},
          {"num_attention_heads", config.vision.heads},
          {"num_channels", 3},
          {"image_size", config.vision.imageSize},
          {"patch_size", config.vision.patchSize},
          {"hidden_act", act},
          {"layer_norm_eps", config.layerNormEps}}},
    };
    if (auto status = writeFileAtomically((fs::path(folder) / "config.json").string(), json.dump(2) + "\n"); !status)
        return status;
    nlohmann::json pre = {
        {"crop_size", {{"height", normalisation.imageSize}, {"width", normalisation.imageSize}}},
        {"do_center_crop", true},
        {"do_convert_rgb", true},
        {"do_normalize", true},
        {"do_rescale", true},
        {"do_resize", true},
        {"image_mean", normalisation.mean},
        {"image_std", normalisation.std},
        {"image_processor_type", "CLIPImageProcessor"},
        {"resample", 3},
        {"rescale_factor", 1.0 / 255.0},
        {"size", {{"shortest_edge", normalisation.imageSize}}},
    };
    if (auto status = writeFileAtomically((fs::path(folder) / "preprocessor_config.json").string(), pre.dump(2) + "\n");
        !status)
        return status;

    const WeightMap hf = toHuggingFaceNames(weights, config);
    if (shards <= 1) {
        std::vector<st::TensorToWrite> tensors;
        for (const auto& [name, tensor] : hf)
            tensors.push_back(toWrite(name, tensor));
        return st::writeSafeTensors((fs::path(folder) / "model.safetensors").string(), tensors, {{"format", "pt"}});
    }
    std::vector<std::vector<st::TensorToWrite>> parts(static_cast<std::size_t>(shards));
    nlohmann::json weightMap = nlohmann::json::object();
    int index = 0;
    for (const auto& [name, tensor] : hf) {
        const int shard = index++ % shards;
        char fileName[64];
        std::snprintf(fileName, sizeof fileName, "model-%05d-of-%05d.safetensors", shard + 1, shards);
        parts[static_cast<std::size_t>(shard)].push_back(toWrite(name, tensor));
        weightMap[name] = fileName;
    }
    for (int shard = 0; shard < shards; ++shard) {
        char fileName[64];
        std::snprintf(fileName, sizeof fileName, "model-%05d-of-%05d.safetensors", shard + 1, shards);
        if (auto status = st::writeSafeTensors((fs::path(folder) / fileName).string(),
                                               parts[static_cast<std::size_t>(shard)], {{"format", "pt"}});
            !status)
            return status;
    }
    nlohmann::json indexJson = {{"metadata", nlohmann::json::object()}, {"weight_map", weightMap}};
    return writeFileAtomically((fs::path(folder) / "model.safetensors.index.json").string(), indexJson.dump(2) + "\n");
}

Status writeOpenAITorchScript(const std::string& file, const ClipConfig& config, const WeightMap& weights)
{
    try {
        // Build the module tree from the dotted names; every class needs a distinct name.
        int classCounter = 0;
        auto newModule = [&]() {
            return torch::jit::Module(
                c10::QualifiedName("__torch__.aape.generated.Module" + std::to_string(classCounter++)));
        };
        struct Node {
            std::map<std::string, Node> children;
            std::map<std::string, torch::Tensor> parameters;
        };
        Node root;
        for (const auto& [name, tensor] : weights) {
            Node* node = &root;
            std::size_t start = 0;
            for (std::size_t dot = name.find('.'); dot != std::string::npos; dot = name.find('.', start)) {
                node = &node->children[name.substr(start, dot - start)];
                start = dot + 1;
            }
            // OpenAI archives hold float16 weights; LayerNorms and the like stay float16 too.
            node->parameters[name.substr(start)] = tensor.to(torch::kFloat16);
        }
        std::function<torch::jit::Module(const Node&, const std::string&)> build = [&](const Node& node,
                                                                                       const std::string& path) {
            torch::jit::Module module = newModule();
            for (const auto& [name, tensor] : node.parameters)
                module.register_parameter(name, tensor, /*is_buffer=*/false);
            if (path == "visual.transformer.resblocks.0.attn" || path == "transformer.resblocks.0.attn"
                || (path.size() > 5 && path.compare(path.size() - 5, 5, ".attn") == 0)) {
                const bool visual = path.rfind("visual.", 0) == 0;
                module.register_attribute("num_heads", c10::IntType::get(),
                                          visual ? config.vision.heads : config.text.heads);
            }
            for (const auto& [name, child] : node.children)
                module.register_module(name, build(child, path.empty() ? name : path + "." + name));
            return module;
        };
        torch::jit::Module module = build(root, "");
        module.register_attribute("input_resolution", c10::IntType::get(), config.vision.imageSize);
        module.register_attribute("context_length", c10::IntType::get(), config.text.contextLength);
        module.register_attribute("vocab_size", c10::IntType::get(), config.text.vocabSize);
        module.save(file);
    } catch (const std::exception& e) {
        return makeError(ErrorCode::FileWrite, "could not write the TorchScript archive", file, e.what());
    }
    return {};
}

Status writeOpenClip(const std::string& file, const ClipConfig& config, const WeightMap& weights)
{
    const fs::path path(file);
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    nlohmann::json openClipConfig = {
        {"model_cfg",
         {{"embed_dim", config.embedDim},
          {"quick_gelu", config.activation == Activation::QuickGelu},
          {"vision_cfg",
           {{"image_size", config.vision.imageSize},
            {"layers", config.vision.layers},
            {"width", config.vision.width},
            {"head_width", config.vision.width / config.vision.heads},
            {"patch_size", config.vision.patchSize}}},
          {"text_cfg",
           {{"context_length", config.text.contextLength},
            {"vocab_size", config.text.vocabSize},
            {"width", config.text.width},
            {"heads", config.text.heads},
            {"layers", config.text.layers}}}}},
        {"preprocess_cfg",
         {{"mean", {0.48145466, 0.4578275, 0.40821073}}, {"std", {0.26862954, 0.26130258, 0.27577711}}}},
    };
    if (auto status =
            writeFileAtomically((path.parent_path() / "open_clip_config.json").string(), openClipConfig.dump(2) + "\n");
        !status)
        return status;
    if (path.extension() == ".safetensors") {
        std::vector<st::TensorToWrite> tensors;
        for (const auto& [name, tensor] : weights)
            tensors.push_back(toWrite(name, tensor));
        return st::writeSafeTensors(file, tensors);
    }
    try {
        // As a DataParallel-trained open_clip checkpoint: {"state_dict": {"module.<name>": tensor}}.
        c10::Dict<std::string, torch::Tensor> stateDict;
        for (const auto& [name, tensor] : weights)
            stateDict.insert("module." + name, tensor);
        c10::impl::GenericDict wrapper(c10::StringType::get(), c10::AnyType::get());
        wrapper.insert(c10::IValue(std::string("epoch")), c10::IValue(static_cast<std::int64_t>(32)));
        wrapper.insert(c10::IValue(std::string("state_dict")), c10::IValue(stateDict));
        const std::vector<char> bytes = torch::pickle_save(c10::IValue(wrapper));
        return writeFileAtomically(file, std::string(bytes.begin(), bytes.end()));
    } catch (const std::exception& e) {
        return makeError(ErrorCode::FileWrite, "could not write the state dict", file, e.what());
    }
}

} // namespace detail

Result<ClipConfig> clipPreset(const std::string& name)
{
    ClipConfig config;
    if (name == "ViT-B/32" || name == "ViT-B/16") {
        config.embedDim = 512;
        config.vision = {224, name == "ViT-B/32" ? 32 : 16, 768, 12, 12, 3072};
        config.text = {49408, 77, 512, 12, 8, 2048};
    } else if (name == "ViT-L/14") {
        config.embedDim = 768;
        config.vision = {224, 14, 1024, 24, 16, 4096};
        config.text = {49408, 77, 768, 12, 12, 3072};
    } else if (name == "tiny") {
        config.embedDim = 32;
        config.vision = {32, 8, 32, 2, 2, 128};
        config.text = {49408, 77, 24, 2, 2, 96};
    } else {
        return makeError(ErrorCode::InvalidArgument,
                         "unknown architecture '" + name + "'; choose ViT-B/32, ViT-B/16, ViT-L/14 or tiny");
    }
    return config;
}

Status writeRandomHuggingFaceClip(const std::string& folder, const RandomClipOptions& options)
{
    try {
        torch::NoGradGuard noGrad;
        const auto weights =
            detail::randomWeights(options.config, options.seed, options.perturbNorms, options.logitScaleLog);
        ImageNormalisation normalisation;
        normalisation.imageSize = options.config.vision.imageSize;
        return detail::writeHuggingFace(folder, options.config, normalisation, weights);
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Internal, "could not generate the checkpoint", folder, e.what());
    }
}

Status writeRandomClipInAllFormats(const std::string& folder, const RandomClipOptions& options)
{
    try {
        torch::NoGradGuard noGrad;
        auto weights = detail::randomWeights(options.config, options.seed, options.perturbNorms, options.logitScaleLog);
        for (auto& [name, tensor] : weights)
            tensor = tensor.to(torch::kFloat16).to(torch::kFloat32);
        ImageNormalisation normalisation;
        normalisation.imageSize = options.config.vision.imageSize;
        const fs::path root(folder);
        if (auto s = detail::writeHuggingFace((root / "hf").string(), options.config, normalisation, weights); !s)
            return s;
        if (auto s =
                detail::writeHuggingFace((root / "hf-sharded").string(), options.config, normalisation, weights, 2);
            !s)
            return s;
        if (auto s = detail::writeOpenAITorchScript((root / "openai.pt").string(), options.config, weights); !s)
            return s;
        if (auto s = detail::writeOpenClip((root / "open_clip" / "model.pt").string(), options.config, weights); !s)
            return s;
        return detail::writeOpenClip((root / "open_clip" / "model.safetensors").string(), options.config, weights);
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Internal, "could not generate the checkpoints", folder, e.what());
    }
}

} // namespace aape::clip

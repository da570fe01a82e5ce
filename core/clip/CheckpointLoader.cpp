#include "clip/ClipWeights.h"

#include "aape/clip/ClipModel.h"
#include "aape/util/Json.h"
#include "aape/util/SafeTensors.h"

#include <torch/script.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <regex>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace aape::clip {

const char* activationName(Activation activation)
{
    return activation == Activation::Gelu ? "gelu" : "quick_gelu";
}

const char* checkpointFormatName(CheckpointFormat format)
{
    switch (format) {
    case CheckpointFormat::HuggingFace: return "huggingface";
    case CheckpointFormat::OpenAITorchScript: return "openai-torchscript";
    case CheckpointFormat::OpenClip: return "open_clip";
    }
    return "unknown";
}

std::string ModelInfo::architecture() const
{
    std::ostringstream out;
    out << "ViT " << config.vision.layers << "x" << config.vision.width << " patch " << config.vision.patchSize << " "
        << config.vision.imageSize << "px, text " << config.text.layers << "x" << config.text.width << ", embed "
        << config.embedDim;
    return out.str();
}

namespace detail {

namespace {

// What every "this is no checkpoint" message tells the user to do.
const char* const kChooseCheckpoint = "choose a Hugging Face CLIP folder, an OpenAI .pt archive or an open_clip file";

Error checkpointError(const std::string& path, const std::string& message, const std::string& detail = {})
{
    return makeError(ErrorCode::BadFormat, message, path, detail);
}

// What a file certainly is when it is no checkpoint at all, from its first bytes or, for text
// files, its name ("a PNG image"); empty when it may be one. Users pick a picture or the
// tokenizer file by mistake: say so instead of what the pickle reader thought of its bytes.
std::string recognisedNonCheckpoint(const fs::path& file)
{
    std::ifstream in(file, std::ios::binary);
    unsigned char b[16] = {};
    in.read(reinterpret_cast<char*>(b), sizeof b);
    const auto n = static_cast<std::size_t>(in.gcount());
    const auto starts = [&](const char* magic, std::size_t length, std::size_t at = 0) {
        return n >= at + length && std::memcmp(b + at, magic, length) == 0;
    };
    if (starts("\x89PNG\r\n\x1a\n", 8))
        return "a PNG image";
    if (starts("\xff\xd8\xff", 3))
        return "a JPEG image";
    if (starts("GIF87a", 6) || starts("GIF89a", 6))
        return "a GIF image";
    if (starts("II*\0", 4) || starts("MM\0*", 4))
        return "a TIFF image";
    if (starts("RIFF", 4) && starts("WEBP", 4, 8))
        return "a WebP image";
    if (starts("BM", 2) && n >= 6) {
        // The BMP header's second field is the file size: a check that random bytes fail.
        const std::uint32_t declared = b[2] | (b[3] << 8) | (b[4] << 16) | (std::uint32_t(b[5]) << 24);
        std::error_code ec;
        if (declared == fs::file_size(file, ec))
            return "a BMP image";
    }
    if (starts("%PDF", 4))
        return "a PDF document";
    if (starts("\x1f\x8b", 2))
        return "a gzip-compressed file (the tokenizer vocabulary?)";
    std::string ext = file.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    if (ext == ".json")
        return "a JSON file (to open a Hugging Face model, choose the folder that holds its config.json)";
    if (ext == ".txt" || ext == ".csv" || ext == ".md")
        return "a text file";
    return {};
}

torch::Tensor tensorFromBytes(const std::vector<std::uint8_t>& bytes, st::DType dtype,
                              const std::vector<std::int64_t>& shape)
{
    torch::ScalarType type = torch::kFloat32;
    switch (dtype) {
    case st::DType::F64: type = torch::kFloat64; break;
    case st::DType::F32: type = torch::kFloat32; break;
    case st::DType::F16: type = torch::kFloat16; break;
    case st::DType::BF16: type = torch::kBFloat16; break;
    case st::DType::I64: type = torch::kInt64; break;
    case st::DType::I32: type = torch::kInt32; break;
    case st::DType::I16: type = torch::kInt16; break;
    case st::DType::I8: type = torch::kInt8; break;
    case st::DType::U8: type = torch::kUInt8; break;
    case st::DType::Bool: type = torch::kBool; break;
    }
    auto tensor = torch::empty(shape, torch::TensorOptions().dtype(type));
    if (!bytes.empty())
        std::memcpy(tensor.data_ptr(), bytes.data(), bytes.size());
    return tensor;
}

// Shapes only (for inspection) or shapes + tensors.
struct RawTensors {
    std::map<std::string, std::vector<std::int64_t>> shapes;
    WeightMap tensors;
};

Status readSafetensorsInto(const std::string& file, bool weights, RawTensors& raw,
                           const std::set<std::string>* only = nullptr)
{
    auto opened = st::SafeTensorsFile::open(file);
    if (!opened)
        return opened.error();
    for (const auto& [name, entry] : opened->tensors()) {
        if (only && !only->count(name))
            continue;
        raw.shapes[name] = entry.shape;
        if (!weights)
            continue;
        auto bytes = opened->readBytes(name);
        if (!bytes)
            return bytes.error();
        raw.tensors[name] = tensorFromBytes(bytes.value(), entry.dtype, entry.shape).to(torch::kFloat32);
    }
    return {};
}

std::string stripPrefix(const std::string& name)
{
    if (name.rfind("module.", 0) == 0)
        return name.substr(7);
    return name;
}

// Reads a torch.save()d state dict (zip format), possibly wrapped in {"state_dict": ...}.
Status readStateDict(const std::string& path, RawTensors& raw)
{
    auto bytes = readFileBytes(path);
    if (!bytes)
        return bytes.error();
    std::vector<char> data(bytes->begin(), bytes->end());
    c10::IValue value;
    try {
        value = torch::pickle_load(data);
    } catch (const std::exception& e) {
        return checkpointError(path,
                               std::string("This file is neither a TorchScript archive nor a torch.save() state dict "
                                           "that can be read; ")
                                   + kChooseCheckpoint + ".",
                               e.what());
    }
    if (value.isGenericDict()) {
        auto dict = value.toGenericDict();
        for (const char* wrapper : {"state_dict", "model", "model_state_dict"}) {
            if (dict.contains(wrapper) && dict.at(wrapper).isGenericDict()) {
                value = dict.at(wrapper);
                break;
            }
        }
    }
    if (!value.isGenericDict())
        return checkpointError(path, std::string("This file holds no dictionary of tensors (state dict); ")
                                         + kChooseCheckpoint + ".");
    for (const auto& item : value.toGenericDict()) {
        if (!item.key().isString() || !item.value().isTensor())
            continue;
        const std::string name = stripPrefix(item.key().toStringRef());
        torch::Tensor tensor = item.value().toTensor();
        raw.shapes[name] = tensor.sizes().vec();
        if (tensor.is_floating_point())
            raw.tensors[name] = tensor.to(torch::kFloat32).contiguous();
    }
    return {};
}

int countBlocks(const std::map<std::string, std::vector<std::int64_t>>& shapes, const std::string& prefix)
{
    int count = 0;
    while (shapes.count(prefix + std::to_string(count) + ".attn.in_proj_weight"))
        ++count;
    return count;
}

const std::vector<std::int64_t>* shapeOf(const std::map<std::string, std::vector<std::int64_t>>& shapes,
                                         const std::string& name)
{
    auto it = shapes.find(name);
    return it == shapes.end() ? nullptr : &it->second;
}

// Geometry from OpenAI-named shapes, as clip.build_model() infers it. Heads are not in the
// shapes: visionHeads/textHeads <= 0 means "width / 64" (OpenAI's rule).
Result<ClipConfig> inferConfig(const std::map<std::string, std::vector<std::int64_t>>& shapes, const std::string& path,
                               int visionHeads, int textHeads)
{
    if (shapes.count("visual.layer1.0.conv1.weight") || shapes.count("visual.attnpool.positional_embedding"))
        return makeError(ErrorCode::Unsupported,
                         "This is a ResNet-based CLIP; AAPE Studio supports ViT-based CLIP models: choose one such as "
                         "ViT-B/16.",
                         path);
    const char* required[] = {"visual.conv1.weight",    "visual.positional_embedding", "visual.proj",
                              "token_embedding.weight", "positional_embedding",        "text_projection",
                              "ln_final.weight"};
    for (const char* name : required) {
        if (!shapes.count(name))
            return checkpointError(path,
                                   std::string("This file holds no CLIP model that AAPE Studio recognises; ")
                                       + kChooseCheckpoint + ".",
                                   std::string("the tensor '") + name + "' is missing");
    }
    ClipConfig config;
    const auto& conv = *shapeOf(shapes, "visual.conv1.weight");
    const auto& visualPos = *shapeOf(shapes, "visual.positional_embedding");
    const auto& visualProj = *shapeOf(shapes, "visual.proj");
    const auto& tokenEmb = *shapeOf(shapes, "token_embedding.weight");
    const auto& textPos = *shapeOf(shapes, "positional_embedding");
    const auto& textProj = *shapeOf(shapes, "text_projection");
    if (conv.size() != 4 || conv[1] != 3 || conv[2] != conv[3] || visualPos.size() != 2 || visualProj.size() != 2
        || tokenEmb.size() != 2 || textPos.size() != 2 || textProj.size() != 2)
        return makeError(ErrorCode::ShapeMismatch,
                         std::string("The checkpoint's tensor shapes do not form a ViT CLIP model; ")
                             + kChooseCheckpoint + ".",
                         path);
    config.vision.width = static_cast<int>(conv[0]);
    config.vision.patchSize = static_cast<int>(conv[2]);
    const auto grid = static_cast<int>(std::lround(std::sqrt(static_cast<double>(visualPos[0] - 1))));
    if (grid * grid + 1 != visualPos[0])
        return makeError(ErrorCode::ShapeMismatch,
                         std::string("The checkpoint's image position table has an unusual shape, so this is no "
                                     "standard ViT CLIP; ")
                             + kChooseCheckpoint + ".",
                         path, "visual.positional_embedding is not a square grid plus a class token");
    config.vision.imageSize = grid * config.vision.patchSize;
    config.vision.layers = countBlocks(shapes, "visual.transformer.resblocks.");
    config.embedDim = static_cast<int>(textProj[1]);
    config.text.vocabSize = static_cast<int>(tokenEmb[0]);
    config.text.width = static_cast<int>(tokenEmb[1]);
    config.text.contextLength = static_cast<int>(textPos[0]);
    config.text.layers = countBlocks(shapes, "transformer.resblocks.");
    if (config.vision.layers == 0 || config.text.layers == 0)
        return checkpointError(path, std::string("The checkpoint has no transformer blocks under the names CLIP uses; ")
                                         + kChooseCheckpoint + ".");
    if (const auto* fc = shapeOf(shapes, "visual.transformer.resblocks.0.mlp.c_fc.weight"))
        config.vision.mlpWidth = static_cast<int>((*fc)[0]);
    if (const auto* fc = shapeOf(shapes, "transformer.resblocks.0.mlp.c_fc.weight"))
        config.text.mlpWidth = static_cast<int>((*fc)[0]);
    config.vision.heads = visionHeads > 0 ? visionHeads : std::max(1, config.vision.width / 64);
    config.text.heads = textHeads > 0 ? textHeads : std::max(1, config.text.width / 64);
    if (config.vision.width % config.vision.heads != 0 || config.text.width % config.text.heads != 0)
        return makeError(ErrorCode::ShapeMismatch,
                         "The model's attention head count does not divide its width; check the heads in its "
                         "open_clip_config.json or choose another checkpoint.",
                         path);
    if (visualProj[0] != config.vision.width || visualProj[1] != config.embedDim || textProj[0] != config.text.width)
        return makeError(ErrorCode::ShapeMismatch,
                         std::string("The checkpoint's projection shapes do not match its towers, so it is damaged or "
                                     "no CLIP model; ")
                             + kChooseCheckpoint + ".",
                         path);
    return config;
}

// ------------------------------------------------------------------ Hugging Face

const std::map<std::string, std::string>& hfLayerRenames()
{
    static const std::map<std::string, std::string> renames = {
        {"layer_norm1.weight", "ln_1.weight"},
        {"layer_norm1.bias", "ln_1.bias"},
        {"layer_norm2.weight", "ln_2.weight"},
        {"layer_norm2.bias", "ln_2.bias"},
        {"mlp.fc1.weight", "mlp.c_fc.weight"},
        {"mlp.fc1.bias", "mlp.c_fc.bias"},
        {"mlp.fc2.weight", "mlp.c_proj.weight"},
        {"mlp.fc2.bias", "mlp.c_proj.bias"},
        {"self_attn.out_proj.weight", "attn.out_proj.weight"},
        {"self_attn.out_proj.bias", "attn.out_proj.bias"},
    };
    return renames;
}

const std::map<std::string, std::string>& hfTopRenames()
{
    static const std::map<std::string, std::string> renames = {
        {"text_model.embeddings.token_embedding.weight", "token_embedding.weight"},
        {"text_model.embeddings.position_embedding.weight", "positional_embedding"},
        {"text_model.final_layer_norm.weight", "ln_final.weight"},
        {"text_model.final_layer_norm.bias", "ln_final.bias"},
        {"vision_model.embeddings.class_embedding", "visual.class_embedding"},
        {"vision_model.embeddings.patch_embedding.weight", "visual.conv1.weight"},
        {"vision_model.embeddings.position_embedding.weight", "visual.positional_embedding"},
        {"vision_model.pre_layrnorm.weight", "visual.ln_pre.weight"},
        {"vision_model.pre_layrnorm.bias", "visual.ln_pre.bias"},
        {"vision_model.post_layernorm.weight", "visual.ln_post.weight"},
        {"vision_model.post_layernorm.bias", "visual.ln_post.bias"},
        {"logit_scale", "logit_scale"},
    };
    return renames;
}

// Renames shapes (and tensors, if present) from HF to OpenAI names.
RawTensors renameHuggingFace(const RawTensors& hf)
{
    RawTensors out;
    static const std::regex layerPattern(R"(^(text|vision)_model\.encoder\.layers\.(\d+)\.(.+)$)");
    std::map<std::string, std::array<std::string, 3>> qkvWeights, qkvBiases;
    auto put = [&](const std::string& from, const std::string& to, bool transpose) {
        auto shape = hf.shapes.at(from);
        if (transpose && shape.size() == 2)
            std::swap(shape[0], shape[1]);
        out.shapes[to] = shape;
        auto it = hf.tensors.find(from);
        if (it != hf.tensors.end())
            out.tensors[to] = transpose ? it->second.t().contiguous() : it->second;
    };
    for (const auto& [name, shape] : hf.shapes) {
        if (auto top = hfTopRenames().find(name); top != hfTopRenames().end()) {
            put(name, top->second, false);
            continue;
        }
        if (name == "text_projection.weight") {
            put(name, "text_projection", true);
            continue;
        }
        if (name == "visual_projection.weight") {
            put(name, "visual.proj", true);
            continue;
        }
        std::smatch match;
        if (!std::regex_match(name, match, layerPattern))
            continue; // position_ids and other buffers
        const std::string prefix =
            (match[1] == "vision" ? "visual.transformer.resblocks." : "transformer.resblocks.") + match[2].str() + ".";
        const std::string rest = match[3];
        if (auto layer = hfLayerRenames().find(rest); layer != hfLayerRenames().end()) {
            put(name, prefix + layer->second, false);
            continue;
        }
        static const std::regex qkvPattern(R"(^self_attn\.(q|k|v)_proj\.(weight|bias)$)");
        std::smatch qkv;
        if (std::regex_match(rest, qkv, qkvPattern)) {
            const int slot = qkv[1] == "q" ? 0 : (qkv[1] == "k" ? 1 : 2);
            (qkv[2] == "weight" ? qkvWeights : qkvBiases)[prefix][slot] = name;
        }
    }
    auto stack = [&](const std::map<std::string, std::array<std::string, 3>>& parts, const std::string& suffix) {
        for (const auto& [prefix, names] : parts) {
            if (names[0].empty() || names[1].empty() || names[2].empty())
                continue;
            auto shape = hf.shapes.at(names[0]);
            shape[0] *= 3;
            out.shapes[prefix + suffix] = shape;
            if (hf.tensors.count(names[0]) && hf.tensors.count(names[1]) && hf.tensors.count(names[2]))
                out.tensors[prefix + suffix] =
                    torch::cat({hf.tensors.at(names[0]), hf.tensors.at(names[1]), hf.tensors.at(names[2])}, 0);
        }
    };
    stack(qkvWeights, "attn.in_proj_weight");
    stack(qkvBiases, "attn.in_proj_bias");
    return out;
}

Activation parseHfActivation(const std::string& name, bool& known)
{
    known = true;
    if (name == "quick_gelu")
        return Activation::QuickGelu;
    if (name == "gelu" || name == "gelu_new" || name == "gelu_python" || name == "gelu_pytorch_tanh")
        return Activation::Gelu;
    known = false;
    return Activation::QuickGelu;
}

Status readHuggingFaceFolder(const fs::path& folder, bool weights, ModelInfo& info, RawTensors& raw)
{
    const fs::path configPath = folder / "config.json";
    auto config = readJsonFile(configPath.string());
    if (!config)
        return config.error();
    const nlohmann::json& json = config.value();
    if (!json.is_object())
        return checkpointError(configPath.string(), "config.json is not a JSON object");
    const std::string modelType = json.value("model_type", "");
    if (modelType != "clip")
        return makeError(ErrorCode::Unsupported,
                         "config.json declares model_type '" + modelType
                             + "'; AAPE Studio reads Hugging Face CLIPModel folders (model_type \"clip\")",
                         configPath.string());

    RawTensors hf;
    const fs::path single = folder / "model.safetensors";
    const fs::path index = folder / "model.safetensors.index.json";
    if (fs::exists(single)) {
        if (auto status = readSafetensorsInto(single.string(), weights, hf); !status)
            return status;
    } else if (fs::exists(index)) {
        auto indexJson = readJsonFile(index.string());
        if (!indexJson)
            return indexJson.error();
        if (!indexJson->contains("weight_map") || !(*indexJson)["weight_map"].is_object())
            return checkpointError(index.string(), "the shard index has no weight_map");
        std::map<std::string, std::set<std::string>> shards;
        for (const auto& [name, file] : (*indexJson)["weight_map"].items()) {
            if (!file.is_string())
                return checkpointError(index.string(), "the shard index maps '" + name + "' to a non-string");
            const std::string shardName = file.get<std::string>();
            if (shardName.find('/') != std::string::npos || shardName.find("..") != std::string::npos)
                return checkpointError(index.string(), "the shard index names a file outside the folder: " + shardName);
            shards[shardName].insert(name);
        }
        for (const auto& [shardName, names] : shards) {
            if (auto status = readSafetensorsInto((folder / shardName).string(), weights, hf, &names); !status)
                return status;
        }
    } else if (fs::exists(folder / "pytorch_model.bin")) {
        return makeError(ErrorCode::Unsupported,
                         "this Hugging Face folder has only pytorch_model.bin; download the model.safetensors "
                         "version of the same model (safetensors cannot contain code)",
                         folder.string());
    } else {
        return makeError(ErrorCode::FileNotFound,
                         "the folder has config.json but no model.safetensors or model.safetensors.index.json",
                         folder.string());
    }
    raw = renameHuggingFace(hf);

    const auto textConfig = json.value("text_config", nlohmann::json::object());
    const auto visionConfig = json.value("vision_config", nlohmann::json::object());
    // Defaults are those of transformers' CLIPTextConfig / CLIPVisionConfig.
    const auto textHeads = intMember(textConfig, "num_attention_heads", 8, 1, 4096, configPath.string());
    if (!textHeads)
        return textHeads.error();
    const auto visionHeads = intMember(visionConfig, "num_attention_heads", 12, 1, 4096, configPath.string());
    if (!visionHeads)
        return visionHeads.error();
    auto inferred = inferConfig(raw.shapes, folder.string(), visionHeads.value(), textHeads.value());
    if (!inferred)
        return inferred.error();
    info.config = inferred.value();

    const std::string textAct = textConfig.value("hidden_act", "quick_gelu");
    const std::string visionAct = visionConfig.value("hidden_act", "quick_gelu");
    bool knownText = false, knownVision = false;
    const Activation textActivation = parseHfActivation(textAct, knownText);
    const Activation visionActivation = parseHfActivation(visionAct, knownVision);
    if (!knownText || !knownVision)
        return makeError(ErrorCode::Unsupported,
                         "config.json uses the activation '" + (knownText ? visionAct : textAct)
                             + "', which AAPE Studio does not implement",
                         configPath.string());
    if (textActivation != visionActivation)
        return makeError(ErrorCode::Unsupported,
                         "config.json uses different activations for the text and vision towers", configPath.string());
    info.config.activation = textActivation;
    info.activationSource = textConfig.contains("hidden_act")
                                ? "config.json text_config.hidden_act"
                                : "config.json (no hidden_act: transformers' default quick_gelu)";
    const auto eps = doubleMember(textConfig, "layer_norm_eps", 1e-5, 1e-12, 1.0, configPath.string());
    if (!eps)
        return eps.error();
    info.config.layerNormEps = static_cast<float>(eps.value());

    info.normalisation.imageSize = info.config.vision.imageSize;
    const fs::path preprocessor = folder / "preprocessor_config.json";
    if (fs::exists(preprocessor)) {
        auto pre = readJsonFile(preprocessor.string());
        if (!pre)
            return pre.error();
        const std::string preFile = preprocessor.string();
        for (const char* key : {"image_mean", "image_std"}) {
            if (!pre->contains(key))
                continue;
            const auto& values = (*pre)[key];
            if (!values.is_array() || values.size() < 3)
                return checkpointError(preFile, std::string("\"") + key + "\" must be a list of three numbers",
                                       values.dump());
            for (std::size_t c = 0; c < 3; ++c) {
                // A standard deviation divides: it must be positive.
                const double low = std::string(key) == "image_std" ? 1e-6 : -1e6;
                auto value = doubleValue(values[c], key, low, 1e6, preFile);
                if (!value)
                    return value.error();
                (std::string(key) == "image_std" ? info.normalisation.std : info.normalisation.mean)[c] =
                    static_cast<float>(value.value());
            }
        }
        if (pre->contains("crop_size")) {
            const auto& crop = (*pre)["crop_size"];
            // {"height": H, "width": W} in newer files, a plain number in older ones.
            auto size = crop.is_object() || crop.is_null()
                            ? intMember(crop, "height", info.config.vision.imageSize, 1, 16384, preFile)
                            : intValue(crop, "crop_size", 1, 16384, preFile);
            if (!size)
                return size.error();
            info.normalisation.imageSize = size.value();
        }
        if (info.normalisation.imageSize != info.config.vision.imageSize)
            return makeError(ErrorCode::ShapeMismatch,
                             "preprocessor_config.json crops to " + std::to_string(info.normalisation.imageSize)
                                 + " px but the vision tower expects " + std::to_string(info.config.vision.imageSize)
                                 + " px",
                             preprocessor.string());
    } else {
        info.notes.push_back("no preprocessor_config.json: using CLIP's standard mean/std");
    }
    if (fs::exists(folder / "vocab.json"))
        info.vocabPath = (folder / "vocab.json").string();
    if (fs::exists(folder / "merges.txt"))
        info.mergesPath = (folder / "merges.txt").string();
    info.format = CheckpointFormat::HuggingFace;
    return {};
}

// ------------------------------------------------------------------ OpenAI / open_clip files

bool isTorchScriptArchive(const std::string& path)
{
    // A TorchScript zip holds "<root>/code/..." or "<root>/constants.pkl"; a torch.save zip
    // holds only data.pkl and data/. Look for the names in the zip's central directory.
    auto bytes = readFileBytes(path);
    if (!bytes || bytes->size() < 4 || bytes->compare(0, 2, "PK") != 0)
        return false;
    return bytes->find("/constants.pkl") != std::string::npos || bytes->find("/code/") != std::string::npos;
}

Status readTorchScript(const std::string& path, RawTensors& raw, int& visionHeads, int& textHeads)
{
    torch::jit::Module module;
    try {
        module = torch::jit::load(path, torch::kCPU);
    } catch (const std::exception& e) {
        return checkpointError(path,
                               "This TorchScript archive cannot be opened: it is damaged or written by a newer "
                               "PyTorch; download it again or choose another CLIP checkpoint.",
                               e.what());
    }
    for (const auto& parameter : module.named_parameters(/*recurse=*/true)) {
        raw.shapes[parameter.name] = parameter.value.sizes().vec();
        raw.tensors[parameter.name] = parameter.value.detach().to(torch::kFloat32).contiguous();
    }
    for (const auto& child : module.named_modules()) {
        if (!child.value.hasattr("num_heads"))
            continue;
        const auto heads = child.value.attr("num_heads");
        if (!heads.isInt())
            continue;
        if (child.name == "visual.transformer.resblocks.0.attn")
            visionHeads = static_cast<int>(heads.toInt());
        else if (child.name == "transformer.resblocks.0.attn")
            textHeads = static_cast<int>(heads.toInt());
    }
    return {};
}

// open_clip_config.json beside the checkpoint (as open_clip's hub exports write it), or a
// "<name>.json" model config.
struct OpenClipSettings {
    bool found = false;
    bool quickGelu = false;
    int visionHeads = 0;
    int textHeads = 0;
    std::string source;
};

Result<OpenClipSettings> readOpenClipConfig(const fs::path& checkpoint)
{
    OpenClipSettings settings;
    const fs::path candidates[] = {checkpoint.parent_path() / "open_clip_config.json",
                                   fs::path(checkpoint).replace_extension(".json")};
    for (const auto& candidate : candidates) {
        if (!fs::exists(candidate) || candidate == checkpoint)
            continue;
        auto json = readJsonFile(candidate.string());
        if (!json)
            return json.error();
        const nlohmann::json& root = json.value();
        const nlohmann::json modelCfg = root.contains("model_cfg") ? root["model_cfg"] : root;
        if (!modelCfg.is_object())
            continue;
        settings.found = true;
        settings.source = candidate.filename().string();
        settings.quickGelu = modelCfg.contains("quick_gelu") && modelCfg["quick_gelu"].is_boolean()
                             && modelCfg["quick_gelu"].get<bool>();
        const std::string file = candidate.string();
        if (modelCfg.contains("vision_cfg")) {
            const auto& vision = modelCfg["vision_cfg"];
            const auto width = intMember(vision, "width", 0, 0, 1 << 20, file);
            const auto headWidth = intMember(vision, "head_width", 64, 1, 1 << 20, file);
            if (!width || !headWidth)
                return (!width ? width.error() : headWidth.error());
            if (width.value() > 0)
                settings.visionHeads = width.value() / headWidth.value();
        }
        if (modelCfg.contains("text_cfg")) {
            const auto heads = intMember(modelCfg["text_cfg"], "heads", 0, 0, 4096, file);
            if (!heads)
                return heads.error();
            settings.textHeads = heads.value();
        }
        return settings;
    }
    return settings;
}

Status readCheckpointFile(const fs::path& file, bool weights, const std::string& activationOverride, ModelInfo& info,
                          RawTensors& raw)
{
    int visionHeads = 0, textHeads = 0;
    const std::string ext = file.extension().string();
    bool torchScript = false;
    if (ext == ".safetensors") {
        RawTensors loaded;
        if (auto status = readSafetensorsInto(file.string(), weights, loaded); !status)
            return status;
        for (auto& [name, shape] : loaded.shapes)
            raw.shapes[stripPrefix(name)] = shape;
        for (auto& [name, tensor] : loaded.tensors)
            raw.tensors[stripPrefix(name)] = tensor;
        if (raw.shapes.count("text_model.embeddings.token_embedding.weight"))
            return makeError(ErrorCode::Unsupported,
                             "this safetensors file uses Hugging Face tensor names; open the folder that holds it "
                             "together with its config.json",
                             file.string());
    } else if (isTorchScriptArchive(file.string())) {
        torchScript = true;
        if (auto status = readTorchScript(file.string(), raw, visionHeads, textHeads); !status)
            return status;
    } else {
        if (auto status = readStateDict(file.string(), raw); !status)
            return status;
    }

    auto settings = readOpenClipConfig(file);
    if (!settings)
        return settings.error();
    if (settings->visionHeads > 0)
        visionHeads = settings->visionHeads;
    if (settings->textHeads > 0)
        textHeads = settings->textHeads;
    auto inferred = inferConfig(raw.shapes, file.string(), visionHeads, textHeads);
    if (!inferred)
        return inferred.error();
    info.config = inferred.value();
    info.normalisation.imageSize = info.config.vision.imageSize;

    if (torchScript) {
        info.format = CheckpointFormat::OpenAITorchScript;
        info.config.activation = Activation::QuickGelu;
        info.activationSource = "OpenAI CLIP archives always use QuickGELU";
        info.notes.push_back("TorchScript archives can contain code; AAPE Studio copies only the weights out of it "
                             "and never runs that code, but prefer safetensors files from sources you trust less");
    } else {
        info.format = CheckpointFormat::OpenClip;
        if (settings->found) {
            info.config.activation = settings->quickGelu ? Activation::QuickGelu : Activation::Gelu;
            info.activationSource =
                settings->source + (settings->quickGelu ? " quick_gelu: true" : " (quick_gelu not set: GELU)");
        } else {
            // open_clip's own default; OpenAI-trained weights need QuickGELU, so say so loudly.
            info.config.activation = Activation::Gelu;
            info.activationSource = "no open_clip_config.json beside the file: open_clip's default GELU";
            info.notes.push_back("activation not declared by the checkpoint; assumed GELU (open_clip's default). "
                                 "For OpenAI-trained weights choose quick_gelu");
        }
    }
    if (!activationOverride.empty()) {
        if (activationOverride == "gelu")
            info.config.activation = Activation::Gelu;
        else if (activationOverride == "quick_gelu")
            info.config.activation = Activation::QuickGelu;
        else
            return makeError(ErrorCode::InvalidArgument, "the activation must be 'gelu' or 'quick_gelu'");
        info.activationSource = "chosen by the user";
    }

    const fs::path folder = file.parent_path();
    for (const char* name : {"bpe_simple_vocab_16e6.txt.gz", "bpe_simple_vocab_16e6.txt"}) {
        if (fs::exists(folder / name)) {
            info.vocabPath = (folder / name).string();
            break;
        }
    }
    if (info.vocabPath.empty() && fs::exists(folder / "vocab.json") && fs::exists(folder / "merges.txt")) {
        info.vocabPath = (folder / "vocab.json").string();
        info.mergesPath = (folder / "merges.txt").string();
    }
    return {};
}

} // namespace

std::string fingerprintWeights(const WeightMap& weights)
{
    // FNV-1a over names and shapes, then a 64-bit multiply-xorshift over the float words.
    std::uint64_t hash = 1469598103934665603ULL;
    auto mixByte = [&](unsigned char byte) {
        hash ^= byte;
        hash *= 1099511628211ULL;
    };
    for (const auto& [name, tensor] : weights) {
        for (char c : name)
            mixByte(static_cast<unsigned char>(c));
        for (auto dim : tensor.sizes())
            for (int i = 0; i < 8; ++i)
                mixByte(static_cast<unsigned char>((dim >> (8 * i)) & 0xff));
        const torch::Tensor values = tensor.to(torch::kFloat32).contiguous();
        const auto* words = static_cast<const std::uint32_t*>(values.data_ptr());
        const std::int64_t count = values.numel();
        std::uint64_t lane = hash;
        for (std::int64_t i = 0; i < count; ++i) {
            lane ^= words[i];
            lane *= 0x9E3779B97F4A7C15ULL;
            lane ^= lane >> 29;
        }
        hash ^= lane;
        hash *= 1099511628211ULL;
    }
    std::ostringstream out;
    out << std::hex << std::setw(16) << std::setfill('0') << hash;
    return out.str();
}

Status validateWeights(const WeightMap& weights, const ClipConfig& config, const std::string& path)
{
    auto expect = [&](const std::string& name, std::vector<std::int64_t> shape) -> Status {
        auto it = weights.find(name);
        if (it == weights.end())
            return checkpointError(path, "The CLIP checkpoint is incomplete; download it again or choose another one.",
                                   "the tensor '" + name + "' is missing");
        if (it->second.sizes().vec() != shape) {
            std::ostringstream detail;
            detail << "expected " << c10::IntArrayRef(shape) << ", found " << it->second.sizes();
            return makeError(ErrorCode::ShapeMismatch,
                             "A tensor of the CLIP checkpoint has the wrong shape; download it again or choose "
                             "another one.",
                             path, "the tensor '" + name + "': " + detail.str());
        }
        return {};
    };
    auto expectBlocks = [&](const std::string& prefix, int layers, int width, int mlp) -> Status {
        for (int i = 0; i < layers; ++i) {
            const std::string p = prefix + std::to_string(i) + ".";
            const std::pair<std::string, std::vector<std::int64_t>> items[] = {
                {"ln_1.weight", {width}},
                {"ln_1.bias", {width}},
                {"attn.in_proj_weight", {3 * width, width}},
                {"attn.in_proj_bias", {3 * width}},
                {"attn.out_proj.weight", {width, width}},
                {"attn.out_proj.bias", {width}},
                {"ln_2.weight", {width}},
                {"ln_2.bias", {width}},
                {"mlp.c_fc.weight", {mlp, width}},
                {"mlp.c_fc.bias", {mlp}},
                {"mlp.c_proj.weight", {width, mlp}},
                {"mlp.c_proj.bias", {width}},
            };
            for (const auto& [name, shape] : items)
                if (auto status = expect(p + name, shape); !status)
                    return status;
        }
        return {};
    };
    const auto& v = config.vision;
    const auto& t = config.text;
    const int grid = v.imageSize / v.patchSize;
    const std::pair<std::string, std::vector<std::int64_t>> top[] = {
        {"visual.conv1.weight", {v.width, 3, v.patchSize, v.patchSize}},
        {"visual.class_embedding", {v.width}},
        {"visual.positional_embedding", {grid * grid + 1, v.width}},
        {"visual.ln_pre.weight", {v.width}},
        {"visual.ln_pre.bias", {v.width}},
        {"visual.ln_post.weight", {v.width}},
        {"visual.ln_post.bias", {v.width}},
        {"visual.proj", {v.width, config.embedDim}},
        {"token_embedding.weight", {t.vocabSize, t.width}},
        {"positional_embedding", {t.contextLength, t.width}},
        {"ln_final.weight", {t.width}},
        {"ln_final.bias", {t.width}},
        {"text_projection", {t.width, config.embedDim}},
    };
    for (const auto& [name, shape] : top)
        if (auto status = expect(name, shape); !status)
            return status;
    if (auto status = expectBlocks("visual.transformer.resblocks.", v.layers, v.width, v.mlpWidth); !status)
        return status;
    if (auto status = expectBlocks("transformer.resblocks.", t.layers, t.width, t.mlpWidth); !status)
        return status;
    if (!weights.count("logit_scale"))
        return checkpointError(path, "The CLIP checkpoint is incomplete; download it again or choose another one.",
                               "the tensor 'logit_scale' is missing");
    return {};
}

Result<LoadedCheckpoint> loadCheckpoint(const std::string& path, bool weights, const std::string& activationOverride)
{
    try {
        std::error_code ec;
        if (path.empty())
            return makeError(ErrorCode::InvalidArgument,
                             std::string("No CLIP checkpoint was given; ") + kChooseCheckpoint + ".");
        if (!fs::exists(path, ec))
            return makeError(ErrorCode::FileNotFound, "The CLIP checkpoint does not exist; check the path.", path);
        LoadedCheckpoint loaded;
        loaded.info.path = path;
        RawTensors raw;
        if (fs::is_directory(path, ec)) {
            if (fs::exists(fs::path(path) / "config.json")) {
                if (auto status = readHuggingFaceFolder(path, weights, loaded.info, raw); !status)
                    return status.error();
                if (!activationOverride.empty())
                    return makeError(ErrorCode::InvalidArgument,
                                     "a Hugging Face folder declares its activation in config.json; do not override it",
                                     path);
            } else {
                return makeError(ErrorCode::FileNotFound,
                                 "This folder is not a Hugging Face CLIP model (it has no config.json); choose the "
                                 "model folder itself or a .pt or .safetensors checkpoint file.",
                                 path);
            }
        } else {
            if (const std::string kind = recognisedNonCheckpoint(path); !kind.empty())
                return makeError(ErrorCode::BadFormat,
                                 "This file is " + kind + ", not a CLIP checkpoint; " + kChooseCheckpoint + ".", path);
            if (auto status = readCheckpointFile(path, weights, activationOverride, loaded.info, raw); !status)
                return status.error();
        }
        if (weights) {
            if (auto status = validateWeights(raw.tensors, loaded.info.config, path); !status)
                return status.error();
            loaded.info.logitScaleLog = raw.tensors.at("logit_scale").item<float>();
            loaded.info.fingerprint = fingerprintWeights(raw.tensors);
            loaded.weights = std::move(raw.tensors);
        }
        return loaded;
    } catch (const std::exception& e) {
        return makeError(ErrorCode::BadFormat,
                         std::string("This CLIP checkpoint could not be read, it may be damaged; download it again "
                                     "or ")
                             + kChooseCheckpoint + ".",
                         path, e.what());
    }
}

} // namespace detail

Result<ModelInfo> inspectCheckpoint(const std::string& path)
{
    auto loaded = detail::loadCheckpoint(path, /*weights=*/false);
    if (!loaded)
        return loaded.error();
    return loaded->info;
}

} // namespace aape::clip

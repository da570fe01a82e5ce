#include "aape/store/Project.h"

#include "store/FloatBlob.h"

#include <nlohmann/json.hpp>

#include <cstring>

namespace aape::store {

namespace {

constexpr char kMagic[] = "AAPECKP1";
constexpr std::size_t kMagicSize = 8;

} // namespace

Result<std::string> encodeTensors(const std::vector<NamedTensor>& tensors)
{
    nlohmann::json index = nlohmann::json::array();
    std::size_t offset = 0;
    for (const NamedTensor& tensor : tensors) {
        std::int64_t count = 1;
        for (std::int64_t extent : tensor.shape) {
            if (extent < 0)
                return makeError(ErrorCode::ShapeMismatch, "a checkpoint tensor has a negative dimension", {},
                                 tensor.name);
            count *= extent;
        }
        if (static_cast<std::size_t>(count) != tensor.values.size())
            return makeError(ErrorCode::ShapeMismatch,
                             "a checkpoint tensor's values do not match its shape; nothing was saved", {},
                             tensor.name + ": shape holds " + std::to_string(count) + " values, got "
                                 + std::to_string(tensor.values.size()));
        index.push_back({{"name", tensor.name}, {"shape", tensor.shape}, {"offset", offset}});
        offset += tensor.values.size() * sizeof(float);
    }
    const std::string indexText = nlohmann::json{{"tensors", index}}.dump();
    std::string blob(kMagic, kMagicSize);
    const auto length = static_cast<std::uint32_t>(indexText.size());
    for (int byte = 0; byte < 4; ++byte)
        blob.push_back(static_cast<char>((length >> (8 * byte)) & 0xffu));
    blob += indexText;
    blob.reserve(blob.size() + offset);
    for (const NamedTensor& tensor : tensors)
        detail::appendFloatsLe(blob, tensor.values.data(), tensor.values.size());
    return blob;
}

Result<std::vector<NamedTensor>> decodeTensors(const std::string& blob)
{
    const auto bad = [](const std::string& detail) {
        return makeError(ErrorCode::BadFormat, "a checkpoint in the project is damaged; train the run again", {},
                         detail);
    };
    if (blob.size() < kMagicSize + 4 || std::memcmp(blob.data(), kMagic, kMagicSize) != 0)
        return bad("missing AAPECKP1 header");
    std::uint32_t length = 0;
    for (int byte = 0; byte < 4; ++byte)
        length |= static_cast<std::uint32_t>(static_cast<unsigned char>(blob[kMagicSize + byte])) << (8 * byte);
    const std::size_t dataStart = kMagicSize + 4 + length;
    if (dataStart > blob.size())
        return bad("index runs past the end");
    const nlohmann::json index =
        nlohmann::json::parse(blob.begin() + kMagicSize + 4, blob.begin() + dataStart, nullptr, false);
    if (!index.is_object() || !index.contains("tensors") || !index["tensors"].is_array())
        return bad("index is not valid JSON");
    std::vector<NamedTensor> tensors;
    const std::size_t dataSize = blob.size() - dataStart;
    try {
        for (const auto& entry : index["tensors"]) {
            NamedTensor tensor;
            tensor.name = entry.at("name").get<std::string>();
            tensor.shape = entry.at("shape").get<std::vector<std::int64_t>>();
            const auto offset = entry.at("offset").get<std::size_t>();
            std::size_t count = 1;
            for (std::int64_t extent : tensor.shape)
                count *= static_cast<std::size_t>(extent);
            if (offset > dataSize || count > (dataSize - offset) / sizeof(float))
                return bad(tensor.name + " runs past the end");
            tensor.values.resize(count);
            detail::readFloatsLe(blob.data() + dataStart + offset, count, tensor.values.data());
            tensors.push_back(std::move(tensor));
        }
    } catch (const nlohmann::json::exception& e) {
        return bad(e.what());
    }
    return tensors;
}

} // namespace aape::store

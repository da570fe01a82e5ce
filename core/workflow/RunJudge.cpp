#include "aape/workflow/RunJudge.h"

#include "aape/aape/Bundle.h"
#include "aape/workflow/Export.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>

namespace fs = std::filesystem;

namespace aape::workflow {

Result<std::optional<RunJudge>> judgeByNewestRun(store::Project& project, const explore::EmbeddedCollection& collection,
                                                 explore::SuggestOptions& options)
{
    auto runs = project.runs(); // newest first
    if (!runs)
        return runs.error();
    const auto run = std::find_if(runs->begin(), runs->end(), [](const store::RunRecord& r) {
        return r.status == store::RunStatus::Finished && r.lastEpoch >= 0
               && r.config.value("method", std::string("aape")) == "aape";
    });
    if (run == runs->end())
        return std::optional<RunJudge>();

    // The run as its bundle, exactly what `aape predict` would use.
    std::error_code ec;
    const fs::path file =
        fs::temp_directory_path(ec)
        / ("aape-judge-" + std::to_string(::getpid()) + "-" + std::to_string(run->id) + ".aape.safetensors");
    if (auto status = exportRunBundle(project, run->id, file.string()); !status) {
        fs::remove(file, ec);
        return status.error();
    }
    auto loaded = Bundle::load(file.string());
    fs::remove(file, ec);
    if (!loaded)
        return loaded.error();
    auto bundle = std::make_shared<const Bundle>(std::move(loaded).value());
    if (bundle->dim != collection.dim)
        return makeError(ErrorCode::ShapeMismatch,
                         "The newest run was trained with another CLIP than the one the images are encoded with; "
                         "train again, then ask for suggestions.",
                         collection.projectPath);

    std::map<std::string, std::int64_t> idOfName;
    for (const auto& cls : collection.classes)
        idOfName[cls.name] = cls.id;
    std::vector<std::int64_t> classIds;
    for (const auto& name : bundle->classNames) {
        const auto found = idOfName.find(name);
        classIds.push_back(found == idOfName.end() ? 0 : found->second);
    }
    const auto* rows = &collection;
    options.runClassIds = classIds;
    options.runProbabilities = [bundle, rows](const std::vector<std::size_t>& indices) -> Result<std::vector<float>> {
        const auto d = static_cast<std::size_t>(rows->dim);
        std::vector<float> embeddings(indices.size() * d);
        for (std::size_t u = 0; u < indices.size(); ++u)
            std::copy(rows->row(indices[u]), rows->row(indices[u]) + d,
                      embeddings.begin() + static_cast<std::ptrdiff_t>(u * d));
        auto logits = predict(*bundle, embeddings);
        if (!logits)
            return logits.error();
        const auto classes = static_cast<std::size_t>(bundle->classCount());
        std::vector<float> probabilities(logits->size());
        for (std::size_t u = 0; u < indices.size(); ++u) {
            const float* in = logits->data() + u * classes;
            float* out = probabilities.data() + u * classes;
            const float top = *std::max_element(in, in + classes);
            double sum = 0.0;
            for (std::size_t c = 0; c < classes; ++c)
                sum += out[c] = std::exp(in[c] - top);
            for (std::size_t c = 0; c < classes; ++c)
                out[c] = static_cast<float>(out[c] / sum);
        }
        return probabilities;
    };
    return std::optional<RunJudge>(RunJudge{run->id, run->name});
}

} // namespace aape::workflow

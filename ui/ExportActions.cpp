#include "ExportActions.h"

#include "aape/aape/Bundle.h"
#include "aape/store/Project.h"
#include "aape/workflow/Workflow.h"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QTextStream>

#include <qcustomplot.h>

#include <cmath>
#include <map>

namespace aape::ui {

namespace {

QString csvField(const QString& text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) && !text.contains(QLatin1Char('\n')))
        return text;
    QString quoted = text;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

} // namespace

Status exportRunBundleFile(store::Project& project, std::int64_t runId, const QString& path)
{
    const std::string file = path.toStdString();
    auto run = project.run(runId);
    if (!run)
        return run.error();
    if (!run.value())
        return makeError(ErrorCode::InvalidArgument, "that run is no longer in the project; pick another run", file);
    auto checkpoint = project.latestCheckpoint(runId);
    if (!checkpoint)
        return checkpoint.error();
    if (!checkpoint.value())
        return makeError(ErrorCode::InvalidArgument, "the run has no finished epoch yet, so there is nothing to export; "
                                                     "train it for at least one epoch",
                         file);
    auto classes = project.classes();
    if (!classes)
        return classes.error();
    std::map<std::int64_t, std::string> names;
    for (const auto& cls : classes.value())
        names[cls.id] = cls.name;
    std::vector<std::int64_t> classIds;
    const auto& trained = run.value()->config.value("training_classes", nlohmann::json::array());
    if (trained.is_array() && !trained.empty()) {
        for (const auto& id : trained)
            classIds.push_back(id.get<std::int64_t>());
    } else {
        for (const auto& cls : classes.value())
            classIds.push_back(cls.id);
    }
    BundleContents contents;
    std::vector<std::string> templates;
    for (auto id : classIds) {
        contents.classNames.push_back(names.count(id) ? names[id] : std::to_string(id));
        templates.push_back(workflow::templateFor(contents.classNames.back()));
    }
    auto rows = project.textEmbeddings(run.value()->modelFingerprint, templates);
    if (!rows)
        return rows.error();
    if (!rows->missing.empty())
        return makeError(ErrorCode::InvalidArgument,
                         "some class names have no cached embedding; encode the project on the Train page first", file);
    contents.dim = rows->dim;
    contents.classEmbeddings = rows->values;
    auto model = project.model();
    double logitScaleLog = std::log(100.0);
    if (model && model.value()) {
        logitScaleLog = model.value()->info.value("logit_scale_log", logitScaleLog);
        contents.manifest["clip"] = {{"fingerprint", model.value()->fingerprint},
                                     {"format", model.value()->format},
                                     {"info", model.value()->info}};
    }
    contents.logitScale = static_cast<float>(std::exp(logitScaleLog));
    contents.manifest["template"] = "a photo of a {class}.";
    contents.manifest["training_config"] = run.value()->config;
    contents.manifest["summary"] = run.value()->summary;
    contents.manifest["run"] = {{"id", runId}, {"name", run.value()->name}, {"seed", run.value()->seed}};
    TrainState state;
    state.epochsCompleted = checkpoint.value()->epoch + 1;
    for (const auto& t : checkpoint.value()->tensors)
        state.tensors.push_back({t.name, t.shape, t.values});
    return exportBundle(file, state, contents);
}

Status exportPredictionsCsv(store::Project& project, std::int64_t runId, const QString& path)
{
    const std::string file = path.toStdString();
    auto predictions = project.predictions(runId);
    if (!predictions)
        return predictions.error();
    auto classes = project.classes();
    if (!classes)
        return classes.error();
    auto images = project.images();
    if (!images)
        return images.error();
    std::map<std::int64_t, QString> names;
    for (const auto& cls : classes.value())
        names[cls.id] = QString::fromStdString(cls.name);
    std::map<std::int64_t, QString> paths;
    for (const auto& image : images.value())
        paths[image.id] = QString::fromStdString(image.path);
    auto name = [&](const std::optional<std::int64_t>& id) { return id && names.count(*id) ? names[*id] : QString(); };

    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Text))
        return makeError(ErrorCode::FileWrite, "the CSV file cannot be written; choose a folder you can write to", file,
                         out.errorString().toStdString());
    QTextStream stream(&out);
    stream << "path,true,predicted,probability,ood,cos_template,cos_aape,zero_shot\n";
    for (const auto& p : predictions.value()) {
        stream << csvField(paths[p.imageId]) << ',' << csvField(name(p.trueClassId)) << ','
               << csvField(name(p.predictedClassId)) << ',' << QString::number(p.probability, 'g', 8) << ','
               << QString::number(p.oodScore, 'g', 8) << ',' << QString::number(p.cosTemplate, 'g', 8) << ','
               << QString::number(p.cosAape, 'g', 8) << ',' << csvField(name(p.zeroShotClassId)) << '\n';
    }
    stream.flush();
    if (!out.commit())
        return makeError(ErrorCode::FileWrite, "the CSV file cannot be written; check the free space and permissions",
                         file, out.errorString().toStdString());
    return Status();
}

Status exportPlot(QCustomPlot* plot, const QString& path)
{
    const bool pdf = QFileInfo(path).suffix().compare(QStringLiteral("pdf"), Qt::CaseInsensitive) == 0;
    const bool ok = pdf ? plot->savePdf(path) : plot->savePng(path, 0, 0, 2.0);
    if (!ok)
        return makeError(ErrorCode::FileWrite, "the plot cannot be saved there; choose a folder you can write to",
                         path.toStdString());
    return Status();
}

} // namespace aape::ui

#include "ImportJob.h"

#include "JobRunner.h"

#include "aape/data/DatasetImport.h"
#include "aape/data/Descriptions.h"
#include "aape/geo/SceneImport.h"
#include "aape/store/Project.h"
#include "aape/util/Log.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace aape::ui {

namespace {

QString tr(const char* text, const char* disambiguation = nullptr, int n = -1)
{
    // lupdate files tr() calls in namespace-level functions under "aape::ui".
    return QCoreApplication::translate("aape::ui", text, disambiguation, n);
}

QString fromStd(const std::string& text)
{
    return QString::fromStdString(text);
}

void addReport(ImportSummary& summary, const data::ImportReport& report)
{
    summary.touchedDataset = true;
    summary.added += report.added;
    summary.duplicates += report.duplicates;
    for (const data::SkippedFile& file : report.skipped)
        summary.skipped.append(fromStd(file.path) + QStringLiteral(": ") + fromStd(file.reason));
    for (const std::string& name : report.classesCreated)
        summary.classesCreated.append(fromStd(name));
}

} // namespace

ImportKind classifyImportPath(const QString& path)
{
    const QFileInfo info(path);
    if (info.isDir())
        return ImportKind::FolderPerClass;
    if (!info.isFile())
        return ImportKind::Unsupported;
    const QString suffix = info.suffix().toLower();
    for (const char* raster : {"tif", "tiff", "jp2", "vrt", "img", "hdr"})
        if (suffix == QLatin1String(raster))
            return ImportKind::Scene;
    if (suffix == QLatin1String("csv"))
        return ImportKind::Csv;
    if (suffix == QLatin1String("json"))
        return info.fileName().startsWith(QLatin1String("split_zhou_"), Qt::CaseInsensitive) ? ImportKind::CoopSplit
                                                                                             : ImportKind::CuplJson;
    return ImportKind::Unsupported;
}

QList<ImportItem> classifyImportPaths(const QStringList& paths)
{
    QList<ImportItem> items;
    for (const QString& path : paths)
        items.append({path, classifyImportPath(path), false, {}, std::nullopt});
    return items;
}

Status runImports(const QString& projectPath, const QList<ImportItem>& items, JobContext& context,
                  ImportSummary& summary)
{
    auto project = store::Project::open(projectPath.toStdString());
    if (!project)
        return project.error();

    for (int i = 0; i < items.size(); ++i) {
        if (context.stopRequested())
            return makeError(ErrorCode::Cancelled, "the import was stopped");
        const QString& path = items[i].path;
        const QString name = QFileInfo(path).fileName();
        const QString stage = items.size() > 1 ? tr("Importing %1 (%2 of %3)").arg(name).arg(i + 1).arg(items.size())
                                               : tr("Importing %1").arg(name);
        context.progress(stage, 0, 0);

        data::ImportOptions options;
        options.stop = context.stopToken();
        options.progress = [&context, stage](std::size_t done, std::size_t total) {
            context.progress(stage, static_cast<qint64>(done), static_cast<qint64>(total));
        };
        const std::string file = path.toStdString();

        Result<data::ImportReport> report = makeError(ErrorCode::Internal, "not run");
        switch (items[i].kind) {
        case ImportKind::FolderPerClass: report = data::importFolderPerClass(project.value(), file, options); break;
        case ImportKind::Csv: report = data::importCsv(project.value(), file, {}, options); break;
        case ImportKind::CoopSplit: report = data::importCoopSplit(project.value(), file, {}, options); break;
        case ImportKind::CuplJson: {
            if (!items[i].reviewed) {
                auto match = data::matchCuplJson(project.value(), file);
                if (!match) {
                    summary.failures.append(fromStd(match.error().toString()));
                    continue;
                }
                if (match->looseCount() > 0 || !match->unmatched.empty()) {
                    summary.pendingDescriptions.append({path, std::move(match).value()});
                    continue;
                }
            }
            data::DescriptionMapping mapping;
            for (auto chosen = items[i].mapping.cbegin(); chosen != items[i].mapping.cend(); ++chosen)
                mapping[chosen.key().toStdString()] = chosen.value().toStdString();
            auto descriptions = data::importCuplJson(project.value(), file, mapping);
            if (!descriptions) {
                Log::error(descriptions.error(), "importing descriptions");
                summary.failures.append(fromStd(descriptions.error().toString()));
                continue;
            }
            summary.touchedDescriptions = true;
            summary.descriptionsAdded += descriptions->added;
            summary.descriptionsDropped += descriptions->duplicatesDropped + descriptions->emptyDropped;
            for (const data::UnmatchedEntry& entry : descriptions->unmatched) {
                if (entry.skipped)
                    summary.descriptionGroupsLeftOut.append(fromStd(entry.key));
                else
                    summary.unmatchedClasses.append(fromStd(entry.key) + QStringLiteral(": ") + fromStd(entry.reason));
            }
            continue;
        }
        case ImportKind::Scene: {
            if (!items[i].scene) {
                summary.skipped.append(path + QStringLiteral(": ")
                                       + tr("a scene needs a tile size; import it with File ▸ Import Scene…"));
                continue;
            }
            const SceneChoice& choice = *items[i].scene;
            geo::SceneImportOptions sceneOptions;
            sceneOptions.tileSize = choice.tileSize;
            sceneOptions.stride = choice.stride;
            sceneOptions.bands = choice.bands.toStdString();
            sceneOptions.labelsPath = choice.labelsPath.toStdString();
            sceneOptions.labelField = choice.labelField.toStdString();
            sceneOptions.minCover = choice.minCover;
            sceneOptions.progress = options.progress;
            sceneOptions.stop = options.stop;
            auto scene = geo::importScene(project.value(), file, sceneOptions);
            if (!scene) {
                if (scene.error().code == ErrorCode::Cancelled)
                    return scene.error();
                Log::error(scene.error(), "importing a scene");
                summary.failures.append(fromStd(scene.error().toString()));
                continue;
            }
            summary.touchedDataset = true;
            summary.added += scene->added;
            summary.duplicates += scene->duplicates;
            for (const std::string& name : scene->classesCreated)
                summary.classesCreated.append(fromStd(name));
            QString line = tr("%1: %n tile(s) of %2 pixels", nullptr, scene->tiles).arg(name).arg(choice.tileSize);
            if (!choice.labelsPath.isEmpty())
                line += QStringLiteral("; ") + tr("%n labelled from the polygons", nullptr, scene->labelled)
                        + QStringLiteral(", ") + tr("%n unlabelled", nullptr, scene->unlabelled);
            summary.notes.append(line);
            for (const std::string& note : scene->notes)
                summary.notes.append(fromStd(note));
            continue;
        }
        case ImportKind::Unsupported:
            summary.skipped.append(path + QStringLiteral(": ")
                                   + tr("not a folder, CSV, JSON file or scene; drop the folder whose sub-folders are "
                                        "the classes, a path,label CSV, a CoOp split_zhou_*.json, a CuPL JSON or a "
                                        "GeoTIFF/JPEG2000 scene."));
            continue;
        }
        if (!report) {
            if (report.error().code == ErrorCode::Cancelled)
                return report.error();
            Log::error(report.error(), "importing images");
            summary.failures.append(fromStd(report.error().toString()));
            continue;
        }
        addReport(summary, report.value());
    }
    return {};
}

QString importSummaryText(const ImportSummary& summary)
{
    QStringList parts;
    if (summary.touchedDataset || summary.added > 0)
        parts.append(tr("Imported %n image(s)", nullptr, summary.added));
    if (!summary.skipped.isEmpty())
        parts.append(tr("%n skipped", nullptr, int(summary.skipped.size())));
    if (summary.duplicates > 0)
        parts.append(tr("%n already in the project", nullptr, summary.duplicates));
    if (!summary.classesCreated.isEmpty())
        parts.append(tr("%n new class(es)", nullptr, int(summary.classesCreated.size())));
    if (summary.touchedDescriptions)
        parts.append(tr("%n description(s) added", nullptr, summary.descriptionsAdded));
    if (!summary.unmatchedClasses.isEmpty())
        parts.append(tr("%n description group(s) matched no class", nullptr, int(summary.unmatchedClasses.size())));
    if (!summary.descriptionGroupsLeftOut.isEmpty())
        parts.append(tr("%n description group(s) left out", nullptr, int(summary.descriptionGroupsLeftOut.size())));
    if (!summary.failures.isEmpty())
        parts.append(tr("%n source(s) could not be imported", nullptr, int(summary.failures.size())));
    if (parts.isEmpty())
        return tr("Nothing was imported.");
    return parts.join(QStringLiteral("; ")) + QLatin1Char('.');
}

QString importSummaryDetails(const ImportSummary& summary)
{
    QStringList lines;
    if (!summary.failures.isEmpty()) {
        lines.append(tr("Could not be imported:"));
        lines.append(summary.failures);
        lines.append(QString());
    }
    if (!summary.skipped.isEmpty()) {
        lines.append(tr("Skipped files:"));
        lines.append(summary.skipped);
        lines.append(QString());
    }
    if (!summary.unmatchedClasses.isEmpty()) {
        lines.append(tr("Descriptions that matched no class:"));
        lines.append(summary.unmatchedClasses);
        lines.append(QString());
    }
    if (!summary.descriptionGroupsLeftOut.isEmpty()) {
        lines.append(tr("Description groups left out:"));
        lines.append(summary.descriptionGroupsLeftOut);
        lines.append(QString());
    }
    if (!summary.notes.isEmpty()) {
        lines.append(summary.notes);
        lines.append(QString());
    }
    if (!summary.classesCreated.isEmpty()) {
        lines.append(tr("New classes:"));
        lines.append(summary.classesCreated);
    }
    return lines.join(QLatin1Char('\n')).trimmed();
}

} // namespace aape::ui

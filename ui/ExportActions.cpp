#include "ExportActions.h"

#include "MainWindow.h"
#include "MessageBanner.h"
#include "StudioSettings.h"

#include "aape/aape/Bundle.h"
#include "aape/store/Project.h"
#include "aape/workflow/Workflow.h"

#include <QAction>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QSaveFile>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTextStream>

#include <qcustomplot.h>

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
    return workflow::exportRunBundle(project, runId, path.toStdString());
}

Result<Bundle> loadRunBundle(store::Project& project, std::int64_t runId)
{
    QTemporaryDir temp;
    if (!temp.isValid())
        return makeError(ErrorCode::FileWrite, "no temporary folder can be created; free some disk space");
    const QString bundlePath = temp.filePath(QStringLiteral("run.aape.safetensors"));
    if (auto status = exportRunBundleFile(project, runId, bundlePath); !status)
        return status.error();
    return Bundle::load(bundlePath.toStdString());
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

void addSavePlotAction(QCustomPlot* plot)
{
    auto* action =
        new QAction(QCoreApplication::translate("aape::ui::ExportActions", "Save Plot as PNG or PDF…"), plot);
    action->setToolTip(QCoreApplication::translate("aape::ui::ExportActions", "Save this plot as a picture (PNG) or a "
                                                                              "vector document (PDF)"));
    plot->addAction(action);
    plot->setContextMenuPolicy(Qt::ActionsContextMenu);
    QObject::connect(action, &QAction::triggered, plot, [plot] {
        QString filter;
        QString path = QFileDialog::getSaveFileName(
            plot, QCoreApplication::translate("aape::ui::ExportActions", "Save Plot"), StudioSettings::lastFolder(),
            QCoreApplication::translate("aape::ui::ExportActions", "PNG image (*.png);;PDF document (*.pdf)"), &filter);
        if (path.isEmpty())
            return;
        if (QFileInfo(path).suffix().isEmpty())
            path += filter.contains(QLatin1String("*.pdf")) ? QStringLiteral(".pdf") : QStringLiteral(".png");
        StudioSettings::setLastFolder(QFileInfo(path).absolutePath());
        const Status status = exportPlot(plot, path);
        auto* window = qobject_cast<MainWindow*>(plot->window());
        if (!window)
            return;
        if (status) {
            window->statusBar()->showMessage(QCoreApplication::translate("aape::ui::ExportActions", "Plot saved to %1.")
                                                 .arg(QDir::toNativeSeparators(path)),
                                             8000);
        } else {
            window->banner()->showMessage(MessageBanner::Error, QString::fromStdString(status.error().message),
                                          loggedDetails(status.error()));
        }
    });
}

} // namespace aape::ui

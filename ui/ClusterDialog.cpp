#include "ClusterDialog.h"

#include "JobRunner.h"
#include "ProjectSession.h"
#include "StudioSettings.h"

#include "aape/store/Project.h"
#include "aape/workflow/Cluster.h"
#include "aape/workflow/Shards.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSaveFile>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace aape::ui {

namespace {

QString importJobName()
{
    return ClusterDialog::tr("Importing cluster embeddings");
}
const QString kPostImported = QStringLiteral("cluster-imported");

// How often the shards' state is read while some are unfinished.
constexpr int kPollMilliseconds = 15000;

QString settingsKey(const QString& projectPath)
{
    return QStringLiteral("clusterFolder/")
           + QString::fromLatin1(QCryptographicHash::hash(projectPath.toUtf8(), QCryptographicHash::Sha1).toHex());
}

QString stateText(workflow::ShardState state)
{
    switch (state) {
    case workflow::ShardState::Done: return ClusterDialog::tr("done");
    case workflow::ShardState::Running: return ClusterDialog::tr("running");
    case workflow::ShardState::Pending: return ClusterDialog::tr("pending");
    case workflow::ShardState::Failed: return ClusterDialog::tr("failed");
    case workflow::ShardState::NotSubmitted: return ClusterDialog::tr("not submitted");
    }
    return {};
}

// A command line as a shell would take it: arguments with spaces or quotes quoted.
QString shellLine(const QString& program, const QStringList& arguments)
{
    QStringList parts{program};
    for (const auto& argument : arguments) {
        static const QString plain = QStringLiteral("-_./:=,+@%");
        const bool safe = !argument.isEmpty() && std::all_of(argument.begin(), argument.end(), [](QChar c) {
            return c.isLetterOrNumber() || plain.contains(c);
        });
        parts << (safe ? argument
                       : QLatin1Char('\'') + QString(argument).replace(QLatin1Char('\''), QStringLiteral("'\\''"))
                             + QLatin1Char('\''));
    }
    return parts.join(QLatin1Char(' '));
}

struct StatusResult {
    bool ok = false;
    QString error;
    workflow::ClusterStatus status;
};

} // namespace

ClusterDialog::ClusterDialog(ProjectSession* session, JobRunner* jobs, QWidget* parent)
    : QDialog(parent)
    , m_session(session)
    , m_jobs(jobs)
{
    setWindowTitle(tr("Encode on a Cluster"));
    auto* intro = new QLabel(
        tr("Embed this project's images on a Slurm cluster: the studio lists the images in the output folder, "
           "submits a job array with one task per shard and imports the embeddings when every shard is done; "
           "training then encodes nothing. The images, the CLIP model and the output folder must be on a file "
           "system the cluster's nodes share, and this machine must be able to run sbatch."));
    intro->setWordWrap(true);

    const QString project = m_session->path();
    const QFileInfo projectFile(project);
    const QString fallback =
        projectFile.absoluteDir().filePath(projectFile.completeBaseName() + QStringLiteral("-embeddings"));
    m_folder = new QLineEdit(StudioSettings::choice(settingsKey(project), fallback).toString());
    m_folder->setObjectName(QStringLiteral("clusterFolder"));
    auto* browse = new QPushButton(tr("Browse…"));
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Shared Output Folder"), m_folder->text());
        if (!folder.isEmpty())
            m_folder->setText(folder);
    });
    auto* folderRow = new QHBoxLayout;
    folderRow->addWidget(m_folder, 1);
    folderRow->addWidget(browse);

    m_shards = new QSpinBox;
    m_shards->setRange(1, 100000);
    m_shards->setValue(8);
    m_shards->setToolTip(tr("Array tasks; each embeds about 1/N of the images."));
    m_cpus = new QSpinBox;
    m_cpus->setRange(0, 512);
    m_cpus->setSpecialValueText(tr("cluster default"));
    m_cpus->setToolTip(tr("CPUs per shard, also CLIP's threads on the node."));
    m_gpus = new QSpinBox;
    m_gpus->setRange(0, 16);
    m_gpus->setSpecialValueText(tr("none"));
    m_views = new QSpinBox;
    m_views->setRange(0, 100);
    m_views->setValue(10);
    m_views->setToolTip(tr("Augmented views per image besides the centre view, as the Train page's \"Augmented "
                           "views\"; train with as many or fewer and nothing is encoded locally."));
    m_partition = new QLineEdit;
    m_partition->setPlaceholderText(tr("cluster default"));
    m_time = new QLineEdit;
    m_time->setPlaceholderText(tr("e.g. 02:00:00"));
    m_precision = new QComboBox;
    for (const char* p : {"fp32", "bf16", "int8", "fp16"})
        m_precision->addItem(QString::fromLatin1(p), QString::fromLatin1(p));
    m_precision->setToolTip(tr("The CLIP towers' precision on the nodes. fp32 is exact everywhere; bf16 and int8 "
                               "are faster on CPUs that have them; fp16 needs GPUs."));

    auto* form = new QFormLayout;
    form->addRow(tr("Shared &output folder:"), folderRow);
    form->addRow(tr("&Shards:"), m_shards);
    form->addRow(tr("&CPUs per shard:"), m_cpus);
    form->addRow(tr("&GPUs per shard:"), m_gpus);
    form->addRow(tr("&Augmented views:"), m_views);
    form->addRow(tr("&Partition:"), m_partition);
    form->addRow(tr("&Time limit per shard:"), m_time);
    form->addRow(tr("P&recision:"), m_precision);

    m_preview = new QPlainTextEdit;
    m_preview->setObjectName(QStringLiteral("clusterCommand"));
    m_preview->setReadOnly(true);
    m_preview->setMaximumHeight(90);
    m_preview->setToolTip(tr("The command Submit runs; the same works in a terminal on the login node."));

    m_table = new QStandardItemModel(0, 4, this);
    m_table->setHorizontalHeaderLabels({tr("Shard"), tr("State"), tr("Job"), tr("Detail")});
    auto* table = new QTableView;
    table->setModel(m_table);
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->horizontalHeader()->setStretchLastSection(true);
    table->setMinimumHeight(140);
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("clusterStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_log = new QPlainTextEdit;
    m_log->setReadOnly(true);
    m_log->setMaximumHeight(80);
    m_log->hide();

    m_submit = new QPushButton(tr("&Submit"));
    m_refresh = new QPushButton(tr("R&efresh"));
    m_resume = new QPushButton(tr("Resubmit &Failed"));
    m_resume->setToolTip(tr("aape cluster resume: submit again only the shards that neither finished nor are "
                            "queued."));
    m_import = new QPushButton(tr("&Import Embeddings"));
    m_import->setToolTip(tr("Fill the project's embedding cache from the finished shards (done automatically when "
                            "every shard is done)."));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    buttons->addButton(m_submit, QDialogButtonBox::ActionRole);
    buttons->addButton(m_refresh, QDialogButtonBox::ActionRole);
    buttons->addButton(m_resume, QDialogButtonBox::ActionRole);
    buttons->addButton(m_import, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_submit, &QPushButton::clicked, this, &ClusterDialog::submit);
    connect(m_refresh, &QPushButton::clicked, this, &ClusterDialog::refreshStatus);
    connect(m_resume, &QPushButton::clicked, this, &ClusterDialog::resume);
    connect(m_import, &QPushButton::clicked, this, &ClusterDialog::importEmbeddings);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("Command:")));
    layout->addWidget(m_preview);
    layout->addWidget(table, 1);
    layout->addWidget(m_status);
    layout->addWidget(m_log);
    layout->addWidget(buttons);

    for (QSpinBox* box : {m_shards, m_cpus, m_gpus, m_views})
        connect(box, qOverload<int>(&QSpinBox::valueChanged), this, &ClusterDialog::updatePreview);
    for (QLineEdit* edit : {m_folder, m_partition, m_time})
        connect(edit, &QLineEdit::textChanged, this, &ClusterDialog::updatePreview);
    connect(m_precision, qOverload<int>(&QComboBox::currentIndexChanged), this, &ClusterDialog::updatePreview);
    connect(m_folder, &QLineEdit::editingFinished, this, &ClusterDialog::refreshStatus);

    m_poll = new QTimer(this);
    m_poll->setInterval(kPollMilliseconds);
    connect(m_poll, &QTimer::timeout, this, &ClusterDialog::refreshStatus);

    connect(m_jobs, &JobRunner::posted, this, [this](const QString& kind, const QVariant& payload) {
        if (!m_importing || kind != kPostImported)
            return;
        const auto values = payload.toMap();
        m_status->setText(tr("Imported %1 embeddings (%2 images) from %3 shard(s); training encodes only what is "
                             "still missing (%4 images not in the shards).")
                              .arg(values.value(QStringLiteral("views")).toLongLong())
                              .arg(values.value(QStringLiteral("images")).toInt())
                              .arg(values.value(QStringLiteral("shards")).toInt())
                              .arg(values.value(QStringLiteral("missing")).toInt()));
    });
    connect(m_jobs, &JobRunner::finished, this, [this](const QString& name, bool ok, bool, const QString& error) {
        if (!m_importing || name != importJobName())
            return;
        m_importing = false;
        m_imported = ok;
        if (!ok)
            m_status->setText(tr("The import failed: %1").arg(error));
        setBusy(false);
        Q_EMIT imported(ok);
    });

    updatePreview();
    setBusy(false);
    refreshStatus();
    resize(760, 720);
}

ClusterDialog::~ClusterDialog()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        // sbatch returns in a moment; waiting keeps a submission from being cut in half.
        m_process->waitForFinished(30000);
    }
}

QString ClusterDialog::cliProgram()
{
    const QString fromEnvironment = qEnvironmentVariable("AAPE_CLI");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    const QString beside = QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("aape"));
    if (QFileInfo(beside).isExecutable())
        return beside;
    const QString onPath = QStandardPaths::findExecutable(QStringLiteral("aape"));
    return onPath.isEmpty() ? QStringLiteral("aape") : onPath;
}

QString ClusterDialog::listFile() const
{
    return QDir(m_folder->text()).filePath(QStringLiteral("images.txt"));
}

QStringList ClusterDialog::submitArguments() const
{
    QStringList arguments{QStringLiteral("cluster"), QStringLiteral("submit"), QStringLiteral("--slurm"),
                          QStringLiteral("--shards"), QString::number(m_shards->value())};
    if (!m_partition->text().trimmed().isEmpty())
        arguments << QStringLiteral("--partition") << m_partition->text().trimmed();
    if (!m_time->text().trimmed().isEmpty())
        arguments << QStringLiteral("--time") << m_time->text().trimmed();
    if (m_cpus->value() > 0)
        arguments << QStringLiteral("--cpus") << QString::number(m_cpus->value());
    if (m_gpus->value() > 0)
        arguments << QStringLiteral("--gpus") << QString::number(m_gpus->value());
    QString model;
    if (m_session->isOpen())
        if (auto reference = m_session->project()->model(); reference && reference.value())
            model = QString::fromStdString(reference.value()->path);
    arguments << QStringLiteral("--") << QStringLiteral("embed") << QStringLiteral("--model") << model
              << QStringLiteral("--files") << listFile() << QStringLiteral("--views")
              << QString::number(m_views->value()) << QStringLiteral("--precision")
              << m_precision->currentData().toString() << QStringLiteral("--out") << QDir::cleanPath(m_folder->text());
    return arguments;
}

void ClusterDialog::updatePreview()
{
    m_preview->setPlainText(shellLine(cliProgram(), submitArguments()));
}

void ClusterDialog::setBusy(bool busy)
{
    const bool running = busy || (m_process && m_process->state() != QProcess::NotRunning) || m_importing;
    m_submit->setEnabled(!running && m_count == 0);
    m_resume->setEnabled(!running && m_count > 0 && m_done < m_count);
    m_import->setEnabled(!running && m_done > 0);
    m_refresh->setEnabled(!m_statusRunning);
}

bool ClusterDialog::submit()
{
    if (!m_session->isOpen())
        return false;
    auto* project = m_session->project();
    auto model = project->model();
    if (!model || !model.value() || model.value()->path.empty()) {
        m_status->setText(tr("The project has no CLIP model yet; choose one with File ▸ Choose CLIP Model."));
        return false;
    }
    const QString folder = QDir::cleanPath(m_folder->text().trimmed());
    if (folder.isEmpty() || !QDir().mkpath(folder)) {
        m_status->setText(tr("The output folder %1 cannot be created; choose a shared folder you can write to.")
                              .arg(QDir::toNativeSeparators(folder)));
        return false;
    }
    if (QFileInfo::exists(QDir(folder).filePath(QStringLiteral("cluster/job.json")))) {
        m_status->setText(tr("This folder already holds a cluster job: its shards are shown below. Choose another "
                             "folder to submit a new one."));
        refreshStatus();
        return false;
    }
    auto images = project->images();
    if (!images) {
        m_status->setText(QString::fromStdString(images.error().toString()));
        return false;
    }
    QStringList lines{QStringLiteral("# the images of %1 to embed (aape embed --files)").arg(m_session->path())};
    for (const auto& image : images.value())
        if (!image.excluded)
            lines << QString::fromStdString(image.path);
    if (lines.size() == 1) {
        m_status->setText(tr("The project has no images to embed yet."));
        return false;
    }
    QSaveFile list(listFile());
    if (!list.open(QIODevice::WriteOnly) || list.write((lines.join(QLatin1Char('\n')) + QLatin1Char('\n')).toUtf8()) < 0
        || !list.commit()) {
        m_status->setText(tr("The list of images could not be written to %1: %2")
                              .arg(QDir::toNativeSeparators(listFile()), list.errorString()));
        return false;
    }
    StudioSettings::setChoice(settingsKey(m_session->path()), folder);
    runCli(submitArguments(), tr("Submitting %n image(s) in shards…", nullptr, static_cast<int>(lines.size() - 1)));
    return true;
}

bool ClusterDialog::resume()
{
    if (m_count == 0)
        return false;
    runCli({QStringLiteral("cluster"), QStringLiteral("resume"), QDir::cleanPath(m_folder->text())},
           tr("Resubmitting the unfinished shards…"));
    return true;
}

void ClusterDialog::runCli(const QStringList& arguments, const QString& what)
{
    if (m_process && m_process->state() != QProcess::NotRunning)
        return;
    if (!m_process) {
        m_process = new QProcess(this);
        connect(m_process, &QProcess::finished, this, [this](int exitCode, QProcess::ExitStatus exitStatus) {
            const QString out = QString::fromUtf8(m_process->readAllStandardOutput()).trimmed();
            const QString err = QString::fromUtf8(m_process->readAllStandardError()).trimmed();
            m_log->setPlainText(out + (out.isEmpty() || err.isEmpty() ? QString() : QStringLiteral("\n")) + err);
            m_log->show();
            if (exitStatus != QProcess::NormalExit || exitCode != 0) {
                m_status->setText(
                    tr("The cluster command failed: %1")
                        .arg(err.isEmpty() ? tr("exit code %1").arg(exitCode) : err.section(QLatin1Char('\n'), 0, 0)));
            } else {
                m_status->setText(out.section(QLatin1Char('\n'), 0, 0));
                m_poll->start();
            }
            setBusy(false);
            refreshStatus();
        });
        connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
            if (error != QProcess::FailedToStart)
                return;
            m_status->setText(tr("%1 could not be started; install AAPE Studio's command-line program or set "
                                 "AAPE_CLI to it.")
                                  .arg(cliProgram()));
            setBusy(false);
        });
    }
    m_status->setText(what);
    m_process->setWorkingDirectory(QDir::cleanPath(m_folder->text()));
    m_process->start(cliProgram(), arguments);
    setBusy(true);
}

void ClusterDialog::refreshStatus()
{
    const QString folder = QDir::cleanPath(m_folder->text().trimmed());
    if (folder.isEmpty() || !QFileInfo::exists(QDir(folder).filePath(QStringLiteral("cluster/job.json")))) {
        m_table->removeRows(0, m_table->rowCount());
        m_done = m_count = 0;
        m_poll->stop();
        if (!m_process || m_process->state() == QProcess::NotRunning)
            if (m_status->text().isEmpty())
                m_status->setText(tr("Nothing submitted from this folder yet."));
        setBusy(false);
        Q_EMIT statusRefreshed();
        return;
    }
    if (m_statusRunning)
        return;
    m_statusRunning = true;
    setBusy(false);
    auto* watcher = new QFutureWatcher<StatusResult>(this);
    connect(watcher, &QFutureWatcher<StatusResult>::finished, this, [this, watcher] {
        watcher->deleteLater();
        m_statusRunning = false;
        const StatusResult result = watcher->result();
        if (!result.ok) {
            m_status->setText(tr("The shards' state cannot be read: %1").arg(result.error));
            setBusy(false);
            Q_EMIT statusRefreshed();
            return;
        }
        m_table->removeRows(0, m_table->rowCount());
        m_done = 0;
        m_count = result.status.shards;
        int failed = 0;
        for (const auto& item : result.status.items) {
            m_done += item.state == workflow::ShardState::Done ? 1 : 0;
            failed += item.state == workflow::ShardState::Failed ? 1 : 0;
            m_table->appendRow({new QStandardItem(QString::number(item.index)),
                                new QStandardItem(stateText(item.state)),
                                new QStandardItem(QString::fromStdString(item.jobId)),
                                new QStandardItem(QString::fromStdString(item.detail))});
        }
        if (m_done == m_count && m_count > 0) {
            m_poll->stop();
            if (!m_imported && !m_importing)
                importEmbeddings();
        } else {
            QString text = tr("%1 of %2 shard(s) done.").arg(m_done).arg(m_count);
            if (failed > 0)
                text += QLatin1Char(' ')
                        + tr("%n shard(s) failed; their logs are in %1. Resubmit them with Resubmit Failed.", nullptr,
                             failed)
                              .arg(QDir::toNativeSeparators(QString::fromStdString(result.status.logFolder)));
            if (!m_importing)
                m_status->setText(text);
            if (!m_poll->isActive() && failed < m_count - m_done)
                m_poll->start();
        }
        setBusy(false);
        Q_EMIT statusRefreshed();
    });
    watcher->setFuture(QtConcurrent::run([folder] {
        StatusResult result;
        auto status = workflow::clusterStatus(folder.toStdString());
        if (status) {
            result.ok = true;
            result.status = std::move(status.value());
        } else {
            result.error = QString::fromStdString(status.error().toString());
        }
        return result;
    }));
}

bool ClusterDialog::importEmbeddings()
{
    if (!m_session->isOpen() || m_importing)
        return false;
    const std::string project = m_session->path().toStdString();
    const std::string folder = QDir::cleanPath(m_folder->text()).toStdString();
    const bool started = m_jobs->start(importJobName(), [project, folder](JobContext& context) -> Status {
        auto opened = store::Project::open(project);
        if (!opened)
            return opened.error();
        workflow::ShardImportOptions options;
        options.stop = context.stopToken();
        options.progress = [&context](const workflow::Progress& p) {
            context.progress(QCoreApplication::translate("aape::ui::ClusterDialog", "Importing embeddings"),
                             qint64(p.done), qint64(p.total));
        };
        auto report = workflow::importEmbeddingShards(opened.value(), folder, options);
        if (!report)
            return report.error();
        context.post(kPostImported, QVariantMap{{QStringLiteral("views"), qint64(report->viewsImported)},
                                                {QStringLiteral("images"), report->imagesCovered},
                                                {QStringLiteral("shards"), report->shardsImported},
                                                {QStringLiteral("missing"), report->imagesNotCovered}});
        return Status();
    });
    if (!started) {
        m_status->setText(tr("Another task (%1) is running; press Import Embeddings when it has finished.")
                              .arg(m_jobs->currentJob()));
        return false;
    }
    m_importing = true;
    m_status->setText(tr("Importing the embeddings into the project…"));
    setBusy(false);
    return true;
}

} // namespace aape::ui

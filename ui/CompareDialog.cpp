#include "CompareDialog.h"

#include "CompareJob.h"
#include "ComparisonModel.h"
#include "JobRunner.h"
#include "ProjectSession.h"
#include "StudioSettings.h"
#include "TrainingJob.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <climits>

namespace aape::ui {

namespace {

QString jobName()
{
    return CompareDialog::tr("Comparing methods");
}

QString methodHint(Method method)
{
    switch (method) {
    case Method::ZeroShot: return CompareDialog::tr("\"a photo of a {class}.\" alone; nothing is trained.");
    case Method::Cupl:
        return CompareDialog::tr("The mean of each class's descriptions as its classifier; nothing is trained.");
    case Method::LinearProbe:
        return CompareDialog::tr("A logistic regression on the few-shot images' embeddings (cannot name new classes).");
    case Method::TipAdapter:
        return CompareDialog::tr("A cache of the few-shot images, training-free (cannot name new classes).");
    case Method::TipAdapterF:
        return CompareDialog::tr("The same cache with its keys fine-tuned (cannot name new classes).");
    case Method::Aape:
        return CompareDialog::tr("The prompt generator and combiner trained on the few-shot images, with the "
                                 "descriptions' aggregate as a teacher.");
    }
    return {};
}

} // namespace

CompareDialog::CompareDialog(ProjectSession* session, JobRunner* jobs, QWidget* parent)
    : QDialog(parent)
    , m_session(session)
    , m_jobs(jobs)
{
    setWindowTitle(tr("Compare Methods"));
    setObjectName(QStringLiteral("compareDialog"));

    auto* methods = new QGroupBox(tr("Methods"));
    auto* grid = new QGridLayout(methods);
    const auto& all = allMethods();
    int index = 0;
    for (const Method method : all) {
        auto* box = new QCheckBox(methodDisplayName(method));
        box->setObjectName(QStringLiteral("method-") + QString::fromLatin1(methodName(method)));
        box->setChecked(true);
        box->setToolTip(methodHint(method));
        connect(box, &QCheckBox::toggled, this, &CompareDialog::updateEnabled);
        grid->addWidget(box, index / 3, index % 3);
        m_methods[method] = box;
        ++index;
    }

    auto* form = new QFormLayout;
    m_shots = new QSpinBox;
    m_shots->setRange(1, 1024);
    m_shots->setObjectName(QStringLiteral("compareShots"));
    m_shots->setToolTip(tr("Training images per class; every method learns from the same ones."));
    m_epochs = new QSpinBox;
    m_epochs->setRange(1, 10000);
    m_epochs->setObjectName(QStringLiteral("compareEpochs"));
    m_epochs->setToolTip(tr("AAPE's epochs (CoOp's schedule by shots unless you change it). The other methods use "
                            "their own published settings."));
    // As on the Train page: epochs follow the shots while they are at the schedule's value.
    connect(m_shots, &QSpinBox::valueChanged, this, [this](int shots) {
        if (m_epochs->value() == paperEpochsForShots(m_previousShots))
            m_epochs->setValue(paperEpochsForShots(shots));
        m_previousShots = shots;
    });
    m_seeds = new QLineEdit;
    m_seeds->setObjectName(QStringLiteral("compareSeeds"));
    m_seeds->setToolTip(tr("One run per method and seed, e.g. \"1 2 3\": the chart shows mean ± standard deviation "
                           "over them."));
    m_baseToNew = new QCheckBox(tr("&Base-to-new: train on half of the classes, test on all"));
    m_baseToNew->setObjectName(QStringLiteral("compareBaseToNew"));
    m_baseToNew->setToolTip(tr("Train on the base half of the classes; report accuracy on the base classes, on the "
                               "new ones (by name only) and their harmonic mean H. The linear probe and the "
                               "Tip-Adapters cannot name new classes."));
    const auto addRow = [form](const QString& label, QWidget* field) {
        auto* text = new QLabel(label);
        text->setBuddy(field);
        form->addRow(text, field);
    };
    addRow(tr("&Shots per class:"), m_shots);
    addRow(tr("S&eeds:"), m_seeds);
    addRow(tr("AAPE's epoc&hs:"), m_epochs);
    form->addRow(m_baseToNew);

    m_settings = new QLabel;
    m_settings->setWordWrap(true);
    m_settings->setForegroundRole(QPalette::PlaceholderText);

    m_stage = new QLabel;
    m_stage->setObjectName(QStringLiteral("compareStage"));
    m_stage->setWordWrap(true);
    m_progress = new QProgressBar;
    m_progress->setRange(0, 1);
    m_progress->setValue(0);

    auto* buttons = new QDialogButtonBox;
    m_run = buttons->addButton(tr("&Run Comparison"), QDialogButtonBox::ActionRole);
    m_run->setDefault(true);
    m_stop = buttons->addButton(tr("Sto&p"), QDialogButtonBox::ActionRole);
    m_stop->setToolTip(tr("Stop after the current step; finished runs are kept."));
    auto* close = buttons->addButton(QDialogButtonBox::Close);
    close->setToolTip(tr("Close this window; a comparison that is running goes on."));
    connect(m_run, &QPushButton::clicked, this, &CompareDialog::startComparison);
    connect(m_stop, &QPushButton::clicked, this, &CompareDialog::stopComparison);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("Train every chosen method with every seed on the same few-shot images and split; "
                                "each run is an ordinary run of the project."));
    intro->setWordWrap(true);
    layout->addWidget(intro);
    layout->addWidget(methods);
    layout->addLayout(form);
    layout->addWidget(m_settings);
    layout->addWidget(m_stage);
    layout->addWidget(m_progress);
    layout->addWidget(buttons);

    connect(m_jobs, &JobRunner::progress, this, &CompareDialog::onProgress);
    connect(m_jobs, &JobRunner::finished, this, &CompareDialog::onFinished);
    connect(m_jobs, &JobRunner::started, this, &CompareDialog::updateEnabled);
    connect(m_session, &ProjectSession::opened, this, &CompareDialog::updateEnabled);
    connect(m_session, &ProjectSession::closed, this, &CompareDialog::updateEnabled);
    connect(m_jobs, &JobRunner::posted, this, [this](const QString& kind, const QVariant&) {
        if (m_ownJob && kind == kPostCompareRunEnd)
            m_session->notifyRunsChanged();
    });
    loadTrainSettings();
}

void CompareDialog::loadTrainSettings()
{
    if (m_ownJob)
        return;
    TrainConfig config;
    config.epochs = paperEpochsForShots(config.shots);
    QString seeds = QStringLiteral("1 2 3");
    bool baseToNew = false;
    const auto json = nlohmann::json::parse(StudioSettings::trainSettings().toStdString(), nullptr, false);
    if (json.is_object()) {
        const auto number = [&json](const char* key, double fallback) {
            const auto it = json.find(key);
            return it != json.end() && it->is_number() ? it->get<double>() : fallback;
        };
        config.shots = int(number("shots", config.shots));
        config.epochs = int(number("epochs", config.epochs));
        config.batchSize = int(number("batch_size", config.batchSize));
        config.learningRate = number("learning_rate", config.learningRate);
        config.distillWeight = number("distill_weight", config.distillWeight);
        config.rewardScale = number("reward_scale", config.rewardScale);
        config.augmentedViews = int(number("augmented_views", config.augmentedViews));
        if (const auto it = json.find("device"); it != json.end() && it->is_string())
            config.device = it->get<std::string>();
        if (const auto it = json.find("precision"); it != json.end() && it->is_string())
            m_precision = QString::fromStdString(it->get<std::string>());
        // One seed suits a training; a comparison needs several for a spread.
        if (const auto it = json.find("seeds");
            it != json.end() && it->is_string() && parseSeeds(QString::fromStdString(*it)).size() > 1)
            seeds = QString::fromStdString(it->get<std::string>());
        if (const auto it = json.find("base_to_new"); it != json.end() && it->is_boolean())
            baseToNew = it->get<bool>();
    }
    // Leave one core to the GUI thread, as the Train page does.
    config.threads = qMax(1, QThread::idealThreadCount() - 1);
    m_base = config;
    if (!m_fieldsSet) {
        m_previousShots = config.shots;
        m_shots->setValue(config.shots);
        m_epochs->setValue(config.epochs);
        m_previousShots = m_shots->value();
        m_seeds->setText(seeds);
        m_baseToNew->setChecked(baseToNew);
        m_fieldsSet = true;
    }
    m_settings->setText(tr("Augmented views (%1), device (%2), precision and AAPE's recipe are the Train page's.")
                            .arg(config.augmentedViews)
                            .arg(QString::fromStdString(config.device)));
    updateEnabled();
}

workflow::CompareRequest CompareDialog::request() const
{
    workflow::CompareRequest request;
    request.methods.clear();
    for (const Method method : allMethods())
        if (m_methods.at(method)->isChecked())
            request.methods.push_back(method);
    request.seeds = parseSeeds(m_seeds->text());
    request.baseToNew = m_baseToNew->isChecked();
    request.config = m_base;
    request.config.shots = m_shots->value();
    request.config.epochs = m_epochs->value();
    if (!request.seeds.empty())
        request.config.seed = request.seeds.front();
    return request;
}

bool CompareDialog::startComparison()
{
    if (!m_session->isOpen()) {
        m_stage->setText(tr("Open or create a project first (File ▸ Open)."));
        return false;
    }
    CompareJobRequest job;
    job.projectPath = m_session->path();
    job.compare = request();
    job.precision = m_precision;
    if (job.compare.methods.empty()) {
        m_stage->setText(tr("Choose at least one method."));
        return false;
    }
    if (job.compare.seeds.empty()) {
        m_stage->setText(tr("The seeds must be whole numbers separated by spaces or commas, e.g. \"1 2 3\"."));
        m_seeds->setFocus();
        return false;
    }
    if (!m_jobs->start(jobName(), [job](JobContext& context) { return runCompareJob(context, job); })) {
        m_stage->setText(
            tr("Another task (%1) is still running; wait for it to finish or stop it.").arg(m_jobs->currentJob()));
        return false;
    }
    m_ownJob = true;
    m_stopping = false;
    m_stage->setText(tr("Opening the model…"));
    m_progress->setRange(0, 0);
    updateEnabled();
    return true;
}

void CompareDialog::stopComparison()
{
    if (!m_ownJob || m_stopping)
        return;
    m_stopping = true;
    m_jobs->requestStop();
    m_stage->setText(tr("Stopping…"));
    m_stop->setText(tr("Stopping…"));
    updateEnabled();
}

void CompareDialog::onProgress(const QString& stage, qint64 done, qint64 total)
{
    if (!m_ownJob || m_stopping)
        return;
    m_progress->setRange(0, static_cast<int>(qMin<qint64>(total, INT_MAX)));
    m_progress->setValue(static_cast<int>(qMin(done, total)));
    m_stage->setText(stage);
}

void CompareDialog::onFinished(const QString& name, bool ok, bool cancelled, const QString& error)
{
    if (!m_ownJob || name != jobName()) {
        updateEnabled();
        return;
    }
    m_ownJob = false;
    m_stopping = false;
    m_progress->setRange(0, 1);
    if (cancelled) {
        m_stage->setText(tr("Stopped. The runs that finished are on the Runs page."));
    } else if (ok) {
        m_progress->setValue(1);
        m_stage->setText(tr("Finished. The comparison is on the Runs page, under Method comparison."));
    } else {
        m_progress->setValue(0);
        m_stage->setText(tr("The comparison failed: %1").arg(error));
    }
    m_session->notifyRunsChanged();
    updateEnabled();
    Q_EMIT comparisonFinished(ok, cancelled);
}

void CompareDialog::updateEnabled()
{
    const bool anyMethod =
        std::any_of(m_methods.begin(), m_methods.end(), [](const auto& entry) { return entry.second->isChecked(); });
    m_run->setEnabled(!m_jobs->isBusy() && m_session->isOpen() && anyMethod);
    m_stop->setEnabled(m_ownJob && !m_stopping);
    if (!m_stopping)
        m_stop->setText(tr("Sto&p"));
    for (QWidget* field : std::initializer_list<QWidget*>{m_shots, m_epochs, m_seeds, m_baseToNew})
        field->setEnabled(!m_ownJob);
    for (const auto& entry : m_methods)
        entry.second->setEnabled(!m_ownJob);
}

} // namespace aape::ui

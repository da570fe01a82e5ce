#include "TrainPage.h"

#include "JobRunner.h"
#include "LossPlot.h"
#include "MessageBanner.h"
#include "ProjectSession.h"
#include "StudioSettings.h"
#include "TrainingJob.h"

#include "aape/clip/ClipModel.h"
#include "aape/workflow/Workflow.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMainWindow>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QShortcut>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardItemModel>
#include <QStatusBar>
#include <QThread>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

#include <climits>
#include <set>

namespace aape::ui {

namespace {

// The job's name is what the status bar shows while it runs.
QString jobName()
{
    return TrainPage::tr("Training");
}

QString formatDuration(double seconds)
{
    // Counts are locals because lupdate 6.4 hangs on an expression as the numerus argument.
    const int wholeSeconds = qMax(1, qRound(seconds));
    const int wholeMinutes = qRound(seconds / 60);
    if (seconds < 90)
        return QCoreApplication::translate("aape::ui::TrainPage", "%n s", nullptr, wholeSeconds);
    if (seconds < 5400)
        return QCoreApplication::translate("aape::ui::TrainPage", "%n min", nullptr, wholeMinutes);
    return QCoreApplication::translate("aape::ui::TrainPage", "%1 h").arg(seconds / 3600, 0, 'f', 1);
}

// Adds a labelled row whose label and field share a plain-language tooltip.
void addRow(QFormLayout* form, const QString& label, QWidget* field, const QString& hint)
{
    auto* text = new QLabel(label);
    text->setBuddy(field);
    text->setToolTip(hint);
    field->setToolTip(hint);
    field->setWhatsThis(hint);
    form->addRow(text, field);
}

} // namespace

TrainPage::TrainPage(ProjectSession* session, JobRunner* jobs, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_jobs(jobs)
{
    buildUi();
    setConfig(TrainConfig{});
    restoreDefaults();
    loadSettings();
    m_previousShots = m_shots->value();
    // Epochs follow the shots while they are at the schedule's value: changing 16 shots to 1
    // moves 200 epochs to 50, but a number the user typed stays.
    connect(m_shots, &QSpinBox::valueChanged, this, [this](int shots) {
        if (m_epochs->value() == paperEpochsForShots(m_previousShots))
            m_epochs->setValue(paperEpochsForShots(shots));
        m_previousShots = shots;
    });
    // Every change of the panel is remembered for the next start.
    for (QSpinBox* box : {m_shots, m_epochs, m_batch, m_views})
        connect(box, &QSpinBox::valueChanged, this, &TrainPage::saveSettings);
    for (QDoubleSpinBox* box : {m_learningRate, m_distillWeight, m_rewardScale})
        connect(box, &QDoubleSpinBox::valueChanged, this, &TrainPage::saveSettings);
    connect(m_seeds, &QLineEdit::textChanged, this, &TrainPage::saveSettings);
    connect(m_device, &QComboBox::currentIndexChanged, this, &TrainPage::saveSettings);
    connect(m_baseToNew, &QCheckBox::toggled, this, &TrainPage::saveSettings);
    connect(m_baseToNew, &QCheckBox::toggled, this, &TrainPage::refreshReadiness);
    connect(m_keep, &QComboBox::currentIndexChanged, this, &TrainPage::saveSettings);
    connect(m_jobs, &JobRunner::progress, this, &TrainPage::onProgress);
    connect(m_jobs, &JobRunner::posted, this, &TrainPage::onPosted);
    connect(m_jobs, &JobRunner::finished, this, &TrainPage::onFinished);
    connect(m_jobs, &JobRunner::logLine, this, [this](const QString& line) {
        if (m_ownJob)
            m_log->appendPlainText(line);
    });
    connect(m_jobs, &JobRunner::started, this, [this] { updateEnabled(); });
    // Another project: nothing of the previous one's training stays on the page.
    const auto resetForProject = [this] {
        if (m_ownJob)
            return;
        m_banner->dismiss();
        m_log->clear();
        m_stage->setText(tr("Ready."));
        m_progress->setRange(0, 1);
        m_progress->setValue(0);
        showLatestRun();
        refreshResumable();
        refreshReadiness();
    };
    connect(m_session, &ProjectSession::opened, this, resetForProject);
    connect(m_session, &ProjectSession::closed, this, resetForProject);
    connect(m_session, &ProjectSession::runsChanged, this, &TrainPage::refreshResumable);
    connect(m_session, &ProjectSession::datasetChanged, this, &TrainPage::refreshReadiness);
    connect(m_session, &ProjectSession::descriptionsChanged, this, &TrainPage::refreshReadiness);
    showLatestRun();
    refreshResumable();
    refreshReadiness();
}

TrainPage::~TrainPage() = default;

void TrainPage::buildUi()
{
    auto* settings = new QGroupBox(tr("Training settings"));
    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    m_shots = new QSpinBox;
    m_shots->setRange(1, 1024);
    m_shots->setObjectName(QStringLiteral("shots"));
    addRow(form, tr("&Shots per class:"), m_shots,
           tr("How many training images of each class the run learns from. The paper uses 1, 2, 4, 8 or 16."));
    m_epochs = new QSpinBox;
    m_epochs->setRange(1, 10000);
    m_epochs->setObjectName(QStringLiteral("epochs"));
    addRow(form, tr("&Epochs:"), m_epochs,
           tr("How many times training goes over the few-shot images. More takes longer; 200 is the paper's choice."));
    m_batch = new QSpinBox;
    m_batch->setRange(1, 4096);
    m_batch->setObjectName(QStringLiteral("batch"));
    addRow(form, tr("&Batch size:"), m_batch, tr("Images per optimisation step (32 in the paper)."));
    m_learningRate = new QDoubleSpinBox;
    m_learningRate->setDecimals(5);
    m_learningRate->setRange(0.00001, 1.0);
    m_learningRate->setSingleStep(0.0005);
    m_learningRate->setObjectName(QStringLiteral("learningRate"));
    addRow(form, tr("&Learning rate:"), m_learningRate,
           tr("Step size of the SGD optimiser; lower is slower but steadier (0.002 in the paper)."));
    m_distillWeight = new QDoubleSpinBox;
    m_distillWeight->setRange(0.0, 1000.0);
    m_distillWeight->setDecimals(2);
    m_distillWeight->setObjectName(QStringLiteral("distillWeight"));
    addRow(form, tr("&Distillation weight λ:"), m_distillWeight,
           tr("How strongly the prompt generator is pulled towards the summary of the class descriptions: "
              "the loss adds λ·‖h(x) − p̂ᵃ‖², the squared distance between the generated prompt h(x) and the "
              "aggregator's summary p̂ᵃ (scaled to unit length), per image and averaged over the batch, as the "
              "paper writes it (λ = 5). 0 ignores the descriptions."));
    m_rewardScale = new QDoubleSpinBox;
    m_rewardScale->setRange(0.0, 100.0);
    m_rewardScale->setDecimals(2);
    m_rewardScale->setObjectName(QStringLiteral("rewardScale"));
    addRow(form, tr("&Reward scale:"), m_rewardScale,
           tr("Scale s of the CLIP reward that trains the description aggregator (2.5 in the paper)."));
    m_views = new QSpinBox;
    m_views->setRange(0, 100);
    m_views->setObjectName(QStringLiteral("views"));
    addRow(form, tr("&Augmented views:"), m_views,
           tr("Randomly cropped and flipped copies of each training image, encoded once and reused every epoch. "
              "0 trains on the plain images only."));
    m_seeds = new QLineEdit;
    m_seeds->setObjectName(QStringLiteral("seeds"));
    m_seeds->setPlaceholderText(tr("e.g. 1, 2, 3"));
    addRow(form, tr("S&eeds:"), m_seeds,
           tr("One run per seed, kept together as a group so that the Runs page can show mean ± spread. "
              "Separate with commas."));
    m_device = new QComboBox;
    m_device->setObjectName(QStringLiteral("device"));
    m_device->addItem(tr("Automatic"), QStringLiteral("auto"));
    m_device->addItem(tr("CPU"), QStringLiteral("cpu"));
    m_device->addItem(tr("GPU (CUDA)"), QStringLiteral("cuda"));
    QString deviceHint = tr("Where CLIP and training run. Automatic uses the GPU when there is one.");
    if (!clip::cudaAvailable()) {
        if (auto* model = qobject_cast<QStandardItemModel*>(m_device->model())) {
            auto* gpu = model->item(2);
            gpu->setEnabled(false);
            gpu->setToolTip(tr("No CUDA GPU is visible to this build of the studio, so training runs on the CPU."));
        }
        deviceHint += QLatin1Char(' ') + tr("No CUDA GPU is visible to this build, so the GPU choice is off.");
    }
    addRow(form, tr("De&vice:"), m_device, deviceHint);
    m_precision = new QComboBox;
    m_precision->setObjectName(QStringLiteral("precision"));
    std::string automaticReason;
    const auto automatic = clip::automaticPrecision(clip::DeviceKind::Cpu, &automaticReason);
    m_precision->addItem(
        tr("Automatic (%1 on this CPU, fp16 on a GPU)").arg(QString::fromLatin1(clip::precisionName(automatic))),
        QStringLiteral("auto"));
    m_precision->addItem(tr("fp32 (exact)"), QStringLiteral("fp32"));
    m_precision->addItem(tr("bf16 (several times faster on CPUs with AVX512_BF16 or AMX)"), QStringLiteral("bf16"));
    m_precision->addItem(tr("int8 (CPU only; about as fast as bf16, slightly less exact)"), QStringLiteral("int8"));
    m_precision->addItem(tr("fp16 (GPU only)"), QStringLiteral("fp16"));
    if (!clip::cudaAvailable())
        if (auto* model = qobject_cast<QStandardItemModel*>(m_precision->model()))
            model->item(4)->setEnabled(false);
    addRow(form, tr("Precisio&n:"), m_precision,
           tr("The arithmetic CLIP encodes images and texts in. bf16 and int8 keep embeddings within 0.1 % "
              "(cosine) of fp32 and encode faster; each precision has its own cache, so changing it encodes again "
              "and runs never mix them. Training itself always runs in fp32."));
    connect(m_precision, &QComboBox::currentIndexChanged, this, &TrainPage::saveSettings);
    m_baseToNew = new QCheckBox(tr("Base-to-new protocol"));
    m_baseToNew->setObjectName(QStringLiteral("baseToNew"));
    m_baseToNew->setToolTip(tr("Train on the first half of the classes only and measure how well the result "
                               "carries over to the other half (the paper's generalisation test)."));
    form->addRow(QString(), m_baseToNew);
    m_keep = new QComboBox;
    m_keep->setObjectName(QStringLiteral("keepEpoch"));
    m_keep->addItem(tr("Best epoch on validation"), QStringLiteral("best"));
    m_keep->addItem(tr("Last epoch (paper's protocol)"), QStringLiteral("last"));
    addRow(form, tr("E&valuate:"), m_keep,
           tr("Which epoch of a run is evaluated, inspected and exported. \"Best\" keeps the epoch with the highest "
              "accuracy on the validation images, so a run that overfits late still gives its best result; the last "
              "epoch is what the paper reports. Without validation images the last epoch is used."));
    m_defaults = new QPushButton(tr("Paper &defaults"));
    m_defaults->setToolTip(tr("Put back the values the AAPE paper states, with CoOp's recipe that it follows: 16 "
                              "shots, epochs by shots (50 for 1 shot, 100 for 2-4, 200 for 8-16), batch 32, learning "
                              "rate 0.002, λ = 5. Not changed, since they are our own choices rather than the "
                              "paper's: the augmented views (10 by default) and the reward scale (2.5)."));
    connect(m_defaults, &QPushButton::clicked, this, &TrainPage::restoreDefaults);
    form->addRow(QString(), m_defaults);
    settings->setLayout(form);

    m_start = new QPushButton(tr("&Start training"));
    m_start->setObjectName(QStringLiteral("start"));
    m_start->setDefault(true);
    m_start->setToolTip(tr("Encode what is not cached yet, then train one run per seed (Ctrl+Return)."));
    m_stop = new QPushButton(tr("Sto&p"));
    m_stop->setObjectName(QStringLiteral("stop"));
    m_stop->setToolTip(tr("Stop after the current step; the last finished epoch is kept and can be resumed (Esc)."));
    connect(m_start, &QPushButton::clicked, this, &TrainPage::startTraining);
    connect(m_stop, &QPushButton::clicked, this, &TrainPage::stopTraining);
    auto* startShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    startShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(startShortcut, &QShortcut::activated, this, &TrainPage::startTraining);
    auto* stopShortcut = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    stopShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(stopShortcut, &QShortcut::activated, this, &TrainPage::stopTraining);

    m_progress = new QProgressBar;
    m_progress->setTextVisible(true);
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_stage = new QLabel(tr("Ready."));
    m_stage->setObjectName(QStringLiteral("stage"));
    m_stage->setWordWrap(true);
    m_banner = new MessageBanner;
    m_banner->hide();
    m_readiness = new QLabel;
    m_readiness->setObjectName(QStringLiteral("readiness"));
    m_readiness->setWordWrap(true);
    m_readiness->setTextFormat(Qt::PlainText);
    m_readiness->hide();

    auto* resumeBox = new QGroupBox(tr("Interrupted runs"));
    m_resumable = new QListWidget;
    m_resumable->setObjectName(QStringLiteral("resumable"));
    m_resumable->setToolTip(tr("Runs that were stopped or cut off. Resume continues from their last finished epoch."));
    m_resumable->setMaximumHeight(110);
    m_resume = new QPushButton(tr("&Resume"));
    m_resume->setObjectName(QStringLiteral("resume"));
    m_resume->setToolTip(tr("Continue the selected run from its last finished epoch."));
    connect(m_resume, &QPushButton::clicked, this, &TrainPage::resumeSelected);
    connect(m_resumable, &QListWidget::itemSelectionChanged, this, &TrainPage::updateEnabled);
    connect(m_resumable, &QListWidget::itemDoubleClicked, this, &TrainPage::resumeSelected);
    auto* resumeLayout = new QVBoxLayout(resumeBox);
    resumeLayout->addWidget(m_resumable);
    resumeLayout->addWidget(m_resume, 0, Qt::AlignRight);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_stop);
    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->addWidget(settings);
    leftLayout->addWidget(m_readiness);
    leftLayout->addLayout(buttons);
    leftLayout->addWidget(m_progress);
    leftLayout->addWidget(m_stage);
    leftLayout->addWidget(resumeBox);
    leftLayout->addStretch(1);

    m_runTitle = new QLabel(tr("No run yet: press Start training."));
    QFont titleFont = m_runTitle->font();
    titleFont.setBold(true);
    m_runTitle->setFont(titleFont);
    m_plot = new LossPlot;
    m_log = new QPlainTextEdit;
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(2000);
    m_log->setPlaceholderText(tr("Messages from training appear here."));
    m_log->setMaximumHeight(100);
    auto* right = new QWidget;
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->addWidget(m_runTitle);
    rightLayout->addWidget(m_plot, 1);
    rightLayout->addWidget(m_log);

    // The settings column scrolls rather than making the window taller than a 768-pixel screen.
    auto* leftScroll = new QScrollArea;
    leftScroll->setWidget(left);
    leftScroll->setWidgetResizable(true);
    leftScroll->setFrameShape(QFrame::NoFrame);
    leftScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    leftScroll->setMinimumWidth(left->minimumSizeHint().width() + leftScroll->verticalScrollBar()->sizeHint().width());
    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->setObjectName(QStringLiteral("trainSplitter"));
    splitter->addWidget(leftScroll);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({340, 800});
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addWidget(splitter);
    updateEnabled();
}

TrainConfig TrainPage::config() const
{
    TrainConfig config;
    config.shots = m_shots->value();
    config.epochs = m_epochs->value();
    config.batchSize = m_batch->value();
    config.learningRate = m_learningRate->value();
    config.distillWeight = m_distillWeight->value();
    config.rewardScale = m_rewardScale->value();
    config.augmentedViews = m_views->value();
    config.device = m_device->currentData().toString().toStdString();
    // Leave one core to the GUI thread so the window stays responsive while training.
    config.threads = qMax(1, QThread::idealThreadCount() - 1);
    const auto seeds = parseSeeds(m_seeds->text());
    if (!seeds.empty())
        config.seed = seeds.front();
    return config;
}

void TrainPage::setConfig(const TrainConfig& config)
{
    m_previousShots = config.shots;
    m_shots->setValue(config.shots);
    m_epochs->setValue(config.epochs);
    m_batch->setValue(config.batchSize);
    m_learningRate->setValue(config.learningRate);
    m_distillWeight->setValue(config.distillWeight);
    m_rewardScale->setValue(config.rewardScale);
    m_views->setValue(config.augmentedViews);
    const int device = m_device->findData(QString::fromStdString(config.device));
    m_device->setCurrentIndex(device >= 0 ? device : 0);
}

QString TrainPage::seedsText() const
{
    return m_seeds->text();
}

void TrainPage::setSeedsText(const QString& seeds)
{
    m_seeds->setText(seeds);
}

void TrainPage::saveSettings() const
{
    const nlohmann::json json = {
        {"shots", m_shots->value()},
        {"epochs", m_epochs->value()},
        {"batch_size", m_batch->value()},
        {"learning_rate", m_learningRate->value()},
        {"distill_weight", m_distillWeight->value()},
        {"reward_scale", m_rewardScale->value()},
        {"augmented_views", m_views->value()},
        {"device", m_device->currentData().toString().toStdString()},
        {"precision", m_precision->currentData().toString().toStdString()},
        {"seeds", m_seeds->text().toStdString()},
        {"base_to_new", m_baseToNew->isChecked()},
        {"keep_epoch", m_keep->currentData().toString().toStdString()},
    };
    StudioSettings::setTrainSettings(QString::fromStdString(json.dump()));
}

void TrainPage::loadSettings()
{
    const auto json = nlohmann::json::parse(StudioSettings::trainSettings().toStdString(), nullptr, false);
    if (json.is_discarded() || !json.is_object())
        return;
    // Each value on its own: one of the wrong type (an older version's) keeps its default;
    // the spin boxes clamp values to their ranges.
    const auto number = [&json](const char* key, auto apply) {
        const auto it = json.find(key);
        if (it != json.end() && it->is_number())
            apply(it->get<double>());
    };
    number("shots", [this](double v) { m_shots->setValue(int(v)); });
    number("epochs", [this](double v) { m_epochs->setValue(int(v)); });
    number("batch_size", [this](double v) { m_batch->setValue(int(v)); });
    number("learning_rate", [this](double v) { m_learningRate->setValue(v); });
    number("distill_weight", [this](double v) { m_distillWeight->setValue(v); });
    number("reward_scale", [this](double v) { m_rewardScale->setValue(v); });
    number("augmented_views", [this](double v) { m_views->setValue(int(v)); });
    if (const auto it = json.find("device"); it != json.end() && it->is_string()) {
        const int device = m_device->findData(QString::fromStdString(it->get<std::string>()));
        if (device >= 0 && m_device->model()->flags(m_device->model()->index(device, 0)).testFlag(Qt::ItemIsEnabled))
            m_device->setCurrentIndex(device);
    }
    if (const auto it = json.find("precision"); it != json.end() && it->is_string()) {
        const int precision = m_precision->findData(QString::fromStdString(it->get<std::string>()));
        if (precision >= 0)
            m_precision->setCurrentIndex(precision);
    }
    if (const auto it = json.find("seeds"); it != json.end() && it->is_string())
        m_seeds->setText(QString::fromStdString(it->get<std::string>()));
    if (const auto it = json.find("base_to_new"); it != json.end() && it->is_boolean())
        m_baseToNew->setChecked(it->get<bool>());
    if (const auto it = json.find("keep_epoch"); it != json.end() && it->is_string()) {
        const int keep = m_keep->findData(QString::fromStdString(it->get<std::string>()));
        if (keep >= 0)
            m_keep->setCurrentIndex(keep);
    }
}

void TrainPage::restoreDefaults()
{
    // Only what the paper (and CoOp, whose recipe it follows) states: shots, epochs by shots,
    // batch, learning rate and λ. The augmented views and the reward scale are our own
    // choices and stay as they are (the button's tooltip says so).
    const TrainConfig paper;
    m_shots->setValue(paper.shots);
    m_epochs->setValue(paperEpochsForShots(paper.shots));
    m_batch->setValue(paper.batchSize);
    m_learningRate->setValue(paper.learningRate);
    m_distillWeight->setValue(paper.distillWeight);
    m_seeds->setText(QStringLiteral("1"));
    m_baseToNew->setChecked(false);
    m_keep->setCurrentIndex(0);
}

void TrainPage::showError(const QString& message)
{
    if (message.isEmpty())
        m_banner->dismiss();
    else
        m_banner->showMessage(MessageBanner::Error, message);
}

void TrainPage::showStatus(const QString& message)
{
    if (auto* main = qobject_cast<QMainWindow*>(window()))
        main->statusBar()->showMessage(message, 8000);
}

bool TrainPage::startTraining()
{
    if (!m_session->isOpen()) {
        showError(tr("Open or create a project first (File ▸ Open)."));
        return false;
    }
    TrainingRequest request;
    request.projectPath = m_session->path();
    request.config = config();
    request.seeds = parseSeeds(m_seeds->text());
    request.baseToNew = m_baseToNew->isChecked();
    request.keepLastEpoch = m_keep->currentData().toString() == QStringLiteral("last");
    request.precision = m_precision->currentData().toString();
    if (request.seeds.empty()) {
        showError(tr("The seeds must be whole numbers separated by commas, e.g. \"1, 2, 3\"."));
        m_seeds->setFocus();
        return false;
    }
    const bool started =
        m_jobs->start(jobName(), [request](JobContext& context) { return runTrainingJob(context, request); });
    if (!started) {
        showError(
            tr("Another task (%1) is still running; wait for it to finish or stop it.").arg(m_jobs->currentJob()));
        return false;
    }
    showError(QString());
    m_ownJob = true;
    m_stopping = false;
    m_log->clear();
    m_plot->clear();
    m_lastResult.clear();
    m_currentStage.clear();
    m_stage->setText(tr("Opening the model…"));
    m_progress->setRange(0, 0);
    showStatus(tr("Training started."));
    updateEnabled();
    return true;
}

bool TrainPage::resumeSelected()
{
    auto* item = m_resumable->currentItem();
    if (!item || !m_session->isOpen())
        return false;
    const qint64 runId = item->data(Qt::UserRole).toLongLong();
    const QString path = m_session->path();
    if (!m_jobs->start(jobName(), [path, runId](JobContext& context) { return runResumeJob(context, path, runId); })) {
        showError(
            tr("Another task (%1) is still running; wait for it to finish or stop it.").arg(m_jobs->currentJob()));
        return false;
    }
    showError(QString());
    m_ownJob = true;
    m_stopping = false;
    m_log->clear();
    m_plot->clear();
    m_lastResult.clear();
    m_currentStage.clear();
    loadHistory(runId);
    m_stage->setText(tr("Resuming run %1…").arg(runId));
    m_progress->setRange(0, 0);
    updateEnabled();
    return true;
}

void TrainPage::stopTraining()
{
    if (!m_ownJob || m_stopping)
        return;
    m_stopping = true;
    m_jobs->requestStop();
    m_stage->setText(tr("Stopping…"));
    m_stop->setText(tr("Stopping…"));
    showStatus(tr("Stopping after the current step…"));
    updateEnabled();
}

void TrainPage::updateEnabled()
{
    const bool busy = m_jobs->isBusy();
    m_start->setEnabled(!busy && m_session->isOpen());
    m_stop->setEnabled(m_ownJob && !m_stopping);
    m_resume->setEnabled(!busy && m_session->isOpen() && m_resumable->currentItem() != nullptr);
    if (!m_stopping)
        m_stop->setText(tr("Sto&p"));
}

void TrainPage::refreshResumable()
{
    m_resumable->clear();
    if (m_session->isOpen()) {
        auto runs = m_session->project()->runs();
        if (runs) {
            for (const auto& run : runs.value()) {
                if (!run.resumable || (m_ownJob && run.status == store::RunStatus::Running))
                    continue;
                auto* item = new QListWidgetItem(tr("%1 — stopped after epoch %2 of %3")
                                                     .arg(QString::fromStdString(run.name))
                                                     .arg(run.lastEpoch + 1)
                                                     .arg(run.config.value("epochs", 0)));
                item->setData(Qt::UserRole, QVariant::fromValue<qint64>(run.id));
                m_resumable->addItem(item);
            }
        }
    }
    if (m_resumable->count() == 0) {
        auto* item = new QListWidgetItem(tr("None."));
        item->setFlags(Qt::NoItemFlags);
        m_resumable->addItem(item);
    }
    updateEnabled();
}

void TrainPage::refreshReadiness()
{
    QStringList notes;
    if (m_session->isOpen()) {
        auto* project = m_session->project();
        auto classes = project->classes();
        auto descriptions = project->descriptions();
        auto counts = project->countsPerClassAndSplit();
        if (classes && descriptions && counts) {
            std::set<std::int64_t> described, withImages;
            for (const auto& d : descriptions.value())
                described.insert(d.classId);
            for (const auto& c : counts.value())
                if (c.classId && c.train > 0)
                    withImages.insert(*c.classId);
            QStringList undescribed, empty;
            for (const auto& cls : classes.value()) {
                if (m_baseToNew->isChecked() && cls.kind == store::ClassKind::New)
                    continue;
                if (!described.count(cls.id))
                    undescribed << QString::fromStdString(cls.name);
                if (!withImages.count(cls.id))
                    empty << QString::fromStdString(cls.name);
            }
            const auto names = [](const QStringList& list) {
                const int shown = 5;
                QString text =
                    QStringLiteral("“") + list.mid(0, shown).join(QStringLiteral("”, “")) + QStringLiteral("”");
                if (list.size() > shown)
                    text += tr(" and %n more", nullptr, int(list.size() - shown));
                return text;
            };
            if (!undescribed.isEmpty())
                notes << tr("%n class(es) without descriptions: %1. They train from their name alone; add "
                            "descriptions on the Describe page.",
                            nullptr, int(undescribed.size()))
                             .arg(names(undescribed));
            if (!empty.isEmpty())
                notes << tr("%n class(es) without training images: %1. Label images of them or put some in the "
                            "train split on the Data page.",
                            nullptr, int(empty.size()))
                             .arg(names(empty));
        }
    }
    m_readiness->setText(notes.join(QLatin1Char('\n')));
    m_readiness->setVisible(!notes.isEmpty());
}

void TrainPage::showLatestRun()
{
    if (m_ownJob)
        return;
    m_plot->clear();
    m_runTitle->setText(tr("No run yet: press Start training."));
    if (!m_session->isOpen())
        return;
    auto runs = m_session->project()->runs(); // newest first
    if (!runs)
        return;
    for (const auto& run : runs.value()) {
        if (run.lastEpoch < 0)
            continue;
        loadHistory(run.id);
        m_runTitle->setText(tr("Last run: %1, %2 epochs (the Runs page compares all runs)")
                                .arg(QString::fromStdString(run.name))
                                .arg(run.lastEpoch + 1));
        return;
    }
}

void TrainPage::loadHistory(std::int64_t runId)
{
    auto metrics = m_session->project()->epochMetrics(runId);
    if (!metrics)
        return;
    for (const auto& m : metrics.value())
        m_plot->addEpoch(m);
    if (auto run = m_session->project()->run(runId); run && run.value()) {
        const auto& summary = run.value()->summary;
        if (summary.contains("zero_shot_val_accuracy") && summary["zero_shot_val_accuracy"].is_number())
            m_plot->setZeroShotValidation(summary["zero_shot_val_accuracy"].get<double>());
    }
}

void TrainPage::onProgress(const QString& stage, qint64 done, qint64 total)
{
    if (!m_ownJob || m_stopping)
        return;
    if (stage != m_currentStage) {
        m_currentStage = stage;
        m_stageClock.start();
        m_stageStartDone = done;
    }
    m_progress->setRange(0, static_cast<int>(qMin<qint64>(total, INT_MAX)));
    m_progress->setValue(static_cast<int>(qMin(done, total)));
    const bool training = stage.startsWith(tr("Training"));
    QString text = training ? tr("%1: epoch %2 of %3").arg(stage).arg(done).arg(total)
                            : tr("%1: %2 of %3").arg(stage).arg(done).arg(total);
    const qint64 doneHere = done - m_stageStartDone;
    const double elapsed = m_stageClock.elapsed() / 1000.0;
    if (doneHere > 0 && elapsed > 1.0 && done < total)
        text +=
            QStringLiteral(" — ") + tr("about %1 left").arg(formatDuration(elapsed * double(total - done) / doneHere));
    m_stage->setText(text);
}

void TrainPage::onPosted(const QString& kind, const QVariant& payload)
{
    if (!m_ownJob)
        return;
    if (kind == kPostRunBegin) {
        const auto begin = payload.value<RunBeginReport>();
        if (begin.runId == 0)
            m_plot->clear();
        m_runTitle->setText(begin.count > 1
                                ? tr("Seed %1 (run %2 of %3)").arg(begin.seed).arg(begin.index + 1).arg(begin.count)
                                : tr("Current run"));
    } else if (kind == kPostRunStart) {
        const auto start = payload.value<RunStartReport>();
        m_plot->setZeroShotValidation(start.hasZeroShot ? std::optional<double>(start.zeroShotValAccuracy)
                                                        : std::nullopt);
        m_runTitle->setText(
            tr("Run %1: %2 classes, %3 training images").arg(start.runId).arg(start.classes).arg(start.images));
    } else if (kind == kPostEpoch) {
        const auto epoch = payload.value<EpochReport>();
        m_plot->addEpoch(epoch.metrics);
        const auto& val = epoch.metrics.valAccuracy;
        m_runTitle->setText(tr("Run %1 — epoch %2 of %3%4")
                                .arg(epoch.runId)
                                .arg(epoch.metrics.epoch + 1)
                                .arg(epoch.epochs)
                                .arg(val ? tr(", validation accuracy %1%").arg(*val * 100, 0, 'f', 1) : QString()));
    } else if (kind == kPostRunEnd) {
        showRunEnd(payload.value<RunEndReport>());
    }
}

void TrainPage::showRunEnd(const RunEndReport& end)
{
    if (!end.warning.isEmpty())
        m_banner->showMessage(MessageBanner::Warning, end.warning);
    if (end.evaluated)
        m_lastResult = tr("Run %1: %2 accuracy %3% at epoch %4 (%5), zero-shot CLIP %6%.")
                           .arg(end.runId)
                           .arg(end.split == QStringLiteral("val") ? tr("validation") : tr("test"))
                           .arg(end.accuracy * 100.0, 0, 'f', 1)
                           .arg(end.evaluatedEpoch + 1)
                           .arg(end.bestEpoch ? tr("best on validation") : tr("last"))
                           .arg(end.zeroShotAccuracy * 100.0, 0, 'f', 1);
    // Each finished run shows up on the other pages at once, not only after the group.
    m_session->notifyRunsChanged();
}

void TrainPage::onFinished(const QString& name, bool ok, bool cancelled, const QString& error)
{
    if (!m_ownJob || name != jobName()) {
        updateEnabled();
        return;
    }
    m_ownJob = false;
    m_stopping = false;
    if (cancelled) {
        // The bar stays where Stop left it: that is how far the run got.
        m_stage->setText(tr("Stopped. The last finished epoch is kept; resume it below."));
        showStatus(tr("Training stopped."));
    } else if (ok) {
        m_progress->setRange(0, 1);
        m_progress->setValue(1);
        m_stage->setText(m_lastResult.isEmpty() ? tr("Finished.") : tr("Finished. %1").arg(m_lastResult));
        showStatus(tr("Training finished."));
    } else {
        m_progress->setRange(0, 1);
        m_progress->setValue(0);
        m_stage->setText(tr("Training failed."));
        showError(error);
        showStatus(tr("Training failed."));
    }
    m_session->notifyRunsChanged();
    refreshResumable();
    Q_EMIT trainingFinished(ok, cancelled);
}

} // namespace aape::ui

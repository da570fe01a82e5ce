#include "InspectPage.h"

#include "ConfusionMatrixModel.h"
#include "ConfusionMatrixView.h"
#include "ExportActions.h"
#include "ImageInspector.h"
#include "JobRunner.h"
#include "LayoutMemory.h"
#include "LossPlot.h"
#include "PredictionsModel.h"
#include "ProjectSession.h"
#include "RunMenu.h"
#include "StudioSettings.h"

#include "aape/store/Project.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QShortcut>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include <map>

namespace aape::ui {

using Filter = PredictionsFilterProxy::Filter;

namespace {

// How StudioSettings remembers the chosen filter.
const std::pair<Filter, const char*> kFilterNames[] = {
    {Filter::All, "all"},
    {Filter::Misclassified, "misclassified"},
    {Filter::LowConfidence, "low-confidence"},
    {Filter::HighOod, "high-ood"},
    {Filter::FixedByAdaptation, "fixed-by-adaptation"},
    {Filter::BrokenByAdaptation, "broken-by-adaptation"},
};

} // namespace

InspectPage::InspectPage(ProjectSession* session, JobRunner* jobs, QWidget* parent)
    : QWidget(parent),
      m_session(session),
      m_jobs(jobs),
      m_predictions(new PredictionsModel(this)),
      m_proxy(new PredictionsFilterProxy(this)),
      m_confusion(new ConfusionMatrixModel(this))
{
    m_proxy->setSourceModel(m_predictions);

    m_runs = new RunMenu;
    m_runs->setObjectName(QStringLiteral("runChooser"));
    m_runs->setToolTip(tr("Which finished run to inspect."));
    auto* top = new QHBoxLayout;
    auto* runLabel = new QLabel(tr("&Run:"));
    runLabel->setBuddy(m_runs);
    top->addWidget(runLabel);
    top->addWidget(m_runs);
    top->addSpacing(12);

    m_filters = new QButtonGroup(this);
    const std::pair<Filter, std::pair<QString, QString>> filters[] = {
        {Filter::All, {tr("All"), tr("Every evaluated image.")}},
        {Filter::Misclassified, {tr("Misclassified"), tr("Images whose prediction differs from their label.")}},
        {Filter::LowConfidence, {tr("Low confidence"), tr("Images predicted with a probability below 0.5.")}},
        {Filter::HighOod,
         {tr("High OOD score"), tr("The 10% of images that look least like the training classes (OOD score, our "
                                   "addition).")}},
        {Filter::FixedByAdaptation,
         {tr("Fixed by adaptation"), tr("Images AAPE gets right that zero-shot CLIP got wrong.")}},
        {Filter::BrokenByAdaptation,
         {tr("Broken by adaptation"), tr("Images zero-shot CLIP got right that AAPE gets wrong.")}},
    };
    for (const auto& [filter, text] : filters) {
        auto* button = new QToolButton;
        button->setText(text.first);
        button->setToolTip(text.second);
        button->setCheckable(true);
        button->setAutoRaise(false);
        m_filters->addButton(button, static_cast<int>(filter));
        top->addWidget(button);
    }
    // The filter chosen last time, stored by name.
    const QString chosenName = StudioSettings::choice(QStringLiteral("inspect/filter")).toString();
    Filter chosen = Filter::All;
    for (const auto& [filter, name] : kFilterNames)
        if (chosenName == QLatin1String(name))
            chosen = filter;
    m_filters->button(static_cast<int>(chosen))->setChecked(true);
    m_proxy->setFilter(chosen);
    connect(m_filters, &QButtonGroup::idClicked, this, [this](int id) {
        m_proxy->setFilter(static_cast<Filter>(id));
        for (const auto& [filter, name] : kFilterNames)
            if (static_cast<int>(filter) == id)
                StudioSettings::setChoice(QStringLiteral("inspect/filter"), QLatin1String(name));
        showCurrent();
    });
    m_cellLabel = new QLabel;
    m_clearCell = new QToolButton;
    m_clearCell->setText(tr("Show all cells"));
    m_clearCell->setToolTip(tr("Stop restricting the table to one confusion-matrix cell."));
    connect(m_clearCell, &QToolButton::clicked, this, &InspectPage::clearCell);
    top->addWidget(m_cellLabel);
    top->addWidget(m_clearCell);
    top->addStretch(1);
    m_cellLabel->hide();
    m_clearCell->hide();

    m_table = new QTableView;
    m_table->setObjectName(QStringLiteral("predictionsTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(PredictionsModel::Image, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setIconSize(QSize(40, 40));
    m_table->verticalHeader()->setDefaultSectionSize(44);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setToolTip(tr("Up/Down or J/K move through the images; the inspector follows."));
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &InspectPage::showCurrent);

    m_confusionView = new ConfusionMatrixView;
    m_confusionView->setModel(m_confusion);
    connect(m_confusionView, &ConfusionMatrixView::cellChosen, this, &InspectPage::setCell);

    m_perClass = new QCustomPlot;
    m_perClass->setToolTip(tr("Accuracy of each class after adaptation, with zero-shot CLIP beside it. "
                              "Right-click to save the plot."));
    addSavePlotAction(m_perClass);

    auto* tabs = new QTabWidget;
    tabs->addTab(m_confusionView, tr("Confusion matrix"));
    tabs->addTab(m_perClass, tr("Per-class accuracy"));

    m_summary = new QLabel;
    auto* left = new QSplitter(Qt::Vertical);
    left->setObjectName(QStringLiteral("inspectTableSplitter"));
    auto* tableBox = new QWidget;
    auto* tableLayout = new QVBoxLayout(tableBox);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->addWidget(m_table);
    tableLayout->addWidget(m_summary);
    left->addWidget(tableBox);
    left->addWidget(tabs);
    left->setStretchFactor(0, 3);
    left->setStretchFactor(1, 2);

    m_inspector = new ImageInspector;
    auto* split = new QSplitter(Qt::Horizontal);
    split->setObjectName(QStringLiteral("inspectSplitter"));
    split->addWidget(left);
    split->addWidget(m_inspector);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(split, 1);

    for (const auto& [key, delta] : {std::pair{Qt::Key_J, 1}, std::pair{Qt::Key_K, -1}}) {
        auto* shortcut = new QShortcut(QKeySequence(key), this);
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
        connect(shortcut, &QShortcut::activated, this, [this, delta = delta] { moveBy(delta); });
    }

    connect(m_runs, qOverload<int>(&QComboBox::currentIndexChanged), this, &InspectPage::loadRun);
    connect(m_session, &ProjectSession::opened, this, &InspectPage::refreshRuns);
    connect(m_session, &ProjectSession::closed, this, &InspectPage::refreshRuns);
    connect(m_session, &ProjectSession::runsChanged, this, &InspectPage::refreshRuns);
    refreshRuns();
}

InspectPage::~InspectPage() = default;

std::int64_t InspectPage::runId() const
{
    return m_runs->runId();
}

void InspectPage::setRun(std::int64_t runId)
{
    const std::int64_t before = m_runs->runId();
    m_runs->chooseRun(runId);
    if (m_runs->runId() == before)
        loadRun();
}

void InspectPage::refreshRuns()
{
    m_runs->refresh(m_session->isOpen() ? m_session->project() : nullptr);
    loadRun();
}

void InspectPage::loadRun()
{
    store::Project* project = m_session->isOpen() ? m_session->project() : nullptr;
    const auto id = runId();
    m_proxy->setCell(std::nullopt);
    m_cellLabel->hide();
    m_clearCell->hide();
    m_predictions->refresh(project, id);
    m_confusion->refresh(project, id);
    // Columns as wide as the largest count needs, so that more classes fit side by side.
    const int countWidth =
        m_confusionView->fontMetrics().horizontalAdvance(QString::number(qMax(10, m_confusion->maxCount())));
    m_confusionView->horizontalHeader()->setDefaultSectionSize(qMax(28, countWidth + 14));
    sizeColumnsOnce(m_table);
    refreshPerClass();
    m_inspector->clear();
    int correct = 0;
    int labelled = 0;
    for (int row = 0; row < m_predictions->rowCount(); ++row) {
        const auto& p = m_predictions->prediction(row);
        if (!p.trueClassId)
            continue;
        ++labelled;
        correct += *p.trueClassId == p.predictedClassId ? 1 : 0;
    }
    if (id <= 0)
        m_summary->setText(tr("Train a run, then inspect its predictions here."));
    else if (m_predictions->rowCount() == 0)
        m_summary->setText(tr("This run has no predictions yet: evaluate it first."));
    else
        m_summary->setText(tr("%n image(s); accuracy %1%.", nullptr, m_predictions->rowCount())
                               .arg(labelled > 0 ? 100.0 * correct / labelled : 0.0, 0, 'f', 1));
    if (m_proxy->rowCount() > 0)
        m_table->selectRow(0);
}

void InspectPage::refreshPerClass()
{
    m_perClass->clearPlottables();
    applyPaletteToPlot(m_perClass, palette());
    store::Project* project = m_session->isOpen() ? m_session->project() : nullptr;
    const auto id = runId();
    if (!project || id <= 0) {
        m_perClass->replot();
        return;
    }
    auto accuracy = project->perClassAccuracy(id);
    if (!accuracy) {
        m_perClass->replot();
        return;
    }
    QVector<double> keys, adapted, zeroShot;
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    int k = 0;
    for (const auto& row : accuracy.value()) {
        if (row.total <= 0)
            continue;
        ++k;
        keys << k;
        adapted << 100.0 * row.correct / row.total;
        zeroShot << 100.0 * row.zeroShotCorrect / row.total;
        ticker->addTick(k, m_predictions->className(row.classId));
    }
    auto* group = new QCPBarsGroup(m_perClass);
    auto* a = new QCPBars(m_perClass->xAxis, m_perClass->yAxis);
    a->setName(tr("AAPE"));
    a->setData(keys, adapted, true);
    a->setBrush(curveColour(4));
    a->setPen(Qt::NoPen);
    a->setWidth(0.38);
    a->setBarsGroup(group);
    auto* z = new QCPBars(m_perClass->xAxis, m_perClass->yAxis);
    z->setName(tr("Zero-shot CLIP"));
    z->setData(keys, zeroShot, true);
    z->setBrush(curveColour(0));
    z->setPen(Qt::NoPen);
    z->setWidth(0.38);
    z->setBarsGroup(group);
    m_perClass->xAxis->setTicker(ticker);
    m_perClass->xAxis->setTickLabelRotation(k > 6 ? 35 : 0);
    m_perClass->xAxis->setRange(0.4, k + 0.6);
    m_perClass->yAxis->setRange(0, 105);
    m_perClass->yAxis->setLabel(tr("Accuracy (%)"));
    m_perClass->legend->setVisible(true);
    m_perClass->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    applyPaletteToPlot(m_perClass, palette());
    m_perClass->replot();
}

void InspectPage::showCurrent()
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    if (!current.isValid()) {
        m_inspector->clear();
        return;
    }
    const int row = m_proxy->mapToSource(current).row();
    const auto& p = m_predictions->prediction(row);
    m_inspector->showPrediction(m_session->project(), runId(), p, m_predictions->imagePath(p.imageId),
                                m_predictions->classNames());
}

void InspectPage::moveBy(int delta)
{
    const int rows = m_proxy->rowCount();
    if (rows == 0)
        return;
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    const int row = current.isValid() ? qBound(0, current.row() + delta, rows - 1) : 0;
    m_table->selectRow(row);
    m_table->scrollTo(m_proxy->index(row, 0));
}

void InspectPage::nextImage()
{
    moveBy(1);
}

void InspectPage::previousImage()
{
    moveBy(-1);
}

void InspectPage::setCell(std::int64_t trueClassId, std::int64_t predictedClassId)
{
    m_proxy->setCell(std::make_pair(trueClassId, predictedClassId));
    m_cellLabel->setText(tr("Only %1 predicted as %2")
                             .arg(m_predictions->className(trueClassId), m_predictions->className(predictedClassId)));
    m_cellLabel->show();
    m_clearCell->show();
    if (m_proxy->rowCount() > 0)
        m_table->selectRow(0);
    else
        m_inspector->clear();
}

void InspectPage::clearCell()
{
    m_proxy->setCell(std::nullopt);
    m_cellLabel->hide();
    m_clearCell->hide();
    showCurrent();
}

void InspectPage::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange) {
        applyPaletteToPlot(m_perClass, palette());
        m_perClass->replot();
    }
    QWidget::changeEvent(event);
}

} // namespace aape::ui

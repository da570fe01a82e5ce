#include "InspectPage.h"

#include "ClassAccuracyModel.h"
#include "ConfusionMatrixModel.h"
#include "ConfusionMatrixView.h"
#include "ElidedLabel.h"
#include "ExportActions.h"
#include "ImageInspector.h"
#include "JobRunner.h"
#include "LabelEditor.h"
#include "LayoutMemory.h"
#include "LossPlot.h"
#include "PredictionsModel.h"
#include "ProjectSession.h"
#include "RunMenu.h"
#include "StudioSettings.h"
#include "TopConfusionsModel.h"

#include "aape/store/Project.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QScrollArea>
#include <QShortcut>
#include <QSplitter>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include <algorithm>
#include <map>

namespace aape::ui {

using Filter = PredictionsFilterProxy::Filter;
using Order = ConfusionMatrixModel::Order;

namespace {

// How StudioSettings remembers the chosen filter and matrix order.
const std::pair<Filter, const char*> kFilterNames[] = {
    {Filter::All, "all"},
    {Filter::Misclassified, "misclassified"},
    {Filter::LowConfidence, "low-confidence"},
    {Filter::HighOod, "high-ood"},
    {Filter::FixedByAdaptation, "fixed-by-adaptation"},
    {Filter::BrokenByAdaptation, "broken-by-adaptation"},
};
const std::pair<Order, const char*> kOrderNames[] = {
    {Order::Classes, "classes"},
    {Order::MostErrors, "most-errors"},
    {Order::Confusable, "confusable"},
};

QTableView* analysisTable(const QString& objectName)
{
    auto* table = new QTableView;
    table->setObjectName(objectName);
    table->setSortingEnabled(true);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setAlternatingRowColors(true);
    table->setWordWrap(false);
    table->verticalHeader()->hide();
    table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 8);
    table->horizontalHeader()->setHighlightSections(false);
    return table;
}

// Width of a column that holds class names: the longest name, within reason (longer ones are
// elided; the cell's tooltip has them in full).
int classColumnWidth(const QFontMetrics& metrics, const std::map<std::int64_t, QString>& names, int maxChars)
{
    int longest = 0;
    for (const auto& [id, name] : names)
        longest = std::max(longest, metrics.horizontalAdvance(name));
    return std::min(longest + 16, metrics.averageCharWidth() * maxChars);
}

} // namespace

InspectPage::InspectPage(ProjectSession* session, JobRunner* jobs, QWidget* parent)
    : InspectPage(session, jobs, nullptr, parent)
{}

InspectPage::InspectPage(ProjectSession* session, JobRunner* jobs, QUndoStack* undoStack, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_jobs(jobs)
    , m_undoStack(undoStack ? undoStack : new QUndoStack(this))
    , m_predictions(new PredictionsModel(this))
    , m_proxy(new PredictionsFilterProxy(this))
    , m_classAccuracy(new ClassAccuracyModel(this))
    , m_classProxy(new ClassAccuracyProxy(this))
    , m_topConfusions(new TopConfusionsModel(this))
    , m_confusion(new ConfusionMatrixModel(this))
{
    m_proxy->setSourceModel(m_predictions);
    m_classProxy->setSourceModel(m_classAccuracy);
    m_editor = new LabelEditor(session, m_undoStack, this);

    m_runs = new RunMenu;
    m_runs->setObjectName(QStringLiteral("runChooser"));
    m_runs->setToolTip(tr("Which finished run to inspect. Each run is named with its accuracy on the split it was "
                          "evaluated on."));
    auto* top = new QHBoxLayout;
    auto* runLabel = new QLabel(tr("&Run:"));
    runLabel->setBuddy(m_runs);
    top->addWidget(runLabel);
    top->addWidget(m_runs);
    top->addSpacing(12);

    m_filters = new QButtonGroup(this);
    const std::pair<Filter, std::pair<QString, QString>> filters[] = {
        {Filter::All, {tr("All"), tr("Every evaluated image, of every class.")}},
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
    top->addStretch(1);
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
        // All means all: no class or cell restriction either.
        if (static_cast<Filter>(id) == Filter::All)
            clearRestriction();
        else
            showCurrent();
    });

    // The restriction to a class or a cell: its text holds two class names of any length, so
    // it is elided (never widening the window) with the full text as tooltip.
    m_restrictionRow = new QWidget;
    auto* restrictionLayout = new QHBoxLayout(m_restrictionRow);
    restrictionLayout->setContentsMargins(0, 0, 0, 0);
    m_restrictionLabel = new ElidedLabel;
    m_restrictionLabel->setObjectName(QStringLiteral("restrictionLabel"));
    m_clearRestriction = new QToolButton;
    m_clearRestriction->setText(tr("Show all classes"));
    m_clearRestriction->setToolTip(tr("Stop restricting the table to one class or confusion-matrix cell."));
    connect(m_clearRestriction, &QToolButton::clicked, this, &InspectPage::clearRestriction);
    restrictionLayout->addWidget(m_restrictionLabel, 1);
    restrictionLayout->addWidget(m_clearRestriction);
    m_restrictionRow->hide();

    m_table = new QTableView;
    m_table->setObjectName(QStringLiteral("predictionsTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(PredictionsModel::Image, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setIconSize(QSize(40, 40));
    m_table->verticalHeader()->setDefaultSectionSize(44);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    // Sizing a column to its contents asks each sampled row for its thumbnail (a JPEG decode),
    // up to 1,000 rows by default, and all rows of a hidden table when the precision is 0: a
    // screenful is enough, and class columns get the longest name's width in sizeClassColumns.
    m_table->horizontalHeader()->setResizeContentsPrecision(20);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->setToolTip(tr("Up/Down or J/K move through the images; the inspector follows. Keys 1–9 set the class "
                           "of the selected images (0: unlabelled, Ctrl+M: any class), Delete excludes them; "
                           "right-click for more."));
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &InspectPage::showCurrent);
    connect(m_table, &QWidget::customContextMenuRequested, this,
            [this](const QPoint& position) { showContextMenu(m_table->viewport(), position); });

    m_summary = new QLabel;
    m_summary->setObjectName(QStringLiteral("inspectSummary"));
    m_summary->setWordWrap(true);
    auto* left = new QSplitter(Qt::Vertical);
    left->setObjectName(QStringLiteral("inspectTableSplitter"));
    auto* tableBox = new QWidget;
    auto* tableLayout = new QVBoxLayout(tableBox);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->addWidget(m_restrictionRow);
    tableLayout->addWidget(m_table, 1);
    tableLayout->addWidget(m_summary);
    left->addWidget(tableBox);
    left->addWidget(buildAnalysis());
    left->setStretchFactor(0, 1);
    left->setStretchFactor(1, 1);

    m_inspector = new ImageInspector;
    m_inspector->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_inspector, &QWidget::customContextMenuRequested, this,
            [this](const QPoint& position) { showContextMenu(m_inspector, position); });
    auto* split = new QSplitter(Qt::Horizontal);
    split->setObjectName(QStringLiteral("inspectSplitter"));
    split->addWidget(left);
    split->addWidget(m_inspector);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({660, 480});

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(split, 1);

    for (const auto& [key, delta] : {std::pair{Qt::Key_J, 1}, std::pair{Qt::Key_K, -1}}) {
        auto* shortcut = new QShortcut(QKeySequence(key), this);
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
        connect(shortcut, &QShortcut::activated, this, [this, delta = delta] { moveBy(delta); });
    }
    // The Data page's keys, on the images only (not while typing in the class search).
    for (QWidget* target : {static_cast<QWidget*>(m_table), static_cast<QWidget*>(m_inspector)})
        m_editor->addKeyActions(target, [this] { return selectedImageIds(); });

    connect(m_runs, qOverload<int>(&QComboBox::currentIndexChanged), this, &InspectPage::loadRun);
    connect(m_session, &ProjectSession::opened, this, &InspectPage::refreshRuns);
    connect(m_session, &ProjectSession::closed, this, &InspectPage::refreshRuns);
    connect(m_session, &ProjectSession::runsChanged, this, &InspectPage::refreshRuns);
    connect(m_session, &ProjectSession::datasetChanged, this, &InspectPage::onDatasetChanged);
    refreshRuns();
}

InspectPage::~InspectPage() = default;

QWidget* InspectPage::buildAnalysis()
{
    m_tabs = new QTabWidget;
    m_tabs->setObjectName(QStringLiteral("inspectAnalysisTabs"));
    m_tabs->setDocumentMode(true);

    // Per class: a search field over a sortable table; a click lists the class's images.
    auto* classPage = new QWidget;
    auto* classLayout = new QVBoxLayout(classPage);
    classLayout->setContentsMargins(0, 4, 0, 0);
    m_classSearch = new QLineEdit;
    m_classSearch->setObjectName(QStringLiteral("classSearch"));
    m_classSearch->setPlaceholderText(tr("Find a class"));
    m_classSearch->setClearButtonEnabled(true);
    connect(m_classSearch, &QLineEdit::textChanged, m_classProxy, &QSortFilterProxyModel::setFilterFixedString);
    m_classTable = analysisTable(QStringLiteral("classAccuracyTable"));
    m_classTable->setModel(m_classProxy);
    m_classTable->sortByColumn(ClassAccuracyModel::Accuracy, Qt::AscendingOrder);
    m_classTable->setToolTip(tr("Click a class to list its images; click its most-confused class to list the images "
                                "taken for it. Click a column title to sort."));
    m_classTable->horizontalHeader()->setSectionResizeMode(ClassAccuracyModel::Name, QHeaderView::Interactive);
    m_classTable->horizontalHeader()->setStretchLastSection(false);
    const auto onClass = [this](const QModelIndex& index) {
        const QModelIndex source = m_classProxy->mapToSource(index);
        const auto classId = source.data(ClassAccuracyModel::ClassIdRole).toLongLong();
        const auto confused = source.data(ClassAccuracyModel::ConfusedClassIdRole).toLongLong();
        const bool onConfused =
            source.column() == ClassAccuracyModel::ConfusedWith || source.column() == ClassAccuracyModel::ConfusedCount;
        if (onConfused && confused >= 0)
            restrictToCell(classId, confused);
        else
            restrictToClass(classId);
    };
    connect(m_classTable, &QTableView::clicked, this, onClass);
    connect(m_classTable, &QTableView::activated, this, onClass);
    classLayout->addWidget(m_classSearch);
    classLayout->addWidget(m_classTable, 1);
    m_tabs->addTab(classPage, tr("Classes"));

    // The confusions, largest first; a click lists the images of that cell.
    auto* confusionsProxy = new QSortFilterProxyModel(this);
    confusionsProxy->setSourceModel(m_topConfusions);
    confusionsProxy->setSortRole(TopConfusionsModel::SortRole);
    m_confusionsTable = analysisTable(QStringLiteral("topConfusionsTable"));
    m_confusionsTable->setModel(confusionsProxy);
    m_confusionsTable->sortByColumn(TopConfusionsModel::Count, Qt::DescendingOrder);
    m_confusionsTable->setToolTip(tr("Which classes are taken for which, most often first. Click a row to list its "
                                     "images."));
    // The two names share the width; the numbers take what they need.
    m_confusionsTable->horizontalHeader()->setStretchLastSection(false);
    for (int column : {int(TopConfusionsModel::TrueClass), int(TopConfusionsModel::Predicted)})
        m_confusionsTable->horizontalHeader()->setSectionResizeMode(column, QHeaderView::Stretch);
    for (int column : {int(TopConfusionsModel::Count), int(TopConfusionsModel::Share)})
        m_confusionsTable->horizontalHeader()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    const auto onConfusion = [this](const QModelIndex& index) {
        restrictToCell(index.data(TopConfusionsModel::TrueClassIdRole).toLongLong(),
                       index.data(TopConfusionsModel::PredictedClassIdRole).toLongLong());
    };
    connect(m_confusionsTable, &QTableView::clicked, this, onConfusion);
    connect(m_confusionsTable, &QTableView::activated, this, onConfusion);
    m_tabs->addTab(m_confusionsTable, tr("Top confusions"));

    // The matrix, with its order and zoom.
    m_matrixPage = new QWidget;
    auto* matrixLayout = new QVBoxLayout(m_matrixPage);
    matrixLayout->setContentsMargins(0, 4, 0, 0);
    auto* matrixBar = new QHBoxLayout;
    m_matrixOrder = new QComboBox;
    m_matrixOrder->setObjectName(QStringLiteral("matrixOrder"));
    m_matrixOrder->addItem(tr("Class order"), static_cast<int>(Order::Classes));
    m_matrixOrder->addItem(tr("Most errors first"), static_cast<int>(Order::MostErrors));
    m_matrixOrder->addItem(tr("Confused classes together"), static_cast<int>(Order::Confusable));
    m_matrixOrder->setToolTip(tr("The order of the classes, the same on both axes: as in the project, by how many of "
                                 "their images are misclassified, or with classes that are taken for each other side "
                                 "by side."));
    auto* orderLabel = new QLabel(tr("&Order:"));
    orderLabel->setBuddy(m_matrixOrder);
    m_confusionView = new ConfusionMatrixView;
    m_confusionView->setObjectName(QStringLiteral("confusionMatrix"));
    m_confusionView->setModel(m_confusion);
    connect(m_confusionView, &ConfusionMatrixView::cellChosen, this, &InspectPage::restrictToCell);
    const auto zoomButton = [](const QString& text, const QString& tip) {
        auto* button = new QToolButton;
        button->setText(text);
        button->setToolTip(tip);
        return button;
    };
    auto* zoomOut = zoomButton(tr("−"), tr("Smaller cells (Ctrl+wheel down, Ctrl+−)"));
    auto* zoomIn = zoomButton(tr("+"), tr("Larger cells (Ctrl+wheel up, Ctrl++)"));
    auto* fit = zoomButton(tr("Fit"), tr("The whole matrix in view; class names show once the cells are large "
                                         "enough for them."));
    zoomOut->setObjectName(QStringLiteral("matrixZoomOut"));
    zoomIn->setObjectName(QStringLiteral("matrixZoomIn"));
    fit->setObjectName(QStringLiteral("matrixFit"));
    connect(zoomOut, &QToolButton::clicked, m_confusionView, &ConfusionMatrixView::zoomOut);
    connect(zoomIn, &QToolButton::clicked, m_confusionView, &ConfusionMatrixView::zoomIn);
    connect(fit, &QToolButton::clicked, m_confusionView, &ConfusionMatrixView::fitToView);
    matrixBar->addWidget(orderLabel);
    matrixBar->addWidget(m_matrixOrder);
    matrixBar->addStretch(1);
    matrixBar->addWidget(new QLabel(tr("Zoom:")));
    matrixBar->addWidget(zoomOut);
    matrixBar->addWidget(zoomIn);
    matrixBar->addWidget(fit);
    matrixLayout->addLayout(matrixBar);
    matrixLayout->addWidget(m_confusionView, 1);
    const QString orderName = StudioSettings::choice(QStringLiteral("inspect/matrixOrder")).toString();
    for (const auto& [order, name] : kOrderNames)
        if (orderName == QLatin1String(name))
            m_matrixOrder->setCurrentIndex(m_matrixOrder->findData(static_cast<int>(order)));
    m_confusionView->setOrder(static_cast<Order>(m_matrixOrder->currentData().toInt()));
    connect(m_matrixOrder, &QComboBox::currentIndexChanged, this, [this] {
        const auto order = static_cast<Order>(m_matrixOrder->currentData().toInt());
        m_confusionView->setOrder(order);
        for (const auto& [o, name] : kOrderNames)
            if (o == order)
                StudioSettings::setChoice(QStringLiteral("inspect/matrixOrder"), QLatin1String(name));
    });

    // Bars per class, where there are few enough classes for their names to be read: names on
    // the vertical axis one per line, the legend above the plot so that it hides no bar.
    m_perClass = new QCustomPlot;
    m_perClass->setObjectName(QStringLiteral("perClassPlot"));
    m_perClass->setToolTip(tr("Accuracy of each class after adaptation, with zero-shot CLIP beside it. "
                              "Right-click to save the plot."));
    addSavePlotAction(m_perClass);
    m_perClass->plotLayout()->insertRow(0);
    m_perClass->axisRect()->insetLayout()->take(m_perClass->legend);
    m_perClass->plotLayout()->addElement(0, 0, m_perClass->legend);
    m_perClass->plotLayout()->setRowStretchFactor(0, 0.001);
    m_perClass->legend->setFillOrder(QCPLegend::foColumnsFirst);
    m_perClass->legend->setVisible(true);
    m_perClass->yAxis->setRangeReversed(true);
    m_chartScroll = new QScrollArea;
    m_chartScroll->setWidget(m_perClass);
    m_chartScroll->setWidgetResizable(true);
    m_chartScroll->setFrameShape(QFrame::NoFrame);

    // The matrix first: with few classes it is the overview. The tab the user picks is kept by
    // name (the chart's tab comes and goes with the number of classes).
    m_tabs->insertTab(0, m_matrixPage, tr("Confusion matrix"));
    classPage->setObjectName(QStringLiteral("classesTab"));
    m_matrixPage->setObjectName(QStringLiteral("matrixTab"));
    m_chartScroll->setObjectName(QStringLiteral("chartTab"));
    connect(m_tabs->tabBar(), &QTabBar::tabBarClicked, this, [this](int index) {
        if (QWidget* tab = m_tabs->widget(index))
            StudioSettings::setChoice(QStringLiteral("inspect/analysisTab"), tab->objectName());
    });
    return m_tabs;
}

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

bool InspectPage::showsPerClassChart() const
{
    return m_tabs->indexOf(m_chartScroll) >= 0;
}

void InspectPage::loadRun()
{
    store::Project* project = m_session->isOpen() ? m_session->project() : nullptr;
    const auto id = runId();
    m_proxy->setImages(std::nullopt);
    m_proxy->setCell(std::nullopt);
    m_proxy->setTrueClass(std::nullopt);
    m_restrictionRow->hide();
    m_predictions->refresh(project, id);
    m_confusion->refresh(project, id);
    m_classAccuracy->refresh(project, id);
    m_topConfusions->refresh(project, id);
    sizeColumnsOnce(m_table);
    sizeClassColumns();
    refreshPerClass();
    chooseAnalysisTab();
    m_inspector->clear();
    refreshSummary();
    if (m_proxy->rowCount() > 0)
        m_table->selectRow(0);
}

void InspectPage::chooseAnalysisTab()
{
    const QString chosen = StudioSettings::choice(QStringLiteral("inspect/analysisTab")).toString();
    QWidget* tab = chosen.isEmpty() ? nullptr : m_tabs->findChild<QWidget*>(chosen);
    if (!tab || m_tabs->indexOf(tab) < 0) {
        // Not chosen yet: the matrix while it is small, the class table when there are many.
        tab = m_classAccuracy->rowCount() > kChartMaxClasses ? m_tabs->findChild<QWidget*>(QStringLiteral("classesTab"))
                                                             : m_matrixPage;
    }
    m_tabs->setCurrentWidget(tab);
}

void InspectPage::sizeClassColumns()
{
    const QFontMetrics metrics = m_table->fontMetrics();
    const auto& names = m_predictions->classNames();
    if (names.empty())
        return;
    // Class columns at least as wide as the longest name up to 30 characters (longer ones are
    // elided, whole in the tooltip): the predicted class must be readable at a glance.
    QHeaderView* header = m_table->horizontalHeader();
    for (int column : {int(PredictionsModel::TrueClass), int(PredictionsModel::Predicted)}) {
        const int wanted = classColumnWidth(metrics, names, kClassColumnChars);
        if (header->sectionSize(column) < wanted)
            header->resizeSection(column, wanted);
    }
    // Once, unless the user's widths came back from the settings: LayoutMemory marks a header
    // it restored (or sized) with this property.
    QHeaderView* classHeader = m_classTable->horizontalHeader();
    if (!classHeader->property("aapeColumnsSized").toBool() && m_classAccuracy->rowCount() > 0) {
        m_classTable->resizeColumnsToContents();
        classHeader->resizeSection(ClassAccuracyModel::Name, classColumnWidth(metrics, names, 24));
        classHeader->resizeSection(ClassAccuracyModel::ConfusedWith, classColumnWidth(metrics, names, 24));
        classHeader->setProperty("aapeColumnsSized", true);
    }
}

void InspectPage::refreshSummary()
{
    const auto id = runId();
    int correct = 0;
    int zeroShotCorrect = 0;
    int labelled = 0;
    for (int row = 0; row < m_predictions->rowCount(); ++row) {
        const auto& p = m_predictions->prediction(row);
        if (!p.trueClassId)
            continue;
        ++labelled;
        correct += *p.trueClassId == p.predictedClassId ? 1 : 0;
        zeroShotCorrect += p.zeroShotClassId == p.trueClassId ? 1 : 0;
    }
    if (id <= 0) {
        m_summary->setText(tr("Train a run, then inspect its predictions here."));
        return;
    }
    if (m_predictions->rowCount() == 0) {
        m_summary->setText(tr("This run has no predictions yet: evaluate it first."));
        return;
    }
    const QString split = splitNoun(m_classAccuracy->split());
    QStringList parts;
    parts << tr("%n image(s) of the %1 split", nullptr, m_predictions->rowCount()).arg(split);
    if (labelled > 0)
        parts << tr("%1 accuracy %2% (zero-shot CLIP %3%)")
                     .arg(split)
                     .arg(100.0 * correct / labelled, 0, 'f', 1)
                     .arg(100.0 * zeroShotCorrect / labelled, 0, 'f', 1);
    auto run = m_session->project()->run(id);
    if (run && run.value() && run.value()->summary.is_object()) {
        const auto& summary = run.value()->summary;
        const int epoch = summary.value("evaluated_epoch", 0);
        if (epoch > 0)
            parts << (summary.value("epoch_choice", std::string()) == "best"
                          ? tr("epoch %1, the best on validation").arg(epoch)
                          : tr("epoch %1, the last").arg(epoch));
    }
    m_summary->setText(parts.join(QStringLiteral(" · ")));
}

void InspectPage::refreshPerClass()
{
    m_perClass->clearPlottables();
    const int shownClasses = m_classAccuracy->rowCount();
    const bool chart = shownClasses > 0 && shownClasses <= kChartMaxClasses;
    const int chartTab = m_tabs->indexOf(m_chartScroll);
    if (chart && chartTab < 0)
        m_tabs->addTab(m_chartScroll, tr("Per-class chart"));
    else if (!chart && chartTab >= 0)
        m_tabs->removeTab(chartTab);
    if (!chart) {
        m_perClass->replot();
        return;
    }
    QVector<double> keys, adapted, zeroShot;
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    const QFontMetrics metrics(m_perClass->yAxis->tickLabelFont());
    for (int row = 0; row < shownClasses; ++row) {
        const auto at = [&](int column, int role) { return m_classAccuracy->index(row, column).data(role); };
        const double key = row + 1;
        keys << key;
        adapted << at(ClassAccuracyModel::Accuracy, ClassAccuracyModel::SortRole).toDouble();
        zeroShot << at(ClassAccuracyModel::ZeroShot, ClassAccuracyModel::SortRole).toDouble();
        // Horizontal names, one per bar pair, cut where they would squeeze the bars.
        ticker->addTick(key, metrics.elidedText(at(ClassAccuracyModel::Name, Qt::DisplayRole).toString(),
                                                Qt::ElideRight, metrics.averageCharWidth() * 28));
    }
    auto* group = new QCPBarsGroup(m_perClass);
    auto* a = new QCPBars(m_perClass->yAxis, m_perClass->xAxis);
    a->setName(tr("AAPE"));
    a->setData(keys, adapted, true);
    a->setBrush(curveColour(4));
    a->setPen(Qt::NoPen);
    a->setWidth(0.38);
    a->setBarsGroup(group);
    auto* z = new QCPBars(m_perClass->yAxis, m_perClass->xAxis);
    z->setName(tr("Zero-shot CLIP"));
    z->setData(keys, zeroShot, true);
    z->setBrush(curveColour(0));
    z->setPen(Qt::NoPen);
    z->setWidth(0.38);
    z->setBarsGroup(group);
    m_perClass->yAxis->setTicker(ticker);
    m_perClass->yAxis->setSubTicks(false);
    m_perClass->yAxis->setTickLabelRotation(0);
    m_perClass->yAxis->setRange(0.4, shownClasses + 0.6);
    m_perClass->xAxis->setRange(0, 105);
    m_perClass->xAxis->setLabel(tr("Accuracy on the %1 images (%)").arg(splitNoun(m_classAccuracy->split())));
    // Every name gets at least a line of its own: the scroll area scrolls when there is less room.
    const int lineHeight = metrics.height() + 6;
    m_perClass->setMinimumHeight((shownClasses + 5) * lineHeight);
    applyPaletteToPlot(m_perClass, palette());
    styleLegend();
    m_perClass->replot();
}

void InspectPage::styleLegend()
{
    // applyPaletteToPlot styles legends inside the axis rect; this one sits above it.
    QColor border = palette().color(QPalette::Mid);
    border.setAlpha(110);
    m_perClass->legend->setBrush(palette().brush(QPalette::Base));
    m_perClass->legend->setTextColor(palette().color(QPalette::WindowText));
    m_perClass->legend->setBorderPen(QPen(border));
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
    updateNote();
}

void InspectPage::updateNote()
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    if (!current.isValid()) {
        m_inspector->setNote({});
        return;
    }
    const int row = m_proxy->mapToSource(current).row();
    const auto& p = m_predictions->prediction(row);
    QStringList lines;
    if (m_predictions->isRelabelled(row)) {
        const auto now = m_predictions->currentClassId(row);
        lines << (now ? tr("Now labelled %1; this run was evaluated with the old label.")
                            .arg(m_predictions->className(*now))
                      : tr("Now unlabelled; this run was evaluated with the old label."));
    }
    if (m_predictions->isExcluded(row))
        lines << tr("Excluded: it takes no part in training or evaluation from now on.");
    if (lines.isEmpty() && p.trueClassId && *p.trueClassId != p.predictedClassId)
        lines << tr("A wrong label? Right-click to relabel it, or press 1–9, 0 or Ctrl+M; Delete excludes it.");
    else if (!lines.isEmpty())
        lines << tr("Train again to use the change; Ctrl+Z undoes it.");
    m_inspector->setNote(lines.join(QLatin1Char(' ')));
}

void InspectPage::onDatasetChanged()
{
    if (!m_session->isOpen())
        return;
    m_predictions->refreshImageStates(m_session->project());
    updateNote();
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

void InspectPage::restrictToImages(const QList<qint64>& imageIds, const QString& reason)
{
    m_proxy->setCell(std::nullopt);
    m_proxy->setTrueClass(std::nullopt);
    m_proxy->setImages(QSet<qint64>(imageIds.begin(), imageIds.end()));
    m_restrictionLabel->setFullText(
        tr("Only the %n image(s) %1", nullptr, static_cast<int>(imageIds.size())).arg(reason));
    afterRestriction();
}

void InspectPage::restrictToClass(std::int64_t classId)
{
    m_proxy->setImages(std::nullopt);
    m_proxy->setCell(std::nullopt);
    m_proxy->setTrueClass(classId);
    m_restrictionLabel->setFullText(tr("Only images of %1").arg(m_predictions->className(classId)));
    afterRestriction();
}

void InspectPage::restrictToCell(std::int64_t trueClassId, std::int64_t predictedClassId)
{
    m_proxy->setImages(std::nullopt);
    m_proxy->setTrueClass(std::nullopt);
    m_proxy->setCell(std::make_pair(trueClassId, predictedClassId));
    m_restrictionLabel->setFullText(
        tr("Only images of %1 predicted as %2")
            .arg(m_predictions->className(trueClassId), m_predictions->className(predictedClassId)));
    afterRestriction();
}

void InspectPage::afterRestriction()
{
    m_restrictionRow->show();
    // A cell of right predictions under "Misclassified" would be empty: show what was asked for.
    if (m_proxy->rowCount() == 0 && m_proxy->filter() != Filter::All) {
        m_proxy->setFilter(Filter::All);
        m_filters->button(static_cast<int>(Filter::All))->setChecked(true);
    }
    if (m_proxy->rowCount() > 0) {
        m_table->selectRow(0);
        m_table->scrollTo(m_proxy->index(0, 0));
    } else {
        m_inspector->clear();
    }
}

void InspectPage::clearRestriction()
{
    m_proxy->setImages(std::nullopt);
    m_proxy->setCell(std::nullopt);
    m_proxy->setTrueClass(std::nullopt);
    m_restrictionRow->hide();
    showCurrent();
}

QList<qint64> InspectPage::selectedImageIds() const
{
    QList<qint64> ids;
    QModelIndexList rows = m_table->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
    for (const QModelIndex& index : rows)
        ids.append(index.data(PredictionsModel::ImageIdRole).toLongLong());
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    if (ids.isEmpty() && current.isValid())
        ids.append(current.data(PredictionsModel::ImageIdRole).toLongLong());
    return ids;
}

void InspectPage::fillContextMenu(QMenu* menu)
{
    const QList<qint64> ids = selectedImageIds();
    if (ids.isEmpty())
        return;
    // The classes the model itself offers for the current image, likeliest first, minus the
    // label the image has now.
    std::vector<LabelEditor::Suggestion> suggestions;
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    if (current.isValid()) {
        const int row = m_proxy->mapToSource(current).row();
        const auto& p = m_predictions->prediction(row);
        const auto now = m_predictions->currentClassId(row);
        const auto offer = [&](std::int64_t classId, const QString& reason) {
            if (now == classId)
                return;
            for (const auto& s : suggestions)
                if (s.classId == classId)
                    return;
            suggestions.push_back({classId, reason});
        };
        offer(p.predictedClassId, tr("predicted, %1%").arg(p.probability * 100.0, 0, 'f', 0));
        if (p.topK.is_array())
            for (const auto& entry : p.topK)
                if (entry.is_array() && entry.size() >= 2)
                    offer(entry[0].get<std::int64_t>(),
                          QStringLiteral("%1%").arg(entry[1].get<double>() * 100.0, 0, 'f', 0));
        if (p.zeroShotClassId)
            offer(*p.zeroShotClassId, tr("zero-shot CLIP"));
    }
    m_editor->fillMenu(menu, ids, suggestions, this);
}

void InspectPage::showContextMenu(QWidget* from, const QPoint& position)
{
    if (from == m_table->viewport()) {
        // Right-clicking an image that is not selected acts on that image, as file managers do.
        const QModelIndex at = m_table->indexAt(position);
        if (at.isValid() && !m_table->selectionModel()->isRowSelected(at.row(), {}))
            m_table->selectRow(at.row());
    }
    QMenu menu(this);
    fillContextMenu(&menu);
    if (!menu.isEmpty())
        menu.exec(from->mapToGlobal(position));
}

void InspectPage::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange) {
        applyPaletteToPlot(m_perClass, palette());
        styleLegend();
        m_perClass->replot();
    }
    QWidget::changeEvent(event);
}

} // namespace aape::ui

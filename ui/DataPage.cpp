#include "DataPage.h"

#include "ClassListModel.h"
#include "DatasetModel.h"
#include "ProjectSession.h"
#include "StudioSettings.h"
#include "ThumbnailCache.h"
#include "UndoCommands.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QSplitter>
#include <QStackedWidget>
#include <QTreeView>
#include <QUndoStack>
#include <QVBoxLayout>

#include <algorithm>

namespace aape::ui {

namespace {

constexpr int kThumbnailSide = 128;

QString splitTitle(store::Split split)
{
    switch (split) {
    case store::Split::Train:
        return DataPage::tr("Train");
    case store::Split::Val:
        return DataPage::tr("Validation");
    case store::Split::Test:
        return DataPage::tr("Test");
    }
    return {};
}

} // namespace

DataPage::DataPage(ProjectSession* session, QUndoStack* undoStack, QWidget* parent)
    : QWidget(parent), m_session(session), m_undoStack(undoStack)
{
    m_thumbnails = new ThumbnailCache(QSize(kThumbnailSide, kThumbnailSide), 3000, this);
    m_model = new DatasetModel(session, m_thumbnails, this);
    m_filter = new DatasetFilterModel(this);
    m_filter->setSourceModel(m_model);
    m_classModel = new ClassListModel(session, true, this);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("dataSplitter"));
    layout->addWidget(splitter);

    m_classView = new QTreeView(splitter);
    m_classView->setObjectName(QStringLiteral("dataClassList"));
    m_classView->setModel(m_classModel);
    m_classView->setRootIsDecorated(false);
    m_classView->setUniformRowHeights(true);
    m_classView->setColumnHidden(ClassListModel::DescriptionsColumn, true);
    m_classView->header()->setStretchLastSection(false);
    m_classView->header()->setSectionResizeMode(ClassListModel::NameColumn, QHeaderView::Stretch);
    m_classView->header()->setSectionResizeMode(ClassListModel::ImagesColumn, QHeaderView::ResizeToContents);
    m_classView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_classView->setDragDropMode(QAbstractItemView::DropOnly);
    m_classView->setAcceptDrops(true);
    m_classView->setDropIndicatorShown(true);
    m_classView->setToolTip(tr("Choose a class to show its images; drop thumbnails on a class to move them there"));

    auto* right = new QWidget(splitter);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    auto* bar = new QHBoxLayout;
    m_splitCombo = new QComboBox(right);
    m_splitCombo->setObjectName(QStringLiteral("splitFilter"));
    m_splitCombo->addItem(tr("All splits"), DatasetFilterModel::kAnySplit);
    for (store::Split split : {store::Split::Train, store::Split::Val, store::Split::Test})
        m_splitCombo->addItem(splitTitle(split), static_cast<int>(split));
    m_splitCombo->setToolTip(tr("Show only the images of one split"));
    m_showExcluded = new QCheckBox(tr("Show excluded"), right);
    m_showExcluded->setObjectName(QStringLiteral("showExcluded"));
    m_showExcluded->setChecked(true);
    m_showExcluded->setToolTip(tr("Excluded images take no part in training or evaluation; they are shown dimmed"));
    m_countLabel = new QLabel(right);
    m_countLabel->setObjectName(QStringLiteral("dataCountLabel"));
    bar->addWidget(new QLabel(tr("Split:"), right));
    bar->addWidget(m_splitCombo);
    bar->addWidget(m_showExcluded);
    bar->addStretch(1);
    bar->addWidget(m_countLabel);
    rightLayout->addLayout(bar);

    m_gridStack = new QStackedWidget(right);
    m_grid = new QListView(m_gridStack);
    m_grid->setObjectName(QStringLiteral("thumbnailGrid"));
    m_grid->setViewMode(QListView::IconMode);
    m_grid->setMovement(QListView::Static);
    m_grid->setResizeMode(QListView::Adjust);
    m_grid->setUniformItemSizes(true);
    m_grid->setLayoutMode(QListView::Batched);
    m_grid->setBatchSize(500);
    m_grid->setIconSize(QSize(kThumbnailSide, kThumbnailSide));
    m_grid->setGridSize(QSize(kThumbnailSide + 24, kThumbnailSide + fontMetrics().height() * 2 + 8));
    m_grid->setSpacing(4);
    m_grid->setWordWrap(false);
    m_grid->setTextElideMode(Qt::ElideMiddle);
    m_grid->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_grid->setDragEnabled(true);
    m_grid->setDragDropMode(QAbstractItemView::DragOnly);
    m_grid->setDefaultDropAction(Qt::MoveAction);
    m_grid->setContextMenuPolicy(Qt::CustomContextMenu);
    m_grid->setModel(m_filter);
    m_grid->setToolTip(QString());

    auto* empty = new QLabel(tr("<p style='font-size:large'>No images yet.</p>"
                                "<p>Drop a folder on this window whose sub-folders are the classes "
                                "(e.g. <i>forest/</i>, <i>river/</i>), a <i>path,label</i> CSV or a CoOp "
                                "<i>split_zhou_*.json</i>. Or use File ▸ Import Folder… (Ctrl+I).</p>"),
                             m_gridStack);
    empty->setObjectName(QStringLiteral("dataEmptyHint"));
    empty->setAlignment(Qt::AlignCenter);
    empty->setWordWrap(true);
    empty->setForegroundRole(QPalette::PlaceholderText);
    m_gridStack->addWidget(m_grid);
    m_gridStack->addWidget(empty);
    rightLayout->addWidget(m_gridStack, 1);

    splitter->addWidget(m_classView);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({240, 900});

    connect(m_classView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &DataPage::onClassSelected);
    connect(m_classModel, &QAbstractItemModel::modelReset, this, [this] {
        if (m_classModel->rowCount() > 0)
            m_classView->setCurrentIndex(m_classModel->index(0, 0));
    });
    connect(m_classModel, &ClassListModel::imagesDropped, this, [this](const QList<qint64>& ids, qint64 classId) {
        setLabel(ids, classId == ClassListModel::kUnlabelled ? std::nullopt : std::optional<qint64>(classId));
    });
    connect(m_splitCombo, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->setSplitFilter(m_splitCombo->currentData().toInt());
        StudioSettings::setChoice(QStringLiteral("data/split"), m_splitCombo->currentData());
    });
    connect(m_showExcluded, &QCheckBox::toggled, m_filter, &DatasetFilterModel::setShowExcluded);
    connect(m_showExcluded, &QCheckBox::toggled, this,
            [](bool on) { StudioSettings::setChoice(QStringLiteral("data/showExcluded"), on); });
    // The filters chosen last time.
    const int split = m_splitCombo->findData(StudioSettings::choice(QStringLiteral("data/split"), DatasetFilterModel::kAnySplit));
    m_splitCombo->setCurrentIndex(split >= 0 ? split : 0);
    m_showExcluded->setChecked(StudioSettings::choice(QStringLiteral("data/showExcluded"), true).toBool());
    connect(m_grid, &QListView::customContextMenuRequested, this, &DataPage::showContextMenu);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &DataPage::updateCounts);
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, &DataPage::updateCounts);
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, &DataPage::updateCounts);
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, &DataPage::updateCounts);
    connect(m_model, &QAbstractItemModel::modelReset, this, &DataPage::updateCounts);

    buildActions();
    if (m_classModel->rowCount() > 0)
        m_classView->setCurrentIndex(m_classModel->index(0, 0));
    updateCounts();
}

void DataPage::buildActions()
{
    for (int i = 0; i <= 9; ++i) {
        auto* action = new QAction(this);
        action->setShortcut(QKeySequence(Qt::Key_0 + i));
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(action, &QAction::triggered, this, [this, i] { setLabelByPosition(i == 0 ? -1 : i - 1); });
        m_grid->addAction(action);
    }
    auto* move = new QAction(tr("Move to Class…"), this);
    move->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
    move->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(move, &QAction::triggered, this, &DataPage::moveToClassDialog);
    m_grid->addAction(move);
    auto* exclude = new QAction(tr("Exclude / Include"), this);
    exclude->setShortcuts({QKeySequence(Qt::Key_Delete), QKeySequence(Qt::Key_Backspace)});
    exclude->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(exclude, &QAction::triggered, this, [this] { toggleExcluded(selectedImageIds()); });
    m_grid->addAction(exclude);
}

QList<qint64> DataPage::selectedImageIds() const
{
    QModelIndexList rows = m_grid->selectionModel()->selectedIndexes();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
    QList<qint64> ids;
    ids.reserve(rows.size());
    for (const QModelIndex& index : rows)
        ids.append(index.data(DatasetModel::ImageIdRole).toLongLong());
    return ids;
}

void DataPage::setLabel(const QList<qint64>& imageIds, std::optional<qint64> classId)
{
    if (imageIds.isEmpty() || !m_session->isOpen())
        return;
    QString name;
    if (classId) {
        const int row = m_classModel->rowOfClass(*classId);
        if (row < 0)
            return;
        name = m_classModel->index(row, ClassListModel::NameColumn).data().toString();
    }
    m_undoStack->push(new SetImageLabelsCommand(m_session, imageIds, classId, name));
}

void DataPage::setSplit(const QList<qint64>& imageIds, store::Split split)
{
    if (imageIds.isEmpty() || !m_session->isOpen())
        return;
    m_undoStack->push(new SetImageSplitsCommand(m_session, imageIds, split));
}

void DataPage::toggleExcluded(const QList<qint64>& imageIds)
{
    if (imageIds.isEmpty() || !m_session->isOpen())
        return;
    // All excluded: include them; otherwise exclude them all.
    bool allExcluded = true;
    for (qint64 id : imageIds) {
        const int row = m_model->rowOfImage(id);
        const store::ImageRecord* image = m_model->record(row);
        allExcluded = allExcluded && image && image->excluded;
    }
    m_undoStack->push(new SetImagesExcludedCommand(m_session, imageIds, !allExcluded));
}

void DataPage::setLabelByPosition(int position)
{
    const QList<qint64> ids = selectedImageIds();
    if (ids.isEmpty())
        return;
    if (position < 0) {
        setLabel(ids, std::nullopt);
        return;
    }
    // Classes in label order; the key is the position in the class list, not the database id.
    int seen = 0;
    for (int row = 0; row < m_classModel->rowCount(); ++row) {
        const qint64 classId = m_classModel->classIdAt(row);
        if (classId < 0)
            continue;
        if (seen++ == position) {
            setLabel(ids, classId);
            return;
        }
    }
    m_session->showMessage(1, tr("There is no class %1. Keys 1–9 pick the first nine classes in the list.")
                                  .arg(position + 1));
}

void DataPage::moveToClassDialog()
{
    const QList<qint64> ids = selectedImageIds();
    if (ids.isEmpty())
        return;
    QStringList names;
    QList<qint64> classIds;
    for (int row = 0; row < m_classModel->rowCount(); ++row) {
        const qint64 classId = m_classModel->classIdAt(row);
        if (classId == ClassListModel::kAllImages)
            continue;
        names.append(m_classModel->index(row, 0).data().toString());
        classIds.append(classId);
    }
    bool ok = false;
    const QString chosen = QInputDialog::getItem(this, tr("Move to Class"), tr("Class of the %n selected image(s):",
                                                                                nullptr, int(ids.size())),
                                                 names, 0, false, &ok);
    if (!ok)
        return;
    const qint64 classId = classIds.value(names.indexOf(chosen), ClassListModel::kUnlabelled);
    setLabel(ids, classId == ClassListModel::kUnlabelled ? std::nullopt : std::optional<qint64>(classId));
}

void DataPage::showContextMenu(const QPoint& position)
{
    const QList<qint64> ids = selectedImageIds();
    if (ids.isEmpty())
        return;
    QMenu menu(this);
    QMenu* classMenu = menu.addMenu(tr("Set Class"));
    int key = 1;
    for (int row = 0; row < m_classModel->rowCount(); ++row) {
        const qint64 classId = m_classModel->classIdAt(row);
        if (classId < 0)
            continue;
        QAction* action = classMenu->addAction(m_classModel->index(row, 0).data().toString());
        if (key <= 9)
            action->setShortcut(QKeySequence(Qt::Key_0 + key));
        ++key;
        connect(action, &QAction::triggered, this, [this, ids, classId] { setLabel(ids, classId); });
    }
    classMenu->addSeparator();
    QAction* none = classMenu->addAction(tr("Unlabelled"));
    none->setShortcut(QKeySequence(Qt::Key_0));
    connect(none, &QAction::triggered, this, [this, ids] { setLabel(ids, std::nullopt); });

    QMenu* splitMenu = menu.addMenu(tr("Set Split"));
    for (store::Split split : {store::Split::Train, store::Split::Val, store::Split::Test}) {
        QAction* action = splitMenu->addAction(splitTitle(split));
        connect(action, &QAction::triggered, this, [this, ids, split] { setSplit(ids, split); });
    }
    menu.addSeparator();
    const bool excluded = m_model->record(m_model->rowOfImage(ids.first())) &&
                          m_model->record(m_model->rowOfImage(ids.first()))->excluded;
    QAction* exclude = menu.addAction(excluded ? tr("Include in Training") : tr("Exclude from Training"));
    exclude->setShortcut(QKeySequence(Qt::Key_Delete));
    connect(exclude, &QAction::triggered, this, [this, ids] { toggleExcluded(ids); });
    QAction* move = menu.addAction(tr("Move to Class…"));
    move->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
    connect(move, &QAction::triggered, this, &DataPage::moveToClassDialog);
    menu.exec(m_grid->viewport()->mapToGlobal(position));
}

void DataPage::onClassSelected()
{
    const QModelIndex current = m_classView->currentIndex();
    m_filter->setClassFilter(current.isValid() ? m_classModel->classIdAt(current.row())
                                               : DatasetFilterModel::kAnyClass);
    updateCounts();
}

void DataPage::updateCounts()
{
    const int total = m_model->rowCount();
    const int shown = m_filter->rowCount();
    m_countLabel->setText(shown == total ? tr("%n image(s)", nullptr, total)
                                         : tr("Showing %1 of %n image(s)", nullptr, total).arg(shown));
    m_gridStack->setCurrentIndex(total == 0 && m_session->isOpen() ? 1 : 0);
}

void DataPage::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange)
        m_model->paletteChanged();
    QWidget::changeEvent(event);
}

} // namespace aape::ui

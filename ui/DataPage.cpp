#include "DataPage.h"

#include "ClassListModel.h"
#include "DatasetModel.h"
#include "JobRunner.h"
#include "ProjectSession.h"
#include "StudioSettings.h"
#include "ThumbnailCache.h"
#include "TrainingJob.h"
#include "UndoCommands.h"

#include "aape/clip/ClipEngine.h"
#include "aape/data/Descriptions.h"
#include "aape/explore/Similarity.h"
#include "aape/workflow/Encode.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QPushButton>
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
    case store::Split::Train: return DataPage::tr("Train");
    case store::Split::Val: return DataPage::tr("Validation");
    case store::Split::Test: return DataPage::tr("Test");
    }
    return {};
}

} // namespace

DataPage::DataPage(ProjectSession* session, QUndoStack* undoStack, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_undoStack(undoStack)
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

    m_classModel->setRenamable(true);
    m_classFilter = new ClassFilterModel(this);
    m_classFilter->setSourceModel(m_classModel);

    auto* left = new QWidget(splitter);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    m_classSearch = new QLineEdit(left);
    m_classSearch->setObjectName(QStringLiteral("classSearch"));
    m_classSearch->setPlaceholderText(tr("Find a class (Ctrl+F)"));
    m_classSearch->setClearButtonEnabled(true);
    m_classSearch->setToolTip(tr("Shows the classes whose name holds every word typed, ignoring case, accents and "
                                 "punctuation: “bmw 2012” finds “2012 BMW M3 Coupe”"));
    leftLayout->addWidget(m_classSearch);

    m_classView = new QTreeView(left);
    m_classView->setObjectName(QStringLiteral("dataClassList"));
    m_classView->setModel(m_classFilter);
    m_classView->setRootIsDecorated(false);
    m_classView->setUniformRowHeights(true);
    m_classView->setColumnHidden(ClassListModel::DescriptionsColumn, true);
    m_classView->header()->setStretchLastSection(false);
    m_classView->header()->setSectionResizeMode(ClassListModel::NameColumn, QHeaderView::Stretch);
    m_classView->header()->setSectionResizeMode(ClassListModel::ImagesColumn, QHeaderView::ResizeToContents);
    // Car names share their start and end ("2012 BMW … Coupe"): keep both, the tooltip has all.
    m_classView->setTextElideMode(Qt::ElideMiddle);
    m_classView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_classView->setEditTriggers(QAbstractItemView::EditKeyPressed);
    m_classView->setDragDropMode(QAbstractItemView::DropOnly);
    m_classView->setAcceptDrops(true);
    m_classView->setDropIndicatorShown(true);
    m_classView->setContextMenuPolicy(Qt::CustomContextMenu);
    leftLayout->addWidget(m_classView, 1);
    m_classSearchLabel = new QLabel(left);
    m_classSearchLabel->setObjectName(QStringLiteral("classSearchLabel"));
    m_classSearchLabel->setForegroundRole(QPalette::PlaceholderText);
    m_classSearchLabel->hide();
    leftLayout->addWidget(m_classSearchLabel);
    left->setMinimumWidth(fontMetrics().averageCharWidth() * 24);

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
    m_imageFilterBar = new QWidget(right);
    m_imageFilterBar->setObjectName(QStringLiteral("imageFilterBar"));
    auto* filterLayout = new QHBoxLayout(m_imageFilterBar);
    filterLayout->setContentsMargins(0, 0, 0, 0);
    m_imageFilterLabel = new QLabel(m_imageFilterBar);
    m_imageFilterLabel->setObjectName(QStringLiteral("imageFilterLabel"));
    auto* showAll = new QPushButton(tr("Show All Images"), m_imageFilterBar);
    showAll->setObjectName(QStringLiteral("showAllImages"));
    connect(showAll, &QPushButton::clicked, this, &DataPage::clearImageFilter);
    filterLayout->addWidget(m_imageFilterLabel, 1);
    filterLayout->addWidget(showAll);
    m_imageFilterBar->hide();
    rightLayout->addWidget(m_imageFilterBar);

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
    // Captions on two lines, broken at words (ThumbnailCaptionDelegate).
    m_grid->setItemDelegate(new ThumbnailCaptionDelegate(m_grid));
    m_grid->setGridSize(QSize(kThumbnailSide + 24, kThumbnailSide + fontMetrics().lineSpacing() * 2 + 16));
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

    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    // Wide enough for most car names (up to about 40 characters) beside the image counts.
    splitter->setSizes({fontMetrics().averageCharWidth() * 56, 900});

    connect(m_classView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &DataPage::onClassSelected);
    connect(m_classModel, &QAbstractItemModel::modelReset, this, [this] {
        if (m_classFilter->rowCount() > 0)
            m_classView->setCurrentIndex(m_classFilter->index(0, 0));
        updateClassSearchLabel();
    });
    connect(m_classSearch, &QLineEdit::textChanged, this, [this](const QString& text) {
        m_classFilter->setFilterText(text);
        updateClassSearchLabel();
    });
    auto* find = new QAction(this);
    find->setShortcut(QKeySequence::Find);
    find->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(find, &QAction::triggered, this, [this] {
        m_classSearch->setFocus(Qt::ShortcutFocusReason);
        m_classSearch->selectAll();
    });
    addAction(find);
    // Enter or Down in the search box goes to the first class found.
    connect(m_classSearch, &QLineEdit::returnPressed, this, [this] {
        for (int row = 0; row < m_classFilter->rowCount(); ++row) {
            if (m_classFilter->index(row, 0).data(ClassListModel::ClassIdRole).toLongLong() >= 0) {
                m_classView->setCurrentIndex(m_classFilter->index(row, 0));
                m_classView->setFocus(Qt::OtherFocusReason);
                return;
            }
        }
    });
    connect(m_classView, &QTreeView::customContextMenuRequested, this, &DataPage::showClassContextMenu);
    connect(m_classModel, &ClassListModel::renameRequested, this,
            [this](qint64 classId, const QString& name) { renameClass(classId, name); });
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
    const int split =
        m_splitCombo->findData(StudioSettings::choice(QStringLiteral("data/split"), DatasetFilterModel::kAnySplit));
    m_splitCombo->setCurrentIndex(split >= 0 ? split : 0);
    m_showExcluded->setChecked(StudioSettings::choice(QStringLiteral("data/showExcluded"), true).toBool());
    connect(m_grid, &QListView::customContextMenuRequested, this, &DataPage::showContextMenu);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &DataPage::updateCounts);
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, &DataPage::updateCounts);
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, &DataPage::updateCounts);
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, &DataPage::updateCounts);
    connect(m_model, &QAbstractItemModel::modelReset, this, &DataPage::updateCounts);

    connect(m_grid->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { Q_EMIT imageSelectionChanged(selectedImageIds()); });
    connect(m_session, &ProjectSession::closed, this, &DataPage::clearImageFilter);

    buildActions();
    if (m_classFilter->rowCount() > 0)
        m_classView->setCurrentIndex(m_classFilter->index(0, 0));
    updateCounts();
}

void DataPage::setJobRunner(JobRunner* jobs)
{
    m_jobs = jobs;
    connect(m_jobs, &JobRunner::finished, this,
            [this](const QString& name, bool ok, bool cancelled, const QString& error) {
                if (name == tr("Encoding the new class name") && !ok && !cancelled)
                    m_session->showMessage(
                        1, tr("The new class name could not be encoded now; the next training encodes it."), error);
            });
}

qint64 DataPage::currentClassFilter() const
{
    const QModelIndex current = m_classView->currentIndex();
    return current.isValid() ? current.data(ClassListModel::ClassIdRole).toLongLong() : ClassListModel::kAllImages;
}

void DataPage::updateClassSearchLabel()
{
    if (m_classFilter->filterText().trimmed().isEmpty()) {
        m_classSearchLabel->hide();
        return;
    }
    int classes = 0;
    for (int row = 0; row < m_classModel->rowCount(); ++row)
        classes += m_classModel->classIdAt(row) >= 0 ? 1 : 0;
    const int found = m_classFilter->matchingClassCount();
    m_classSearchLabel->setText(found == 0 ? tr("No class name holds “%1”.").arg(m_classFilter->filterText().trimmed())
                                           : tr("%1 of %n class(es)", nullptr, classes).arg(found));
    m_classSearchLabel->show();
}

bool DataPage::renameClass(qint64 classId, const QString& name)
{
    if (!m_session->isOpen())
        return false;
    const int row = m_classModel->rowOfClass(classId);
    if (row < 0 || classId < 0)
        return false;
    const QString oldName = m_classModel->index(row, ClassListModel::NameColumn).data().toString();
    const QString newName = name.trimmed();
    if (newName.isEmpty()) {
        m_session->showMessage(1, tr("A class needs a name; “%1” keeps its name.").arg(oldName));
        return false;
    }
    if (newName == oldName)
        return false;
    // Names that differ only in case or punctuation would make description files and the CLI's
    // --class ambiguous.
    const std::string key = data::normaliseClassName(newName.toStdString());
    for (int other = 0; other < m_classModel->rowCount(); ++other) {
        const qint64 otherId = m_classModel->classIdAt(other);
        if (otherId < 0 || otherId == classId)
            continue;
        const QString otherName = m_classModel->index(other, ClassListModel::NameColumn).data().toString();
        if (otherName == newName || data::normaliseClassName(otherName.toStdString()) == key) {
            m_session->showMessage(
                1, tr("There is already a class “%1”. Choose another name for “%2”.").arg(otherName, oldName));
            return false;
        }
    }
    if (m_jobs && m_jobs->isBusy()) {
        m_session->showMessage(
            1, tr("Wait for “%1” to finish, or stop it, then rename the class.").arg(m_jobs->currentJob()));
        return false;
    }
    const int before = m_undoStack->count();
    m_undoStack->push(new RenameClassCommand(m_session, classId, oldName, newName));
    if (m_undoStack->count() == before)
        return false;
    encodeClassTemplate(oldName, newName);
    return true;
}

void DataPage::encodeClassTemplate(const QString& oldName, const QString& newName)
{
    if (!m_jobs || !m_session->isOpen())
        return;
    store::Project* project = m_session->project();
    auto model = project->model();
    if (!model || !model.value() || model.value()->fingerprint.empty())
        return;
    const std::string fingerprint = model.value()->fingerprint;
    const std::string cacheKey = model.value()->cacheKey();
    const std::string precisionText = model.value()->precision();
    const std::string text = workflow::templateFor(newName.toStdString());
    // Only where the old name was encoded (the project has been encoded or trained) and the
    // new one is not yet: otherwise the next encoding does it with everything else.
    auto cached = project->textEmbeddings(cacheKey, {workflow::templateFor(oldName.toStdString()), text});
    if (!cached || cached->missing != std::vector<std::size_t>{1})
        return;
    const std::string modelPath = model.value()->path;
    const std::string projectPath = m_session->path().toStdString();
    m_jobs->start(tr("Encoding the new class name"), [=](JobContext& context) -> Status {
        context.progress(tr("Encoding the new class name"), 0, 0);
        // In the precision the cache holds, so the new row matches the others.
        auto engine = openEngineForCache(modelPath, precisionText);
        if (!engine)
            return engine.error();
        if (engine->info().fingerprint != fingerprint)
            return {}; // the model file changed: the next encoding starts over anyway
        auto embedded = engine->encodeTexts({text});
        if (!embedded)
            return embedded.error();
        auto opened = store::Project::open(projectPath);
        if (!opened)
            return opened.error();
        return opened->putTextEmbeddings(cacheKey, {{text, std::move(embedded).value()}});
    });
}

void DataPage::showClassContextMenu(const QPoint& position)
{
    const QModelIndex index = m_classView->indexAt(position);
    if (!index.isValid() || index.data(ClassListModel::ClassIdRole).toLongLong() < 0)
        return;
    QMenu menu(this);
    QAction* rename = menu.addAction(tr("Rename Class…"));
    rename->setShortcut(QKeySequence(Qt::Key_F2));
    const QModelIndex name = index.siblingAtColumn(ClassListModel::NameColumn);
    const QPersistentModelIndex target(name);
    connect(rename, &QAction::triggered, this, [this, target] {
        // Once the menu has closed, so that the editor keeps the focus.
        QMetaObject::invokeMethod(
            this,
            [this, target] {
                if (!target.isValid())
                    return;
                m_classView->setCurrentIndex(target);
                m_classView->edit(target);
            },
            Qt::QueuedConnection);
    });
    menu.exec(m_classView->viewport()->mapToGlobal(position));
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
    m_session->showMessage(
        1, tr("There is no class %1. Keys 1–9 pick the first nine classes in the list.").arg(position + 1));
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
    const QString chosen =
        QInputDialog::getItem(this, tr("Move to Class"),
                              tr("Class of the %n selected image(s):", nullptr, int(ids.size())), names, 0, false, &ok);
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
    const bool excluded = m_model->record(m_model->rowOfImage(ids.first()))
                          && m_model->record(m_model->rowOfImage(ids.first()))->excluded;
    QAction* exclude = menu.addAction(excluded ? tr("Include in Training") : tr("Exclude from Training"));
    exclude->setShortcut(QKeySequence(Qt::Key_Delete));
    connect(exclude, &QAction::triggered, this, [this, ids] { toggleExcluded(ids); });
    QAction* move = menu.addAction(tr("Move to Class…"));
    move->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
    connect(move, &QAction::triggered, this, &DataPage::moveToClassDialog);
    menu.addSeparator();
    const qint64 clicked = m_grid->indexAt(position).isValid()
                               ? m_grid->indexAt(position).data(DatasetModel::ImageIdRole).toLongLong()
                               : ids.first();
    QAction* similar = menu.addAction(tr("Find Similar Images"));
    similar->setEnabled(m_jobs != nullptr);
    connect(similar, &QAction::triggered, this, [this, clicked] { findSimilar(clicked); });
    menu.exec(m_grid->viewport()->mapToGlobal(position));
}

void DataPage::onClassSelected()
{
    const QModelIndex current = m_classView->currentIndex();
    m_filter->setClassFilter(current.isValid() ? current.data(ClassListModel::ClassIdRole).toLongLong()
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

void DataPage::showOnlyImages(const QList<qint64>& imageIds, const QString& reason, const QHash<qint64, double>& scores)
{
    // All classes, so that the images asked for are not hidden by the class chosen before.
    for (int row = 0; row < m_classFilter->rowCount(); ++row)
        if (m_classFilter->index(row, 0).data(ClassListModel::ClassIdRole).toLongLong() == ClassListModel::kAllImages)
            m_classView->setCurrentIndex(m_classFilter->index(row, 0));
    m_filter->setImageFilter(imageIds, scores);
    m_imageFilterLabel->setText(tr("Showing %n image(s) %1.", nullptr, static_cast<int>(imageIds.size())).arg(reason));
    m_imageFilterBar->show();
    updateCounts();
}

void DataPage::clearImageFilter()
{
    m_filter->clearImageFilter();
    m_imageFilterBar->hide();
    updateCounts();
}

void DataPage::findSimilar(qint64 imageId)
{
    if (!m_jobs || !m_session->isOpen())
        return;
    const std::string projectPath = m_session->path().toStdString();
    const QString name = tr("Finding similar images");
    const QString kind = QStringLiteral("data.similar");
    // One connection per request, dropped when its job ends.
    auto* receiver = new QObject(this);
    connect(m_jobs, &JobRunner::posted, receiver,
            [this, kind, imageId](const QString& posted, const QVariant& payload) {
                if (posted != kind)
                    return;
                const QVariantList rows = payload.toList();
                QList<qint64> ids{imageId};
                QHash<qint64, double> scores{{imageId, 1.0}};
                for (const auto& row : rows) {
                    const QVariantList pair = row.toList();
                    ids.append(pair.value(0).toLongLong());
                    scores.insert(pair.value(0).toLongLong(), pair.value(1).toDouble());
                }
                const int row = m_model->rowOfImage(imageId);
                const QString file =
                    row >= 0 ? QFileInfo(QString::fromStdString(m_model->record(row)->path)).fileName() : QString();
                showOnlyImages(ids, tr("most similar to %1 (itself first)").arg(file), scores);
            });
    connect(m_jobs, &JobRunner::finished, receiver,
            [this, name, receiver](const QString& finished, bool ok, bool cancelled, const QString& error) {
                if (finished != name)
                    return;
                if (!ok && !cancelled)
                    m_session->showMessage(2, error);
                receiver->deleteLater();
            });
    const bool started = m_jobs->start(name, [projectPath, imageId, kind](JobContext& context) -> Status {
        context.progress(QCoreApplication::translate("aape::ui::DataPage", "Finding similar images"), 0, 0);
        auto project = store::Project::open(projectPath, store::OpenMode::ReadOnly);
        if (!project)
            return project.error();
        // Excluded images too: the grid shows them, dimmed.
        explore::CollectionOptions options;
        options.includeExcluded = true;
        auto collection = explore::loadCollection(project.value(), options);
        if (!collection)
            return collection.error();
        const auto index = collection->indexOfId(imageId);
        if (index < 0)
            return makeError(ErrorCode::InvalidArgument,
                             "This image is not encoded yet, so there is nothing to compare it with; train or encode "
                             "the project first.",
                             projectPath);
        const float* row = collection->row(static_cast<std::size_t>(index));
        const auto nearest = explore::nearestImages(collection.value(), std::vector<float>(row, row + collection->dim),
                                                    kSimilarCount, static_cast<std::size_t>(index));
        QVariantList rows;
        for (const auto& n : nearest)
            rows << QVariant(QVariantList{QVariant::fromValue(collection->images[n.index].id), n.cosine});
        context.post(kind, rows);
        return {};
    });
    if (!started) {
        delete receiver;
        m_session->showMessage(1, tr("Another task (%1) is running; look for similar images when it has finished.")
                                      .arg(m_jobs->currentJob()));
    }
}

} // namespace aape::ui

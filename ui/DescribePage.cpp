#include "DescribePage.h"

#include "ClassListModel.h"
#include "DescriptionModel.h"
#include "ProjectSession.h"
#include "UndoCommands.h"

#include <QAction>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QRegularExpression>
#include <QSplitter>
#include <QStyle>
#include <QTableView>
#include <QToolButton>
#include <QTreeView>
#include <QUndoStack>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrent>

#include <algorithm>
#include <map>
#include <memory>

namespace aape::ui {

DescribePage::DescribePage(ProjectSession* session, QUndoStack* undoStack, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_undoStack(undoStack)
{
    m_classModel = new ClassListModel(session, false, this);
    m_descriptionModel = new DescriptionModel(session, undoStack, this);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("describeSplitter"));
    layout->addWidget(splitter);

    m_classView = new QTreeView(splitter);
    m_classView->setObjectName(QStringLiteral("describeClassList"));
    m_classView->setModel(m_classModel);
    m_classView->setRootIsDecorated(false);
    m_classView->setUniformRowHeights(true);
    m_classView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_classView->header()->setStretchLastSection(false);
    m_classView->header()->setSectionResizeMode(ClassListModel::NameColumn, QHeaderView::Stretch);
    m_classView->header()->setSectionResizeMode(ClassListModel::ImagesColumn, QHeaderView::ResizeToContents);
    m_classView->header()->setSectionResizeMode(ClassListModel::DescriptionsColumn, QHeaderView::ResizeToContents);
    // Long names (car models) keep their start and end; the tooltip has them whole.
    m_classView->setTextElideMode(Qt::ElideMiddle);

    auto* right = new QWidget(splitter);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    auto* titleRow = new QHBoxLayout;
    m_title = new QLabel(right);
    m_title->setObjectName(QStringLiteral("describeTitle"));
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    m_title->setFont(titleFont);
    titleRow->addWidget(m_title, 1);

    auto* pasteButton = new QToolButton(right);
    auto* deleteButton = new QToolButton(right);
    auto* importButton = new QToolButton(right);
    auto* removeFlaggedButton = new QToolButton(right);
    titleRow->addWidget(pasteButton);
    titleRow->addWidget(deleteButton);
    titleRow->addWidget(importButton);
    titleRow->addWidget(removeFlaggedButton);
    rightLayout->addLayout(titleRow);

    m_hint = new QLabel(right);
    m_hint->setWordWrap(true);
    m_hint->setForegroundRole(QPalette::PlaceholderText);
    rightLayout->addWidget(m_hint);

    m_descriptionView = new QTableView(right);
    m_descriptionView->setObjectName(QStringLiteral("descriptionTable"));
    m_descriptionView->setModel(m_descriptionModel);
    m_descriptionView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_descriptionView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_descriptionView->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
                                       | QAbstractItemView::AnyKeyPressed);
    m_descriptionView->setAlternatingRowColors(true);
    m_descriptionView->setWordWrap(true);
    m_descriptionView->verticalHeader()->setVisible(false);
    m_descriptionView->horizontalHeader()->setSectionResizeMode(DescriptionModel::TextColumn, QHeaderView::Stretch);
    m_descriptionView->horizontalHeader()->setSectionResizeMode(DescriptionModel::SourceColumn,
                                                                QHeaderView::ResizeToContents);
    m_descriptionView->horizontalHeader()->setSectionResizeMode(DescriptionModel::WeightColumn,
                                                                QHeaderView::ResizeToContents);
    rightLayout->addWidget(m_descriptionView, 1);

    m_flagsStatus = new QLabel(right);
    m_flagsStatus->setObjectName(QStringLiteral("describeFlagsStatus"));
    m_flagsStatus->setWordWrap(true);
    m_flagsStatus->setForegroundRole(QPalette::PlaceholderText);
    rightLayout->addWidget(m_flagsStatus);

    auto* addRow = new QHBoxLayout;
    m_newDescription = new QLineEdit(right);
    m_newDescription->setObjectName(QStringLiteral("newDescription"));
    m_newDescription->setPlaceholderText(tr("Type a description of this class and press Enter, e.g. "
                                            "“a satellite photo of dense green forest”"));
    m_newDescription->setClearButtonEnabled(true);
    auto* addButton = new QPushButton(tr("Add"), right);
    addButton->setToolTip(tr("Add the typed description to the class"));
    addRow->addWidget(m_newDescription, 1);
    addRow->addWidget(addButton);
    rightLayout->addLayout(addRow);

    splitter->addWidget(m_classView);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({fontMetrics().averageCharWidth() * 64, 820});

    auto* pasteAction = new QAction(style()->standardIcon(QStyle::SP_FileDialogContentsView), tr("Paste Lines"), this);
    pasteAction->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_V)});
    pasteAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    pasteAction->setToolTip(tr("Add every line of the clipboard as a description of this class (Ctrl+Shift+V)"));
    connect(pasteAction, &QAction::triggered, this, [this] { pasteLines(QGuiApplication::clipboard()->text()); });
    addAction(pasteAction);
    pasteButton->setDefaultAction(pasteAction);
    pasteButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);

    auto* pasteInTable = new QAction(this);
    pasteInTable->setShortcut(QKeySequence::Paste);
    pasteInTable->setShortcutContext(Qt::WidgetShortcut);
    connect(pasteInTable, &QAction::triggered, this, [this] { pasteLines(QGuiApplication::clipboard()->text()); });
    m_descriptionView->addAction(pasteInTable);

    auto* deleteAction = new QAction(style()->standardIcon(QStyle::SP_TrashIcon), tr("Delete"), this);
    deleteAction->setShortcut(QKeySequence::Delete);
    deleteAction->setShortcutContext(Qt::WidgetShortcut);
    deleteAction->setToolTip(tr("Delete the selected descriptions (Delete)"));
    connect(deleteAction, &QAction::triggered, this, &DescribePage::removeSelected);
    m_descriptionView->addAction(deleteAction);
    deleteButton->setDefaultAction(deleteAction);
    deleteButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);

    auto* importAction = new QAction(style()->standardIcon(QStyle::SP_DialogOpenButton), tr("Import CuPL JSON…"), this);
    importAction->setToolTip(tr("Add descriptions from a CuPL JSON file {\"class name\": [\"sentence\", …]}; "
                                "class names are matched ignoring case and punctuation"));
    connect(importAction, &QAction::triggered, this, &DescribePage::importDescriptionsRequested);
    importButton->setDefaultAction(importAction);
    importButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);

    m_removeFlagged =
        new QAction(style()->standardIcon(QStyle::SP_MessageBoxWarning), tr("Remove Flagged and Retrain"), this);
    m_removeFlagged->setObjectName(QStringLiteral("removeFlaggedAndRetrain"));
    m_removeFlagged->setToolTip(tr("Delete every flagged description of every class (one step: Undo brings them "
                                   "all back) and train again with the Train page's settings"));
    connect(m_removeFlagged, &QAction::triggered, this, [this] { removeFlaggedAndRetrain(); });
    removeFlaggedButton->setDefaultAction(m_removeFlagged);
    removeFlaggedButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_removeFlagged->setEnabled(false);

    connect(&m_flagsWatcher, &QFutureWatcher<Result<workflow::DescriptionFlagsReport>>::finished, this,
            &DescribePage::showFlags);
    // After every run (and when a project opens): the flags follow the latest run.
    connect(m_session, &ProjectSession::runsChanged, this, &DescribePage::refreshFlags);
    connect(
        m_session, &ProjectSession::opened, this, [this] { refreshFlags(); }, Qt::QueuedConnection);
    connect(m_session, &ProjectSession::closed, this, [this] {
        m_flagsStatus->clear();
        updateFlagActions();
    });
    connect(m_session, &ProjectSession::descriptionsChanged, this, &DescribePage::updateFlagActions);

    m_newDescription->installEventFilter(this);
    connect(m_newDescription, &QLineEdit::returnPressed, this, &DescribePage::addFromLineEdit);
    connect(addButton, &QPushButton::clicked, this, &DescribePage::addFromLineEdit);
    connect(m_classView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &DescribePage::onClassChanged);
    connect(m_classModel, &QAbstractItemModel::modelReset, this, [this] {
        if (m_classModel->rowCount() > 0)
            m_classView->setCurrentIndex(m_classModel->index(0, 0));
        onClassChanged();
    });
    // Also when the current class was renamed: the title shows its name.
    connect(m_classModel, &QAbstractItemModel::dataChanged, this, [this] { onClassChanged(); });
    // The description model clears itself when a project opens, possibly after the class list
    // already chose its first class; look again once every direct handler has run.
    connect(
        m_session, &ProjectSession::opened, this, [this] { onClassChanged(); }, Qt::QueuedConnection);
    if (m_classModel->rowCount() > 0)
        m_classView->setCurrentIndex(m_classModel->index(0, 0));
    onClassChanged();
}

DescribePage::~DescribePage()
{
    // The worker reads its own connection to the project file; let it finish before the page goes.
    m_flagsWatcher.waitForFinished();
}

void DescribePage::refreshFlags()
{
    if (!m_session->isOpen())
        return;
    if (m_flagsWatcher.isRunning()) {
        m_refreshAgain = true;
        return;
    }
    m_flagsStatus->setText(tr("Checking which descriptions the latest run uses…"));
    const std::string path = m_session->path().toStdString();
    m_flagsWatcher.setFuture(QtConcurrent::run([path]() -> Result<workflow::DescriptionFlagsReport> {
        auto project = store::Project::open(path, store::OpenMode::ReadOnly);
        if (!project)
            return project.error();
        return workflow::describeFlags(project.value());
    }));
}

void DescribePage::showFlags()
{
    if (m_refreshAgain) {
        m_refreshAgain = false;
        refreshFlags();
        return;
    }
    const Result<workflow::DescriptionFlagsReport> result = m_flagsWatcher.result();
    if (!result) {
        m_descriptionModel->clearFlags();
        // Most often: no AAPE run trained yet. The sentence says what to do.
        m_flagsStatus->setText(
            tr("No ranking of the descriptions yet: %1").arg(QString::fromStdString(result.error().message)));
    } else {
        m_descriptionModel->setFlags(result.value());
        const int flagged = result->flaggedCount();
        m_flagsStatus->setText(
            flagged > 0 ? tr("Run %1: %n description(s) flagged (marked ⚠; hover for why). Ranks and weights are "
                             "the aggregator's attention over each class's training images.",
                             nullptr, flagged)
                              .arg(result->runId)
                        : tr("Run %1: no description flagged. Ranks and weights are the aggregator's attention over "
                             "each class's training images.")
                              .arg(result->runId));
    }
    updateFlagActions();
    Q_EMIT flagsUpdated();
}

void DescribePage::updateFlagActions()
{
    bool any = false;
    for (const auto& [classId, texts] : m_descriptionModel->flaggedTexts())
        any = any || !texts.isEmpty();
    m_removeFlagged->setEnabled(any && m_session->isOpen());
}

int DescribePage::removeFlaggedAndRetrain()
{
    if (!m_session->isOpen())
        return 0;
    // A class whose descriptions are all flagged keeps them: removing them would leave it none
    // (on the demo's toy CLIP, every description of "orange hexagon" is a little closer to the
    // orange diamonds' images than to its own).
    std::map<qint64, QStringList> flagged;
    QStringList kept;
    for (const auto& [classId, texts] : m_descriptionModel->flaggedTexts()) {
        auto stored = m_session->project()->descriptions(classId);
        if (stored && static_cast<int>(stored->size()) <= texts.size()) {
            kept
                << m_classModel->index(m_classModel->rowOfClass(classId), ClassListModel::NameColumn).data().toString();
            continue;
        }
        flagged[classId] = texts;
    }
    int count = 0;
    for (const auto& [classId, texts] : flagged)
        count += static_cast<int>(texts.size());
    if (!kept.isEmpty())
        m_session->showMessage(1, tr("Kept the flagged descriptions of %1: removing them would leave the class none. "
                                     "Rewrite them instead.")
                                      .arg(kept.join(tr(", "))));
    if (count == 0)
        return 0;
    // One undo step for all classes.
    m_undoStack->beginMacro(tr("Remove %n flagged description(s)", nullptr, count));
    for (const auto& [classId, texts] : flagged)
        m_undoStack->push(new RemoveDescriptionsCommand(m_session, classId, texts));
    m_undoStack->endMacro();
    // The flags of the removed descriptions are history; the next run brings new ones.
    m_descriptionModel->clearFlags();
    m_flagsStatus->setText(tr("Removed %n flagged description(s); training again.", nullptr, count));
    updateFlagActions();
    Q_EMIT retrainRequested();
    return count;
}

qint64 DescribePage::currentClassId() const
{
    const QModelIndex current = m_classView->currentIndex();
    return current.isValid() ? m_classModel->classIdAt(current.row()) : 0;
}

void DescribePage::selectClass(qint64 classId)
{
    const int row = m_classModel->rowOfClass(classId);
    if (row >= 0)
        m_classView->setCurrentIndex(m_classModel->index(row, 0));
}

void DescribePage::onClassChanged()
{
    const qint64 classId = currentClassId();
    if (m_descriptionModel->classId() != classId)
        m_descriptionModel->setClassId(classId);
    const bool hasClass = classId > 0;
    m_newDescription->setEnabled(hasClass);
    if (!hasClass) {
        m_title->setText(tr("No class selected"));
        m_hint->setText(m_session->isOpen() ? tr("Import images first: each class comes from a folder name or a "
                                                 "label in your CSV.")
                                            : QString());
        return;
    }
    const QString name = m_classView->currentIndex().siblingAtColumn(ClassListModel::NameColumn).data().toString();
    m_title->setText(tr("Descriptions of “%1”").arg(name));
    m_hint->setText(tr("Describe what sets this class apart: colour, shape, texture, context. Several short "
                       "sentences work better than one long one; paste many at once, one per line."));
}

int DescribePage::addDescriptions(const QStringList& texts, const QString& source)
{
    const qint64 classId = currentClassId();
    if (classId <= 0 || !m_session->isOpen())
        return 0;
    auto* command = new AddDescriptionsCommand(m_session, classId, texts, source);
    const int added = command->addedCount();
    if (added == 0) {
        delete command;
        if (!texts.isEmpty())
            m_session->showMessage(1, tr("Nothing added: the class already has these descriptions."));
        return 0;
    }
    m_undoStack->push(command);
    return added;
}

int DescribePage::pasteLines(const QString& text)
{
    const QStringList lines = text.split(QRegularExpression(QStringLiteral("[\r\n]+")), Qt::SkipEmptyParts);
    return addDescriptions(lines, QStringLiteral("pasted"));
}

bool DescribePage::pasteIntoNewDescription(const QString& text)
{
    const QStringList lines = text.split(QRegularExpression(QStringLiteral("[\r\n]+")), Qt::SkipEmptyParts);
    int nonBlank = 0;
    for (const QString& line : lines)
        nonBlank += line.trimmed().isEmpty() ? 0 : 1;
    if (nonBlank < 2)
        return false;
    // What was typed in the field stays there.
    if (pasteLines(text) > 0)
        m_descriptionView->scrollToBottom();
    return true;
}

bool DescribePage::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_newDescription) {
        if (event->type() == QEvent::KeyPress && static_cast<QKeyEvent*>(event)->matches(QKeySequence::Paste))
            return pasteIntoNewDescription(QGuiApplication::clipboard()->text());
        if (event->type() == QEvent::ContextMenu) {
            // The field's own menu, with Paste splitting lines as Ctrl+V does.
            std::unique_ptr<QMenu> menu(m_newDescription->createStandardContextMenu());
            if (QAction* paste = menu->findChild<QAction*>(QStringLiteral("edit-paste"))) {
                disconnect(paste, &QAction::triggered, nullptr, nullptr);
                connect(paste, &QAction::triggered, this, [this] {
                    const QString text = QGuiApplication::clipboard()->text();
                    if (!pasteIntoNewDescription(text))
                        m_newDescription->paste();
                });
            }
            menu->exec(static_cast<QContextMenuEvent*>(event)->globalPos());
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void DescribePage::removeSelected()
{
    const qint64 classId = currentClassId();
    if (classId <= 0)
        return;
    QStringList texts;
    for (const QModelIndex& index : m_descriptionView->selectionModel()->selectedRows(DescriptionModel::TextColumn))
        texts.append(m_descriptionModel->textAt(index.row()));
    if (texts.isEmpty())
        return;
    m_undoStack->push(new RemoveDescriptionsCommand(m_session, classId, texts));
}

void DescribePage::addFromLineEdit()
{
    const QString text = m_newDescription->text().trimmed();
    if (text.isEmpty())
        return;
    if (addDescriptions({text}) > 0) {
        m_newDescription->clear();
        m_descriptionView->scrollToBottom();
    }
}

} // namespace aape::ui

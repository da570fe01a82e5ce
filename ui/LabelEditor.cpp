#include "LabelEditor.h"

#include "ClassChooser.h"
#include "ProjectSession.h"
#include "UndoCommands.h"

#include <QAction>
#include <QMenu>
#include <QUndoStack>
#include <QWidget>

namespace aape::ui {

LabelEditor::LabelEditor(ProjectSession* session, QUndoStack* undoStack, QObject* parent)
    : QObject(parent)
    , m_session(session)
    , m_undoStack(undoStack)
{}

std::vector<std::pair<qint64, QString>> LabelEditor::classes() const
{
    std::vector<std::pair<qint64, QString>> result;
    if (!m_session->isOpen())
        return result;
    if (auto classes = m_session->project()->classes()) // by position: the label order
        for (const auto& cls : classes.value())
            result.emplace_back(cls.id, QString::fromStdString(cls.name));
    return result;
}

QString LabelEditor::className(qint64 classId) const
{
    for (const auto& [id, name] : classes())
        if (id == classId)
            return name;
    return {};
}

void LabelEditor::addKeyActions(QWidget* widget, Selection selection)
{
    for (int key = 0; key <= 9; ++key) {
        auto* action = new QAction(widget);
        action->setShortcut(QKeySequence(Qt::Key_0 + key));
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(action, &QAction::triggered, this, [this, selection, key] { setLabelByKey(selection(), key); });
        widget->addAction(action);
    }
    auto* choose = new QAction(widget);
    choose->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
    choose->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(choose, &QAction::triggered, this, [this, selection, widget] { chooseClass(selection(), widget); });
    widget->addAction(choose);
    auto* exclude = new QAction(widget);
    exclude->setShortcuts({QKeySequence(Qt::Key_Delete), QKeySequence(Qt::Key_Backspace)});
    exclude->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(exclude, &QAction::triggered, this, [this, selection] { toggleExcluded(selection()); });
    widget->addAction(exclude);
}

void LabelEditor::fillMenu(QMenu* menu, const QList<qint64>& imageIds, const std::vector<Suggestion>& suggestions,
                           QWidget* dialogParent)
{
    if (imageIds.isEmpty() || !m_session->isOpen())
        return;
    const auto all = classes();
    const auto nameOf = [&all](qint64 classId) {
        for (const auto& [id, name] : all)
            if (id == classId)
                return name;
        return QString();
    };
    // The likeliest fix first: the model's own answer.
    if (!suggestions.empty() && !nameOf(suggestions.front().classId).isEmpty()) {
        const Suggestion& first = suggestions.front();
        QAction* action = menu->addAction(tr("Label as %1 (%2)").arg(nameOf(first.classId), first.reason));
        connect(action, &QAction::triggered, this, [this, imageIds, id = first.classId] { setLabel(imageIds, id); });
    }
    QMenu* classMenu = menu->addMenu(tr("Set Class"));
    for (const Suggestion& suggestion : suggestions) {
        const QString name = nameOf(suggestion.classId);
        if (name.isEmpty())
            continue;
        QAction* action = classMenu->addAction(tr("%1 (%2)").arg(name, suggestion.reason));
        connect(action, &QAction::triggered, this,
                [this, imageIds, id = suggestion.classId] { setLabel(imageIds, id); });
    }
    if (!suggestions.empty())
        classMenu->addSeparator();
    // The first nine classes, as the keys 1–9 choose them; all of them when there are few.
    const std::size_t listed = all.size() <= 12 ? all.size() : 9;
    for (std::size_t i = 0; i < listed; ++i) {
        QAction* action = classMenu->addAction(all[i].second);
        if (i < 9)
            action->setShortcut(QKeySequence(Qt::Key_1 + static_cast<int>(i)));
        connect(action, &QAction::triggered, this, [this, imageIds, id = all[i].first] { setLabel(imageIds, id); });
    }
    QAction* other = classMenu->addAction(tr("Other Class…"));
    other->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
    connect(other, &QAction::triggered, this, [this, imageIds, dialogParent] { chooseClass(imageIds, dialogParent); });
    classMenu->addSeparator();
    QAction* none = classMenu->addAction(tr("Unlabelled"));
    none->setShortcut(QKeySequence(Qt::Key_0));
    connect(none, &QAction::triggered, this, [this, imageIds] { setLabel(imageIds, std::nullopt); });
    menu->addSeparator();
    QAction* exclude = menu->addAction(allExcluded(imageIds) ? tr("Include in Training") : tr("Exclude from Training"));
    exclude->setShortcut(QKeySequence(Qt::Key_Delete));
    exclude->setToolTip(tr("Excluded images take no part in training or evaluation."));
    connect(exclude, &QAction::triggered, this, [this, imageIds] { toggleExcluded(imageIds); });
}

void LabelEditor::setLabel(const QList<qint64>& imageIds, std::optional<qint64> classId)
{
    if (imageIds.isEmpty() || !m_session->isOpen())
        return;
    QString name;
    if (classId) {
        name = className(*classId);
        if (name.isEmpty())
            return;
    }
    m_undoStack->push(new SetImageLabelsCommand(m_session, imageIds, classId, name));
}

void LabelEditor::setLabelByKey(const QList<qint64>& imageIds, int key)
{
    if (imageIds.isEmpty() || !m_session->isOpen())
        return;
    if (key == 0) {
        setLabel(imageIds, std::nullopt);
        return;
    }
    const auto all = classes();
    if (key < 1 || key > static_cast<int>(all.size())) {
        m_session->showMessage(1, tr("There is no class %1. Keys 1–9 pick the first nine classes in label order; "
                                     "Ctrl+M chooses any class.")
                                      .arg(key));
        return;
    }
    setLabel(imageIds, all[static_cast<std::size_t>(key - 1)].first);
}

bool LabelEditor::allExcluded(const QList<qint64>& imageIds) const
{
    for (qint64 id : imageIds) {
        auto image = m_session->project()->image(id);
        if (!image || !image.value() || !image.value()->excluded)
            return false;
    }
    return true;
}

void LabelEditor::toggleExcluded(const QList<qint64>& imageIds)
{
    if (imageIds.isEmpty() || !m_session->isOpen())
        return;
    m_undoStack->push(new SetImagesExcludedCommand(m_session, imageIds, !allExcluded(imageIds)));
}

void LabelEditor::chooseClass(const QList<qint64>& imageIds, QWidget* dialogParent)
{
    if (imageIds.isEmpty() || !m_session->isOpen())
        return;
    const auto chosen = ClassChooser::choose(dialogParent, classes(),
                                             tr("Class of the %n selected image(s):", nullptr, int(imageIds.size())));
    if (chosen)
        setLabel(imageIds, *chosen);
}

} // namespace aape::ui

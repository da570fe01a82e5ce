#include "LayoutMemory.h"

#include "StudioSettings.h"

#include <QHeaderView>
#include <QSplitter>
#include <QTableView>
#include <QTreeView>
#include <QWidget>

namespace aape::ui {

namespace {

// Set on a header whose columns were sized, from the settings or to their contents.
const char* const kSizedProperty = "aapeColumnsSized";

QString splitterKey(const QSplitter* splitter)
{
    return QStringLiteral("splitter/") + splitter->objectName();
}

QString headerKey(const QAbstractItemView* view)
{
    return QStringLiteral("header/") + view->objectName();
}

QHeaderView* headerOf(QAbstractItemView* view)
{
    if (auto* table = qobject_cast<QTableView*>(view))
        return table->horizontalHeader();
    if (auto* tree = qobject_cast<QTreeView*>(view))
        return tree->header();
    return nullptr;
}

} // namespace

void saveLayout(QWidget* root)
{
    for (QSplitter* splitter : root->findChildren<QSplitter*>()) {
        if (!splitter->objectName().isEmpty())
            StudioSettings::setViewState(splitterKey(splitter), splitter->saveState());
    }
    for (QAbstractItemView* view : root->findChildren<QAbstractItemView*>()) {
        QHeaderView* header = headerOf(view);
        if (header && !view->objectName().isEmpty())
            StudioSettings::setViewState(headerKey(view), header->saveState());
    }
}

void restoreLayout(QWidget* root)
{
    for (QSplitter* splitter : root->findChildren<QSplitter*>()) {
        if (splitter->objectName().isEmpty())
            continue;
        const QByteArray state = StudioSettings::viewState(splitterKey(splitter));
        if (!state.isEmpty())
            splitter->restoreState(state);
    }
    for (QAbstractItemView* view : root->findChildren<QAbstractItemView*>()) {
        QHeaderView* header = headerOf(view);
        if (!header || view->objectName().isEmpty())
            continue;
        const QByteArray state = StudioSettings::viewState(headerKey(view));
        if (!state.isEmpty() && header->restoreState(state))
            header->setProperty(kSizedProperty, true);
    }
}

void sizeColumnsOnce(QTableView* table)
{
    QHeaderView* header = table->horizontalHeader();
    if (header->property(kSizedProperty).toBool() || !table->model() || table->model()->rowCount() == 0)
        return;
    table->resizeColumnsToContents();
    header->setProperty(kSizedProperty, true);
}

} // namespace aape::ui

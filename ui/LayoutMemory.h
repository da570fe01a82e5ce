#pragma once
// Remembers how the user arranged the window's views: the state of every named QSplitter and
// of the header of every named table or tree view under a root widget, kept in StudioSettings
// by objectName. GUI thread only.

class QTableView;
class QWidget;

namespace aape::ui {

void saveLayout(QWidget* root);
// Views whose state was never saved keep their built-in layout.
void restoreLayout(QWidget* root);

// Sizes a table's columns to their contents the first time it has rows, unless the header's
// layout came from the settings; later refreshes keep the widths the user chose.
void sizeColumnsOnce(QTableView* table);

} // namespace aape::ui

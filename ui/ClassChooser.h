#pragma once
// A dialog for choosing one class among many (196 car models): a search field over the
// class list; typing keeps the names that contain the text, Enter or a double-click chooses.
// GUI thread only.

#include <QDialog>

#include <optional>
#include <utility>
#include <vector>

class QLineEdit;
class QListView;
class QSortFilterProxyModel;
class QStandardItemModel;

namespace aape::ui {

class ClassChooser final : public QDialog {
    Q_OBJECT
public:
    using Classes = std::vector<std::pair<qint64, QString>>; // id, name; in the order shown

    ClassChooser(const Classes& classes, const QString& prompt, QWidget* parent = nullptr);

    std::optional<qint64> chosenClass() const;
    QLineEdit* searchField() const { return m_search; }
    QListView* list() const { return m_list; }

    // Runs the dialog; empty when the user cancels.
    static std::optional<qint64> choose(QWidget* parent, const Classes& classes, const QString& prompt);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void selectFirst();

    QStandardItemModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QLineEdit* m_search = nullptr;
    QListView* m_list = nullptr;
};

} // namespace aape::ui

#pragma once
// A non-modal banner at the top of the window (as KeePassXC's MessageWidget): an icon by
// level, one sentence, an optional action button, "Details" for long reports, and a close
// button. Recoverable problems go here instead of a pop-up per file. GUI thread only.

#include "aape/util/Error.h"

#include <QFrame>
#include <QString>

#include <functional>

class QLabel;
class QPushButton;
class QToolButton;
class QDialog;

namespace aape::ui {

// Writes `error`, technical detail included, to the log file (aape/util/Log.h) and returns what
// a banner's Details show for it: "file: message", never the detail itself.
QString loggedDetails(const Error& error, const QString& context = {});

class MessageBanner final : public QFrame {
    Q_OBJECT
public:
    enum Level { Info = 0, Warning = 1, Error = 2, Success = 3 };
    Q_ENUM(Level)

    explicit MessageBanner(QWidget* parent = nullptr);

    // Replaces what is shown. `details` (e.g. the list of skipped files with reasons) opens
    // in a non-modal window from a "Details" button; `actionText` adds a button that runs
    // `action` and closes the banner. Errors always have Details: they name the log file, where
    // the technical side of the error is, with a button that opens it.
    void showMessage(Level level, const QString& text, const QString& details = {}, const QString& actionText = {},
                     std::function<void()> action = {});
    void dismiss();

    Level level() const { return m_level; }
    QString text() const;
    QString details() const { return m_details; }
    // What the Details window shows: the details and, for errors, where the log file is.
    QString detailsText() const;

Q_SIGNALS:
    void dismissed();

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    void showDetails();

    Level m_level = Info;
    QString m_details;
    std::function<void()> m_action;
    QLabel* m_icon = nullptr;
    QLabel* m_text = nullptr;
    QPushButton* m_detailsButton = nullptr;
    QPushButton* m_actionButton = nullptr;
    QToolButton* m_closeButton = nullptr;
    QDialog* m_detailsDialog = nullptr;
};

} // namespace aape::ui

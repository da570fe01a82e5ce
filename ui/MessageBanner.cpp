#include "MessageBanner.h"

#include "aape/util/Log.h"

#include <QDesktopServices>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPainterPath>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

namespace aape::ui {

QString loggedDetails(const Error& error, const QString& context)
{
    Log::error(error, context.toStdString());
    return QString::fromStdString(error.toString());
}

MessageBanner::MessageBanner(QWidget* parent)
    : QFrame(parent)
{
    setObjectName(QStringLiteral("messageBanner"));
    setAutoFillBackground(false);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 6, 6);
    m_icon = new QLabel(this);
    m_text = new QLabel(this);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_detailsButton = new QPushButton(tr("Details…"), this);
    m_detailsButton->setObjectName(QStringLiteral("bannerDetails"));
    m_detailsButton->setToolTip(tr("Show the full report in a separate window"));
    m_actionButton = new QPushButton(this);
    m_closeButton = new QToolButton(this);
    m_closeButton->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    m_closeButton->setAutoRaise(true);
    m_closeButton->setToolTip(tr("Close this message"));
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_detailsButton);
    layout->addWidget(m_actionButton);
    layout->addWidget(m_closeButton, 0, Qt::AlignTop);

    connect(m_closeButton, &QToolButton::clicked, this, &MessageBanner::dismiss);
    connect(m_detailsButton, &QPushButton::clicked, this, &MessageBanner::showDetails);
    connect(m_actionButton, &QPushButton::clicked, this, [this] {
        auto action = m_action;
        dismiss();
        if (action)
            action();
    });
    hide();
}

void MessageBanner::showMessage(Level level, const QString& text, const QString& details, const QString& actionText,
                                std::function<void()> action)
{
    m_level = level;
    m_details = details;
    m_action = std::move(action);
    QStyle::StandardPixmap icon = QStyle::SP_MessageBoxInformation;
    if (level == Warning)
        icon = QStyle::SP_MessageBoxWarning;
    else if (level == Error)
        icon = QStyle::SP_MessageBoxCritical;
    else if (level == Success)
        icon = QStyle::SP_DialogApplyButton;
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    m_icon->setPixmap(style()->standardIcon(icon).pixmap(QSize(size, size), devicePixelRatioF()));
    m_text->setText(text);
    m_detailsButton->setVisible(!details.isEmpty() || level == Error);
    m_actionButton->setText(actionText);
    m_actionButton->setVisible(!actionText.isEmpty() && m_action);
    if (m_detailsDialog && m_detailsDialog->isVisible())
        showDetails();
    show();
    update();
}

void MessageBanner::dismiss()
{
    const bool wasVisible = isVisible();
    hide();
    m_action = nullptr;
    if (wasVisible)
        Q_EMIT dismissed();
}

QString MessageBanner::text() const
{
    return m_text->text();
}

void MessageBanner::paintEvent(QPaintEvent* event)
{
    Q_UNUSED(event)
    // Colours come from the palette so that the banner follows light and dark themes; the
    // icon tells the levels apart.
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette& pal = palette();
    const QColor accent = pal.color(QPalette::Highlight);
    QColor background = pal.color(QPalette::AlternateBase);
    QColor tint = accent;
    tint.setAlphaF(0.12);
    const QRectF box = QRectF(rect()).adjusted(1, 1, -1, -1);
    QPainterPath path;
    path.addRoundedRect(box, 4, 4);
    painter.fillPath(path, background);
    painter.fillPath(path, tint);
    QColor border = accent;
    border.setAlphaF(0.6);
    painter.setPen(QPen(border, 1));
    painter.drawPath(path);
    painter.fillRect(QRectF(box.left(), box.top() + 2, 3, box.height() - 4), accent);
}

QString MessageBanner::detailsText() const
{
    if (m_level != Error)
        return m_details;
    const QString log = QString::fromStdString(Log::filePath());
    QString text = m_details;
    if (!text.isEmpty())
        text += QStringLiteral("\n\n");
    text +=
        log.isEmpty()
            ? tr("No log file could be written (the disk may be full or read-only).")
            : tr("Technical details, where there are any, are in the log file:\n%1").arg(QDir::toNativeSeparators(log));
    return text;
}

void MessageBanner::showDetails()
{
    if (!m_detailsDialog) {
        m_detailsDialog = new QDialog(window());
        m_detailsDialog->setWindowTitle(tr("Details"));
        m_detailsDialog->setModal(false);
        auto* layout = new QVBoxLayout(m_detailsDialog);
        auto* edit = new QPlainTextEdit(m_detailsDialog);
        edit->setObjectName(QStringLiteral("detailsText"));
        edit->setReadOnly(true);
        edit->setLineWrapMode(QPlainTextEdit::NoWrap);
        layout->addWidget(edit);
        auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, m_detailsDialog);
        connect(buttons, &QDialogButtonBox::rejected, m_detailsDialog, &QDialog::hide);
        auto* openLog = buttons->addButton(tr("Open Log File"), QDialogButtonBox::ActionRole);
        openLog->setObjectName(QStringLiteral("openLogButton"));
        openLog->setToolTip(tr("Open the log file, which holds the technical side of errors, in the text viewer"));
        connect(openLog, &QPushButton::clicked, this,
                [] { QDesktopServices::openUrl(QUrl::fromLocalFile(QString::fromStdString(Log::filePath()))); });
        layout->addWidget(buttons);
        m_detailsDialog->resize(720, 420);
    }
    auto* edit = m_detailsDialog->findChild<QPlainTextEdit*>(QStringLiteral("detailsText"));
    edit->setPlainText(detailsText());
    if (auto* openLog = m_detailsDialog->findChild<QPushButton*>(QStringLiteral("openLogButton")))
        openLog->setVisible(m_level == Error && !Log::filePath().empty());
    m_detailsDialog->show();
    m_detailsDialog->raise();
}

} // namespace aape::ui

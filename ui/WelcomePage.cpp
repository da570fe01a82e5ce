#include "WelcomePage.h"

#include "StudioSettings.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace aape::ui {

namespace {

QPushButton* bigButton(const QIcon& icon, const QString& text, const QString& tip, QWidget* parent)
{
    auto* button = new QPushButton(icon, text, parent);
    button->setToolTip(tip);
    button->setMinimumHeight(button->sizeHint().height() * 3 / 2);
    const int icon_ = parent->style()->pixelMetric(QStyle::PM_LargeIconSize);
    button->setIconSize(QSize(icon_ / 2 + 8, icon_ / 2 + 8));
    return button;
}

// The folder as people say it: "~/Projects/cars" under the home folder.
QString displayFolder(const QString& folder)
{
    const QString home = QDir::homePath();
    if (!home.isEmpty() && home != QDir::rootPath() && (folder == home || folder.startsWith(home + QLatin1Char('/'))))
        return QDir::toNativeSeparators(QStringLiteral("~") + folder.mid(home.size()));
    return QDir::toNativeSeparators(folder);
}

} // namespace

WelcomePage::WelcomePage(QWidget* parent)
    : QWidget(parent)
{
    // No alignment flags around the column: with them the layout ignores the word-wrapped
    // labels' height-for-width and cuts them off.
    auto* outer = new QVBoxLayout(this);
    outer->addStretch(1);
    auto* row = new QHBoxLayout;
    auto* column = new QWidget(this);
    column->setFixedWidth(qMax(560, fontMetrics().averageCharWidth() * 90));
    auto* layout = new QVBoxLayout(column);
    row->addStretch(1);
    row->addWidget(column);
    row->addStretch(1);
    outer->addLayout(row);
    outer->addStretch(2);

    auto* title = new QLabel(tr("AAPE Studio"), column);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 2.0);
    titleFont.setBold(true);
    title->setFont(titleFont);
    auto* subtitle = new QLabel(tr("Adapt CLIP to your own images: bring labelled images and a few descriptions "
                                   "per class, train in seconds, see what the model attends to."),
                                column);
    subtitle->setWordWrap(true);
    subtitle->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(title);
    layout->addWidget(subtitle);
    layout->addSpacing(16);

    auto* buttons = new QHBoxLayout;
    QStyle* s = style();
    auto* newButton =
        bigButton(s->standardIcon(QStyle::SP_FileIcon), tr("New Project…"),
                  tr("Create an empty project file, then drop a folder of images on the window (Ctrl+N)"), column);
    auto* openButton = bigButton(s->standardIcon(QStyle::SP_DialogOpenButton), tr("Open Project…"),
                                 tr("Open an existing *.aapeproj file (Ctrl+O)"), column);
    auto* demoButton = bigButton(s->standardIcon(QStyle::SP_MediaPlay), tr("Open Demo"),
                                 tr("A small ready-made project of coloured shapes with descriptions, to try every "
                                    "step in a minute"),
                                 column);
    newButton->setObjectName(QStringLiteral("newProjectButton"));
    openButton->setObjectName(QStringLiteral("openProjectButton"));
    demoButton->setObjectName(QStringLiteral("openDemoButton"));
    buttons->addWidget(newButton);
    buttons->addWidget(openButton);
    buttons->addWidget(demoButton);
    layout->addLayout(buttons);
    layout->addSpacing(16);

    auto* recentTitle = new QLabel(tr("Recent projects"), column);
    QFont sectionFont = recentTitle->font();
    sectionFont.setBold(true);
    recentTitle->setFont(sectionFont);
    layout->addWidget(recentTitle);
    m_recent = new QListWidget(column);
    m_recent->setObjectName(QStringLiteral("recentProjects"));
    m_recent->setMinimumHeight(160);
    m_recent->setToolTip(tr("Double-click or press Enter to open"));
    layout->addWidget(m_recent);
    m_recentEmpty = new QLabel(tr("No recent projects yet. Create one, or open the demo."), column);
    m_recentEmpty->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_recentEmpty);
    layout->addSpacing(12);

    auto* modelRow = new QHBoxLayout;
    m_modelLine = new QLabel(column);
    m_modelLine->setObjectName(QStringLiteral("modelLine"));
    m_modelLine->setWordWrap(true);
    m_modelLine->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* chooseButton = new QPushButton(tr("Choose…"), column);
    chooseButton->setToolTip(tr("Pick the CLIP checkpoint new projects use: a Hugging Face folder, an OpenAI .pt "
                                "archive or an open_clip file"));
    modelRow->addWidget(m_modelLine, 1);
    modelRow->addWidget(chooseButton);
    layout->addLayout(modelRow);

    connect(newButton, &QPushButton::clicked, this, &WelcomePage::newProjectRequested);
    connect(openButton, &QPushButton::clicked, this, &WelcomePage::openProjectRequested);
    connect(demoButton, &QPushButton::clicked, this, &WelcomePage::openDemoRequested);
    connect(chooseButton, &QPushButton::clicked, this, &WelcomePage::chooseModelRequested);
    connect(m_recent, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
        if (item->flags() & Qt::ItemIsEnabled)
            Q_EMIT recentProjectActivated(item->data(Qt::UserRole).toString());
    });
    refresh();
}

void WelcomePage::refresh()
{
    m_recent->clear();
    const QIcon icon = style()->standardIcon(QStyle::SP_FileIcon);
    for (const QString& path : StudioSettings::recentProjects()) {
        const QFileInfo info(path);
        auto* item = new QListWidgetItem(
            icon, tr("%1 — %2").arg(info.completeBaseName(), displayFolder(info.absolutePath())), m_recent);
        item->setData(Qt::UserRole, path);
        if (!info.exists()) {
            item->setFlags(item->flags() & ~Qt::ItemIsEnabled);
            item->setToolTip(tr("%1 no longer exists: it was moved or deleted. Open it from its new place with "
                                "Open Project.")
                                 .arg(QDir::toNativeSeparators(path)));
        } else {
            item->setToolTip(QDir::toNativeSeparators(path));
        }
    }
    m_recent->setVisible(m_recent->count() > 0);
    m_recentEmpty->setVisible(m_recent->count() == 0);

    const QString model = StudioSettings::lastModelPath();
    if (model.isEmpty())
        m_modelLine->setText(tr("<b>CLIP model:</b> none chosen. New projects need one before encoding; the demo "
                                "brings its own."));
    else
        m_modelLine->setText(tr("<b>CLIP model:</b> %1").arg(QDir::toNativeSeparators(model).toHtmlEscaped()));
}

} // namespace aape::ui

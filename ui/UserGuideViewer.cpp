#include "UserGuideViewer.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QImageReader>
#include <QPushButton>
#include <QStandardPaths>
#include <QStyle>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextFragment>
#include <QTextImageFormat>
#include <QVBoxLayout>

#include <vector>

namespace aape::ui {

namespace {

const QString kGuideInDocs = QStringLiteral("doc/aape-studio/user-guide.md");

} // namespace

QStringList UserGuideViewer::candidatePaths(const QString& applicationDir)
{
    QStringList paths;
    paths.append(QDir::cleanPath(applicationDir + QStringLiteral("/../share/") + kGuideInDocs));
#ifdef AAPE_DOCS_SOURCE_DIR
    paths.append(QDir::cleanPath(QStringLiteral(AAPE_DOCS_SOURCE_DIR "/user-guide.md")));
#endif
    for (const QString& data : QStandardPaths::standardLocations(QStandardPaths::GenericDataLocation))
        paths.append(QDir::cleanPath(data + QLatin1Char('/') + kGuideInDocs));
    paths.removeDuplicates();
    return paths;
}

QString UserGuideViewer::findUserGuide(const QString& applicationDir)
{
    for (const QString& path : candidatePaths(applicationDir)) {
        if (QFileInfo(path).isFile())
            return path;
    }
    return {};
}

bool UserGuideViewer::showGuide(QWidget* parent, QString* lookedIn)
{
    QWidget* window = parent ? parent->window() : nullptr;
    if (window) {
        if (auto* open = window->findChild<UserGuideViewer*>(QString(), Qt::FindDirectChildrenOnly)) {
            open->show();
            open->raise();
            open->activateWindow();
            return true;
        }
    }
    const QString applicationDir = QCoreApplication::applicationDirPath();
    const QString path = findUserGuide(applicationDir);
    if (path.isEmpty()) {
        if (lookedIn)
            *lookedIn = QDir::toNativeSeparators(candidatePaths(applicationDir).join(QLatin1Char('\n')));
        return false;
    }
    auto* viewer = new UserGuideViewer(path, window);
    viewer->setAttribute(Qt::WA_DeleteOnClose);
    viewer->show();
    return true;
}

UserGuideViewer::UserGuideViewer(const QString& guidePath, QWidget* parent)
    : QWidget(parent, Qt::Window)
    , m_guidePath(guidePath)
{
    setObjectName(QStringLiteral("userGuideViewer"));
    setWindowTitle(tr("AAPE Studio User Guide"));
    auto* layout = new QVBoxLayout(this);
    auto* buttons = new QHBoxLayout;
    auto* back = new QPushButton(style()->standardIcon(QStyle::SP_ArrowBack), tr("Back"), this);
    back->setToolTip(tr("Back to the page before (Alt+Left)"));
    back->setEnabled(false);
    auto* home = new QPushButton(style()->standardIcon(QStyle::SP_DirHomeIcon), tr("User Guide"), this);
    home->setToolTip(tr("Back to the start of the user guide"));
    buttons->addWidget(back);
    buttons->addWidget(home);
    buttons->addStretch(1);
    layout->addLayout(buttons);

    m_browser = new QTextBrowser(this);
    m_browser->setObjectName(QStringLiteral("userGuideBrowser"));
    // Web links open in the browser; the other guides (project-file.md, ...) open here.
    m_browser->setOpenExternalLinks(true);
    m_browser->setSearchPaths({QFileInfo(guidePath).absolutePath()});
    m_browser->document()->setDocumentMargin(fontMetrics().averageCharWidth() * 2);
    layout->addWidget(m_browser, 1);

    connect(back, &QPushButton::clicked, m_browser, &QTextBrowser::backward);
    connect(m_browser, &QTextBrowser::backwardAvailable, back, &QPushButton::setEnabled);
    connect(home, &QPushButton::clicked, m_browser, &QTextBrowser::home);
    connect(m_browser, &QTextBrowser::sourceChanged, this, [this] { fitImages(); });
    m_browser->setSource(QUrl::fromLocalFile(guidePath), QTextDocument::MarkdownResource);

    const int width = fontMetrics().averageCharWidth() * 110;
    resize(width, width * 3 / 4);
}

void UserGuideViewer::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    fitImages();
}

// Screenshots are 1200-1280 px wide: shown at most as wide as the text, in their proportions.
void UserGuideViewer::fitImages()
{
    QTextDocument* document = m_browser->document();
    const qreal available = qMax<qreal>(200, m_browser->viewport()->width() - 2 * document->documentMargin() - 8);
    struct Change {
        int position;
        int length;
        QTextImageFormat format;
    };
    std::vector<Change> changes;
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            QTextImageFormat format = fragment.charFormat().toImageFormat();
            if (!format.isValid())
                continue;
            const QUrl url = m_browser->source().resolved(QUrl(format.name()));
            const int natural = url.isLocalFile() ? QImageReader(url.toLocalFile()).size().width() : -1;
            const qreal wanted = natural > 0 ? qMin<qreal>(natural, available) : available;
            if (!qFuzzyCompare(format.width(), wanted)) {
                format.setWidth(wanted);
                changes.push_back({fragment.position(), fragment.length(), format});
            }
        }
    }
    for (const Change& change : changes) {
        QTextCursor cursor(document);
        cursor.setPosition(change.position);
        cursor.setPosition(change.position + change.length, QTextCursor::KeepAnchor);
        cursor.setCharFormat(change.format);
    }
}

} // namespace aape::ui

#pragma once
// Help ▸ User Guide: the user guide shown offline in a window of its own (a QTextBrowser
// rendering the Markdown with its screenshots; links to the other guides follow inside it).
// The guide is the one installed with the program (<prefix>/share/doc/aape-studio, where CMake
// and the Debian package put it), else the source tree's docs/ for a build that runs from its
// build folder. GUI thread only.

#include <QStringList>
#include <QWidget>

class QTextBrowser;

namespace aape::ui {

class UserGuideViewer final : public QWidget {
    Q_OBJECT
public:
    explicit UserGuideViewer(const QString& guidePath, QWidget* parent = nullptr);

    QTextBrowser* browser() const { return m_browser; }
    QString guidePath() const { return m_guidePath; }

    // Where the guide is looked for, in order: beside the program (<bin>/../share/doc/
    // aape-studio), the source tree's docs/ (build folders), the system's data folders.
    static QStringList candidatePaths(const QString& applicationDir);
    // The first candidate that exists; empty when none does.
    static QString findUserGuide(const QString& applicationDir);

    // Opens (or raises) the viewer of `parent`'s window. Returns false when no guide is found;
    // then *lookedIn lists the places searched, one per line.
    static bool showGuide(QWidget* parent, QString* lookedIn = nullptr);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void fitImages();

    QString m_guidePath;
    QTextBrowser* m_browser = nullptr;
};

} // namespace aape::ui

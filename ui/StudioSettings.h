#pragma once
// The studio's preferences over QSettings behind one typed set of keys (recent projects, CLIP
// model, language, window and view layout, last page and filters, training settings); enums
// are stored by name. GUI thread only.

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QVariant>

class QCoreApplication;

namespace aape::ui {

enum class Language { System, English, ChineseSimplified };

QString languageName(Language language);        // "system", "en", "zh_CN": the stored form
Language parseLanguage(const QString& name);    // unknown names give System
QString languageDisplayName(Language language); // "System", "English", "简体中文"

class StudioSettings final {
public:
    static constexpr int kMaxRecentProjects = 10;

    // Most recent first; paths may no longer exist (the caller greys them out).
    static QStringList recentProjects();
    static void addRecentProject(const QString& path);
    static void removeRecentProject(const QString& path);

    // The CLIP checkpoint the user chose last (folder or file); empty when none.
    static QString lastModelPath();
    static void setLastModelPath(const QString& path);

    static Language language();
    static void setLanguage(Language language);

    static QByteArray windowGeometry();
    static void setWindowGeometry(const QByteArray& geometry);
    static QByteArray windowState();
    static void setWindowState(const QByteArray& state);

    // Where file dialogs start: the folder of the last file or folder the user picked.
    static QString lastFolder();
    static void setLastFolder(const QString& folder);

    // Saved layouts of splitters and table headers (QSplitter/QHeaderView::saveState) by the
    // widget's objectName; see LayoutMemory.h. Empty when none was saved.
    static QByteArray viewState(const QString& name);
    static void setViewState(const QString& name, const QByteArray& state);

    // The project page shown last, by name ("data", "describe", "train", "inspect", "try",
    // "runs"); empty when none.
    static QString lastPage();
    static void setLastPage(const QString& page);

    // A page's last choice (a filter, a check box) under "choices/<key>"; `fallback` when unset.
    static QVariant choice(const QString& key, const QVariant& fallback = {});
    static void setChoice(const QString& key, const QVariant& value);

    // The train page's settings panel as JSON (the TrainConfig keys plus "seeds" and
    // "base_to_new"); empty when never saved.
    static QString trainSettings();
    static void setTrainSettings(const QString& json);
};

// Installs the studio's translation (and Qt's own) for `language` on the application:
// ":/i18n/aape_<locale>.qm" first, then "<executable dir>/translations/" and the executable
// dir (English too, for plural forms). A missing file installs nothing. Returns true when the studio's
// translation was found. Takes effect for widgets created afterwards: call before building
// the main window (a change of language applies at the next start).
bool installTranslator(QCoreApplication& app, Language language);

} // namespace aape::ui

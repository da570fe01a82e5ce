#include "StudioSettings.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTranslator>

// The .qm files are compiled into the static aape_ui (translations/CMakeLists.txt), so their
// resource is registered by name; Q_INIT_RESOURCE may not be used inside a namespace.
static void initTranslationResources()
{
    Q_INIT_RESOURCE(aape_translations);
}

namespace aape::ui {

namespace {

const QString kRecentProjects = QStringLiteral("recentProjects");
const QString kLastModelPath = QStringLiteral("model/lastPath");
const QString kLanguage = QStringLiteral("ui/language");
const QString kWindowGeometry = QStringLiteral("window/geometry");
const QString kWindowState = QStringLiteral("window/state");
const QString kLastFolder = QStringLiteral("ui/lastFolder");
const QString kViewStates = QStringLiteral("layout/");
const QString kLastPage = QStringLiteral("ui/lastPage");
const QString kChoices = QStringLiteral("choices/");
const QString kTrainSettings = QStringLiteral("train/settings");

QString normalisedPath(const QString& path)
{
    return QDir::cleanPath(QFileInfo(path).absoluteFilePath());
}

} // namespace

QString languageName(Language language)
{
    switch (language) {
    case Language::English: return QStringLiteral("en");
    case Language::ChineseSimplified: return QStringLiteral("zh_CN");
    case Language::System: break;
    }
    return QStringLiteral("system");
}

Language parseLanguage(const QString& name)
{
    if (name == QLatin1String("en"))
        return Language::English;
    if (name == QLatin1String("zh_CN"))
        return Language::ChineseSimplified;
    return Language::System;
}

QString languageDisplayName(Language language)
{
    switch (language) {
    case Language::English: return QStringLiteral("English");
    case Language::ChineseSimplified: return QStringLiteral("简体中文");
    case Language::System: break;
    }
    return QCoreApplication::translate("aape::ui::StudioSettings", "System");
}

QStringList StudioSettings::recentProjects()
{
    return QSettings().value(kRecentProjects).toStringList();
}

void StudioSettings::addRecentProject(const QString& path)
{
    const QString normalised = normalisedPath(path);
    QStringList list = recentProjects();
    list.removeAll(normalised);
    list.prepend(normalised);
    while (list.size() > kMaxRecentProjects)
        list.removeLast();
    QSettings().setValue(kRecentProjects, list);
}

void StudioSettings::removeRecentProject(const QString& path)
{
    QStringList list = recentProjects();
    list.removeAll(normalisedPath(path));
    list.removeAll(path);
    QSettings().setValue(kRecentProjects, list);
}

QString StudioSettings::lastModelPath()
{
    return QSettings().value(kLastModelPath).toString();
}

void StudioSettings::setLastModelPath(const QString& path)
{
    QSettings().setValue(kLastModelPath, path);
}

Language StudioSettings::language()
{
    return parseLanguage(QSettings().value(kLanguage).toString());
}

void StudioSettings::setLanguage(Language language)
{
    QSettings().setValue(kLanguage, languageName(language));
}

QByteArray StudioSettings::windowGeometry()
{
    return QSettings().value(kWindowGeometry).toByteArray();
}

void StudioSettings::setWindowGeometry(const QByteArray& geometry)
{
    QSettings().setValue(kWindowGeometry, geometry);
}

QByteArray StudioSettings::windowState()
{
    return QSettings().value(kWindowState).toByteArray();
}

void StudioSettings::setWindowState(const QByteArray& state)
{
    QSettings().setValue(kWindowState, state);
}

QString StudioSettings::lastFolder()
{
    return QSettings().value(kLastFolder, QDir::homePath()).toString();
}

void StudioSettings::setLastFolder(const QString& folder)
{
    QSettings().setValue(kLastFolder, folder);
}

QByteArray StudioSettings::viewState(const QString& name)
{
    return QSettings().value(kViewStates + name).toByteArray();
}

void StudioSettings::setViewState(const QString& name, const QByteArray& state)
{
    QSettings().setValue(kViewStates + name, state);
}

QString StudioSettings::lastPage()
{
    return QSettings().value(kLastPage).toString();
}

void StudioSettings::setLastPage(const QString& page)
{
    QSettings().setValue(kLastPage, page);
}

QVariant StudioSettings::choice(const QString& key, const QVariant& fallback)
{
    return QSettings().value(kChoices + key, fallback);
}

void StudioSettings::setChoice(const QString& key, const QVariant& value)
{
    QSettings().setValue(kChoices + key, value);
}

QString StudioSettings::trainSettings()
{
    return QSettings().value(kTrainSettings).toString();
}

void StudioSettings::setTrainSettings(const QString& json)
{
    QSettings().setValue(kTrainSettings, json);
}

bool installTranslator(QCoreApplication& app, Language language)
{
    initTranslationResources();
    QLocale locale;
    switch (language) {
    case Language::English: locale = QLocale(QLocale::English, QLocale::UnitedStates); break;
    case Language::ChineseSimplified:
        locale = QLocale(QLocale::Chinese, QLocale::SimplifiedChineseScript, QLocale::China);
        break;
    case Language::System:
        locale = QLocale::system();
        // The C locale (LANG unset, as on servers and in containers) reads English, with
        // English plural forms rather than the source's "%n image(s)".
        if (locale.language() == QLocale::C)
            locale = QLocale(QLocale::English, QLocale::UnitedStates);
        break;
    }
    QLocale::setDefault(locale);

    if (locale.language() != QLocale::English && locale.language() != QLocale::C) {
        auto* qtTranslator = new QTranslator(&app);
        if (qtTranslator->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                               QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
            app.installTranslator(qtTranslator);
        else
            delete qtTranslator;
    }

    // English is looked up too: aape_en.qm, where present, holds the plural forms of
    // "%n image(s)" and the like.
    const QString appDir = QCoreApplication::applicationDirPath();
    const QStringList folders{QStringLiteral(":/i18n"), appDir + QStringLiteral("/translations"), appDir,
                              appDir + QStringLiteral("/../share/aape-studio/translations")};
    auto* translator = new QTranslator(&app);
    for (const QString& folder : folders) {
        if (translator->load(locale, QStringLiteral("aape"), QStringLiteral("_"), folder)) {
            app.installTranslator(translator);
            return true;
        }
    }
    delete translator;
    return false;
}

} // namespace aape::ui

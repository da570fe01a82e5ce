#include "ProjectSession.h"

#include "aape/util/Log.h"

namespace aape::ui {

ProjectSession::ProjectSession(QObject* parent)
    : QObject(parent)
{}

ProjectSession::~ProjectSession() = default;

bool ProjectSession::open(const QString& path, QString* error)
{
    auto project = store::Project::open(path.toStdString(), store::OpenMode::ReadWrite);
    if (!project) {
        Log::error(project.error(), "opening a project");
        if (error)
            *error = QString::fromStdString(project.error().toString());
        return false;
    }
    close();
    m_project = std::make_unique<store::Project>(std::move(project).value());
    m_path = path;
    Q_EMIT opened(path);
    return true;
}

bool ProjectSession::create(const QString& path, QString* error)
{
    auto project = store::Project::create(path.toStdString());
    if (!project) {
        Log::error(project.error(), "creating a project");
        if (error)
            *error = QString::fromStdString(project.error().toString());
        return false;
    }
    close();
    m_project = std::make_unique<store::Project>(std::move(project).value());
    m_path = path;
    Q_EMIT opened(path);
    return true;
}

void ProjectSession::close()
{
    if (!m_project)
        return;
    m_project.reset();
    m_path.clear();
    Q_EMIT closed();
}

} // namespace aape::ui

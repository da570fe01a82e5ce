#pragma once
// The project open in the studio: its path, a GUI-thread connection for reads and small
// edits, and signals that tell views to refresh. GUI thread only; worker jobs open their own
// store::Project connection on their thread (see JobRunner).

#include "aape/store/Project.h"

#include <QObject>
#include <QString>

#include <memory>

namespace aape::ui {

class ProjectSession final : public QObject {
    Q_OBJECT
public:
    explicit ProjectSession(QObject* parent = nullptr);
    ~ProjectSession() override;

    // On failure returns false and sets *error to a sentence for the user.
    bool open(const QString& path, QString* error);
    bool create(const QString& path, QString* error);
    void close();

    bool isOpen() const { return m_project != nullptr; }
    QString path() const { return m_path; }
    store::Project* project() { return m_project.get(); }

    // Views call these after they (or a finished job) changed the project.
    void notifyDatasetChanged() { Q_EMIT datasetChanged(); }
    void notifyDescriptionsChanged() { Q_EMIT descriptionsChanged(); }
    void notifyRunsChanged() { Q_EMIT runsChanged(); }
    void notifyModelChanged() { Q_EMIT modelChanged(); }

    // Pages report to the user through the main window's banner (see MessageBanner):
    // level 0 info, 1 warning, 2 error, 3 success; details open from a "Details" button.
    void showMessage(int level, const QString& text, const QString& details = {})
    {
        Q_EMIT userMessage(level, text, details);
    }

Q_SIGNALS:
    void opened(const QString& path);
    void closed();
    void datasetChanged();
    void descriptionsChanged();
    void runsChanged();
    void modelChanged();
    void userMessage(int level, const QString& text, const QString& details);

private:
    QString m_path;
    std::unique_ptr<store::Project> m_project;
};

} // namespace aape::ui

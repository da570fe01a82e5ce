#include "UndoCommands.h"

#include "MessageBanner.h"
#include "ProjectSession.h"

#include <QCoreApplication>

#include <set>

namespace aape::ui {

namespace {

// Reports a failed write in the banner; returns false so that callers can stop.
bool check(ProjectSession* session, const Status& status)
{
    if (status)
        return true;
    session->showMessage(2, QString::fromStdString(status.error().message), loggedDetails(status.error()));
    return false;
}

std::optional<store::DescriptionRecord> findDescription(ProjectSession* session, qint64 classId, const QString& text)
{
    auto descriptions = session->project()->descriptions(classId);
    if (!descriptions)
        return std::nullopt;
    const std::string wanted = text.toStdString();
    for (const store::DescriptionRecord& record : descriptions.value()) {
        if (record.text == wanted)
            return record;
    }
    return std::nullopt;
}

} // namespace

SetImageLabelsCommand::SetImageLabelsCommand(ProjectSession* session, QList<qint64> imageIds,
                                             std::optional<qint64> classId, const QString& className)
    : m_session(session)
    , m_imageIds(std::move(imageIds))
    , m_classId(classId)
{
    setText(classId ? tr("Move %n image(s) to %1", nullptr, int(m_imageIds.size())).arg(className)
                    : tr("Remove the class of %n image(s)", nullptr, int(m_imageIds.size())));
}

void SetImageLabelsCommand::redo()
{
    if (!m_session->isOpen())
        return;
    store::Project* project = m_session->project();
    m_previous.clear();
    for (qint64 id : m_imageIds) {
        auto image = project->image(id);
        m_previous.push_back(image && image.value() ? image.value()->classId : std::nullopt);
        if (!check(m_session, project->setImageLabel(id, m_classId))) {
            setObsolete(true);
            break;
        }
    }
    m_session->notifyDatasetChanged();
}

void SetImageLabelsCommand::undo()
{
    if (!m_session->isOpen())
        return;
    for (std::size_t i = 0; i < m_previous.size(); ++i)
        check(m_session, m_session->project()->setImageLabel(m_imageIds[static_cast<qsizetype>(i)], m_previous[i]));
    m_session->notifyDatasetChanged();
}

SetImageSplitsCommand::SetImageSplitsCommand(ProjectSession* session, QList<qint64> imageIds, store::Split split)
    : m_session(session)
    , m_imageIds(std::move(imageIds))
    , m_split(split)
{
    QString splitText;
    switch (split) {
    case store::Split::Train: splitText = tr("train"); break;
    case store::Split::Val: splitText = tr("validation"); break;
    case store::Split::Test: splitText = tr("test"); break;
    }
    setText(tr("Move %n image(s) to %1", nullptr, int(m_imageIds.size())).arg(splitText));
}

void SetImageSplitsCommand::redo()
{
    if (!m_session->isOpen())
        return;
    store::Project* project = m_session->project();
    m_previous.clear();
    for (qint64 id : m_imageIds) {
        auto image = project->image(id);
        m_previous.push_back(image && image.value() ? image.value()->split : store::Split::Train);
        if (!check(m_session, project->setImageSplit(id, m_split))) {
            setObsolete(true);
            break;
        }
    }
    m_session->notifyDatasetChanged();
}

void SetImageSplitsCommand::undo()
{
    if (!m_session->isOpen())
        return;
    for (std::size_t i = 0; i < m_previous.size(); ++i)
        check(m_session, m_session->project()->setImageSplit(m_imageIds[static_cast<qsizetype>(i)], m_previous[i]));
    m_session->notifyDatasetChanged();
}

SetImagesExcludedCommand::SetImagesExcludedCommand(ProjectSession* session, QList<qint64> imageIds, bool excluded)
    : m_session(session)
    , m_imageIds(std::move(imageIds))
    , m_excluded(excluded)
{
    setText(excluded ? tr("Exclude %n image(s)", nullptr, int(m_imageIds.size()))
                     : tr("Include %n image(s)", nullptr, int(m_imageIds.size())));
}

void SetImagesExcludedCommand::redo()
{
    if (!m_session->isOpen())
        return;
    store::Project* project = m_session->project();
    m_previous.clear();
    for (qint64 id : m_imageIds) {
        auto image = project->image(id);
        m_previous.push_back(image && image.value() ? image.value()->excluded : false);
        if (!check(m_session, project->setImageExcluded(id, m_excluded))) {
            setObsolete(true);
            break;
        }
    }
    m_session->notifyDatasetChanged();
}

void SetImagesExcludedCommand::undo()
{
    if (!m_session->isOpen())
        return;
    for (std::size_t i = 0; i < m_previous.size(); ++i)
        check(m_session, m_session->project()->setImageExcluded(m_imageIds[static_cast<qsizetype>(i)], m_previous[i]));
    m_session->notifyDatasetChanged();
}

RenameClassCommand::RenameClassCommand(ProjectSession* session, qint64 classId, const QString& oldName,
                                       const QString& newName)
    : m_session(session)
    , m_classId(classId)
    , m_oldName(oldName)
    , m_newName(newName)
{
    setText(tr("Rename class %1 to %2").arg(oldName, newName));
}

bool RenameClassCommand::rename(const QString& name)
{
    if (!m_session->isOpen())
        return false;
    const bool ok = check(m_session, m_session->project()->renameClass(m_classId, name.toStdString()));
    m_session->notifyDatasetChanged();
    // Runs show class names too (Inspect, Try, Runs re-read them when runs change).
    m_session->notifyRunsChanged();
    return ok;
}

void RenameClassCommand::redo()
{
    if (!rename(m_newName))
        setObsolete(true);
}

void RenameClassCommand::undo()
{
    rename(m_oldName);
}

AddDescriptionsCommand::AddDescriptionsCommand(ProjectSession* session, qint64 classId, const QStringList& texts,
                                               const QString& source)
    : m_session(session)
    , m_classId(classId)
    , m_source(source)
{
    std::set<std::string> existing;
    if (m_session->isOpen()) {
        if (auto current = m_session->project()->descriptions(m_classId)) {
            for (const store::DescriptionRecord& record : current.value())
                existing.insert(record.text);
        }
    }
    for (const QString& text : texts) {
        std::string trimmed = text.trimmed().toStdString();
        if (!trimmed.empty() && existing.insert(trimmed).second)
            m_added.push_back(std::move(trimmed));
    }
    setText(tr("Add %n description(s)", nullptr, int(m_added.size())));
}

void AddDescriptionsCommand::redo()
{
    if (!m_session->isOpen() || m_added.empty()) {
        setObsolete(true);
        return;
    }
    std::vector<store::DescriptionInsert> rows;
    for (const std::string& text : m_added)
        rows.push_back({m_classId, text, m_source.toStdString()});
    auto result = m_session->project()->addDescriptions(rows);
    if (!result) {
        check(m_session, result.error());
        setObsolete(true);
    }
    m_session->notifyDescriptionsChanged();
}

void AddDescriptionsCommand::undo()
{
    if (!m_session->isOpen())
        return;
    for (const std::string& text : m_added) {
        if (auto record = findDescription(m_session, m_classId, QString::fromStdString(text)))
            check(m_session, m_session->project()->removeDescription(record->id));
    }
    m_session->notifyDescriptionsChanged();
}

EditDescriptionCommand::EditDescriptionCommand(ProjectSession* session, qint64 classId, const QString& oldText,
                                               const QString& newText)
    : m_session(session)
    , m_classId(classId)
    , m_oldText(oldText)
    , m_newText(newText.trimmed())
{
    setText(tr("Edit a description"));
}

bool EditDescriptionCommand::replace(const QString& from, const QString& to)
{
    if (!m_session->isOpen())
        return false;
    const auto record = findDescription(m_session, m_classId, from);
    if (!record)
        return false;
    const bool ok = check(m_session, m_session->project()->editDescription(record->id, to.toStdString()));
    m_session->notifyDescriptionsChanged();
    return ok;
}

void EditDescriptionCommand::redo()
{
    if (m_newText.isEmpty() || m_newText == m_oldText || !replace(m_oldText, m_newText))
        setObsolete(true);
}

void EditDescriptionCommand::undo()
{
    replace(m_newText, m_oldText);
}

RemoveDescriptionsCommand::RemoveDescriptionsCommand(ProjectSession* session, qint64 classId, const QStringList& texts)
    : m_session(session)
    , m_classId(classId)
    , m_texts(texts)
{
    setText(tr("Delete %n description(s)", nullptr, int(texts.size())));
}

void RemoveDescriptionsCommand::redo()
{
    m_removed.clear();
    if (!m_session->isOpen())
        return;
    for (const QString& text : m_texts) {
        if (auto record = findDescription(m_session, m_classId, text)) {
            if (check(m_session, m_session->project()->removeDescription(record->id)))
                m_removed.push_back(*record);
        }
    }
    if (m_removed.empty())
        setObsolete(true);
    m_session->notifyDescriptionsChanged();
}

void RemoveDescriptionsCommand::undo()
{
    if (!m_session->isOpen())
        return;
    std::vector<store::DescriptionInsert> rows;
    for (const store::DescriptionRecord& record : m_removed)
        rows.push_back({m_classId, record.text, record.source});
    if (!rows.empty()) {
        auto result = m_session->project()->addDescriptions(rows);
        if (!result)
            check(m_session, result.error());
    }
    m_session->notifyDescriptionsChanged();
}

} // namespace aape::ui

#pragma once
// Choosing the CLIP checkpoint: a dialog where the user picks a folder (Hugging Face) or a
// file (OpenAI .pt, open_clip), sees what it is or what is wrong with it (checked with
// clip::inspectCheckpoint off the GUI thread), and confirms. GUI thread only.

#include "aape/clip/ClipConfig.h"
#include "aape/store/Records.h"
#include "aape/util/Error.h"

#include <QDialog>
#include <QFutureWatcher>

#include <optional>

class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace aape::ui {

// The project's model record for a checked checkpoint (as encodeProject writes it).
store::ModelReference modelReferenceFor(const clip::ModelInfo& info);
// Format, architecture, activation and notes as a few lines of rich text.
QString describeModel(const clip::ModelInfo& info);

class ModelChooser final : public QDialog {
    Q_OBJECT
public:
    explicit ModelChooser(const QString& initialPath = {}, QWidget* parent = nullptr);
    ~ModelChooser() override;

    QString path() const;
    // The checked checkpoint; empty until a check succeeded.
    std::optional<clip::ModelInfo> modelInfo() const { return m_info; }
    bool isChecking() const { return m_watcher.isRunning(); }

    // Shows the dialog; on OK remembers the path in StudioSettings and returns the reference.
    static std::optional<store::ModelReference> choose(QWidget* parent, const QString& initialPath = {});

public Q_SLOTS:
    void setPath(const QString& path);

Q_SIGNALS:
    void checked(bool ok);

private:
    void startCheck();
    void showResult();

    QLineEdit* m_pathEdit = nullptr;
    QLabel* m_result = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    QFutureWatcher<Result<clip::ModelInfo>> m_watcher;
    std::optional<clip::ModelInfo> m_info;
    QString m_pendingPath;
};

} // namespace aape::ui

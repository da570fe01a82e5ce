#pragma once
// File ▸ Encode on a Cluster…: the project's images embedded on a Slurm cluster and brought
// back. The dialog writes the list of the project's images (files and scene tiles) into a
// shared output folder, runs `aape cluster submit --slurm … -- embed --files LIST … --out DIR`
// (the command line shown before it runs), follows the shards (done markers, squeue) and, when
// every shard is done, imports the embeddings into the project, after which training encodes
// nothing. Slurm is reached only through the aape program and Slurm's own commands. GUI thread
// only; the status query and the import run off it.

#include <QDialog>
#include <QStringList>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProcess;
class QPushButton;
class QSpinBox;
class QStandardItemModel;
class QTableView;
class QTimer;

namespace aape::ui {

class JobRunner;
class ProjectSession;

class ClusterDialog final : public QDialog {
    Q_OBJECT
public:
    ClusterDialog(ProjectSession* session, JobRunner* jobs, QWidget* parent = nullptr);
    ~ClusterDialog() override;

    // The aape program the dialog runs: $AAPE_CLI, else `aape` beside this program, else on PATH.
    static QString cliProgram();

    QLineEdit* outputFolder() const { return m_folder; }
    QSpinBox* shards() const { return m_shards; }
    QSpinBox* cpus() const { return m_cpus; }
    QSpinBox* gpus() const { return m_gpus; }
    QSpinBox* views() const { return m_views; }
    QLineEdit* partition() const { return m_partition; }
    QLineEdit* timeLimit() const { return m_time; }
    QComboBox* precision() const { return m_precision; }
    QPlainTextEdit* commandPreview() const { return m_preview; }
    QPushButton* submitButton() const { return m_submit; }
    QPushButton* resumeButton() const { return m_resume; }
    QPushButton* importButton() const { return m_import; }
    QStandardItemModel* shardTable() const { return m_table; }
    QLabel* statusLabel() const { return m_status; }

    // The arguments of `aape` that Submit runs (after the program), from the dialog's choices.
    QStringList submitArguments() const;
    // Shards done / in all, from the last status.
    int shardsDone() const { return m_done; }
    int shardCount() const { return m_count; }

public Q_SLOTS:
    bool submit();
    void refreshStatus();
    bool resume();
    bool importEmbeddings();

Q_SIGNALS:
    void statusRefreshed();
    void imported(bool ok);

private:
    QString listFile() const;
    void updatePreview();
    void runCli(const QStringList& arguments, const QString& what);
    void showStatusResult(const QVariant& result);
    void setBusy(bool busy);

    ProjectSession* m_session;
    JobRunner* m_jobs;
    QLineEdit* m_folder = nullptr;
    QSpinBox* m_shards = nullptr;
    QSpinBox* m_cpus = nullptr;
    QSpinBox* m_gpus = nullptr;
    QSpinBox* m_views = nullptr;
    QLineEdit* m_partition = nullptr;
    QLineEdit* m_time = nullptr;
    QComboBox* m_precision = nullptr;
    QPlainTextEdit* m_preview = nullptr;
    QPushButton* m_submit = nullptr;
    QPushButton* m_refresh = nullptr;
    QPushButton* m_resume = nullptr;
    QPushButton* m_import = nullptr;
    QStandardItemModel* m_table = nullptr;
    QLabel* m_status = nullptr;
    QPlainTextEdit* m_log = nullptr;
    QProcess* m_process = nullptr;
    QTimer* m_poll = nullptr;
    bool m_statusRunning = false;
    bool m_importing = false;
    bool m_imported = false;
    int m_done = 0;
    int m_count = 0;
};

} // namespace aape::ui

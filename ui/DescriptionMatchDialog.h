#pragma once
// Before a CuPL file is imported: the groups whose key matched a class only loosely (other
// case, punctuation, accents or word order) or not at all, each with the class it will go to
// (a combo box: the match or the nearest class preselected, or Skip). The user confirms or
// changes them, then the file is imported with that mapping. GUI thread only.

#include "ImportJob.h"

#include "aape/data/Descriptions.h"

#include <QAbstractTableModel>
#include <QDialog>
#include <QList>
#include <QMap>
#include <QStringList>

#include <functional>

class QLabel;
class QPushButton;
class QTableView;

namespace aape::ui {

class ProjectSession;

// The groups under review, one row each: not matched first, then the loose matches.
class DescriptionMatchModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { KeyColumn = 0, SentencesColumn, ClassColumn, WhyColumn, ColumnCount };
    enum Role {
        CandidatesRole = Qt::UserRole + 1, // QStringList: the class names to offer first, best first
        CandidateScoresRole,               // QVariantList of double (0..1), parallel; empty for a loose match
        ChosenClassRole,                   // QString: the class the group goes to; empty: skipped
    };

    explicit DescriptionMatchModel(const data::DescriptionMatch& match, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

    int rowOfKey(const QString& key) const;
    // Every reviewed key with its chosen class ("" to leave it out).
    QMap<QString, QString> mapping() const;
    // Groups and sentences that will be imported, counting the exact matches not shown here.
    int groupsToImport() const;
    int sentencesToImport() const;

    // "accents, word order" in the user's language.
    static QString reasonText(unsigned reasons);

private:
    struct Row {
        QString key;
        int sentences = 0;
        bool loose = false;
        unsigned reasons = 0;
        bool ambiguous = false;
        QStringList candidates;
        QVariantList scores;
        QString chosen;
    };
    std::vector<Row> m_rows;
    int m_exactGroups = 0;
    int m_exactSentences = 0;
};

class DescriptionMatchDialog final : public QDialog {
    Q_OBJECT
public:
    // classNames: every class of the project, offered in each row's combo box.
    DescriptionMatchDialog(const QString& path, const data::DescriptionMatch& match, const QStringList& classNames,
                           QWidget* parent = nullptr);

    DescriptionMatchModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    QPushButton* importButton() const { return m_import; }
    QString path() const { return m_path; }

private:
    void updateSummary();

    QString m_path;
    DescriptionMatchModel* m_model = nullptr;
    QTableView* m_view = nullptr;
    QLabel* m_summary = nullptr;
    QPushButton* m_import = nullptr;
};

// Asks about each file in turn (window-modal dialogs; this returns at once). `import` gets the
// files the user confirmed, each with its mapping; a cancelled file is reported in the banner.
void reviewDescriptionMatches(QWidget* parent, ProjectSession* session, QList<PendingDescriptionImport> pending,
                              std::function<void(const QList<ImportItem>&)> import);

} // namespace aape::ui

#include "DescriptionMatchDialog.h"

#include "ProjectSession.h"

#include <QCollator>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

namespace aape::ui {

namespace {

QString fromStd(const std::string& text)
{
    return QString::fromStdString(text);
}

// The Class column's editor: Skip, the candidates (with their similarity), then every class
// by name. Changes are committed at once, so that the counts below the table follow.
class ClassChoiceDelegate final : public QStyledItemDelegate {
public:
    ClassChoiceDelegate(QStringList classNames, QObject* parent)
        : QStyledItemDelegate(parent)
        , m_classNames(std::move(classNames))
    {
        QCollator collator;
        collator.setNumericMode(true);
        collator.setCaseSensitivity(Qt::CaseInsensitive);
        std::sort(m_classNames.begin(), m_classNames.end(), collator);
    }

    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem&, const QModelIndex& index) const override
    {
        auto* combo = new QComboBox(parent);
        combo->setObjectName(QStringLiteral("classChoice"));
        combo->setMaxVisibleItems(20);
        combo->addItem(DescriptionMatchDialog::tr("Skip (do not import)"), QString());
        const QStringList candidates = index.data(DescriptionMatchModel::CandidatesRole).toStringList();
        const QVariantList scores = index.data(DescriptionMatchModel::CandidateScoresRole).toList();
        for (int i = 0; i < candidates.size(); ++i) {
            const QString text = i < scores.size() ? DescriptionMatchDialog::tr("%1 (%2 % similar)")
                                                         .arg(candidates[i])
                                                         .arg(qRound(100.0 * scores[i].toDouble()))
                                                   : candidates[i];
            combo->addItem(text, candidates[i]);
            combo->setItemData(combo->count() - 1, candidates[i], Qt::ToolTipRole);
        }
        combo->insertSeparator(combo->count());
        for (const QString& name : m_classNames) {
            combo->addItem(name, name);
            combo->setItemData(combo->count() - 1, name, Qt::ToolTipRole);
        }
        connect(combo, &QComboBox::currentIndexChanged, this, [this, combo] {
            auto* self = const_cast<ClassChoiceDelegate*>(this);
            Q_EMIT self->commitData(combo);
        });
        return combo;
    }

    void setEditorData(QWidget* editor, const QModelIndex& index) const override
    {
        auto* combo = static_cast<QComboBox*>(editor);
        const int found = combo->findData(index.data(DescriptionMatchModel::ChosenClassRole).toString());
        const QSignalBlocker quiet(combo); // showing the model's choice is no edit
        combo->setCurrentIndex(qMax(0, found));
        combo->setToolTip(combo->currentData().toString());
    }

    void setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const override
    {
        auto* combo = static_cast<QComboBox*>(editor);
        combo->setToolTip(combo->currentData().toString());
        model->setData(index, combo->currentData());
    }

    void updateEditorGeometry(QWidget* editor, const QStyleOptionViewItem& option, const QModelIndex&) const override
    {
        editor->setGeometry(option.rect);
    }

private:
    QStringList m_classNames;
};

} // namespace

DescriptionMatchModel::DescriptionMatchModel(const data::DescriptionMatch& match, QObject* parent)
    : QAbstractTableModel(parent)
{
    for (const data::UnmatchedEntry& entry : match.unmatched) {
        Row row;
        row.key = fromStd(entry.key);
        row.sentences = entry.sentences;
        row.ambiguous = entry.ambiguous;
        for (const data::ClassSuggestion& suggestion : entry.suggestions) {
            row.candidates.append(fromStd(suggestion.className));
            row.scores.append(suggestion.score);
        }
        // A guess among equals is not preselected; the nearest class of a miss is.
        if (!entry.ambiguous && !entry.skipped && !row.candidates.isEmpty())
            row.chosen = row.candidates.first();
        m_rows.push_back(std::move(row));
    }
    for (const data::KeyMatch& matched : match.matches) {
        if (matched.reasons == 0) {
            ++m_exactGroups;
            m_exactSentences += matched.sentences;
            continue;
        }
        Row row;
        row.key = fromStd(matched.key);
        row.sentences = matched.sentences;
        row.loose = true;
        row.reasons = matched.reasons;
        row.candidates.append(fromStd(matched.className));
        row.chosen = row.candidates.first();
        m_rows.push_back(std::move(row));
    }
}

int DescriptionMatchModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int DescriptionMatchModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString DescriptionMatchModel::reasonText(unsigned reasons)
{
    QStringList parts;
    if (reasons & data::MatchChosen)
        parts.append(tr("chosen by you"));
    if (reasons & data::MatchCase)
        parts.append(tr("case"));
    if (reasons & data::MatchPunctuation)
        parts.append(tr("punctuation"));
    if (reasons & data::MatchAccents)
        parts.append(tr("accents"));
    if (reasons & data::MatchWordOrder)
        parts.append(tr("word order"));
    return parts.join(QStringLiteral(", "));
}

QVariant DescriptionMatchModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const Row& row = m_rows[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        switch (index.column()) {
        case KeyColumn: return row.key;
        case SentencesColumn:
            return role == Qt::DisplayRole ? QVariant(row.sentences)
                                           : QVariant(tr("%n sentence(s) in this group", nullptr, row.sentences));
        case ClassColumn: return row.chosen.isEmpty() ? tr("Skip (do not import)") : row.chosen;
        case WhyColumn:
            if (row.loose)
                return tr("Same name apart from %1").arg(reasonText(row.reasons));
            if (row.ambiguous)
                return tr("Several classes match equally: choose one");
            if (!row.candidates.isEmpty())
                return tr("No class of this name; the nearest is %1 % similar")
                    .arg(qRound(100.0 * row.scores.front().toDouble()));
            return tr("Nothing close: choose a class or skip");
        default: return {};
        }
    case Qt::TextAlignmentRole:
        if (index.column() == SentencesColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::EditRole:
    case ChosenClassRole: return row.chosen;
    case CandidatesRole: return row.candidates;
    case CandidateScoresRole: return row.loose ? QVariantList() : row.scores;
    default: return {};
    }
}

bool DescriptionMatchModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (!index.isValid() || index.column() != ClassColumn || (role != Qt::EditRole && role != ChosenClassRole))
        return false;
    Row& row = m_rows[static_cast<std::size_t>(index.row())];
    const QString chosen = value.toString();
    if (chosen == row.chosen)
        return true;
    row.chosen = chosen;
    Q_EMIT dataChanged(index, index);
    return true;
}

QVariant DescriptionMatchModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case KeyColumn: return tr("In the file");
    case SentencesColumn: return tr("Sentences");
    case ClassColumn: return tr("Goes to class");
    case WhyColumn: return tr("Why");
    default: return {};
    }
}

Qt::ItemFlags DescriptionMatchModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    if (index.column() == ClassColumn)
        flags |= Qt::ItemIsEditable;
    return flags;
}

int DescriptionMatchModel::rowOfKey(const QString& key) const
{
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].key == key)
            return static_cast<int>(i);
    }
    return -1;
}

QMap<QString, QString> DescriptionMatchModel::mapping() const
{
    QMap<QString, QString> out;
    for (const Row& row : m_rows)
        out.insert(row.key, row.chosen);
    return out;
}

int DescriptionMatchModel::groupsToImport() const
{
    int groups = m_exactGroups;
    for (const Row& row : m_rows)
        groups += row.chosen.isEmpty() ? 0 : 1;
    return groups;
}

int DescriptionMatchModel::sentencesToImport() const
{
    int sentences = m_exactSentences;
    for (const Row& row : m_rows)
        sentences += row.chosen.isEmpty() ? 0 : row.sentences;
    return sentences;
}

DescriptionMatchDialog::DescriptionMatchDialog(const QString& path, const data::DescriptionMatch& match,
                                               const QStringList& classNames, QWidget* parent)
    : QDialog(parent)
    , m_path(path)
{
    setObjectName(QStringLiteral("descriptionMatchDialog"));
    setWindowTitle(tr("Match Descriptions to Classes"));
    m_model = new DescriptionMatchModel(match, this);

    auto* layout = new QVBoxLayout(this);
    const int loose = match.looseCount();
    const int exact = static_cast<int>(match.matches.size()) - loose;
    auto* intro = new QLabel(QStringLiteral("<b>%1</b>: ").arg(QFileInfo(path).fileName().toHtmlEscaped())
                                 + tr("%n description group(s).", nullptr, match.keys) + QLatin1Char(' ')
                                 + tr("%1 match a class by name, %2 match one loosely, %3 match none.")
                                       .arg(exact)
                                       .arg(loose)
                                       .arg(match.unmatched.size())
                                 + QLatin1Char(' ')
                                 + tr("Check the groups below, those that match none first: choose the class each "
                                      "belongs to, or Skip to leave it out."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("descriptionMatchTable"));
    m_view->setModel(m_model);
    m_view->setItemDelegateForColumn(DescriptionMatchModel::ClassColumn, new ClassChoiceDelegate(classNames, m_view));
    m_view->setSelectionMode(QAbstractItemView::NoSelection);
    m_view->setEditTriggers(QAbstractItemView::AllEditTriggers);
    m_view->verticalHeader()->setVisible(false);
    m_view->setTextElideMode(Qt::ElideMiddle);
    m_view->setWordWrap(false);
    QHeaderView* header = m_view->horizontalHeader();
    const QFontMetrics metrics = fontMetrics();
    header->setSectionResizeMode(DescriptionMatchModel::KeyColumn, QHeaderView::Interactive);
    header->setSectionResizeMode(DescriptionMatchModel::SentencesColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(DescriptionMatchModel::ClassColumn, QHeaderView::Interactive);
    header->setSectionResizeMode(DescriptionMatchModel::WhyColumn, QHeaderView::Stretch);
    // Room for a long car name ("Rolls-Royce Phantom Drophead Coupe Convertible 2012") in
    // both name columns; longer ones are elided in the middle, whole in the tooltip.
    const int nameWidth = metrics.horizontalAdvance(QStringLiteral("Rolls-Royce Phantom Drophead Coupe 2012")) + 24;
    header->resizeSection(DescriptionMatchModel::KeyColumn, nameWidth);
    header->resizeSection(DescriptionMatchModel::ClassColumn, nameWidth + 40);
    m_view->verticalHeader()->setDefaultSectionSize(
        qMax(m_view->verticalHeader()->defaultSectionSize(), metrics.height() + 14));
    for (int row = 0; row < m_model->rowCount(); ++row)
        m_view->openPersistentEditor(m_model->index(row, DescriptionMatchModel::ClassColumn));
    layout->addWidget(m_view, 1);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("descriptionMatchSummary"));
    layout->addWidget(m_summary);

    auto* buttons = new QDialogButtonBox(this);
    m_import = buttons->addButton(tr("Import"), QDialogButtonBox::AcceptRole);
    m_import->setObjectName(QStringLiteral("importDescriptionsButton"));
    m_import->setDefault(true);
    QPushButton* cancel = buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setToolTip(tr("Import nothing from this file"));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &DescriptionMatchDialog::updateSummary);
    updateSummary();

    const int whyWidth =
        metrics.horizontalAdvance(QStringLiteral("No class of this name; the nearest is 78 % similar"));
    const int width = nameWidth * 2 + 40 + metrics.horizontalAdvance(tr("Sentences")) + whyWidth + 80;
    resize(qMin(width, 1240), qMin(160 + m_model->rowCount() * (metrics.height() + 14), 640));
}

void DescriptionMatchDialog::updateSummary()
{
    const int groups = m_model->groupsToImport();
    m_summary->setText(tr("%n sentence(s)", nullptr, m_model->sentencesToImport()) + QStringLiteral(" ")
                       + tr("in %n group(s) will be imported.", nullptr, groups));
    m_import->setEnabled(groups > 0);
}

namespace {

// Shows the dialogs one after the other and imports what was confirmed after the last one;
// deletes itself when done.
class DescriptionReview final : public QObject {
public:
    DescriptionReview(QWidget* parent, ProjectSession* session, QList<PendingDescriptionImport> pending,
                      std::function<void(const QList<ImportItem>&)> import)
        : QObject(parent)
        , m_parent(parent)
        , m_session(session)
        , m_pending(std::move(pending))
        , m_import(std::move(import))
    {
        if (auto classes = session->project()->classes()) {
            for (const store::ClassRecord& record : classes.value())
                m_classNames.append(fromStd(record.name));
        }
    }

    void showNext()
    {
        if (m_pending.isEmpty() || !m_session->isOpen()) {
            if (!m_confirmed.isEmpty() && m_session->isOpen())
                m_import(m_confirmed);
            deleteLater();
            return;
        }
        const PendingDescriptionImport file = m_pending.takeFirst();
        auto* dialog = new DescriptionMatchDialog(file.path, file.match, m_classNames, m_parent);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setWindowModality(Qt::WindowModal);
        connect(dialog, &QDialog::finished, this, [this, dialog](int result) {
            if (result == QDialog::Accepted) {
                m_confirmed.append(
                    {dialog->path(), ImportKind::CuplJson, true, dialog->model()->mapping(), std::nullopt});
            } else {
                m_session->showMessage(0, DescriptionMatchDialog::tr("No descriptions were imported from %1.")
                                              .arg(QFileInfo(dialog->path()).fileName()));
            }
            // Once this dialog has closed, not inside its finished() signal.
            QMetaObject::invokeMethod(this, &DescriptionReview::showNext, Qt::QueuedConnection);
        });
        dialog->open();
    }

private:
    QWidget* m_parent;
    ProjectSession* m_session;
    QList<PendingDescriptionImport> m_pending;
    std::function<void(const QList<ImportItem>&)> m_import;
    QStringList m_classNames;
    QList<ImportItem> m_confirmed;
};

} // namespace

void reviewDescriptionMatches(QWidget* parent, ProjectSession* session, QList<PendingDescriptionImport> pending,
                              std::function<void(const QList<ImportItem>&)> import)
{
    if (pending.isEmpty() || !session->isOpen())
        return;
    auto* review = new DescriptionReview(parent, session, std::move(pending), std::move(import));
    review->showNext();
}

} // namespace aape::ui

#include "ComparisonPanel.h"

#include "ComparisonChart.h"
#include "ComparisonModel.h"
#include "JobRunner.h"
#include "ProjectSession.h"

#include "aape/store/Project.h"
#include "aape/workflow/Evaluate.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStringList>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace aape::ui {

namespace {

QString reevaluateJobName()
{
    return ComparisonPanel::tr("Re-evaluating runs");
}

} // namespace

ComparisonPanel::ComparisonPanel(ProjectSession* session, JobRunner* jobs, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_jobs(jobs)
    , m_winners(new ClassWinnersModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
{
    m_chooser = new QComboBox;
    m_chooser->setObjectName(QStringLiteral("comparisonChooser"));
    m_chooser->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_chooser->setToolTip(tr("Comparisons made with Compare Methods… or with aape compare, newest first."));
    auto* chooserLabel = new QLabel(tr("Co&mparison:"));
    chooserLabel->setBuddy(m_chooser);
    connect(m_chooser, &QComboBox::currentIndexChanged, this, &ComparisonPanel::showChoice);
    m_summary = new QLabel;
    m_summary->setObjectName(QStringLiteral("comparisonSummary"));
    m_summary->setForegroundRole(QPalette::PlaceholderText);

    m_chart = new ComparisonChart;

    m_proxy->setSourceModel(m_winners);
    m_proxy->setSortRole(ClassWinnersModel::SortRole);
    m_proxy->setSortCaseSensitivity(Qt::CaseInsensitive);
    m_table = new QTableView;
    m_table->setObjectName(QStringLiteral("classWinnersTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(0, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->setToolTip(tr("Accuracy per class and method (mean over the comparison's seeds); the best method of "
                           "each class is highlighted. Click a header to sort."));
    m_note = new QLabel;
    m_note->setObjectName(QStringLiteral("comparisonNote"));
    m_note->setWordWrap(true);
    m_note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_reevaluate = new QPushButton(tr("Re-&evaluate These Runs"));
    m_reevaluate->setObjectName(QStringLiteral("reevaluateRuns"));
    m_reevaluate->setToolTip(tr("Evaluate the runs without per-image results again, so that they count here."));
    connect(m_reevaluate, &QPushButton::clicked, this, &ComparisonPanel::reevaluate);
    connect(m_jobs, &JobRunner::finished, this, [this](const QString& name, bool ok, bool, const QString& error) {
        if (name != reevaluateJobName())
            return;
        m_session->notifyRunsChanged();
        if (!ok)
            m_note->setText(error);
    });

    auto* perClass = new QWidget;
    auto* perClassLayout = new QVBoxLayout(perClass);
    perClassLayout->setContentsMargins(0, 0, 0, 0);
    perClassLayout->addWidget(new QLabel(tr("Which method wins where (accuracy per class, %)")));
    perClassLayout->addWidget(m_table, 1);
    auto* noteRow = new QHBoxLayout;
    noteRow->addWidget(m_note, 1);
    noteRow->addWidget(m_reevaluate, 0, Qt::AlignTop);
    perClassLayout->addLayout(noteRow);

    auto* split = new QSplitter(Qt::Horizontal);
    split->setObjectName(QStringLiteral("comparisonSplitter"));
    split->addWidget(m_chart);
    split->addWidget(perClass);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    // Half each to begin with: the table's wide size hint would otherwise squeeze the chart's labels.
    split->setSizes({1000, 1000});

    auto* top = new QHBoxLayout;
    top->addWidget(chooserLabel);
    top->addWidget(m_chooser);
    top->addWidget(m_summary, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(split, 1);
}

ComparisonPanel::~ComparisonPanel() = default;

bool ComparisonPanel::hasComparisons() const
{
    return !m_choices.empty();
}

void ComparisonPanel::showNewest()
{
    if (!m_choices.empty())
        m_chooser->setCurrentIndex(0);
}

void ComparisonPanel::refresh()
{
    const QString chosen = m_chooser->currentIndex() >= 0 ? m_chooser->currentData().toString() : QString();
    m_choices.clear();
    if (m_session->isOpen())
        if (auto runs = m_session->project()->runs())
            m_choices = findComparisons(runs.value());
    {
        const QSignalBlocker blocker(m_chooser);
        m_chooser->clear();
        for (const auto& choice : m_choices)
            m_chooser->addItem(choice.label, choice.key);
        const int again = m_chooser->findData(chosen);
        m_chooser->setCurrentIndex(again >= 0 ? again : (m_choices.empty() ? -1 : 0));
    }
    showChoice(m_chooser->currentIndex());
    Q_EMIT comparisonsChanged(!m_choices.empty());
}

void ComparisonPanel::showChoice(int index)
{
    m_report = {};
    ClassWinners winners;
    QStringList notes;
    if (index >= 0 && index < static_cast<int>(m_choices.size()) && m_session->isOpen()) {
        auto runs = m_session->project()->runs();
        if (runs) {
            m_report = workflow::comparisonFromRuns(runs.value(), m_choices[static_cast<std::size_t>(index)].groups);
            if (auto computed = classWinners(*m_session->project(), m_report, runs.value()))
                winners = std::move(computed.value());
            else
                notes << QString::fromStdString(computed.error().message);
        } else {
            notes << QString::fromStdString(runs.error().message);
        }
    }
    m_chart->setReport(m_report);
    std::size_t runCount = 0;
    int failed = 0;
    for (const auto& m : m_report.methods) {
        runCount += m.runIds.size();
        failed += m.failedRuns;
    }
    QString summary = m_report.methods.empty() ? QString() : tr("%n evaluated run(s)", nullptr, int(runCount));
    if (failed > 0)
        summary += QStringLiteral("; ") + tr("%n run(s) stopped or not evaluated, left out", nullptr, failed);
    m_summary->setText(summary);
    m_withoutPredictions = winners.runsWithoutPredictions;
    std::sort(m_withoutPredictions.begin(), m_withoutPredictions.end());
    if (!m_withoutPredictions.empty()) {
        QStringList ids;
        for (const auto id : m_withoutPredictions)
            ids << QString::number(id);
        notes << tr("No per-image results for run(s) %1; re-evaluate them to count them here.")
                     .arg(ids.join(QStringLiteral(", ")));
    }
    m_reevaluate->setVisible(!m_withoutPredictions.empty());
    m_winners->setWinners(std::move(winners));
    m_table->resizeColumnsToContents();
    m_note->setText(notes.join(QLatin1Char('\n')));
    m_note->setVisible(!notes.isEmpty());
}

} // namespace aape::ui

namespace aape::ui {

bool ComparisonPanel::reevaluate()
{
    if (!m_session->isOpen() || m_withoutPredictions.empty())
        return false;
    const QString path = m_session->path();
    const auto runIds = m_withoutPredictions;
    const bool started = m_jobs->start(reevaluateJobName(), [path, runIds](JobContext& context) -> Status {
        auto project = store::Project::open(path.toStdString());
        if (!project)
            return project.error();
        for (std::size_t i = 0; i < runIds.size(); ++i) {
            if (context.stopRequested())
                return makeError(ErrorCode::Cancelled, "stopped");
            context.progress(reevaluateJobName(), static_cast<qint64>(i), static_cast<qint64>(runIds.size()));
            workflow::EvaluateOptions options;
            options.stop = context.stopToken();
            if (auto evaluated = workflow::evaluateRun(project.value(), runIds[i], options); !evaluated)
                return evaluated.error();
        }
        return Status();
    });
    if (!started)
        m_note->setText(
            tr("Another task (%1) is still running; re-evaluate when it has finished.").arg(m_jobs->currentJob()));
    return started;
}

} // namespace aape::ui

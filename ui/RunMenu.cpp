#include "RunMenu.h"

#include "RunsModel.h"

#include "aape/store/Project.h"

#include <QDateTime>
#include <QLocale>
#include <QSignalBlocker>

namespace aape::ui {

QString runMenuLabel(const store::RunRecord& run)
{
    QStringList parts{QString::fromStdString(run.name)};
    const RunNumbers numbers = runNumbers(run, {});
    if (numbers.harmonic)
        parts << RunMenu::tr("H %1 %").arg(*numbers.harmonic * 100.0, 0, 'f', 1);
    else if (numbers.accuracy)
        parts << RunMenu::tr("%1 %").arg(*numbers.accuracy * 100.0, 0, 'f', 1);
    parts << RunMenu::tr("%n epoch(s)", nullptr, run.lastEpoch + 1);
    const QDateTime finished = QDateTime::fromString(QString::fromStdString(run.finishedAt), Qt::ISODateWithMs);
    if (finished.isValid())
        parts << QLocale().toString(finished.toLocalTime(), QStringLiteral("d MMM HH:mm"));
    return parts.join(QStringLiteral(" · "));
}

RunMenu::RunMenu(QWidget* parent)
    : QComboBox(parent)
{
    setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    setMinimumContentsLength(24);
    setPlaceholderText(tr("No finished run yet"));
    // A choice of the user's (not a refresh) decides whether the menu follows the newest run.
    connect(this, qOverload<int>(&QComboBox::activated), this, [this](int index) { m_followNewest = index == 0; });
}

bool RunMenu::refresh(store::Project* project)
{
    const std::int64_t previous = runId();
    QSignalBlocker blocker(this);
    clear();
    if (project) {
        if (auto runs = project->runs()) { // newest first
            for (const auto& run : runs.value()) {
                // Baseline runs of a comparison keep numbers only: nothing to inspect, try or export.
                if (run.status != store::RunStatus::Finished || run.config.value("method", "aape") != "aape")
                    continue;
                addItem(runMenuLabel(run), QVariant::fromValue<qint64>(run.id));
                setItemData(count() - 1, QString::fromStdString(run.name), Qt::ToolTipRole);
            }
        }
    }
    const int kept = findData(QVariant::fromValue<qint64>(previous));
    if (count() == 0)
        setCurrentIndex(-1);
    else if (m_followNewest || kept < 0)
        setCurrentIndex(0);
    else
        setCurrentIndex(kept);
    if (kept < 0)
        m_followNewest = true;
    return runId() != previous;
}

std::int64_t RunMenu::runId() const
{
    return currentIndex() >= 0 ? currentData().toLongLong() : 0;
}

void RunMenu::chooseRun(std::int64_t runId)
{
    const int index = findData(QVariant::fromValue<qint64>(runId));
    if (index < 0)
        return;
    m_followNewest = index == 0;
    setCurrentIndex(index);
}

} // namespace aape::ui

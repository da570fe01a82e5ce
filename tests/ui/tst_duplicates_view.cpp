// Edit ▸ Find Near-Duplicates…: on a project with planted near-copies (two inside the training
// images, three test copies of training images) the dialog lists exactly the planted pairs, most
// similar first, flags the three that cross splits, excludes one side of a selected pair, and
// excludes the test side of every crossing pair in one undoable step.

#include "DuplicatesDialog.h"
#include "JobRunner.h"
#include "MainWindow.h"
#include "PlantedEmbeddings.h"
#include "ProjectSession.h"
#include "SettingsSandbox.h"
#include "TestSupport.h"

#include "aape/explore/Similarity.h"
#include "aape/store/Project.h"

#include <QAction>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTableView>
#include <QUndoStack>
#include <QtTest>

#include <random>
#include <set>

using namespace aape;
using namespace aape::ui;

namespace {

struct Planted {
    std::set<std::pair<std::string, std::string>> pairs; // (original, copy) paths
    std::set<std::string> testCopies;
};

// 80 images around 4 class centres (every fourth in test) plus 5 near-copies, as cached
// embeddings under a recorded model fingerprint: what the explore tools read.
Planted plantProject(const std::string& path)
{
    Planted planted;
    test::PlantedProject project(path);
    std::mt19937_64 rng(5);
    std::vector<std::int64_t> classes;
    std::vector<std::vector<float>> centres;
    for (int c = 0; c < 4; ++c) {
        classes.push_back(project.addClass("class " + std::to_string(c)));
        centres.push_back(test::randomDirection(rng));
    }
    std::vector<std::vector<float>> originals;
    std::vector<std::string> paths;
    for (int i = 0; i < 80; ++i) {
        originals.push_back(test::around(centres[static_cast<std::size_t>(i % 4)], 0.12f, rng));
        paths.push_back(project.addImage(originals.back(), classes[static_cast<std::size_t>(i % 4)],
                                         i % 4 == 3 ? store::Split::Test : store::Split::Train));
    }
    const std::vector<std::pair<int, store::Split>> copies = {{0, store::Split::Train},
                                                              {5, store::Split::Train},
                                                              {9, store::Split::Test},
                                                              {14, store::Split::Test},
                                                              {21, store::Split::Test}};
    for (const auto& [original, split] : copies) {
        const std::string copy =
            project.addImage(test::around(originals[static_cast<std::size_t>(original)], 0.01f, rng),
                             classes[static_cast<std::size_t>(original % 4)], split);
        planted.pairs.insert({paths[static_cast<std::size_t>(original)], copy});
        if (split == store::Split::Test)
            planted.testCopies.insert(copy);
    }
    if (!project.commit())
        qFatal("the planted images could not be stored");
    return planted;
}

} // namespace

class TestDuplicatesView final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void listsThePlantedPairsAndExcludesCopies();
    void theMenuOpensIt();

private:
    test::SettingsSandbox m_settings;
    test::TempDir m_dir;
    std::string m_project;
    Planted m_planted;
};

void TestDuplicatesView::initTestCase()
{
    m_project = m_dir.file("planted.aapeproj");
    m_planted = plantProject(m_project);
}

void TestDuplicatesView::listsThePlantedPairsAndExcludesCopies()
{
    ProjectSession session;
    JobRunner jobs;
    QUndoStack undo;
    QString error;
    QVERIFY2(session.open(QString::fromStdString(m_project), &error), qPrintable(error));
    DuplicatesDialog dialog(&session, &jobs, &undo);
    dialog.show();
    QCOMPARE(dialog.threshold()->value(), 0.97);
    QSignalSpy finished(&dialog, &DuplicatesDialog::searchFinished);
    QVERIFY(dialog.find());
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.first().at(0).toBool(), true);

    // Exactly the planted pairs, most similar first, three flagged as crossing splits.
    auto* pairs = dialog.pairs();
    QCOMPARE(pairs->rowCount(), 5);
    std::map<qint64, std::string> pathOf;
    for (const auto& image : session.project()->images().value())
        pathOf[image.id] = image.path;
    std::set<std::pair<std::string, std::string>> found;
    int crossing = 0;
    for (int row = 0; row < pairs->rowCount(); ++row) {
        found.insert({pathOf[dialog.firstImage(row)], pathOf[dialog.secondImage(row)]});
        if (row > 0)
            QVERIFY(pairs->item(row, 2)->text().toDouble() <= pairs->item(row - 1, 2)->text().toDouble());
        if (dialog.copyToExclude(row) != 0) {
            ++crossing;
            QVERIFY(m_planted.testCopies.count(pathOf[dialog.copyToExclude(row)]));
            QVERIFY(pairs->item(row, 3)->text().startsWith(QStringLiteral("⚠")));
        }
    }
    QCOMPARE(found, m_planted.pairs);
    QCOMPARE(crossing, 3);
    QVERIFY2(dialog.summary()->text().contains(QStringLiteral("5 pair")), qPrintable(dialog.summary()->text()));
    QVERIFY2(dialog.summary()->text().contains(QStringLiteral("3 across splits")),
             qPrintable(dialog.summary()->text()));

    const auto excludedIds = [&] {
        std::set<qint64> ids;
        for (const auto& image : session.project()->images().value())
            if (image.excluded)
                ids.insert(image.id);
        return ids;
    };
    // One side of a selected pair; undone with the stack.
    dialog.table()->selectRow(0);
    QTest::keyClick(dialog.table(), Qt::Key_B);
    QCOMPARE(excludedIds(), std::set<qint64>{dialog.secondImage(0)});
    QVERIFY(pairs->item(0, 1)->font().strikeOut());
    undo.undo();
    QVERIFY(excludedIds().empty());
    QVERIFY(!pairs->item(0, 1)->font().strikeOut());

    // The test copy of every crossing pair, in one step.
    QVERIFY(dialog.excludeCrossingButton()->isEnabled());
    QTest::mouseClick(dialog.excludeCrossingButton(), Qt::LeftButton);
    std::set<std::string> excludedPaths;
    for (qint64 id : excludedIds())
        excludedPaths.insert(pathOf[id]);
    QCOMPARE(excludedPaths, m_planted.testCopies);
    QVERIFY(!dialog.excludeCrossingButton()->isEnabled());
    QCOMPARE(undo.index(), 1); // one step (the undone one before it is gone from the stack)
    undo.undo();
    QVERIFY(excludedIds().empty());
    QVERIFY(dialog.excludeCrossingButton()->isEnabled());

    // A higher threshold than any planted pair's cosine finds none.
    dialog.threshold()->setValue(1.0);
    finished.clear();
    QVERIFY(dialog.find());
    QVERIFY(finished.wait(30000));
    QCOMPARE(pairs->rowCount(), 0);
    QVERIFY2(dialog.summary()->text().contains(QStringLiteral("0 pair")), qPrintable(dialog.summary()->text()));
}

void TestDuplicatesView::theMenuOpensIt()
{
    MainWindow window;
    QVERIFY(window.openProject(QString::fromStdString(m_project)));
    QAction* action = nullptr;
    for (QAction* a : window.findChildren<QAction*>())
        if (a->shortcut() == QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D))
            action = a;
    QVERIFY(action);
    QVERIFY(action->isEnabled());
    action->trigger();
    DuplicatesDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = window.findChild<DuplicatesDialog*>()) != nullptr);
    QTRY_COMPARE_WITH_TIMEOUT(dialog->pairs()->rowCount(), 5, 30000);
    window.jobs()->waitForFinished();
}

QTEST_MAIN(TestDuplicatesView)
#include "tst_duplicates_view.moc"

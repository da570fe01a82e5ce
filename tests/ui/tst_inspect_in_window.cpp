// The Inspect page inside the main window: a relabel or exclusion made there goes on the main
// window's undo stack (Edit ▸ Undo, Ctrl+Z, undoes it from any page) and reaches the Data page
// at once.

#include "CarsFixture.h"
#include "DataPage.h"
#include "DatasetModel.h"
#include "InspectPage.h"
#include "MainWindow.h"
#include "PredictionsModel.h"
#include "SettingsSandbox.h"
#include "TestSupport.h"

#include <QStandardPaths>
#include <QTableView>
#include <QUndoStack>
#include <QtTest>

#include <memory>

using namespace aape;

class TestInspectInWindow final : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void editsReachTheDataPageAndUndo();

private:
    test::SettingsSandbox m_settings;
    std::unique_ptr<test::TempDir> m_dir;
    test::CarsFixture m_cars;
};

void TestInspectInWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_dir = std::make_unique<test::TempDir>();
    m_cars = test::makeCarsProject(*m_dir);
}

void TestInspectInWindow::editsReachTheDataPageAndUndo()
{
    ui::MainWindow window;
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.openProject(QString::fromStdString(m_cars.path)));
    window.showPage(ui::MainWindow::InspectPageIndex);
    auto* inspect = window.findChild<ui::InspectPage*>();
    QVERIFY(inspect);
    QCOMPARE(inspect->undoStack(), window.undoStack());

    // Image 0 of class 0 (taken for class 1): press 2 to give it class 1's label.
    QTableView* table = inspect->table();
    table->setFocus();
    table->selectRow(0);
    const qint64 imageId = table->model()->index(0, 0).data(ui::PredictionsModel::ImageIdRole).toLongLong();
    QCOMPARE(imageId, m_cars.imageIds[0]);
    QTest::keyClick(table, Qt::Key_2);
    QCOMPARE(window.undoStack()->count(), 1);
    ui::DatasetModel* data = window.dataPage()->datasetModel();
    const auto labelOnDataPage = [&] { return data->record(data->rowOfImage(imageId))->classId; };
    QCOMPARE(labelOnDataPage(), std::optional<std::int64_t>(m_cars.classIds[1]));
    // Exclude it too.
    QTest::keyClick(table, Qt::Key_Delete);
    QVERIFY(data->record(data->rowOfImage(imageId))->excluded);
    QCOMPARE(window.undoStack()->count(), 2);
    // Undone from the Data page, as Edit ▸ Undo would.
    window.showPage(ui::MainWindow::DataPageIndex);
    window.undoStack()->undo();
    window.undoStack()->undo();
    QVERIFY(!data->record(data->rowOfImage(imageId))->excluded);
    QCOMPARE(labelOnDataPage(), std::optional<std::int64_t>(m_cars.classIds[0]));
    // And Inspect's row shows the label of now again.
    const QModelIndex truth = table->model()->index(0, ui::PredictionsModel::TrueClass);
    QVERIFY(!truth.data(ui::PredictionsModel::RelabelledRole).toBool());
}

QTEST_MAIN(TestInspectInWindow)
#include "tst_inspect_in_window.moc"

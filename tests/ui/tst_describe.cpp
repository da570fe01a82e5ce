#include "ClassListModel.h"
#include "DescribePage.h"
#include "DescriptionModel.h"
#include "ProjectSession.h"
#include "UndoCommands.h"

#include "TestSupport.h"
#include "TinyClip.h"

#include "aape/demo/DemoWorld.h"

#include <QAbstractItemModelTester>
#include <QItemSelectionModel>
#include <QSignalSpy>
#include <QTableView>
#include <QUndoStack>
#include <QtTest>

#include <memory>

using namespace aape;
using namespace aape::ui;

class DescribeTest final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void modelsPassTheTester();
    void showsDescriptionsWithSource();
    void showsDescriptionsWhenAProjectOpensLater();
    void addIsUndoable();
    void pasteManyIsOneUndoStep_data();
    void pasteManyIsOneUndoStep();
    void editInPlaceIsUndoable();
    void deleteIsUndoable();
    void warnsAboutFewDescriptions();

private:
    int storedCount(qint64 classId) const;
    QStringList storedTexts(qint64 classId) const;

    std::unique_ptr<test::TempDir> m_dir;
    std::string m_demoFolder;
    QString m_projectPath;
    int m_run = 0;
    std::unique_ptr<ProjectSession> m_session;
    std::unique_ptr<QUndoStack> m_stack;
};

void DescribeTest::initTestCase()
{
    m_dir = std::make_unique<test::TempDir>();
    // A tiny CLIP instead of the demo's own: nothing is encoded here.
    auto demo = test::writeTinyDemo(m_dir->file("demo"), m_dir->file("clip"), 3);
    QVERIFY2(demo.ok(), demo.ok() ? "" : demo.error().toString().c_str());
    m_projectPath = QString::fromStdString(demo->projectPath);
}

void DescribeTest::init()
{
    // Each test edits its own copy of the demo project.
    const QString copy = QString::fromStdString(m_dir->file("copy" + std::to_string(++m_run) + ".aapeproj"));
    QVERIFY(QFile::copy(m_projectPath, copy));
    if (QFile::exists(m_projectPath + QStringLiteral("-wal")))
        QVERIFY(QFile::copy(m_projectPath + QStringLiteral("-wal"), copy + QStringLiteral("-wal")));
    m_session = std::make_unique<ProjectSession>();
    QString error;
    QVERIFY2(m_session->open(copy, &error), qPrintable(error));
    m_stack = std::make_unique<QUndoStack>();
}

void DescribeTest::cleanup()
{
    m_stack.reset();
    m_session.reset();
}

int DescribeTest::storedCount(qint64 classId) const
{
    auto rows = m_session->project()->descriptions(classId);
    return rows.ok() ? static_cast<int>(rows->size()) : -1;
}

QStringList DescribeTest::storedTexts(qint64 classId) const
{
    QStringList texts;
    auto rows = m_session->project()->descriptions(classId);
    for (const store::DescriptionRecord& row : rows.value())
        texts.append(QString::fromStdString(row.text));
    return texts;
}

void DescribeTest::modelsPassTheTester()
{
    DescribePage page(m_session.get(), m_stack.get());
    QAbstractItemModelTester classTester(page.classModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester descriptionTester(page.descriptionModel(),
                                               QAbstractItemModelTester::FailureReportingMode::QtTest);
    page.selectClass(page.classModel()->classIdAt(1));
    page.pasteLines(QStringLiteral("one\ntwo"));
    page.descriptionModel()->setData(page.descriptionModel()->index(0, 0), QStringLiteral("edited"));
    m_stack->undo();
    m_stack->undo();
    m_stack->redo();
    page.selectClass(page.classModel()->classIdAt(4));
    m_session->close();
    QCOMPARE(page.descriptionModel()->rowCount(), 0);
}

void DescribeTest::showsDescriptionsWithSource()
{
    DescribePage page(m_session.get(), m_stack.get());
    const qint64 classId = page.classModel()->classIdAt(0);
    QCOMPARE(page.currentClassId(), classId);
    DescriptionModel* model = page.descriptionModel();
    QCOMPARE(model->rowCount(), storedCount(classId));
    QVERIFY(model->rowCount() >= 3);
    QCOMPARE(model->index(0, DescriptionModel::TextColumn).data().toString(), storedTexts(classId).first());
    QCOMPARE(model->index(0, DescriptionModel::SourceColumn).data().toString(),
             QStringLiteral("CuPL file descriptions.json"));
    QCOMPARE(page.classModel()->index(0, ClassListModel::DescriptionsColumn).data().toInt(), storedCount(classId));
}

void DescribeTest::showsDescriptionsWhenAProjectOpensLater()
{
    // As in the studio: the page exists before the project is opened.
    const QString path = m_session->path();
    m_session->close();
    DescribePage page(m_session.get(), m_stack.get());
    QCOMPARE(page.descriptionModel()->rowCount(), 0);
    QString error;
    QVERIFY2(m_session->open(path, &error), qPrintable(error));
    QCoreApplication::processEvents();
    const qint64 classId = page.classModel()->classIdAt(0);
    QCOMPARE(page.currentClassId(), classId);
    QVERIFY(storedCount(classId) >= 3);
    QCOMPARE(page.descriptionModel()->rowCount(), storedCount(classId));
}

void DescribeTest::addIsUndoable()
{
    DescribePage page(m_session.get(), m_stack.get());
    const qint64 classId = page.currentClassId();
    const int before = storedCount(classId);
    QCOMPARE(page.addDescriptions({QStringLiteral("  a round red shape on grass  ")}), 1);
    QCOMPARE(storedCount(classId), before + 1);
    QVERIFY(storedTexts(classId).contains(QStringLiteral("a round red shape on grass")));
    QCOMPARE(page.descriptionModel()->rowCount(), before + 1);
    QCOMPARE(page.descriptionModel()->index(before, DescriptionModel::SourceColumn).data().toString(),
             QStringLiteral("typed"));
    QCOMPARE(page.classModel()->index(0, ClassListModel::DescriptionsColumn).data().toInt(), before + 1);
    m_stack->undo();
    QCOMPARE(storedCount(classId), before);
    QCOMPARE(page.descriptionModel()->rowCount(), before);
    m_stack->redo();
    QCOMPARE(storedCount(classId), before + 1);
    // The same sentence again adds nothing and pushes nothing.
    QCOMPARE(page.addDescriptions({QStringLiteral("a round red shape on grass")}), 0);
    QCOMPARE(m_stack->count(), 1);
}

void DescribeTest::pasteManyIsOneUndoStep_data()
{
    QTest::addColumn<QString>("clipboard");
    QTest::addColumn<int>("added");
    QTest::newRow("unix lines") << QStringLiteral("first sentence\nsecond sentence\nthird sentence\n") << 3;
    QTest::newRow("windows lines, blanks") << QStringLiteral("alpha\r\n\r\n  \r\nbeta\r\n") << 2;
    QTest::newRow("duplicates in the paste") << QStringLiteral("same\nsame\nother") << 2;
}

void DescribeTest::pasteManyIsOneUndoStep()
{
    QFETCH(QString, clipboard);
    QFETCH(int, added);
    DescribePage page(m_session.get(), m_stack.get());
    const qint64 classId = page.classModel()->classIdAt(2);
    page.selectClass(classId);
    QCOMPARE(page.currentClassId(), classId);
    const int before = storedCount(classId);
    QCOMPARE(page.pasteLines(clipboard), added);
    QCOMPARE(storedCount(classId), before + added);
    QCOMPARE(page.descriptionModel()->rowCount(), before + added);
    QCOMPARE(m_stack->count(), 1);
    m_stack->undo();
    QCOMPARE(storedCount(classId), before);
    QCOMPARE(page.descriptionModel()->rowCount(), before);
}

void DescribeTest::editInPlaceIsUndoable()
{
    DescribePage page(m_session.get(), m_stack.get());
    const qint64 classId = page.currentClassId();
    DescriptionModel* model = page.descriptionModel();
    const QString old = model->textAt(1);
    QSignalSpy reset(model, &QAbstractItemModel::modelReset);
    QVERIFY(model->setData(model->index(1, 0), QStringLiteral("a better sentence")));
    QVERIFY(storedTexts(classId).contains(QStringLiteral("a better sentence")));
    QVERIFY(!storedTexts(classId).contains(old));
    QCOMPARE(model->textAt(1), QStringLiteral("a better sentence"));
    QCOMPARE(reset.count(), 0);  // an edit keeps the row (and the view's selection)
    m_stack->undo();
    QVERIFY(storedTexts(classId).contains(old));
    QCOMPARE(model->textAt(1), old);
    // Empty and duplicate edits are refused.
    QVERIFY(!model->setData(model->index(1, 0), QStringLiteral("   ")));
    QVERIFY(!model->setData(model->index(1, 0), model->textAt(0)));
    QCOMPARE(m_stack->count(), 1);
}

void DescribeTest::deleteIsUndoable()
{
    DescribePage page(m_session.get(), m_stack.get());
    const qint64 classId = page.currentClassId();
    DescriptionModel* model = page.descriptionModel();
    const int before = model->rowCount();
    const QString first = model->textAt(0);
    const QString second = model->textAt(1);
    QItemSelectionModel* selection = page.descriptionView()->selectionModel();
    selection->select(model->index(0, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    selection->select(model->index(1, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    page.removeSelected();
    QCOMPARE(storedCount(classId), before - 2);
    QVERIFY(!storedTexts(classId).contains(first));
    QCOMPARE(model->rowCount(), before - 2);
    m_stack->undo();
    QCOMPARE(storedCount(classId), before);
    QVERIFY(storedTexts(classId).contains(first));
    QVERIFY(storedTexts(classId).contains(second));
    // The restored rows keep where they came from.
    auto rows = m_session->project()->descriptions(classId).value();
    for (const store::DescriptionRecord& row : rows) {
        if (QString::fromStdString(row.text) == first)
            QVERIFY(QString::fromStdString(row.source).startsWith(QStringLiteral("cupl:")));
    }
}

void DescribeTest::warnsAboutFewDescriptions()
{
    ClassListModel classes(m_session.get(), false);
    QCOMPARE(classes.rowCount(), static_cast<int>(m_session->project()->classes()->size()));
    QVERIFY(classes.index(0, 0).data(Qt::DecorationRole).isNull());
    auto newClass = m_session->project()->ensureClass("purple hexagon");
    QVERIFY(newClass.ok());
    QVERIFY(m_session->project()->addDescription(newClass.value(), "six purple sides", "typed").ok());
    m_session->notifyDatasetChanged();
    const int row = classes.rowOfClass(newClass.value());
    QVERIFY(row >= 0);
    QVERIFY(!classes.index(row, 0).data(Qt::DecorationRole).isNull());
    QVERIFY(classes.index(row, 0).data(Qt::ToolTipRole).toString().contains(QStringLiteral("1 description")));
    QVERIFY(!classes.index(row, 0).flags().testFlag(Qt::ItemIsDropEnabled));

    QUndoStack stack;
    stack.push(new AddDescriptionsCommand(m_session.get(), newClass.value(),
                                          {QStringLiteral("a hexagon"), QStringLiteral("purple")}));
    QVERIFY(classes.index(row, 0).data(Qt::DecorationRole).isNull());
    stack.undo();
    QVERIFY(!classes.index(row, 0).data(Qt::DecorationRole).isNull());
}

QTEST_MAIN(DescribeTest)
#include "tst_describe.moc"

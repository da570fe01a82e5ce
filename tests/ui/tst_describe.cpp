#include "ClassListModel.h"
#include "DataPage.h"
#include "DescribePage.h"
#include "DescriptionMatchDialog.h"
#include "DescriptionModel.h"
#include "JobRunner.h"
#include "MainWindow.h"
#include "MessageBanner.h"
#include "ProjectSession.h"
#include "UndoCommands.h"

#include "PlantedFlags.h"
#include "SettingsSandbox.h"
#include "StanfordCarsNames.h"
#include "TestSupport.h"
#include "TinyClip.h"

#include "aape/demo/DemoWorld.h"

#include <nlohmann/json.hpp>

#include <QAbstractItemModelTester>
#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
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
    void ctrlVInTheFieldAddsOneDescriptionPerLine();
    void titleFollowsARenamedClass();
    void looseMatchesAndMissesAreReviewedBeforeImport();
    void cancelledReviewImportsNothing();
    void exactNamesImportWithoutAsking();
    void flagsShowAndRemoveFlaggedIsOneUndoStep();
    void removeFlaggedKeepsAClasssLastDescriptions();
    void screenshots();

private:
    int storedCount(qint64 classId) const;
    QStringList storedTexts(qint64 classId) const;
    // A project of car classes without images, and a CuPL file for it (key -> sentences).
    QString writeCarProject(const nlohmann::json& cupl, QString* cuplPath);
    static qint64 classIdOf(store::Project& project, const std::string& name);
    static QStringList textsOf(store::Project& project, const std::string& className);

    test::SettingsSandbox m_settings;

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
    QCOMPARE(reset.count(), 0); // an edit keeps the row (and the view's selection)
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

void DescribeTest::ctrlVInTheFieldAddsOneDescriptionPerLine()
{
    DescribePage page(m_session.get(), m_stack.get());
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    const qint64 classId = page.currentClassId();
    const int before = storedCount(classId);
    QLineEdit* field = page.newDescriptionEdit();
    field->setFocus();
    field->setText(QStringLiteral("half typed"));
    QGuiApplication::clipboard()->setText(QStringLiteral("a first pasted line\r\na second pasted line\n\nthird\n"));
    QTest::keyClick(field, Qt::Key_V, Qt::ControlModifier);
    QCOMPARE(storedCount(classId), before + 3);
    QVERIFY(storedTexts(classId).contains(QStringLiteral("a second pasted line")));
    QCOMPARE(field->text(), QStringLiteral("half typed")); // what was typed stays
    QCOMPARE(m_stack->count(), 1);
    m_stack->undo();
    QCOMPARE(storedCount(classId), before);

    // One line is pasted into the field as usual.
    field->clear();
    QGuiApplication::clipboard()->setText(QStringLiteral("just one line"));
    QTest::keyClick(field, Qt::Key_V, Qt::ControlModifier);
    QCOMPARE(field->text(), QStringLiteral("just one line"));
    QCOMPARE(storedCount(classId), before);
}

void DescribeTest::titleFollowsARenamedClass()
{
    DescribePage describe(m_session.get(), m_stack.get());
    DataPage data(m_session.get(), m_stack.get());
    const qint64 classId = describe.currentClassId();
    QVERIFY(data.renameClass(classId, QStringLiteral("a renamed class")));
    auto* title = describe.findChild<QLabel*>(QStringLiteral("describeTitle"));
    QVERIFY(title);
    QVERIFY2(title->text().contains(QStringLiteral("a renamed class")), qPrintable(title->text()));
    m_stack->undo();
    QVERIFY(!title->text().contains(QStringLiteral("a renamed class")));
}

QString DescribeTest::writeCarProject(const nlohmann::json& cupl, QString* cuplPath)
{
    const std::string path = m_dir->file("cars" + std::to_string(++m_run) + ".aapeproj");
    auto project = store::Project::create(path);
    if (!project.ok())
        return {};
    for (const char* name :
         {"BMW M3 Coupe 2012", "BMW M6 Convertible 2010", "AM General Hummer SUV 2000", "Audi S4 Sedan 2012"})
        project->ensureClass(name).value();
    const std::string file = m_dir->file("cars" + std::to_string(m_run) + "_cupl.json");
    test::writeTextFile(file, cupl.dump());
    *cuplPath = QString::fromStdString(file);
    return QString::fromStdString(path);
}

qint64 DescribeTest::classIdOf(store::Project& project, const std::string& name)
{
    for (const store::ClassRecord& record : project.classes().value()) {
        if (record.name == name)
            return record.id;
    }
    return 0;
}

QStringList DescribeTest::textsOf(store::Project& project, const std::string& className)
{
    QStringList texts;
    for (const store::DescriptionRecord& row : project.descriptions(classIdOf(project, className)).value())
        texts.append(QString::fromStdString(row.text));
    return texts;
}

void DescribeTest::looseMatchesAndMissesAreReviewedBeforeImport()
{
    QString cupl;
    const QString path = writeCarProject({{"BMW M3 Coupe 2012", {"Exact one.", "Exact two."}},
                                          {"2000 AM General Hummer SUV", {"Moved year."}},
                                          {"BMW M6 Convertible", {"No year."}},
                                          {"Volcano", {"Lava.", "Ash."}}},
                                         &cupl);
    QVERIFY(!path.isEmpty());
    MainWindow window;
    window.show();
    QVERIFY(window.openProject(path));
    window.importPaths({cupl});
    QPointer<DescriptionMatchDialog> dialog;
    QTRY_VERIFY((dialog = window.findChild<DescriptionMatchDialog*>()) != nullptr);
    QVERIFY(dialog->isVisible());
    // Nothing is written before the user confirms.
    QCOMPARE(window.session()->project()->descriptions()->size(), std::size_t(0));

    DescriptionMatchModel* model = dialog->model();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model->rowCount(), 3); // the exact match is not asked about
    const int hummer = model->rowOfKey(QStringLiteral("2000 AM General Hummer SUV"));
    const int m6 = model->rowOfKey(QStringLiteral("BMW M6 Convertible"));
    const int volcano = model->rowOfKey(QStringLiteral("Volcano"));
    QVERIFY(hummer >= 0 && m6 >= 0 && volcano >= 0);
    const auto cell = [&](int row, int column, int role = Qt::DisplayRole) {
        return model->index(row, column).data(role).toString();
    };
    QCOMPARE(cell(hummer, DescriptionMatchModel::ClassColumn), QStringLiteral("AM General Hummer SUV 2000"));
    QVERIFY(cell(hummer, DescriptionMatchModel::WhyColumn).contains(QStringLiteral("word order")));
    QCOMPARE(cell(m6, DescriptionMatchModel::ClassColumn), QStringLiteral("BMW M6 Convertible 2010"));
    QVERIFY2(cell(m6, DescriptionMatchModel::WhyColumn).contains(QStringLiteral("78 %")),
             qPrintable(cell(m6, DescriptionMatchModel::WhyColumn)));
    QCOMPARE(cell(volcano, DescriptionMatchModel::ClassColumn, DescriptionMatchModel::ChosenClassRole), QString());
    auto* summary = dialog->findChild<QLabel*>(QStringLiteral("descriptionMatchSummary"));
    // "4 sentence(s) in 3 group(s)" where no English plural forms are loaded.
    QVERIFY2(summary->text().startsWith(QStringLiteral("4 sentence"))
                 && summary->text().contains(QStringLiteral("in 3 group")),
             qPrintable(summary->text()));

    // Each row has its combo box: the volcano goes to the Audi, the Hummer is skipped.
    const auto comboAt = [&](int row) {
        const QModelIndex index = model->index(row, DescriptionMatchModel::ClassColumn);
        return qobject_cast<QComboBox*>(dialog->view()->indexWidget(index));
    };
    QComboBox* volcanoCombo = comboAt(volcano);
    QVERIFY(volcanoCombo && volcanoCombo->isVisible());
    QCOMPARE(volcanoCombo->currentIndex(), 0); // Skip
    QCOMPARE(comboAt(m6)->currentData().toString(), QStringLiteral("BMW M6 Convertible 2010"));
    QVERIFY(comboAt(m6)->itemText(1).contains(QStringLiteral("% similar")));
    volcanoCombo->setCurrentIndex(volcanoCombo->findData(QStringLiteral("Audi S4 Sedan 2012")));
    comboAt(hummer)->setCurrentIndex(0);
    QCOMPARE(cell(volcano, DescriptionMatchModel::ClassColumn), QStringLiteral("Audi S4 Sedan 2012"));
    QVERIFY2(summary->text().startsWith(QStringLiteral("5 sentence"))
                 && summary->text().contains(QStringLiteral("in 3 group")),
             qPrintable(summary->text()));

    QSignalSpy finished(window.jobs(), &JobRunner::finished);
    QTest::mouseClick(dialog->importButton(), Qt::LeftButton);
    QVERIFY(finished.wait(20000));
    QVERIFY(finished.last().at(1).toBool());
    QTRY_VERIFY(dialog.isNull());
    store::Project* project = window.session()->project();
    QCOMPARE(textsOf(*project, "BMW M3 Coupe 2012"), (QStringList{"Exact one.", "Exact two."}));
    QCOMPARE(textsOf(*project, "BMW M6 Convertible 2010"), QStringList{"No year."});
    QCOMPARE(textsOf(*project, "Audi S4 Sedan 2012"), (QStringList{"Lava.", "Ash."}));
    QVERIFY(textsOf(*project, "AM General Hummer SUV 2000").isEmpty());
    QVERIFY2(window.banner()->text().contains(QStringLiteral("5 description")), qPrintable(window.banner()->text()));
    QVERIFY(window.banner()->text().contains(QStringLiteral("1 description group")));
    QVERIFY(window.banner()->text().contains(QStringLiteral("left out")));
    QCOMPARE(window.currentPage(), int(MainWindow::DescribePageIndex));
}

void DescribeTest::cancelledReviewImportsNothing()
{
    QString cupl;
    const QString path = writeCarProject({{"BMW M3 Coupe 2012", {"Exact."}}, {"Volcano", {"Lava."}}}, &cupl);
    MainWindow window;
    window.show();
    QVERIFY(window.openProject(path));
    window.importPaths({cupl});
    QPointer<DescriptionMatchDialog> dialog;
    QTRY_VERIFY((dialog = window.findChild<DescriptionMatchDialog*>()) != nullptr);
    QPushButton* cancel = dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Cancel);
    QTest::mouseClick(cancel, Qt::LeftButton);
    QTRY_VERIFY(dialog.isNull());
    QTest::qWait(100);
    QVERIFY(!window.jobs()->isBusy());
    QCOMPARE(window.session()->project()->descriptions()->size(), std::size_t(0));
    QVERIFY2(window.banner()->text().contains(QStringLiteral("No descriptions were imported")),
             qPrintable(window.banner()->text()));
}

void DescribeTest::exactNamesImportWithoutAsking()
{
    QString cupl;
    const QString path =
        writeCarProject({{"BMW M3 Coupe 2012", {"Exact."}}, {"Audi S4 Sedan 2012", {"Four rings."}}}, &cupl);
    MainWindow window;
    window.show();
    QVERIFY(window.openProject(path));
    QSignalSpy finished(window.jobs(), &JobRunner::finished);
    window.importPaths({cupl});
    QVERIFY(finished.wait(20000));
    QTest::qWait(100);
    QVERIFY(!window.findChild<DescriptionMatchDialog*>());
    QCOMPARE(window.session()->project()->descriptions()->size(), std::size_t(2));
    QVERIFY2(window.banner()->text().contains(QStringLiteral("2 description")), qPrintable(window.banner()->text()));
}

void DescribeTest::screenshots()
{
    const QString folder = qEnvironmentVariable("AAPE_SCREENSHOT_DIR");
    if (folder.isEmpty())
        QSKIP("set AAPE_SCREENSHOT_DIR to write screenshots");
    // A CoOp Stanford Cars project (year first) and CuPL descriptions written year last, with
    // the slips such files have: an accent, a missing year, a typo, a car not in the catalogue.
    const std::string path = m_dir->file("stanford_cars.aapeproj");
    {
        auto project = store::Project::create(path);
        QVERIFY(project.ok());
        for (const QString& name : test::stanfordCarsNames())
            project->ensureClass(test::yearFirst(name).toStdString()).value();
    }
    nlohmann::json cupl = nlohmann::json::object();
    for (const QString& name : test::stanfordCarsNames()) {
        QString key = name;
        if (name == QStringLiteral("BMW M3 Coupe 2012"))
            key = QString::fromUtf8("BMW M3 Coupé 2012");
        else if (name == QStringLiteral("BMW M6 Convertible 2010"))
            key = QStringLiteral("BMW M6 Convertible");
        else if (name == QStringLiteral("Chevrolet Corvette ZR1 2012"))
            key = QStringLiteral("Chevrolet Corvete ZR1 2012");
        const std::string car = name.toStdString();
        cupl[key.toStdString()] = {"A photo of a " + car + ", a type of car.", "The " + car + " seen from the front.",
                                   "A " + car + " parked on a street."};
    }
    cupl["Tesla Roadster 2010"] = {"A small electric sports car."};
    const std::string file = m_dir->file("CuPL_prompts_stanfordcars.json");
    test::writeTextFile(file, cupl.dump());

    MainWindow window;
    window.resize(1280, 820);
    window.show();
    QVERIFY(window.openProject(QString::fromStdString(path)));
    window.importPaths({QString::fromStdString(file)});
    QPointer<DescriptionMatchDialog> dialog;
    QTRY_VERIFY((dialog = window.findChild<DescriptionMatchDialog*>()) != nullptr);
    QTest::qWait(300);
    QDir().mkpath(folder);
    QVERIFY(dialog->grab().save(folder + QStringLiteral("/describe-match-dialog.png")));
    QSignalSpy finished(window.jobs(), &JobRunner::finished);
    QTest::mouseClick(dialog->importButton(), Qt::LeftButton);
    QVERIFY(finished.wait(60000));
    window.showPage(MainWindow::DescribePageIndex);
    window.describePage()->selectClass(window.describePage()->classModel()->classIdAt(33));
    QTest::qWait(300);
    QVERIFY(window.grab().save(folder + QStringLiteral("/describe-after-import.png")));
}

void DescribeTest::flagsShowAndRemoveFlaggedIsOneUndoStep()
{
    // A project whose latest run ignores "a muddy bank" (river) and whose "dense green trees"
    // (harbor) matches the forest's images.
    test::TempDir dir;
    const auto planted = test::writePlantedFlagsProject(dir.path());
    ProjectSession session;
    QUndoStack stack;
    DescribePage page(&session, &stack);
    QSignalSpy updated(&page, &DescribePage::flagsUpdated);
    QString error;
    QVERIFY2(session.open(QString::fromStdString(planted.path), &error), qPrintable(error));
    QVERIFY(updated.wait(10000));
    QVERIFY2(page.flagsStatus()->text().contains(QStringLiteral(": 2 description")),
             qPrintable(page.flagsStatus()->text()));
    QVERIFY2(page.flagsStatus()->text().contains(QStringLiteral("Run %1").arg(planted.runId)),
             qPrintable(page.flagsStatus()->text()));

    DescriptionModel* model = page.descriptionModel();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const auto rowOf = [&](const QString& text) {
        for (int row = 0; row < model->rowCount(); ++row)
            if (model->textAt(row) == text)
                return row;
        return -1;
    };
    page.selectClass(planted.classIds.at("river"));
    const int mud = rowOf(QStringLiteral("a muddy bank"));
    QVERIFY(mud >= 0);
    const QModelIndex mudText = model->index(mud, DescriptionModel::TextColumn);
    QVERIFY(mudText.data(DescriptionModel::FlaggedRole).toBool());
    QVERIFY(!mudText.data(Qt::DecorationRole).isNull());
    QVERIFY2(mudText.data(Qt::ToolTipRole).toString().contains(QStringLiteral("Ignored")),
             qPrintable(mudText.data(Qt::ToolTipRole).toString()));
    QCOMPARE(model->index(mud, DescriptionModel::WeightColumn).data(DescriptionModel::RankRole).toInt(), 3);
    QVERIFY(model->index(mud, DescriptionModel::WeightColumn).data().toString().startsWith(QStringLiteral("#3")));
    const int river = rowOf(QStringLiteral("a winding river"));
    QVERIFY(!model->index(river, DescriptionModel::TextColumn).data(DescriptionModel::FlaggedRole).toBool());
    QVERIFY(model->index(river, DescriptionModel::TextColumn).data(Qt::DecorationRole).isNull());

    page.selectClass(planted.classIds.at("harbor"));
    const int trees = rowOf(QStringLiteral("dense green trees"));
    QVERIFY(trees >= 0);
    const QString tip = model->index(trees, DescriptionModel::TextColumn).data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(QStringLiteral("forest")), qPrintable(tip));

    // One action: both flagged descriptions go, as one undo step, and training is asked for.
    QVERIFY(page.removeFlaggedAction()->isEnabled());
    QSignalSpy retrain(&page, &DescribePage::retrainRequested);
    const int before = stack.count();
    page.removeFlaggedAction()->trigger();
    QCOMPARE(retrain.count(), 1);
    QCOMPARE(stack.count(), before + 1);
    const auto texts = [&](const char* cls) {
        QStringList out;
        for (const auto& d : session.project()->descriptions(planted.classIds.at(cls)).value())
            out << QString::fromStdString(d.text);
        return out;
    };
    QCOMPARE(texts("river"),
             QStringList({QStringLiteral("a winding river"), QStringLiteral("water between two banks")}));
    QCOMPARE(texts("harbor"), QStringList({QStringLiteral("a harbour with moored boats")}));
    QCOMPARE(texts("forest").size(), 1);
    QVERIFY(!page.removeFlaggedAction()->isEnabled());

    stack.undo();
    QVERIFY(texts("river").contains(QStringLiteral("a muddy bank")));
    QCOMPARE(texts("river").size(), 3);
    QVERIFY(texts("harbor").contains(QStringLiteral("dense green trees")));
    stack.redo();
    QCOMPARE(texts("river").size(), 2);
    QCOMPARE(texts("harbor").size(), 1);
}

void DescribeTest::removeFlaggedKeepsAClasssLastDescriptions()
{
    test::TempDir dir;
    const auto planted = test::writePlantedFlagsProject(dir.path());
    {
        // The harbor keeps only its flagged description.
        auto project = store::Project::open(planted.path).value();
        QVERIFY(project.removeDescription(planted.descriptionIds.at("a harbour with moored boats")).ok());
    }
    ProjectSession session;
    QUndoStack stack;
    DescribePage page(&session, &stack);
    QSignalSpy updated(&page, &DescribePage::flagsUpdated);
    QSignalSpy messages(&session, &ProjectSession::userMessage);
    QString error;
    QVERIFY2(session.open(QString::fromStdString(planted.path), &error), qPrintable(error));
    QVERIFY(updated.wait(10000));
    QCOMPARE(page.removeFlaggedAndRetrain(), 1);
    QCOMPARE(session.project()->descriptions(planted.classIds.at("harbor")).value().size(), std::size_t{1});
    QCOMPARE(session.project()->descriptions(planted.classIds.at("river")).value().size(), std::size_t{2});
    QVERIFY(!messages.isEmpty());
    QVERIFY2(messages.last().at(1).toString().contains(QStringLiteral("harbor")),
             qPrintable(messages.last().at(1).toString()));
}

QTEST_MAIN(DescribeTest)
#include "tst_describe.moc"

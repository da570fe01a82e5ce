#include "ClassListModel.h"
#include "DataPage.h"
#include "DatasetModel.h"
#include "InspectPage.h"
#include "JobRunner.h"
#include "PredictionsModel.h"
#include "ProjectSession.h"
#include "ThumbnailCache.h"
#include "UndoCommands.h"

#include "ImageFixtures.h"
#include "SettingsSandbox.h"
#include "StanfordCarsNames.h"
#include "TestSupport.h"
#include "TinyClip.h"

#include "aape/clip/ClipEngine.h"
#include "aape/demo/DemoWorld.h"
#include "aape/workflow/Encode.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMimeData>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QTreeView>
#include <QUndoStack>
#include <QtTest>

#include <memory>

using namespace aape;
using namespace aape::ui;

class DatasetModelTest final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void modelsPassTheTester();
    void rowsMatchTheStore();
    void filtersByClassAndSplit_data();
    void filtersByClassAndSplit();
    void labelChangeIsUndoable();
    void excludeToggleIsUndoable();
    void dropOnClassAsksForLabelChange();
    void thumbnailsLoadLazily();
    void tenThousandImagesStaySmooth();
    void classSearchFindsCarsAmong196();
    void longClassNamesAreReadable();
    void renameClassInTheListIsUndoable();
    void renamedClassShowsInInspect();
    void renameEncodesTheNewNameOfAnEncodedProject();
    void captionsBreakAtWords_data();
    void captionsBreakAtWords();
    void screenshots();

private:
    // A CoOp-layout Stanford Cars project ("2012 BMW M3 Coupe"): every class, `perClass`
    // generated images each (none when 0). Returns its path.
    QString writeCarsProject(const test::TempDir& dir, int perClass);

    test::SettingsSandbox m_settings;
    std::unique_ptr<test::TempDir> m_dir;
    QString m_projectPath;
    std::unique_ptr<ProjectSession> m_session;
    std::unique_ptr<ThumbnailCache> m_thumbnails;
};

void DatasetModelTest::initTestCase()
{
    m_dir = std::make_unique<test::TempDir>();
    // A tiny CLIP instead of the demo's own: the models never encode, and this keeps the test fast.
    auto demo = test::writeTinyDemo(m_dir->file("demo"), m_dir->file("clip"), 5);
    QVERIFY2(demo.ok(), demo.ok() ? "" : demo.error().toString().c_str());
    m_projectPath = QString::fromStdString(demo->projectPath);
}

void DatasetModelTest::init()
{
    m_session = std::make_unique<ProjectSession>();
    QString error;
    QVERIFY2(m_session->open(m_projectPath, &error), qPrintable(error));
    m_thumbnails = std::make_unique<ThumbnailCache>(QSize(64, 64));
}

void DatasetModelTest::cleanup()
{
    m_thumbnails.reset();
    m_session.reset();
}

void DatasetModelTest::modelsPassTheTester()
{
    DatasetModel model(m_session.get(), m_thumbnails.get());
    DatasetFilterModel filter;
    filter.setSourceModel(&model);
    ClassListModel classes(m_session.get(), true);
    QAbstractItemModelTester datasetTester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester filterTester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester classTester(&classes, QAbstractItemModelTester::FailureReportingMode::QtTest);
    // Reloads, filter changes and edits must keep the models consistent.
    filter.setClassFilter(classes.classIdAt(2));
    filter.setSplitFilter(static_cast<int>(store::Split::Test));
    QUndoStack stack;
    stack.push(new SetImageLabelsCommand(m_session.get(), {model.index(0).data(DatasetModel::ImageIdRole).toLongLong()},
                                         std::nullopt, {}));
    stack.undo();
    m_session->close();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(classes.rowCount(), 0);
}

void DatasetModelTest::rowsMatchTheStore()
{
    DatasetModel model(m_session.get(), m_thumbnails.get());
    auto images = m_session->project()->images();
    QVERIFY(images.ok());
    const int total = static_cast<int>(images->size());
    QCOMPARE(total, 5 * static_cast<int>(m_session->project()->classes()->size()));
    QCOMPARE(model.rowCount(), total);
    const store::ImageRecord& first = images->front();
    const QModelIndex index = model.index(model.rowOfImage(first.id));
    QCOMPARE(index.data(DatasetModel::PathRole).toString(), QString::fromStdString(first.path));
    QCOMPARE(index.data(DatasetModel::ClassIdRole).toLongLong(), *first.classId);
    QString className;
    for (const store::ClassRecord& c : m_session->project()->classes().value()) {
        if (c.id == *first.classId)
            className = QString::fromStdString(c.name);
    }
    QVERIFY(!className.isEmpty());
    QCOMPARE(index.data(DatasetModel::ClassNameRole).toString(), className);
    QVERIFY(index.data(Qt::DisplayRole).toString().startsWith(className));

    ClassListModel classes(m_session.get(), true);
    QCOMPARE(classes.rowCount(), 2 + static_cast<int>(m_session->project()->classes()->size()));
    QCOMPARE(classes.classIdAt(0), ClassListModel::kAllImages);
    QCOMPARE(classes.index(0, ClassListModel::ImagesColumn).data().toInt(), total);
    QCOMPARE(classes.index(1, ClassListModel::ImagesColumn).data().toInt(), 0); // unlabelled
    QCOMPARE(classes.index(2, ClassListModel::ImagesColumn).data().toInt(), 5);
}

void DatasetModelTest::filtersByClassAndSplit_data()
{
    QTest::addColumn<int>("classRow");
    QTest::addColumn<int>("split");
    QTest::newRow("all") << 0 << -1;
    QTest::newRow("one class") << 3 << -1;
    QTest::newRow("train only") << 0 << static_cast<int>(store::Split::Train);
    QTest::newRow("one class, test") << 4 << static_cast<int>(store::Split::Test);
    QTest::newRow("unlabelled") << 1 << -1;
}

void DatasetModelTest::filtersByClassAndSplit()
{
    QFETCH(int, classRow);
    QFETCH(int, split);
    DatasetModel model(m_session.get(), m_thumbnails.get());
    ClassListModel classes(m_session.get(), true);
    DatasetFilterModel filter;
    filter.setSourceModel(&model);
    const qint64 classId = classes.classIdAt(classRow);
    filter.setClassFilter(classId);
    filter.setSplitFilter(split);

    store::ImageFilter expected;
    if (classId >= 0)
        expected.classId = classId;
    if (classId == ClassListModel::kUnlabelled)
        expected.unlabelledOnly = true;
    if (split >= 0)
        expected.split = static_cast<store::Split>(split);
    auto count = m_session->project()->countImages(expected);
    QVERIFY(count.ok());
    QCOMPARE(filter.rowCount(), count.value());
    for (int row = 0; row < filter.rowCount(); ++row) {
        const QModelIndex index = filter.index(row, 0);
        if (classId >= 0)
            QCOMPARE(index.data(DatasetModel::ClassIdRole).toLongLong(), classId);
        if (split >= 0)
            QCOMPARE(index.data(DatasetModel::SplitRole).toInt(), split);
    }
}

void DatasetModelTest::labelChangeIsUndoable()
{
    DatasetModel model(m_session.get(), m_thumbnails.get());
    ClassListModel classes(m_session.get(), true);
    QUndoStack stack;
    const qint64 from = classes.classIdAt(2);
    const qint64 to = classes.classIdAt(3);
    DatasetFilterModel filter;
    filter.setSourceModel(&model);
    filter.setClassFilter(to);
    QCOMPARE(filter.rowCount(), 5);

    const QModelIndex index = model.index(0);
    const qint64 imageId = index.data(DatasetModel::ImageIdRole).toLongLong();
    QCOMPARE(index.data(DatasetModel::ClassIdRole).toLongLong(), from);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

    stack.push(new SetImageLabelsCommand(m_session.get(), {imageId}, to, QStringLiteral("x")));
    auto stored = m_session->project()->image(imageId);
    QVERIFY(stored.ok() && stored.value());
    QCOMPARE(*stored.value()->classId, to);
    QCOMPARE(model.index(0).data(DatasetModel::ClassIdRole).toLongLong(), to);
    QCOMPARE(filter.rowCount(), 6); // the proxy follows the label
    QCOMPARE(classes.index(3, ClassListModel::ImagesColumn).data().toInt(), 6);
    QVERIFY(changed.count() >= 1);
    QCOMPARE(reset.count(), 0); // selection and scroll position survive an edit

    stack.undo();
    QCOMPARE(*m_session->project()->image(imageId).value().value().classId, from);
    QCOMPARE(model.index(0).data(DatasetModel::ClassIdRole).toLongLong(), from);
    QCOMPARE(filter.rowCount(), 5);

    stack.redo();
    QCOMPARE(*m_session->project()->image(imageId).value().value().classId, to);
    stack.undo();

    stack.push(new SetImageLabelsCommand(m_session.get(), {imageId}, std::nullopt, {}));
    QVERIFY(!m_session->project()->image(imageId).value().value().classId.has_value());
    QCOMPARE(model.index(0).data(DatasetModel::ClassIdRole).toLongLong(), -1);
    stack.undo();
    QCOMPARE(*m_session->project()->image(imageId).value().value().classId, from);
}

void DatasetModelTest::excludeToggleIsUndoable()
{
    QUndoStack stack;
    DataPage page(m_session.get(), &stack);
    DatasetModel* model = page.datasetModel();
    const qint64 a = model->index(1).data(DatasetModel::ImageIdRole).toLongLong();
    const qint64 b = model->index(2).data(DatasetModel::ImageIdRole).toLongLong();
    page.toggleExcluded({a, b});
    QVERIFY(m_session->project()->image(a).value().value().excluded);
    QVERIFY(model->index(2).data(DatasetModel::ExcludedRole).toBool());
    const int total = model->rowCount();
    page.filterModel()->setShowExcluded(false);
    QCOMPARE(page.filterModel()->rowCount(), total - 2);
    page.toggleExcluded({a, b}); // all excluded: the toggle includes them again
    QVERIFY(!m_session->project()->image(b).value().value().excluded);
    QCOMPARE(page.filterModel()->rowCount(), total);
    stack.undo();
    QVERIFY(m_session->project()->image(b).value().value().excluded);
    stack.undo();
    QVERIFY(!m_session->project()->image(a).value().value().excluded);

    const store::Split before = m_session->project()->image(a).value().value().split;
    const store::Split other = before == store::Split::Val ? store::Split::Test : store::Split::Val;
    page.setSplit({a}, other);
    QCOMPARE(m_session->project()->image(a).value().value().split, other);
    QCOMPARE(model->index(1).data(DatasetModel::SplitRole).toInt(), static_cast<int>(other));
    stack.undo();
    QCOMPARE(m_session->project()->image(a).value().value().split, before);
}

void DatasetModelTest::dropOnClassAsksForLabelChange()
{
    QUndoStack stack;
    DataPage page(m_session.get(), &stack);
    DatasetModel* model = page.datasetModel();
    ClassListModel* classes = page.classModel();
    const QModelIndexList dragged{model->index(0), model->index(1)};
    std::unique_ptr<QMimeData> mime(model->mimeData(dragged));
    const QList<qint64> ids = DatasetModel::decodeImageIds(mime.get());
    QCOMPARE(ids.size(), 2);
    const int targetRow = 5;
    const qint64 target = classes->classIdAt(targetRow);
    QVERIFY(!classes->canDropMimeData(mime.get(), Qt::MoveAction, -1, -1, classes->index(0, 0))); // "All images"
    QVERIFY(classes->canDropMimeData(mime.get(), Qt::MoveAction, -1, -1, classes->index(targetRow, 0)));
    classes->dropMimeData(mime.get(), Qt::MoveAction, -1, -1, classes->index(targetRow, 0));
    for (qint64 id : ids)
        QCOMPARE(*m_session->project()->image(id).value().value().classId, target);
    QCOMPARE(stack.count(), 1);
    stack.undo();
    for (qint64 id : ids)
        QVERIFY(*m_session->project()->image(id).value().value().classId != target);
}

void DatasetModelTest::thumbnailsLoadLazily()
{
    DatasetModel model(m_session.get(), m_thumbnails.get());
    QSignalSpy ready(m_thumbnails.get(), &ThumbnailCache::thumbnailReady);
    const QModelIndex index = model.index(3);
    QVERIFY(!index.data(DatasetModel::ThumbnailLoadedRole).toBool());
    const QPixmap placeholder = index.data(Qt::DecorationRole).value<QPixmap>();
    QVERIFY(!placeholder.isNull());
    QVERIFY(ready.wait(10000));
    QVERIFY(index.data(DatasetModel::ThumbnailLoadedRole).toBool());
    QCOMPARE(ready.count(), 1); // only the asked-for image was decoded
    const QImage thumbnail = index.data(Qt::DecorationRole).value<QPixmap>().toImage();
    // The demo's images are coloured shapes: the thumbnail is no longer the flat placeholder.
    QSet<QRgb> colours;
    for (int y = 0; y < thumbnail.height(); y += 4)
        for (int x = 0; x < thumbnail.width(); x += 4)
            colours.insert(thumbnail.pixel(x, y));
    QVERIFY(colours.size() > 5);
    QCOMPARE(qMax(thumbnail.width(), thumbnail.height()), qRound(64 * qApp->devicePixelRatio()));
}

void DatasetModelTest::tenThousandImagesStaySmooth()
{
    test::TempDir dir;
    auto project = store::Project::create(dir.file("big.aapeproj"));
    QVERIFY(project.ok());
    std::vector<std::int64_t> classIds;
    for (int c = 0; c < 10; ++c)
        classIds.push_back(project->ensureClass("class " + std::to_string(c)).value());
    std::vector<store::NewImage> images;
    for (int i = 0; i < 10000; ++i) {
        store::NewImage image;
        image.path = dir.file("missing/img_" + std::to_string(i) + ".png");
        char hash[17];
        std::snprintf(hash, sizeof hash, "%016x", i);
        image.contentHash = hash;
        image.width = image.height = 64;
        image.classId = classIds[static_cast<std::size_t>(i % 10)];
        image.split = static_cast<store::Split>(i % 3);
        images.push_back(image);
    }
    QVERIFY(project->addImages(images).ok());

    ProjectSession session;
    QString error;
    QVERIFY(session.open(QString::fromStdString(project->path()), &error));
    QUndoStack stack;
    QElapsedTimer timer;
    timer.start();
    DataPage page(&session, &stack);
    page.resize(1200, 800);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    const qint64 openMs = timer.elapsed();
    QCOMPARE(page.datasetModel()->rowCount(), 10000);

    // Scrolling from top to bottom asks only for what is visible.
    timer.restart();
    QScrollBar* bar = page.grid()->verticalScrollBar();
    for (int step = 0; step <= 20; ++step) {
        bar->setValue(bar->maximum() * step / 20);
        QCoreApplication::processEvents();
    }
    const qint64 scrollMs = timer.elapsed();

    timer.restart();
    page.setLabel({page.datasetModel()->index(9999).data(DatasetModel::ImageIdRole).toLongLong()}, classIds[0]);
    const qint64 editMs = timer.elapsed();
    qInfo("10k images: open %lld ms, 21 scroll steps %lld ms, one label edit %lld ms", openMs, scrollMs, editMs);
    QVERIFY2(openMs < 5000, "opening 10,000 images took too long");
    QVERIFY2(scrollMs < 5000, "scrolling 10,000 images took too long");
    QVERIFY2(editMs < 1000, "a label edit with 10,000 images took too long");
}

QString DatasetModelTest::writeCarsProject(const test::TempDir& dir, int perClass)
{
    auto project = store::Project::create(dir.file("cars.aapeproj"));
    if (!project.ok())
        return {};
    std::vector<store::NewImage> images;
    int n = 0;
    for (const QString& name : test::stanfordCarsNames()) {
        const std::int64_t id = project->ensureClass(test::yearFirst(name).toStdString()).value();
        for (int i = 0; i < perClass; ++i, ++n) {
            store::NewImage image;
            image.path = dir.file("cars_train/" + std::to_string(n) + ".jpg");
            QDir().mkpath(QString::fromStdString(dir.file("cars_train")));
            test::writeBinaryFile(image.path, test::encodeJpeg(test::photoLikeImage(160, 110, unsigned(n * 7 + 1))));
            char hash[17];
            std::snprintf(hash, sizeof hash, "%016x", n + 1);
            image.contentHash = hash;
            image.width = 160;
            image.height = 110;
            image.classId = id;
            image.split = i % 3 == 0 ? store::Split::Test : store::Split::Train;
            images.push_back(image);
        }
    }
    if (!images.empty() && !project->addImages(images).ok())
        return {};
    return QString::fromStdString(project->path());
}

void DatasetModelTest::classSearchFindsCarsAmong196()
{
    test::TempDir dir;
    const QString path = writeCarsProject(dir, 0);
    QVERIFY(!path.isEmpty());
    {
        auto project = store::Project::open(path.toStdString());
        QVERIFY(project->ensureClass("2012 Citro\xC3\xABn DS3 Coup\xC3\xA9").ok()); // accents, to find without
    }
    ProjectSession session;
    QString error;
    QVERIFY(session.open(path, &error));
    QUndoStack stack;
    DataPage page(&session, &stack);
    page.resize(1200, 800);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QAbstractItemModelTester tester(page.classFilterModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTreeView* list = page.classView();
    QCOMPARE(list->model()->rowCount(), 2 + 197);

    // Ctrl+F goes to the search box; every word typed must be in the name, in any order.
    QTest::keyClick(&page, Qt::Key_F, Qt::ControlModifier);
    QVERIFY(page.classSearch()->hasFocus());
    QTest::keyClicks(page.classSearch(), QStringLiteral("bmw 2012"));
    int expected = 0;
    for (const QString& name : test::stanfordCarsNames())
        expected += name.contains(QStringLiteral("BMW")) && name.endsWith(QStringLiteral("2012")) ? 1 : 0;
    QVERIFY(expected > 5);
    QCOMPARE(list->model()->rowCount(), 2 + expected); // "All images" and "Unlabelled" stay
    for (int row = 2; row < list->model()->rowCount(); ++row)
        QVERIFY(list->model()->index(row, 0).data().toString().startsWith(QStringLiteral("2012 BMW")));
    auto* label = page.findChild<QLabel*>(QStringLiteral("classSearchLabel"));
    QVERIFY(label->isVisible());
    QVERIFY2(label->text().startsWith(QStringLiteral("%1 of 197").arg(expected)), qPrintable(label->text()));

    // Enter shows the images of the first class found (the proxy's row, mapped to the class).
    QTest::keyClick(page.classSearch(), Qt::Key_Return);
    const qint64 chosen = list->currentIndex().data(ClassListModel::ClassIdRole).toLongLong();
    QVERIFY(chosen > 0);
    QCOMPARE(page.currentClassFilter(), chosen);
    QCOMPARE(page.filterModel()->classFilter(), chosen);

    // Case, accents and punctuation do not matter.
    page.classSearch()->setText(QStringLiteral("CITROEN coupe"));
    QCOMPARE(list->model()->rowCount(), 3);
    QCOMPARE(list->model()->index(2, 0).data().toString(), QString::fromUtf8("2012 Citroën DS3 Coupé"));
    page.classSearch()->setText(QStringLiteral("mercedes benz sl class"));
    QCOMPARE(list->model()->rowCount(), 3);
    page.classSearch()->setText(QStringLiteral("no such car"));
    QCOMPARE(list->model()->rowCount(), 2);
    QVERIFY(label->text().contains(QStringLiteral("No class")));
    page.classSearch()->clear();
    QCOMPARE(list->model()->rowCount(), 2 + 197);
    QVERIFY(!label->isVisible());
}

void DatasetModelTest::longClassNamesAreReadable()
{
    test::TempDir dir;
    const QString path = writeCarsProject(dir, 0);
    ProjectSession session;
    QString error;
    QVERIFY(session.open(path, &error));
    QUndoStack stack;
    DataPage page(&session, &stack);
    page.resize(1200, 800);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QTreeView* list = page.classView();
    QCOMPARE(list->textElideMode(), Qt::ElideMiddle);
    // Most names fit whole at the default width; the others keep their start and end.
    const int room = list->columnWidth(ClassListModel::NameColumn) - 12;
    int fitting = 0;
    for (const QString& name : test::stanfordCarsNames())
        fitting += list->fontMetrics().horizontalAdvance(test::yearFirst(name)) <= room ? 1 : 0;
    QVERIFY2(fitting >= 196 * 8 / 10,
             qPrintable(QStringLiteral("%1 of 196 names fit in %2 px").arg(fitting).arg(room)));
    // The tooltip has the whole name.
    const QString longest = QStringLiteral("2012 Rolls-Royce Phantom Drophead Coupe Convertible");
    const int row = page.classModel()->rowOfClass([&] {
        for (const store::ClassRecord& c : session.project()->classes().value())
            if (QString::fromStdString(c.name) == longest)
                return c.id;
        return std::int64_t(0);
    }());
    QVERIFY(row >= 0);
    const QModelIndex name = page.classModel()->index(row, ClassListModel::NameColumn);
    QVERIFY(name.data(Qt::ToolTipRole).toString().contains(longest));
}

void DatasetModelTest::renameClassInTheListIsUndoable()
{
    test::TempDir dir;
    const QString path = writeCarsProject(dir, 0);
    ProjectSession session;
    QString error;
    QVERIFY(session.open(path, &error));
    QUndoStack stack;
    DataPage page(&session, &stack);
    page.resize(1000, 700);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QAbstractItemModelTester tester(page.classModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy messages(&session, &ProjectSession::userMessage);
    QTreeView* list = page.classView();
    const auto nameOf = [&](qint64 id) {
        for (const store::ClassRecord& c : session.project()->classes().value())
            if (c.id == id)
                return QString::fromStdString(c.name);
        return QString();
    };

    // F2 on the selected class edits its name in place.
    list->setCurrentIndex(list->model()->index(4, ClassListModel::NameColumn));
    const qint64 classId = list->currentIndex().data(ClassListModel::ClassIdRole).toLongLong();
    const QString before = nameOf(classId);
    list->setFocus();
    QTest::keyClick(list, Qt::Key_F2);
    auto* editor = qobject_cast<QLineEdit*>(QApplication::focusWidget());
    QVERIFY(editor);
    QCOMPARE(editor->text(), before);
    editor->selectAll();
    QTest::keyClicks(editor, QStringLiteral("2012 Acura TL Sedan (CL9)"));
    QTest::keyClick(editor, Qt::Key_Return); // the view commits on its next event
    QTRY_COMPARE(nameOf(classId), QStringLiteral("2012 Acura TL Sedan (CL9)"));
    QCOMPARE(page.classModel()->index(page.classModel()->rowOfClass(classId), 0).data().toString(),
             QStringLiteral("2012 Acura TL Sedan (CL9)"));
    QCOMPARE(stack.count(), 1);
    stack.undo();
    QCOMPARE(nameOf(classId), before);
    stack.redo();
    QCOMPARE(nameOf(classId), QStringLiteral("2012 Acura TL Sedan (CL9)"));

    // The context menu's Rename Class… does the same.
    QTimer::singleShot(0, this, [] {
        auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
        QVERIFY(menu);
        QCOMPARE(menu->actions().first()->text(), QStringLiteral("Rename Class…"));
        menu->actions().first()->trigger();
        menu->close();
    });
    const QModelIndex other = list->model()->index(5, ClassListModel::NameColumn);
    Q_EMIT list->customContextMenuRequested(list->visualRect(other).center());
    // The offscreen platform gives the focus back to no widget after a menu: find the editor.
    const auto openEditor = [list] {
        for (auto* line : list->viewport()->findChildren<QLineEdit*>())
            if (line->isVisible())
                return line;
        return static_cast<QLineEdit*>(nullptr);
    };
    QTRY_VERIFY(openEditor());
    editor = openEditor();
    QCOMPARE(editor->text(), other.data().toString());
    QTest::keyClick(editor, Qt::Key_Escape);
    QTest::qWait(50);

    // A name another class has is refused, also in other case or punctuation, and so is none.
    const int pushed = stack.count();
    const QString taken = list->model()->index(6, 0).data().toString();
    QVERIFY(!page.renameClass(classId, taken));
    QVERIFY(!page.renameClass(classId, taken.toUpper().replace(QLatin1Char(' '), QLatin1Char('_'))));
    QVERIFY(!page.renameClass(classId, QStringLiteral("   ")));
    QCOMPARE(stack.count(), pushed);
    QCOMPARE(nameOf(classId), QStringLiteral("2012 Acura TL Sedan (CL9)"));
    QCOMPARE(messages.count(), 3);
    QVERIFY2(messages.first().at(1).toString().contains(taken), qPrintable(messages.first().at(1).toString()));
    QCOMPARE(messages.first().at(0).toInt(), 1); // a warning
}

void DatasetModelTest::renamedClassShowsInInspect()
{
    // A finished run's predictions name classes by id: after a rename, Inspect shows the new name.
    test::TempDir dir;
    const std::string path = dir.file("run.aapeproj");
    std::int64_t renamed = 0;
    {
        auto project = store::Project::create(path);
        QVERIFY(project.ok());
        renamed = project->ensureClass("2012 BMW M3 Coupe").value();
        const std::int64_t other = project->ensureClass("2012 Audi S4 Sedan").value();
        store::NewImage image;
        image.path = dir.file("a.png");
        QImage(32, 32, QImage::Format_RGB888).save(QString::fromStdString(image.path));
        image.contentHash = "0000000000000001";
        image.classId = renamed;
        image.split = store::Split::Test;
        QVERIFY(project->addImages({image}).ok());
        store::RunSpec spec;
        spec.name = "before the rename";
        const std::int64_t runId = project->createRun(spec).value();
        store::PredictionRecord p;
        p.imageId = project->images().value().front().id;
        p.split = store::Split::Test;
        p.trueClassId = renamed;
        p.predictedClassId = renamed;
        p.zeroShotClassId = other;
        p.probability = 0.9;
        p.topK = nlohmann::json::array({nlohmann::json::array({renamed, 0.9})});
        QVERIFY(project->putPredictions(runId, {p}).ok());
        QVERIFY(project->setRunStatus(runId, store::RunStatus::Finished).ok());
    }
    ProjectSession session;
    QString error;
    QVERIFY(session.open(QString::fromStdString(path), &error));
    JobRunner jobs;
    QUndoStack stack;
    InspectPage inspect(&session, &jobs);
    DataPage data(&session, &stack);
    auto* predictions = inspect.findChild<PredictionsModel*>();
    QVERIFY(predictions);
    QCOMPARE(predictions->rowCount(), 1);
    QCOMPARE(predictions->index(0, PredictionsModel::TrueClass).data().toString(), QStringLiteral("2012 BMW M3 Coupe"));
    QVERIFY(data.renameClass(renamed, QStringLiteral("2012 BMW M3 Coupe (E92)")));
    QCOMPARE(predictions->index(0, PredictionsModel::TrueClass).data().toString(),
             QStringLiteral("2012 BMW M3 Coupe (E92)"));
    QCOMPARE(predictions->index(0, PredictionsModel::Predicted).data().toString(),
             QStringLiteral("2012 BMW M3 Coupe (E92)"));
    stack.undo();
    QCOMPARE(predictions->index(0, PredictionsModel::TrueClass).data().toString(), QStringLiteral("2012 BMW M3 Coupe"));
}

void DatasetModelTest::renameEncodesTheNewNameOfAnEncodedProject()
{
    // Earlier runs are tried and exported with the class templates of now: a renamed class's
    // template is encoded right away, so that they need no new training.
    test::TempDir dir;
    auto demo = test::writeTinyDemo(dir.file("demo"), dir.file("clip"), 2);
    QVERIFY2(demo.ok(), demo.ok() ? "" : demo.error().toString().c_str());
    std::string fingerprint;
    {
        auto project = store::Project::open(demo->projectPath).value();
        auto engine = clip::ClipEngine::open(demo->modelPath);
        QVERIFY(engine.ok());
        workflow::EncodeOptions options;
        options.augmentedViews = 0;
        QVERIFY(workflow::encodeProject(project, engine.value(), options).ok());
        fingerprint = project.model().value()->cacheKey(); // the key of the encode's precision
    }
    ProjectSession session;
    QString error;
    QVERIFY(session.open(QString::fromStdString(demo->projectPath), &error));
    JobRunner jobs;
    QUndoStack stack;
    DataPage page(&session, &stack);
    page.setJobRunner(&jobs);
    QSignalSpy messages(&session, &ProjectSession::userMessage);
    const store::ClassRecord first = session.project()->classes().value().front();
    const std::string renamed = "pale " + first.name;
    QSignalSpy finished(&jobs, &JobRunner::finished);
    QVERIFY(page.renameClass(first.id, QString::fromStdString(renamed)));
    QVERIFY(jobs.isBusy());
    // No second rename while the job runs.
    QVERIFY(!page.renameClass(session.project()->classes().value().back().id, QStringLiteral("another name")));
    QCOMPARE(messages.count(), 1);
    QVERIFY(messages.first().at(1).toString().startsWith(QStringLiteral("Wait for")));
    QVERIFY(finished.wait(60000));
    QVERIFY2(finished.first().at(1).toBool(), qPrintable(finished.first().at(3).toString()));
    auto cached = session.project()->textEmbeddings(fingerprint, {workflow::templateFor(renamed)});
    QVERIFY(cached.ok());
    QVERIFY(cached->missing.empty());
}

void DatasetModelTest::captionsBreakAtWords_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("lines");
    QTest::newRow("short") << "red circle" << 140 << 1;
    QTest::newRow("two lines") << "2012 Chevrolet Corvette ZR1" << 140 << 2;
    QTest::newRow("longer than two lines") << "2012 Rolls-Royce Phantom Drophead Coupe Convertible" << 140 << 2;
    QTest::newRow("very narrow") << "2012 Rolls-Royce Phantom Drophead Coupe Convertible" << 70 << 2;
}

void DatasetModelTest::captionsBreakAtWords()
{
    QFETCH(QString, name);
    QFETCH(int, width);
    QFETCH(int, lines);
    QListView view;
    const QFontMetrics metrics = view.fontMetrics();
    const QStringList caption = ThumbnailCaptionDelegate::wrapCaption(name, QStringLiteral("train"), metrics, width);
    QCOMPARE(caption.size(), lines);
    QVERIFY(caption.last().endsWith(QStringLiteral("· train")));
    const QStringList words = name.split(QLatin1Char(' '));
    int next = 0;
    for (int i = 0; i < caption.size(); ++i) {
        QVERIFY2(metrics.horizontalAdvance(caption[i]) <= width, qPrintable(caption[i]));
        QString text = caption[i];
        if (i == caption.size() - 1)
            text.chop(QStringLiteral("· train").size());
        text = text.trimmed();
        if (text.endsWith(QStringLiteral("…"))) {
            QVERIFY(i == caption.size() - 1); // only the last line is shortened
            text.chop(1);
        }
        // Whole words of the name, in order: never cut inside a word.
        for (const QString& word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
            QVERIFY2(next < words.size() && words[next] == word, qPrintable(caption.join(QLatin1Char('|'))));
            ++next;
        }
    }
    QVERIFY(next > 0);
    QVERIFY(caption.join(QLatin1Char(' ')).contains(QStringLiteral("…")) == (next < words.size()));

    // The Data page draws its captions so.
    QUndoStack stack;
    DataPage page(m_session.get(), &stack);
    QVERIFY(qobject_cast<ThumbnailCaptionDelegate*>(page.grid()->itemDelegate()));
}

void DatasetModelTest::screenshots()
{
    const QString folder = qEnvironmentVariable("AAPE_SCREENSHOT_DIR");
    if (folder.isEmpty())
        QSKIP("set AAPE_SCREENSHOT_DIR to write screenshots");
    test::TempDir dir;
    const QString path = writeCarsProject(dir, 2);
    ProjectSession session;
    QString error;
    QVERIFY(session.open(path, &error));
    QUndoStack stack;
    DataPage page(&session, &stack);
    page.resize(1200, 760);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QDir().mkpath(folder);
    QTest::qWait(300);
    QVERIFY(page.grab().save(folder + QStringLiteral("/data-196-classes.png")));
    page.classSearch()->setText(QStringLiteral("chevrolet 2012"));
    QTest::keyClick(page.classSearch(), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(page.grid()->model()->index(0, 0).data(DatasetModel::ThumbnailLoadedRole).toBool(), 20000);
    QTest::qWait(800);
    QVERIFY(page.grab().save(folder + QStringLiteral("/data-search.png")));
    page.classSearch()->setText(QStringLiteral("rolls"));
    QTest::keyClick(page.classSearch(), Qt::Key_Return);
    QTest::qWait(800);
    QVERIFY(page.grab().save(folder + QStringLiteral("/data-long-captions.png")));
}

QTEST_MAIN(DatasetModelTest)
#include "tst_dataset_model.moc"

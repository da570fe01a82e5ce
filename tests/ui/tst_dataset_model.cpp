#include "ClassListModel.h"
#include "DataPage.h"
#include "DatasetModel.h"
#include "ProjectSession.h"
#include "ThumbnailCache.h"
#include "UndoCommands.h"

#include "SettingsSandbox.h"
#include "TestSupport.h"
#include "TinyClip.h"

#include "aape/demo/DemoWorld.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QListView>
#include <QMimeData>
#include <QScrollBar>
#include <QSignalSpy>
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

private:
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
    QCOMPARE(classes.index(1, ClassListModel::ImagesColumn).data().toInt(), 0);  // unlabelled
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
    QCOMPARE(filter.rowCount(), 6);  // the proxy follows the label
    QCOMPARE(classes.index(3, ClassListModel::ImagesColumn).data().toInt(), 6);
    QVERIFY(changed.count() >= 1);
    QCOMPARE(reset.count(), 0);  // selection and scroll position survive an edit

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
    page.toggleExcluded({a, b});  // all excluded: the toggle includes them again
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
    QVERIFY(!classes->canDropMimeData(mime.get(), Qt::MoveAction, -1, -1, classes->index(0, 0)));  // "All images"
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
    QCOMPARE(ready.count(), 1);  // only the asked-for image was decoded
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

QTEST_MAIN(DatasetModelTest)
#include "tst_dataset_model.moc"

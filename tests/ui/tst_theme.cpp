// The custom-painted views follow the application palette (a dark theme and back, without
// rebuilding them) and draw sharp on a HiDPI screen: this suite runs at QT_SCALE_FACTOR=2.
// With AAPE_SHOTS_DIR set it saves dark-theme screenshots to look at.

#include "AttentionChart.h"
#include "ConfusionMatrixModel.h"
#include "ConfusionMatrixView.h"
#include "DatasetModel.h"
#include "ImageInspector.h"
#include "InspectPage.h"
#include "JobRunner.h"
#include "LossPlot.h"
#include "PredictionsModel.h"
#include "ProjectSession.h"
#include "RunsPage.h"
#include "ThumbnailCache.h"

#include "SettingsSandbox.h"
#include "TestSupport.h"

#include "aape/store/Project.h"

#include <QApplication>
#include <QImage>
#include <QLabel>
#include <QSignalSpy>
#include <QtTest>

#include <qcustomplot.h>

using namespace aape;
using namespace aape::ui;

namespace {

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x20, 0x22, 0x26));
    p.setColor(QPalette::WindowText, QColor(0xE8, 0xE8, 0xE8));
    p.setColor(QPalette::Base, QColor(0x18, 0x19, 0x1C));
    p.setColor(QPalette::AlternateBase, QColor(0x2A, 0x2C, 0x31));
    p.setColor(QPalette::Text, QColor(0xE8, 0xE8, 0xE8));
    p.setColor(QPalette::Button, QColor(0x2D, 0x30, 0x36));
    p.setColor(QPalette::ButtonText, QColor(0xE8, 0xE8, 0xE8));
    p.setColor(QPalette::Highlight, QColor(0x3D, 0x7A, 0xD6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Mid, QColor(0x55, 0x58, 0x5F));
    p.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
    p.setColor(QPalette::ToolTipBase, QColor(0x2A, 0x2C, 0x31));
    p.setColor(QPalette::ToolTipText, QColor(0xE8, 0xE8, 0xE8));
    return p;
}

QPalette lightPalette()
{
    QPalette p = darkPalette();
    p.setColor(QPalette::Window, QColor(0xEF, 0xEF, 0xEF));
    p.setColor(QPalette::WindowText, Qt::black);
    p.setColor(QPalette::Base, QColor(0xFD, 0xFD, 0xFC));
    p.setColor(QPalette::AlternateBase, QColor(0xF2, 0xF1, 0xF0));
    p.setColor(QPalette::Text, Qt::black);
    p.setColor(QPalette::Button, QColor(0xEF, 0xEF, 0xEF));
    p.setColor(QPalette::ButtonText, Qt::black);
    p.setColor(QPalette::Mid, QColor(0xB8, 0xB8, 0xB8));
    return p;
}

// The colour at a point given in the widget's own (logical) coordinates.
QColor pixelAt(QWidget* widget, QPoint logical)
{
    const QImage image = widget->grab().toImage();
    const qreal dpr = image.devicePixelRatio();
    return image.pixelColor(qRound(logical.x() * dpr), qRound(logical.y() * dpr));
}

bool near(const QColor& a, const QColor& b)
{
    return qAbs(a.red() - b.red()) <= 2 && qAbs(a.green() - b.green()) <= 2 && qAbs(a.blue() - b.blue()) <= 2;
}

#define COMPARE_COLOUR(actual, expected)                                                                               \
    QVERIFY2(near((actual), (expected)), qPrintable(QStringLiteral("%1 != %2").arg((actual).name(), (expected).name())))

// After a theme switch the palette reaches the widgets through posted events, as it does
// when the desktop switches between light and dark.
#define TRY_COMPARE_COLOUR(actual, expected)                                                                           \
    QTRY_VERIFY2(near((actual), (expected)),                                                                           \
                 qPrintable(QStringLiteral("%1 != %2").arg((actual).name(), (expected).name())))

struct Fixture {
    std::string path;
    std::int64_t runId = 0;
    std::vector<std::int64_t> classIds;
    std::vector<std::int64_t> imageIds;
};

// Three classes, four test images: a->a, a->b, b->b, c->c; attention for image 0.
Fixture makeProject(const test::TempDir& dir)
{
    Fixture f;
    f.path = dir.file("theme.aapeproj");
    auto project = store::Project::create(f.path).value();
    for (const char* name : {"apple", "banana", "cherry"})
        f.classIds.push_back(project.ensureClass(name).value());
    const int labels[] = {0, 0, 1, 2};
    std::vector<store::NewImage> images;
    for (int i = 0; i < 4; ++i) {
        const QString file = QString::fromStdString(dir.file("img" + std::to_string(i) + ".png"));
        QImage image(96, 64, QImage::Format_RGB888);
        image.fill(QColor::fromHsv(i * 70, 200, 220));
        image.save(file);
        store::NewImage row;
        row.path = file.toStdString();
        row.contentHash = QStringLiteral("%1").arg(i + 1, 16, 16, QLatin1Char('0')).toStdString();
        row.width = 96;
        row.height = 64;
        row.classId = f.classIds[std::size_t(labels[i])];
        row.split = store::Split::Test;
        images.push_back(row);
    }
    if (!project.addImages(images))
        qFatal("addImages failed");
    for (const auto& image : project.images().value())
        f.imageIds.push_back(image.id);
    std::vector<std::int64_t> descriptions;
    for (const char* text : {"a round red fruit", "grows on trees", "has a short stem"})
        descriptions.push_back(project.addDescription(f.classIds[0], text, "typed").value());
    store::RunSpec spec;
    spec.name = "theme run";
    f.runId = project.createRun(spec).value();
    const int predicted[] = {0, 1, 1, 2};
    std::vector<store::PredictionRecord> rows;
    for (int i = 0; i < 4; ++i) {
        store::PredictionRecord p;
        p.imageId = f.imageIds[std::size_t(i)];
        p.split = store::Split::Test;
        p.trueClassId = f.classIds[std::size_t(labels[i])];
        p.predictedClassId = f.classIds[std::size_t(predicted[i])];
        p.zeroShotClassId = p.trueClassId;
        p.probability = 0.8;
        p.oodScore = 0.2;
        p.topK = nlohmann::json::array({nlohmann::json::array({p.predictedClassId, p.probability})});
        rows.push_back(p);
    }
    if (!project.putPredictions(f.runId, rows))
        qFatal("putPredictions failed");
    store::AttentionRow attention;
    attention.imageId = f.imageIds[0];
    attention.classId = f.classIds[0];
    attention.weights = {{descriptions[0], 0.5, 0.5}, {descriptions[1], 0.3, 0.3}, {descriptions[2], 0.2, 0.2}};
    if (!project.putAttention(f.runId, {attention}) || !project.setRunStatus(f.runId, store::RunStatus::Finished))
        qFatal("run failed");
    store::EpochMetrics m;
    m.totalLoss = 1.0;
    m.valAccuracy = 0.5;
    if (!project.commitEpoch(f.runId, m, {{"w", {1}, {0.f}}}))
        qFatal("commitEpoch failed");
    return f;
}

void saveShot(QWidget* widget, const QString& name)
{
    const QString folder = qEnvironmentVariable("AAPE_SHOTS_DIR");
    if (!folder.isEmpty())
        widget->grab().save(folder + QLatin1Char('/') + name);
}

} // namespace

class ThemeTest final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanupTestCase();
    void plotsFollowThePalette();
    void lossLegendNamesOnlyLossCurves();
    void inspectViewsFollowThePalette();
    void placeholdersFollowThePalette();
    void picturesAreSharpOnHiDpi();

private:
    test::SettingsSandbox m_settings;
};

void ThemeTest::init()
{
    QApplication::setPalette(darkPalette());
}

void ThemeTest::cleanupTestCase()
{
    QApplication::setPalette(QPalette());
}

void ThemeTest::plotsFollowThePalette()
{
    LossPlot plot;
    plot.resize(500, 400);
    plot.show();
    QVERIFY(QTest::qWaitForWindowExposed(&plot));
    EpochMetrics first;
    first.totalLoss = 2.0;
    plot.addEpoch(first);
    EpochMetrics second;
    second.epoch = 1;
    second.totalLoss = 1.5;
    plot.addEpoch(second);
    QTRY_COMPARE(plot.plottedPointCount(), 2);
    COMPARE_COLOUR(pixelAt(&plot, {3, 3}), darkPalette().color(QPalette::Base));
    // The axis labels are drawn in the palette's text colour.
    QCOMPARE(plot.plot()->axisRect(0)->axis(QCPAxis::atLeft)->labelColor(), darkPalette().color(QPalette::WindowText));
    saveShot(&plot, QStringLiteral("dark-lossplot.png"));

    // A theme switch while the plot is open reaches it.
    QApplication::setPalette(lightPalette());
    TRY_COMPARE_COLOUR(pixelAt(&plot, {3, 3}), lightPalette().color(QPalette::Base));
    QCOMPARE(plot.plot()->axisRect(0)->axis(QCPAxis::atLeft)->labelColor(), QColor(Qt::black));

    test::TempDir dir;
    const auto f = makeProject(dir);
    ProjectSession session;
    QString error;
    QVERIFY2(session.open(QString::fromStdString(f.path), &error), qPrintable(error));
    JobRunner jobs;
    RunsPage runs(&session, &jobs);
    runs.resize(1000, 700);
    runs.show();
    QVERIFY(QTest::qWaitForWindowExposed(&runs));
    runs.selectRuns({f.runId});
    COMPARE_COLOUR(pixelAt(runs.plot(), {3, 3}), lightPalette().color(QPalette::Base));
    QApplication::setPalette(darkPalette());
    TRY_COMPARE_COLOUR(pixelAt(runs.plot(), {3, 3}), darkPalette().color(QPalette::Base));
    saveShot(&runs, QStringLiteral("dark-runs.png"));
}

void ThemeTest::inspectViewsFollowThePalette()
{
    test::TempDir dir;
    const auto f = makeProject(dir);
    ProjectSession session;
    QString error;
    QVERIFY2(session.open(QString::fromStdString(f.path), &error), qPrintable(error));
    JobRunner jobs;
    InspectPage page(&session, &jobs);
    page.resize(1200, 800);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    page.setRun(f.runId);
    QCOMPARE(page.inspector()->imageId(), f.imageIds[0]);

    // An empty off-diagonal cell of the confusion matrix (apple predicted as cherry) shows the
    // palette's base colour; so does the attention chart's surroundings.
    ConfusionMatrixView* matrix = page.confusionView();
    const QRect empty = matrix->visualRect(page.confusion()->index(0, 2));
    QVERIFY(empty.isValid());
    COMPARE_COLOUR(pixelAt(matrix->viewport(), empty.center()), darkPalette().color(QPalette::Base));
    AttentionChart* chart = page.inspector()->chart();
    QVERIFY(chart->isVisible());
    QCOMPARE(int(chart->bars(0).size()), 3);
    // The chart's text is drawn in the palette's text colour: some pixel of the chart is it.
    const auto containsColour = [](QWidget* widget, const QColor& colour) {
        const QImage image = widget->grab().toImage();
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                if (near(image.pixelColor(x, y), colour))
                    return true;
        return false;
    };
    QVERIFY(containsColour(chart, darkPalette().color(QPalette::WindowText)));
    saveShot(&page, QStringLiteral("dark-inspect.png"));

    QApplication::setPalette(lightPalette());
    TRY_COMPARE_COLOUR(pixelAt(matrix->viewport(), empty.center()), lightPalette().color(QPalette::Base));
    QTRY_VERIFY(containsColour(chart, QColor(Qt::black)));
}

void ThemeTest::placeholdersFollowThePalette()
{
    test::TempDir dir;
    const auto f = makeProject(dir);
    ProjectSession session;
    QString error;
    QVERIFY2(session.open(QString::fromStdString(f.path), &error), qPrintable(error));
    ThumbnailCache thumbnails;
    DatasetModel model(&session, &thumbnails);
    model.reload();
    QCOMPARE(model.rowCount(), 4);
    // Before its thumbnail is decoded an image shows a placeholder in the palette's colours.
    const auto centreOf = [](const QPixmap& pixmap) {
        const QImage image = pixmap.toImage();
        return image.pixelColor(image.width() / 2, image.height() / 2);
    };
    const QPixmap dark = model.index(0).data(Qt::DecorationRole).value<QPixmap>();
    QVERIFY(!dark.isNull());
    COMPARE_COLOUR(centreOf(dark), darkPalette().color(QPalette::AlternateBase));
    QApplication::setPalette(lightPalette());
    model.paletteChanged(); // what DataPage does on QEvent::PaletteChange
    const QPixmap light = model.index(1).data(Qt::DecorationRole).value<QPixmap>();
    COMPARE_COLOUR(centreOf(light), lightPalette().color(QPalette::AlternateBase));
}

void ThemeTest::picturesAreSharpOnHiDpi()
{
    QCOMPARE(qApp->devicePixelRatio(), 2.0);
    test::TempDir dir;
    const auto f = makeProject(dir);
    ProjectSession session;
    QString error;
    QVERIFY2(session.open(QString::fromStdString(f.path), &error), qPrintable(error));

    // Thumbnails carry twice the pixels of their logical size.
    ThumbnailCache thumbnails(QSize(64, 64));
    QSignalSpy ready(&thumbnails, &ThumbnailCache::thumbnailReady);
    const QString path = QString::fromStdString(session.project()->images().value().front().path);
    QVERIFY(thumbnails.thumbnail(f.imageIds[0], path).isNull());
    QVERIFY(ready.wait(10000));
    const QPixmap thumbnail = thumbnails.thumbnail(f.imageIds[0], path);
    QCOMPARE(thumbnail.devicePixelRatio(), 2.0);
    // The 96×64 image fitted into 64×64 logical = 128×128 device pixels.
    QCOMPARE(thumbnail.width(), 128);

    // The inspector's pictures and the plots render at the screen's ratio.
    JobRunner jobs;
    InspectPage page(&session, &jobs);
    page.resize(1200, 800);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    page.setRun(f.runId);
    int pictures = 0;
    for (QLabel* label : page.inspector()->findChildren<QLabel*>()) {
        const QPixmap pixmap = label->pixmap();
        if (pixmap.isNull())
            continue;
        ++pictures;
        QCOMPARE(pixmap.devicePixelRatio(), 2.0);
    }
    QCOMPARE(pictures, 2); // the image with its crop box, and the model's view
    const QPixmap rowThumbnail =
        page.predictions()->index(0, PredictionsModel::Image).data(Qt::DecorationRole).value<QPixmap>();
    QCOMPARE(rowThumbnail.devicePixelRatio(), 2.0);
    const QPixmap grabbed = page.grab();
    QCOMPARE(grabbed.devicePixelRatio(), 2.0);
    QCOMPARE(grabbed.width(), page.width() * 2);
    saveShot(&page, QStringLiteral("hidpi-inspect.png"));
}

// The upper legend names the loss curves and the reward, the lower one the accuracies: an
// accuracy named in both read as if the loss plot drew it.
void ThemeTest::lossLegendNamesOnlyLossCurves()
{
    LossPlot plot;
    QCustomPlot* custom = plot.plot();
    QStringList upper;
    for (int i = 0; i < custom->legend->itemCount(); ++i)
        if (auto* item = qobject_cast<QCPPlottableLegendItem*>(custom->legend->item(i)))
            upper << item->plottable()->name();
    QCOMPARE(upper, (QStringList{QStringLiteral("Total loss"), QStringLiteral("Task loss (cross-entropy)"),
                                 QStringLiteral("Distillation loss"), QStringLiteral("Aggregator reward")}));
}

int main(int argc, char** argv)
{
    // Every window of this suite is on a screen with twice the pixels.
    qputenv("QT_SCALE_FACTOR", "2");
    QApplication app(argc, argv);
    ThemeTest test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_theme.moc"

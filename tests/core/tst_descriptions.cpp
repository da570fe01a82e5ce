#include "TestSupport.h"

#include "aape/data/Descriptions.h"
#include "aape/store/Project.h"

#include <QtTest/QtTest>

using namespace aape;
using namespace aape::data;
using namespace aape::store;

namespace {

Project createProject(const test::TempDir& dir)
{
    auto project = Project::create(dir.file("p.aapeproj"));
    if (!project.ok())
        qFatal("create failed: %s", project.error().toString().c_str());
    return std::move(project).value();
}

std::vector<std::string> textsOf(Project& project, std::int64_t classId)
{
    std::vector<std::string> out;
    const auto descriptions = project.descriptions(classId).value();
    for (const auto& description : descriptions)
        out.push_back(description.text);
    return out;
}

} // namespace

class TestDescriptions final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void normalisation_data();
    void normalisation();
    void cuplImportMatchesAndReports();
    void cuplMalformedWritesNothing_data();
    void cuplMalformedWritesNothing();
    void ambiguousClassNamesAreReported();
    void lineImport();
    void addEditRemove();
};

void TestDescriptions::normalisation_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<bool>("same");
    QTest::newRow("case and space") << "Sea Lake" << "sea lake" << true;
    QTest::newRow("underscore") << "Sea Lake" << "sea_lake" << true;
    QTest::newRow("hyphen") << "Sea-Lake" << "sea lake" << true;
    QTest::newRow("no space") << "SeaLake" << "sea_lake" << true;
    QTest::newRow("punctuation") << "Highway or Road." << "highway_or_road" << true;
    QTest::newRow("unicode case") << QString::fromUtf8("CAFÉ") << QString::fromUtf8("café") << true;
    QTest::newRow("different") << "Sea Lake" << "Sea" << false;
    QTest::newRow("digits kept") << "Class 1" << "Class 2" << false;
}

void TestDescriptions::normalisation()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(bool, same);
    QCOMPARE(normaliseClassName(a.toStdString()) == normaliseClassName(b.toStdString()), same);
}

void TestDescriptions::cuplImportMatchesAndReports()
{
    test::TempDir dir;
    Project project = createProject(dir);
    const std::int64_t seaLake = project.ensureClass("sea_lake").value();
    const std::int64_t forest = project.ensureClass("Forest").value();
    project.ensureClass("River").value();
    const nlohmann::json cupl = {
        {"Sea Lake", {"A lake seen from above.", "  Blue water.  ", "A lake seen from above.", ""}},
        {"forest", {"Dense trees."}},
        {"Volcano", {"Lava.", "Ash."}}};
    test::writeTextFile(dir.file("cupl.json"), cupl.dump());
    auto report = importCuplJson(project, dir.file("cupl.json"));
    QVERIFY2(report.ok(), report.ok() ? "" : report.error().toString().c_str());
    QCOMPARE(report->added, 3);
    QCOMPARE(report->duplicatesDropped, 1);
    QCOMPARE(report->emptyDropped, 1);
    QCOMPARE(report->matchedClasses, (std::vector<std::string>{"sea_lake", "Forest"}));
    QCOMPARE(report->classesWithoutDescriptions, std::vector<std::string>{"River"});
    QCOMPARE(report->unmatched.size(), std::size_t(1));
    QCOMPARE(report->unmatched.front().key, std::string("Volcano"));
    QCOMPARE(report->unmatched.front().sentences, 2);
    QCOMPARE(textsOf(project, seaLake), (std::vector<std::string>{"A lake seen from above.", "Blue water."}));
    QCOMPARE(project.descriptions(forest)->front().source, std::string("cupl:cupl.json"));

    auto again = importCuplJson(project, dir.file("cupl.json"));
    QVERIFY(again.ok());
    QCOMPARE(again->added, 0);
    QCOMPARE(again->duplicatesDropped, 4);
}

void TestDescriptions::cuplMalformedWritesNothing_data()
{
    QTest::addColumn<QString>("json");
    QTest::newRow("not an object") << R"(["a", "b"])";
    QTest::newRow("value not a list") << R"({"forest": "Dense trees."})";
    QTest::newRow("list holds a number") << R"({"forest": ["Dense trees.", 3]})";
    QTest::newRow("invalid json") << R"({"forest": ["Dense trees.")";
}

void TestDescriptions::cuplMalformedWritesNothing()
{
    QFETCH(QString, json);
    test::TempDir dir;
    Project project = createProject(dir);
    project.ensureClass("forest").value();
    test::writeTextFile(dir.file("bad.json"), json.toStdString());
    auto report = importCuplJson(project, dir.file("bad.json"));
    QVERIFY(!report.ok());
    QCOMPARE(report.error().code, ErrorCode::BadFormat);
    QCOMPARE(report.error().file, dir.file("bad.json"));
    QCOMPARE(project.descriptions()->size(), std::size_t(0));
}

void TestDescriptions::ambiguousClassNamesAreReported()
{
    test::TempDir dir;
    Project project = createProject(dir);
    project.ensureClass("sea lake").value();
    project.ensureClass("Sea-Lake").value();
    test::writeTextFile(dir.file("c.json"), R"({"SeaLake": ["Water."]})");
    auto report = importCuplJson(project, dir.file("c.json"));
    QVERIFY(report.ok());
    QCOMPARE(report->added, 0);
    QCOMPARE(report->unmatched.size(), std::size_t(1));
    QVERIFY(QString::fromStdString(report->unmatched.front().reason).contains("Several"));
}

void TestDescriptions::lineImport()
{
    test::TempDir dir;
    Project project = createProject(dir);
    const std::int64_t forest = project.ensureClass("forest").value();
    test::writeTextFile(dir.file("forest.txt"), "\xEF\xBB\xBF" "Tall trees.\r\n\r\n  Green canopy. \nTall trees.\nLast line");
    auto report = importDescriptionLines(project, forest, dir.file("forest.txt"));
    QVERIFY(report.ok());
    QCOMPARE(report->added, 3);
    QCOMPARE(report->duplicatesDropped, 1);
    QCOMPARE(textsOf(project, forest), (std::vector<std::string>{"Tall trees.", "Green canopy.", "Last line"}));
    QCOMPARE(project.descriptions(forest)->front().source, std::string("text:forest.txt"));

    auto missingClass = importDescriptionLines(project, forest + 10, dir.file("forest.txt"));
    QVERIFY(!missingClass.ok());
    auto missingFile = importDescriptionLines(project, forest, dir.file("nope.txt"));
    QVERIFY(!missingFile.ok());
    QCOMPARE(missingFile.error().code, ErrorCode::FileNotFound);
}

void TestDescriptions::addEditRemove()
{
    test::TempDir dir;
    Project project = createProject(dir);
    const std::int64_t forest = project.ensureClass("forest").value();
    const std::int64_t first = project.addDescription(forest, "Trees.", "typed").value();
    const std::int64_t second = project.addDescription(forest, "Leaves.", "typed").value();
    QVERIFY(!project.addDescription(forest, "Trees.", "typed").ok());
    QVERIFY(!project.addDescription(forest, "", "typed").ok());
    QVERIFY(project.editDescription(first, "Many trees.").ok());
    QVERIFY(!project.editDescription(second, "Many trees.").ok());
    QVERIFY(!project.editDescription(first, "").ok());
    QCOMPARE(textsOf(project, forest), (std::vector<std::string>{"Many trees.", "Leaves."}));
    QVERIFY(project.removeDescription(first).ok());
    QCOMPARE(textsOf(project, forest), std::vector<std::string>{"Leaves."});
    const auto remaining = project.descriptions(forest).value();
    QCOMPARE(remaining.front().id, second);
    QCOMPARE(remaining.front().position, 1);
}

QTEST_APPLESS_MAIN(TestDescriptions)
#include "tst_descriptions.moc"

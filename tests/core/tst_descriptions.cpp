#include "TestSupport.h"

#include "aape/data/Descriptions.h"
#include "aape/store/Project.h"
#include "cli/Cli.h"

#include <QtTest/QtTest>

#include <sstream>

using namespace aape;
using namespace aape::data;
using namespace aape::store;

using test::CliResult;
using test::runCli;

namespace {

Project createProject(const test::TempDir& dir)
{
    auto project = Project::create(dir.file("p.aapeproj"));
    if (!project.ok())
        qFatal("create failed: %s", project.error().toString().c_str());
    return std::move(project).value();
}

// Class names as Stanford Cars writes them (make, model, body, year).
const std::vector<std::string> kCarNames = {
    "AM General Hummer SUV 2000",
    "Acura RL Sedan 2012",
    "Acura TL Type-S 2008",
    "Acura Integra Type R 2001",
    "Aston Martin V8 Vantage Coupe 2012",
    "Aston Martin Virage Coupe 2012",
    "Audi S4 Sedan 2012",
    "Audi S4 Sedan 2007",
    "Audi S5 Coupe 2012",
    "Audi TT RS Coupe 2012",
    "BMW 1 Series Coupe 2012",
    "BMW 3 Series Sedan 2012",
    "BMW M3 Coupe 2012",
    "BMW M5 Sedan 2010",
    "BMW M6 Convertible 2010",
    "BMW X5 SUV 2007",
    "Chevrolet Corvette ZR1 2012",
    "Chevrolet Corvette Convertible 2012",
    "Dodge Ram Pickup 3500 Crew Cab 2010",
    "McLaren MP4-12C Coupe 2012",
    "Mercedes-Benz SL-Class Coupe 2009",
    "Ram C/V Cargo Van Minivan 2012",
    "Rolls-Royce Phantom Drophead Coupe Convertible 2012",
    "Volvo C30 Hatchback 2012",
};

// CoOp's StanfordCars split names the same classes with the year first.
std::string yearFirst(const std::string& name)
{
    const auto space = name.rfind(' ');
    return name.substr(space + 1) + " " + name.substr(0, space);
}

std::vector<store::ClassRecord> classRecords(const std::vector<std::string>& names)
{
    std::vector<store::ClassRecord> records;
    for (std::size_t i = 0; i < names.size(); ++i)
        records.push_back({static_cast<std::int64_t>(i + 1), names[i], static_cast<int>(i)});
    return records;
}

int lineCount(const std::string& text)
{
    return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
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
    void realisticNameDifferencesMatch_data();
    void realisticNameDifferencesMatch();
    void missesSuggestTheNearestClass_data();
    void missesSuggestTheNearestClass();
    void yearFirstCoopNamesMatchCuplKeys();
    void mappingChoosesOrSkips();
    void mappingOfUnknownNamesIsAnError();
    void cliDryRunReportsAndWritesNothing();
    void cliMapImportsIntoTheChosenClass();
    void cliFailsWhenNothingMatches();
};

void TestDescriptions::normalisation_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<bool>("same");
    QTest::newRow("case and space") << "Sea Lake"
                                    << "sea lake" << true;
    QTest::newRow("underscore") << "Sea Lake"
                                << "sea_lake" << true;
    QTest::newRow("hyphen") << "Sea-Lake"
                            << "sea lake" << true;
    QTest::newRow("no space") << "SeaLake"
                              << "sea_lake" << true;
    QTest::newRow("punctuation") << "Highway or Road."
                                 << "highway_or_road" << true;
    QTest::newRow("unicode case") << QString::fromUtf8("CAFÉ") << QString::fromUtf8("café") << true;
    QTest::newRow("different") << "Sea Lake"
                               << "Sea" << false;
    QTest::newRow("digits kept") << "Class 1"
                                 << "Class 2" << false;
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
    test::writeTextFile(dir.file("forest.txt"), "\xEF\xBB\xBF"
                                                "Tall trees.\r\n\r\n  Green canopy. \nTall trees.\nLast line");
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

void TestDescriptions::realisticNameDifferencesMatch_data()
{
    // The ways a description file's keys differ from a car catalogue's class names.
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("className");
    QTest::addColumn<QString>("why");
    QTest::newRow("1 same name") << "BMW M3 Coupe 2012"
                                 << "BMW M3 Coupe 2012"
                                 << "";
    QTest::newRow("2 spaces at the ends, doubled") << "  BMW M5  Sedan 2010 "
                                                   << "BMW M5 Sedan 2010"
                                                   << "";
    QTest::newRow("3 case") << "bmw m3 coupe 2012"
                            << "BMW M3 Coupe 2012"
                            << "case";
    QTest::newRow("4 underscores") << "Audi_S5_Coupe_2012"
                                   << "Audi S5 Coupe 2012"
                                   << "punctuation";
    QTest::newRow("5 hyphen as space") << "Mercedes Benz SL Class Coupe 2009"
                                       << "Mercedes-Benz SL-Class Coupe 2009"
                                       << "punctuation";
    QTest::newRow("6 slash left out") << "Ram CV Cargo Van Minivan 2012"
                                      << "Ram C/V Cargo Van Minivan 2012"
                                      << "punctuation";
    QTest::newRow("7 trailing full stop") << "Chevrolet Corvette ZR1 2012."
                                          << "Chevrolet Corvette ZR1 2012"
                                          << "punctuation";
    QTest::newRow("8 no spaces, lower case") << "mclarenmp412ccoupe2012"
                                             << "McLaren MP4-12C Coupe 2012"
                                             << "case, punctuation";
    QTest::newRow("9 accent") << QString::fromUtf8("BMW M3 Coupé 2012") << "BMW M3 Coupe 2012"
                              << "accents";
    QTest::newRow("10 full-width letters") << QString::fromUtf8("ＢＭＷ X5 SUV 2007") << "BMW X5 SUV 2007"
                                           << "accents";
    QTest::newRow("11 year first") << "2000 AM General Hummer SUV"
                                   << "AM General Hummer SUV 2000"
                                   << "word order";
    QTest::newRow("12 year first and accent") << QString::fromUtf8("2012 Rolls-Royce Phantom Drophead Coupé "
                                                                   "Convertible")
                                              << "Rolls-Royce Phantom Drophead Coupe Convertible 2012"
                                              << "accents, word order";
    QTest::newRow("13 year first, case and hyphens") << "2008 acura tl type s"
                                                     << "Acura TL Type-S 2008"
                                                     << "case, punctuation, word order";
}

void TestDescriptions::realisticNameDifferencesMatch()
{
    QFETCH(QString, key);
    QFETCH(QString, className);
    QFETCH(QString, why);
    auto match = matchClassNames({{key.toStdString(), 90}}, classRecords(kCarNames));
    QVERIFY(match.ok());
    QCOMPARE(match->keys, 1);
    QVERIFY2(match->unmatched.empty(), match->unmatched.empty() ? "" : match->unmatched.front().reason.c_str());
    QCOMPARE(match->matches.size(), std::size_t(1));
    const KeyMatch& found = match->matches.front();
    QCOMPARE(QString::fromStdString(found.className), className);
    QCOMPARE(QString::fromStdString(matchReasonText(found.reasons)), why);
    QCOMPARE(found.sentences, 90);
    QCOMPARE(match->looseCount(), why.isEmpty() ? 0 : 1);
}

void TestDescriptions::missesSuggestTheNearestClass_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("suggested"); // empty: nothing close enough
    QTest::addColumn<double>("minimumScore");
    QTest::newRow("year missing") << "BMW M6 Convertible"
                                  << "BMW M6 Convertible 2010" << 0.75;
    QTest::newRow("typo") << "Chevrolet Corvete ZR1 2012"
                          << "Chevrolet Corvette ZR1 2012" << 0.9;
    QTest::newRow("typo, year first") << "2012 Volvo C30 Hatchbak"
                                      << "Volvo C30 Hatchback 2012" << 0.9;
    QTest::newRow("other year") << "Audi TT RS Coupe 2011"
                                << "Audi TT RS Coupe 2012" << 0.9;
    QTest::newRow("unrelated") << "Volcano"
                               << "" << 0.0;
    QTest::newRow("other car of the make") << "BMW Z4 Roadster 2004"
                                           << "" << 0.0;
}

void TestDescriptions::missesSuggestTheNearestClass()
{
    QFETCH(QString, key);
    QFETCH(QString, suggested);
    QFETCH(double, minimumScore);
    auto match = matchClassNames({{key.toStdString(), 3}}, classRecords(kCarNames));
    QVERIFY(match.ok());
    QVERIFY(match->matches.empty());
    QCOMPARE(match->unmatched.size(), std::size_t(1));
    const UnmatchedEntry& miss = match->unmatched.front();
    QCOMPARE(QString::fromStdString(miss.key), key);
    QVERIFY(!miss.ambiguous);
    if (suggested.isEmpty()) {
        QVERIFY2(miss.suggestions.empty(), miss.suggestions.empty() ? "" : miss.suggestions.front().className.c_str());
        return;
    }
    QVERIFY(!miss.suggestions.empty());
    QCOMPARE(QString::fromStdString(miss.suggestions.front().className), suggested);
    QVERIFY2(miss.suggestions.front().score >= minimumScore, std::to_string(miss.suggestions.front().score).c_str());
    QVERIFY(miss.suggestions.front().score <= 1.0);
    QVERIFY(miss.suggestions.size() <= 3);
}

void TestDescriptions::yearFirstCoopNamesMatchCuplKeys()
{
    // A CoOp-layout project names its classes "2012 BMW M3 Coupe"; the CuPL file writes "BMW M3
    // Coupe 2012" and, for one car, an accent.
    test::TempDir dir;
    Project project = createProject(dir);
    for (const auto& name : kCarNames)
        project.ensureClass(yearFirst(name)).value();
    nlohmann::json cupl = nlohmann::json::object();
    for (const auto& name : kCarNames)
        cupl[name] = {"A photo of a " + name + ".", "Its grille."};
    cupl.erase("BMW M3 Coupe 2012");
    cupl[std::string("BMW M3 Coup\xC3\xA9 2012")] = {"A photo of a BMW M3."};
    test::writeTextFile(dir.file("cars.json"), cupl.dump());
    auto report = importCuplJson(project, dir.file("cars.json"));
    QVERIFY2(report.ok(), report.ok() ? "" : report.error().toString().c_str());
    QCOMPARE(report->keys, int(kCarNames.size()));
    QCOMPARE(report->matches.size(), kCarNames.size());
    QVERIFY(report->unmatched.empty());
    QVERIFY(report->classesWithoutDescriptions.empty());
    for (const KeyMatch& match : report->matches) {
        QCOMPARE(match.className,
                 yearFirst(std::string(match.key == "BMW M3 Coup\xC3\xA9 2012" ? "BMW M3 Coupe 2012" : match.key)));
        const std::string why = matchReasonText(match.reasons);
        QVERIFY2(why == "word order" || why == "accents, word order", why.c_str());
    }
    QCOMPARE(report->added, 2 * int(kCarNames.size()) - 1);
}

void TestDescriptions::mappingChoosesOrSkips()
{
    const auto classes = classRecords(kCarNames);
    DescriptionMapping mapping = {{"BMW M6 Convertible", "BMW M6 Convertible 2010"},
                                  {"bmw m3 coupe 2012", ""},
                                  {"acura rl", "acura rl sedan 2012"}}; // other case and punctuation
    auto match = matchClassNames({{"BMW M6 Convertible", 4}, {"bmw m3 coupe 2012", 5}, {"Acura RL", 6}, {"Volcano", 1}},
                                 classes, mapping);
    QVERIFY(match.ok());
    QCOMPARE(match->matches.size(), std::size_t(2));
    QCOMPARE(match->matches[0].className, std::string("BMW M6 Convertible 2010"));
    QCOMPARE(match->matches[0].reasons, unsigned(MatchChosen));
    QCOMPARE(match->matches[1].className, std::string("Acura RL Sedan 2012"));
    QCOMPARE(matchReasonText(match->matches[1].reasons), std::string("chosen by you"));
    QCOMPARE(match->unmatched.size(), std::size_t(2));
    QCOMPARE(match->unmatched[0].key, std::string("bmw m3 coupe 2012"));
    QVERIFY(match->unmatched[0].skipped);
    QCOMPARE(match->unmatched[1].key, std::string("Volcano"));
    QVERIFY(!match->unmatched[1].skipped);
}

void TestDescriptions::mappingOfUnknownNamesIsAnError()
{
    const auto classes = classRecords(kCarNames);
    auto unknownKey =
        matchClassNames({{"BMW M6 Convertible", 4}}, classes, {{"BMW M7", "BMW M5 Sedan 2010"}}, "c.json");
    QVERIFY(!unknownKey.ok());
    QCOMPARE(unknownKey.error().file, std::string("c.json"));
    QVERIFY(QString::fromStdString(unknownKey.error().message).contains("BMW M7"));
    auto unknownClass = matchClassNames({{"BMW M6 Convertible", 4}}, classes,
                                        {{"BMW M6 Convertible", "BMW M6 Convertible 2011"}}, "c.json");
    QVERIFY(!unknownClass.ok());
    QVERIFY(QString::fromStdString(unknownClass.error().message).contains("BMW M6 Convertible 2011"));
}

void TestDescriptions::cliDryRunReportsAndWritesNothing()
{
    test::TempDir dir;
    {
        Project project = createProject(dir);
        for (const auto& name : kCarNames)
            project.ensureClass(name).value();
    }
    test::writeTextFile(dir.file("cars.json"), nlohmann::json{{"BMW M3 Coupe 2012", {"Exact."}},
                                                              {"BMW M3 Coup\xC3\xA9 2012", {"Accent."}},
                                                              {"2000 AM General Hummer SUV", {"Moved year."}},
                                                              {"BMW M6 Convertible", {"No year.", "Soft top."}},
                                                              {"Volcano", {"Lava."}}}
                                                   .dump());
    auto result = runCli({"describe", dir.file("p.aapeproj"), "--cupl", dir.file("cars.json"), "--dry-run"});
    QVERIFY2(result.code == 0, result.err.c_str());
    const QString out = QString::fromStdString(result.out);
    QVERIFY2(out.contains("5 description groups: 1 match a class by name, 2 loosely, 2 not at all"), qPrintable(out));
    QVERIFY2(out.contains(QString::fromUtf8("\"BMW M3 Coupé 2012\" -> \"BMW M3 Coupe 2012\" (accents)")),
             qPrintable(out));
    QVERIFY(out.contains("\"2000 AM General Hummer SUV\" -> \"AM General Hummer SUV 2000\" (word order)"));
    QVERIFY(out.contains("\"BMW M6 Convertible\" (2 sentences): No class in the project has this name. Nearest: "
                         "\"BMW M6 Convertible 2010\" (0.78)"));
    QVERIFY(out.contains("--map \"BMW M6 Convertible=BMW M6 Convertible 2010\""));
    QVERIFY(out.contains("\"Volcano\" (1 sentence): No class in the project has this name. No class is close."));
    QVERIFY(out.contains("dry run: nothing was imported"));
    auto project = Project::open(dir.file("p.aapeproj")).value();
    QCOMPARE(project.descriptions()->size(), std::size_t(0));
}

void TestDescriptions::cliMapImportsIntoTheChosenClass()
{
    test::TempDir dir;
    std::int64_t m6 = 0, m3 = 0;
    {
        Project project = createProject(dir);
        for (const auto& name : kCarNames)
            project.ensureClass(name).value();
        m6 = project.ensureClass("BMW M6 Convertible 2010").value();
        m3 = project.ensureClass("BMW M3 Coupe 2012").value();
    }
    test::writeTextFile(dir.file("cars.json"), nlohmann::json{{"BMW M6 Convertible", {"Soft top."}},
                                                              {"BMW M3 Coup\xC3\xA9 2012", {"Accent."}},
                                                              {"Volcano", {"Lava."}}}
                                                   .dump());
    // One value per --map; the project after them is not taken as a mapping.
    auto result =
        runCli({"describe", "--map", "BMW M6 Convertible=BMW M6 Convertible 2010", "--map",
                std::string("BMW M3 Coup\xC3\xA9 2012="), dir.file("p.aapeproj"), "--cupl", dir.file("cars.json")});
    QVERIFY2(result.code == 0, result.err.c_str());
    QVERIFY2(result.out.find("\"BMW M6 Convertible\" -> \"BMW M6 Convertible 2010\" (chosen by you)")
                 != std::string::npos,
             result.out.c_str());
    QVERIFY(result.out.find("Left out, as you chose.") != std::string::npos);
    QVERIFY(result.out.find("added 1 descriptions to 1 classes") != std::string::npos);
    auto project = Project::open(dir.file("p.aapeproj")).value();
    QCOMPARE(textsOf(project, m6), std::vector<std::string>{"Soft top."});
    QVERIFY(textsOf(project, m3).empty());

    auto badMap = runCli({"describe", dir.file("p.aapeproj"), "--cupl", dir.file("cars.json"), "--map", "Volcano"});
    QCOMPARE(badMap.code, 1);
    QVERIFY2(badMap.err.find("KEY=CLASS") != std::string::npos, badMap.err.c_str());
    auto badClass =
        runCli({"describe", dir.file("p.aapeproj"), "--cupl", dir.file("cars.json"), "--map", "Volcano=Etna"});
    QCOMPARE(badClass.code, 1);
    QVERIFY2(badClass.err.find("no class \"Etna\"") != std::string::npos, badClass.err.c_str());
    QCOMPARE(project.descriptions()->size(), std::size_t(1));
}

void TestDescriptions::cliFailsWhenNothingMatches()
{
    test::TempDir dir;
    {
        Project project = createProject(dir);
        project.ensureClass("Forest").value();
        project.ensureClass("River").value();
    }
    test::writeTextFile(dir.file("cars.json"),
                        nlohmann::json{{"BMW M3 Coupe 2012", {"A."}}, {"Audi S4 Sedan 2012", {"B."}}}.dump());
    for (const bool dryRun : {false, true}) {
        std::vector<std::string> args = {"describe", dir.file("p.aapeproj"), "--cupl", dir.file("cars.json")};
        if (dryRun)
            args.push_back("--dry-run");
        auto result = runCli(args);
        QCOMPARE(result.code, 1);
        QCOMPARE(lineCount(result.err), 1);
        QVERIFY2(result.err.find("none of the description groups matches a class") != std::string::npos,
                 result.err.c_str());
        QVERIFY(result.err.find("--map") != std::string::npos);
        QVERIFY(result.err.find("cars.json") != std::string::npos);
    }
    auto project = Project::open(dir.file("p.aapeproj")).value();
    QCOMPARE(project.descriptions()->size(), std::size_t(0));
}

QTEST_APPLESS_MAIN(TestDescriptions)
#include "tst_descriptions.moc"

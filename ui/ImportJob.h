#pragma once
// Imports of dropped or chosen files (folder per class, CSV, CoOp split, CuPL descriptions)
// as one JobRunner job, and the one report the user sees afterwards. classifyImportPath is
// callable from any thread; runImports runs on the job's worker thread with its own project
// connection; the text helpers are for the GUI thread.

#include "aape/data/Descriptions.h"
#include "aape/util/Error.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace aape::ui {

class JobContext;

enum class ImportKind { FolderPerClass, Csv, CoopSplit, CuplJson, Scene, Unsupported };

// A folder: its sub-folders are classes; *.csv: path,label; split_zhou_*.json: a CoOp split;
// any other *.json: CuPL descriptions; a raster GDAL reads as a scene (*.tif, *.tiff, *.jp2,
// *.vrt, ENVI *.img/*.hdr): a scene imported as tiles.
ImportKind classifyImportPath(const QString& path);

// How a scene becomes tiles: what `aape import --scene` takes (geo::SceneImportOptions).
struct SceneChoice {
    int tileSize = 64;
    int stride = 0; // 0: the tile size
    QString bands;  // a preset, "4,3,2", or empty for the file's colour bands
    QString labelsPath;
    QString labelField;
    double minCover = 0.5;
};

struct ImportItem {
    QString path;
    ImportKind kind = ImportKind::Unsupported;
    // CuPL: whether the user has seen how the keys match (then `mapping` holds the choices:
    // key -> class name, "" to leave the group out). Unreviewed files that match loosely or
    // not at all are not imported but handed back in ImportSummary::pendingDescriptions.
    bool reviewed = false;
    QMap<QString, QString> mapping;
    // Scene: the user's choices; empty until the user has made them (the studio asks first).
    std::optional<SceneChoice> scene = std::nullopt;
};

// A CuPL file waiting for the user to confirm its loose matches and choose classes for its misses.
struct PendingDescriptionImport {
    QString path;
    data::DescriptionMatch match;
};
// Each path with the kind classifyImportPath gives it.
QList<ImportItem> classifyImportPaths(const QStringList& paths);

struct ImportSummary {
    int added = 0;
    int duplicates = 0;
    QStringList skipped; // "path: reason", one per line in the details
    QStringList classesCreated;
    int descriptionsAdded = 0;
    int descriptionsDropped = 0;          // duplicates and blanks
    QStringList unmatchedClasses;         // "key: reason"
    QStringList descriptionGroupsLeftOut; // keys skipped in the review
    QStringList failures;                 // whole sources that could not be imported
    QStringList notes;                    // what the user should know: a scene's tiles, labels, reprojection
    QList<PendingDescriptionImport> pendingDescriptions;
    bool touchedDataset = false;
    bool touchedDescriptions = false;

    // Nothing happened yet: every source is a description file waiting for the user.
    bool onlyAwaitsReview() const
    {
        return !pendingDescriptions.isEmpty() && !touchedDataset && !touchedDescriptions && skipped.isEmpty()
               && failures.isEmpty();
    }
};

// Imports each path in turn into the project at projectPath. One source failing does not
// stop the others (it is listed in failures); a stop request ends the job as Cancelled.
Status runImports(const QString& projectPath, const QList<ImportItem>& items, JobContext& context,
                  ImportSummary& summary);

// "Imported 120 images; 3 skipped." and so on, for the banner.
QString importSummaryText(const ImportSummary& summary);
// Everything skipped or unmatched with its reason, for the banner's Details.
QString importSummaryDetails(const ImportSummary& summary);

} // namespace aape::ui

#include "store/Schema.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <stdexcept>
#include <string>

namespace aape::store::detail {

namespace {

// Version 1: the dataset side (model reference, classes, images, descriptions, settings,
// few-shot sets). Version 2: training and results (embedding cache, runs, metrics,
// checkpoints, predictions, attention). Version 3: a run's few-shot set is drawn from the
// data as it is when the run starts, so sets are no longer unique per (shots, seed), and each
// member keeps the class it was trained as. Version 4: scenes imported as tiles (the scene file,
// its georeference, tiling and band rendering; a tile is an image row plus its pixel window and
// bounding box in the scene's CRS). Version 5: attention rows keep the aggregator's own
// weight (own_weight; NULL in evaluations stored before) beside the weight blended with the
// image's CLIP match. Never edit a released step: add a new one.
// Steps run with foreign keys off (SQLite's way of rebuilding a table) and are checked with
// foreign_key_check before they commit.
const char* const kMigrations[] = {
    R"sql(
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE model (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    path TEXT NOT NULL,
    format TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    info TEXT NOT NULL DEFAULT '{}',
    updated_at TEXT NOT NULL
);
CREATE TABLE classes (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL DEFAULT 'base' CHECK (kind IN ('base', 'new'))
);
CREATE TABLE images (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    content_hash TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    class_id INTEGER REFERENCES classes(id) ON DELETE SET NULL,
    split TEXT NOT NULL CHECK (split IN ('train', 'val', 'test')),
    excluded INTEGER NOT NULL DEFAULT 0,
    source TEXT NOT NULL DEFAULT '',
    added_at TEXT NOT NULL
);
CREATE INDEX images_by_class_split ON images(class_id, split);
CREATE INDEX images_by_hash ON images(content_hash);
CREATE TABLE descriptions (
    id INTEGER PRIMARY KEY,
    class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    source TEXT NOT NULL,
    position INTEGER NOT NULL,
    UNIQUE (class_id, text)
);
CREATE TABLE few_shot_sets (
    id INTEGER PRIMARY KEY,
    shots INTEGER NOT NULL,
    seed INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (shots, seed)
);
CREATE TABLE few_shot_members (
    set_id INTEGER NOT NULL REFERENCES few_shot_sets(id) ON DELETE CASCADE,
    image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    draw INTEGER NOT NULL,
    PRIMARY KEY (set_id, image_id)
);
)sql",
    R"sql(
CREATE TABLE image_embeddings (
    id INTEGER PRIMARY KEY,
    model_fp TEXT NOT NULL,
    image_hash TEXT NOT NULL,
    view INTEGER NOT NULL,
    dim INTEGER NOT NULL,
    data BLOB NOT NULL,
    UNIQUE (model_fp, image_hash, view)
);
CREATE TABLE text_embeddings (
    id INTEGER PRIMARY KEY,
    model_fp TEXT NOT NULL,
    text TEXT NOT NULL,
    dim INTEGER NOT NULL,
    data BLOB NOT NULL,
    UNIQUE (model_fp, text)
);
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    config TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL CHECK (status IN
        ('queued', 'running', 'finished', 'failed', 'interrupted', 'cancelled')),
    seed INTEGER NOT NULL DEFAULT 0,
    run_group TEXT NOT NULL DEFAULT '',
    few_shot_set_id INTEGER REFERENCES few_shot_sets(id) ON DELETE SET NULL,
    model_fp TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    owner_pid INTEGER,
    summary TEXT NOT NULL DEFAULT '{}',
    error TEXT NOT NULL DEFAULT ''
);
CREATE TABLE epoch_metrics (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    epoch INTEGER NOT NULL,
    total_loss REAL NOT NULL,
    task_loss REAL NOT NULL,
    distill_loss REAL NOT NULL,
    agg_reward REAL NOT NULL,
    train_acc REAL NOT NULL,
    val_acc REAL,
    lr REAL NOT NULL,
    seconds REAL NOT NULL,
    extra TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (run_id, epoch)
);
CREATE TABLE checkpoints (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    epoch INTEGER NOT NULL,
    data BLOB NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (run_id, epoch)
);
CREATE TABLE predictions (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    split TEXT NOT NULL CHECK (split IN ('train', 'val', 'test')),
    true_class_id INTEGER REFERENCES classes(id) ON DELETE SET NULL,
    pred_class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
    prob REAL NOT NULL,
    ood_score REAL NOT NULL,
    cos_template REAL NOT NULL,
    cos_aape REAL NOT NULL,
    zs_pred_class_id INTEGER REFERENCES classes(id) ON DELETE SET NULL,
    topk TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (run_id, image_id)
);
CREATE INDEX predictions_by_class ON predictions(run_id, true_class_id, pred_class_id);
CREATE TABLE attention (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
    description_id INTEGER NOT NULL REFERENCES descriptions(id) ON DELETE CASCADE,
    weight REAL NOT NULL,
    PRIMARY KEY (run_id, image_id, class_id, description_id)
);
)sql",
    R"sql(
CREATE TABLE few_shot_sets_v3 (
    id INTEGER PRIMARY KEY,
    shots INTEGER NOT NULL,
    seed INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
INSERT INTO few_shot_sets_v3(id, shots, seed, created_at) SELECT id, shots, seed, created_at FROM few_shot_sets;
DROP TABLE few_shot_sets;
ALTER TABLE few_shot_sets_v3 RENAME TO few_shot_sets;
ALTER TABLE few_shot_members ADD COLUMN class_id INTEGER REFERENCES classes(id) ON DELETE SET NULL;
UPDATE few_shot_members SET class_id = (SELECT class_id FROM images WHERE images.id = few_shot_members.image_id);
)sql",
    R"sql(
CREATE TABLE scenes (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    band_count INTEGER NOT NULL,
    crs TEXT NOT NULL,
    crs_name TEXT NOT NULL,
    geotransform TEXT NOT NULL,
    tile_size INTEGER NOT NULL,
    stride INTEGER NOT NULL,
    rendering TEXT NOT NULL,
    labels TEXT NOT NULL DEFAULT '{}',
    added_at TEXT NOT NULL,
    UNIQUE (path, tile_size, stride, rendering)
);
CREATE TABLE tiles (
    image_id INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
    scene_id INTEGER NOT NULL REFERENCES scenes(id) ON DELETE CASCADE,
    x INTEGER NOT NULL,
    y INTEGER NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    min_x REAL NOT NULL,
    min_y REAL NOT NULL,
    max_x REAL NOT NULL,
    max_y REAL NOT NULL
);
CREATE INDEX tiles_by_scene ON tiles(scene_id, y, x);
)sql",
    R"sql(
ALTER TABLE attention ADD COLUMN own_weight REAL;
)sql",
};

constexpr int kMigrationCount = static_cast<int>(sizeof(kMigrations) / sizeof(kMigrations[0]));

} // namespace

int latestSchemaVersion()
{
    return kMigrationCount;
}

void migrate(SQLite::Database& db, int fromVersion, int toVersion)
{
    // Outside any transaction, or SQLite ignores it.
    db.exec("PRAGMA foreign_keys = OFF");
    struct ForeignKeysOn {
        SQLite::Database& db;
        ~ForeignKeysOn()
        {
            try {
                db.exec("PRAGMA foreign_keys = ON");
            } catch (...) { // the connection is being torn down by the error that brought us here
            }
        }
    } restore{db};
    for (int version = fromVersion + 1; version <= toVersion; ++version) {
        SQLite::Transaction transaction(db);
        db.exec(kMigrations[version - 1]);
        SQLite::Statement check(db, "PRAGMA foreign_key_check");
        if (check.executeStep())
            throw std::runtime_error("schema step " + std::to_string(version) + " left a dangling reference in table "
                                     + check.getColumn(0).getString());
        // PRAGMAs take no bound parameters; version is an int we control.
        db.exec("PRAGMA application_id = " + std::to_string(kApplicationId));
        db.exec("PRAGMA user_version = " + std::to_string(version));
        transaction.commit();
    }
}

} // namespace aape::store::detail

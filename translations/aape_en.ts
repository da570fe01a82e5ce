<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>aape::ui</name>
    <message>
        <location filename="../ui/ImportJob.cpp" line="+83"/>
        <source>Importing %1 (%2 of %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Importing %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+50"/>
        <source>a scene needs a tile size; import it with File ▸ Import Scene…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+26"/>
        <source>%1: %n tile(s) of %2 pixels</source>
        <translation>
            <numerusform>%1: %n tile of %2 pixels</numerusform>
            <numerusform>%1: %n tiles of %2 pixels</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n labelled from the polygons</source>
        <translation>
            <numerusform>%n labelled from the polygons</numerusform>
            <numerusform>%n labelled from the polygons</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n unlabelled</source>
        <translation>
            <numerusform>%n unlabelled</numerusform>
            <numerusform>%n unlabelled</numerusform>
        </translation>
    </message>
    <message>
        <location line="+8"/>
        <source>not a folder, CSV, JSON file or scene; drop the folder whose sub-folders are the classes, a path,label CSV, a CoOp split_zhou_*.json, a CuPL JSON or a GeoTIFF/JPEG2000 scene.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+21"/>
        <source>Imported %n image(s)</source>
        <translation>
            <numerusform>Imported %n image</numerusform>
            <numerusform>Imported %n images</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n skipped</source>
        <translation>
            <numerusform>%n skipped</numerusform>
            <numerusform>%n skipped</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n already in the project</source>
        <translation>
            <numerusform>%n already in the project</numerusform>
            <numerusform>%n already in the project</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n new class(es)</source>
        <translation>
            <numerusform>%n new class</numerusform>
            <numerusform>%n new classes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n description(s) added</source>
        <translation>
            <numerusform>%n description added</numerusform>
            <numerusform>%n descriptions added</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n description group(s) matched no class</source>
        <translation>
            <numerusform>%n description group matched no class</numerusform>
            <numerusform>%n description groups matched no class</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n description group(s) left out</source>
        <translation>
            <numerusform>%n description group left out</numerusform>
            <numerusform>%n description groups left out</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n source(s) could not be imported</source>
        <translation>
            <numerusform>%n source could not be imported</numerusform>
            <numerusform>%n sources could not be imported</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nothing was imported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Could not be imported:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Skipped files:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Descriptions that matched no class:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Description groups left out:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>New classes:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrainingJob.cpp" line="+123"/>
        <source>Encoding images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Encoding descriptions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Evaluating</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="-13"/>
        <source>%n s</source>
        <translation>
            <numerusform>%n s</numerusform>
            <numerusform>%n s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n min</source>
        <translation>
            <numerusform>%n min</numerusform>
            <numerusform>%n min</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-51"/>
        <source>Encoding %1 images (%2 views) on %3 takes about %4 (%5 views/s, measured on the first %6).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Shorter: fewer augmented views, the int8 or bf16 precision, a GPU, or encoding on a cluster (aape cluster submit). It runs only once: later runs reuse the cached embeddings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Run %1: %2 accuracy %3% on %4 images at epoch %5 (%6); zero-shot CLIP %7%.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>best on validation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>last</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/CompareJob.cpp" line="+55"/>
        <location filename="../ui/TrainingJob.cpp" line="+97"/>
        <source>CLIP runs on %1; precision %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+21"/>
        <source>%1, seed %2 (run %3 of %4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/TrainingJob.cpp" line="-154"/>
        <source>Training seed %1 (%2 of %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-3"/>
        <location line="+3"/>
        <source>Training</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::AddDescriptionsCommand</name>
    <message numerus="yes">
        <location filename="../ui/UndoCommands.cpp" line="+199"/>
        <source>Add %n description(s)</source>
        <translation>
            <numerusform>Add %n description</numerusform>
            <numerusform>Add %n descriptions</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>aape::ui::AttentionChart</name>
    <message>
        <location filename="../ui/AttentionChart.cpp" line="+25"/>
        <source>How much the description aggregator relied on each description of the class. Longer bars: descriptions that shaped the learned prompt more.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+76"/>
        <source>This class has no descriptions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This run was evaluated before the aggregator&apos;s own weights were stored: evaluate it again (aape eval), or show the blended weights.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No attention was recorded for this image and class.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::ClassAccuracyModel</name>
    <message>
        <location filename="../ui/ClassAccuracyModel.cpp" line="+23"/>
        <source>training</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>validation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+55"/>
        <source>(class %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+71"/>
        <source>%1: click to list its %2 images.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No image of %1 was misclassified.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n image(s) of %1 predicted as %2. Click to list them.</source>
        <translation>
            <numerusform>%n image of %1 predicted as %2. Click to list it.</numerusform>
            <numerusform>%n images of %1 predicted as %2. Click to list them.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 of %2 %3 images right after adaptation, %4 with zero-shot CLIP. Click to list them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+17"/>
        <source>How many %1 images of the class the run was evaluated on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Share of the class&apos;s %1 images the adapted model (AAPE) classifies right.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Share of the class&apos;s %1 images zero-shot CLIP classifies right.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Accuracy after adaptation minus zero-shot accuracy, in percentage points: negative where adaptation made the class worse.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The class this class&apos;s images are most often mistaken for.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How many images of the class were predicted as that class.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Training images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Validation images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Accuracy (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zero-shot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Most confused with</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Count</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::ClassChooser</name>
    <message>
        <location filename="../ui/ClassChooser.cpp" line="+25"/>
        <source>Choose a Class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Type part of a class name</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::ClassListModel</name>
    <message numerus="yes">
        <location filename="../ui/ClassListModel.cpp" line="+74"/>
        <source>%1 has %n description(s). Add at least %2 so that the model can learn which details matter for this class.</source>
        <translation>
            <numerusform>%1 has %n description. Add at least %2 so that the model can learn which details matter for this class.</numerusform>
            <numerusform>%1 has %n descriptions. Add at least %2 so that the model can learn which details matter for this class.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Show every image in the project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Images without a class. Drop thumbnails here to remove their class.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n image(s). Drop thumbnails here to move them to this class; keys 1–9 set the class of the selected images; F2 renames the class.</source>
        <translation>
            <numerusform>%n image. Drop thumbnails here to move them to this class; keys 1–9 set the class of the selected images; F2 renames the class.</numerusform>
            <numerusform>%n images. Drop thumbnails here to move them to this class; keys 1–9 set the class of the selected images; F2 renames the class.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n image</numerusform>
            <numerusform>%n images</numerusform>
        </translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Descriptions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+86"/>
        <source>All images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unlabelled</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::ClassWinnersModel</name>
    <message>
        <location filename="../ui/ComparisonModel.cpp" line="+32"/>
        <source>Zero-shot CLIP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CuPL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Linear probe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tip-Adapter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tip-Adapter-F</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>AAPE</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+43"/>
        <source>%1: %n shot(s), base-to-new, %2 method(s)</source>
        <translation>
            <numerusform>%1: %n shot, base-to-new, %2 methods</numerusform>
            <numerusform>%1: %n shots, base-to-new, %2 methods</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%1: %n shot(s), %2 method(s)</source>
        <translation>
            <numerusform>%1: %n shot, %2 methods</numerusform>
            <numerusform>%1: %n shots, %2 methods</numerusform>
        </translation>
    </message>
    <message>
        <location line="+150"/>
        <source>%1 made no prediction for this class&apos;s images (it cannot score classes it was not fitted on, or its runs kept no per-image results).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: %2% of this class&apos;s images right, mean over the comparison&apos;s runs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Best method</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::ClusterDialog</name>
    <message>
        <location filename="../ui/ClusterDialog.cpp" line="+44"/>
        <source>Importing cluster embeddings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+16"/>
        <source>done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not submitted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Encode on a Cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Embed this project&apos;s images on a Slurm cluster: the studio lists the images in the output folder, submits a job array with one task per shard and imports the embeddings when every shard is done; training then encodes nothing. The images, the CLIP model and the output folder must be on a file system the cluster&apos;s nodes share, and this machine must be able to run sbatch.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Shared Output Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Array tasks; each embeds about 1/N of the images.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+11"/>
        <source>cluster default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-10"/>
        <source>CPUs per shard, also CLIP&apos;s threads on the node.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Augmented views per image besides the centre view, as the Train page&apos;s &quot;Augmented views&quot;; train with as many or fewer and nothing is encoded locally.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>e.g. 02:00:00</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The CLIP towers&apos; precision on the nodes. fp32 is exact everywhere; bf16 and int8 are faster on CPUs that have them; fp16 needs GPUs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Shared &amp;output folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Shards:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;CPUs per shard:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;GPUs per shard:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Augmented views:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Partition:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Time limit per shard:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>P&amp;recision:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The command Submit runs; the same works in a terminal on the login node.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Shard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Detail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+16"/>
        <source>&amp;Submit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>R&amp;efresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resubmit &amp;Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>aape cluster resume: submit again only the shards that neither finished nor are queued.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Import Embeddings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fill the project&apos;s embedding cache from the finished shards (done automatically when every shard is done).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Command:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Imported %1 embeddings (%2 images) from %3 shard(s); training encodes only what is still missing (%4 images not in the shards).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The import failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+80"/>
        <source>The project has no CLIP model yet; choose one with File ▸ Choose CLIP Model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The output folder %1 cannot be created; choose a shared folder you can write to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This folder already holds a cluster job: its shards are shown below. Choose another folder to submit a new one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The project has no images to embed yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The list of images could not be written to %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>Submitting %n image(s) in shards…</source>
        <translation>
            <numerusform>Submitting %n image in shards…</numerusform>
            <numerusform>Submitting %n images in shards…</numerusform>
        </translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Resubmitting the unfinished shards…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The cluster command failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>exit code %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1 could not be started; install AAPE Studio&apos;s command-line program or set AAPE_CLI to it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Nothing submitted from this folder yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The shards&apos; state cannot be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+22"/>
        <source>%1 of %2 shard(s) done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n shard(s) failed; their logs are in %1. Resubmit them with Resubmit Failed.</source>
        <translation>
            <numerusform>%n shard failed; its log is in %1. Resubmit it with Resubmit Failed.</numerusform>
            <numerusform>%n shards failed; their logs are in %1. Resubmit them with Resubmit Failed.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Importing embeddings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Another task (%1) is running; press Import Embeddings when it has finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Importing the embeddings into the project…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::CompareDialog</name>
    <message>
        <location filename="../ui/CompareDialog.cpp" line="+34"/>
        <source>Comparing methods</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&quot;a photo of a {class}.&quot; alone; nothing is trained.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The mean of each class&apos;s descriptions as its classifier; nothing is trained.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A logistic regression on the few-shot images&apos; embeddings (cannot name new classes).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A cache of the few-shot images, training-free (cannot name new classes).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The same cache with its keys fine-tuned (cannot name new classes).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The prompt generator and combiner trained on the few-shot images, with the descriptions&apos; aggregate as a teacher.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Compare Methods</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Methods</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Training images per class; every method learns from the same ones.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>AAPE&apos;s epochs (CoOp&apos;s schedule by shots unless you change it). The other methods use their own published settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>One run per method and seed, e.g. &quot;1 2 3&quot;: the chart shows mean ± standard deviation over them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Base-to-new: train on half of the classes, test on all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Train on the base half of the classes; report accuracy on the base classes, on the new ones (by name only) and their harmonic mean H. The linear probe and the Tip-Adapters cannot name new classes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Shots per class:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>S&amp;eeds:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>AAPE&apos;s epoc&amp;hs:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>&amp;Run Comparison</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+181"/>
        <source>Sto&amp;p</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-180"/>
        <source>Stop after the current step; finished runs are kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Close this window; a comparison that is running goes on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Train every chosen method with every seed on the same few-shot images and split; each run is an ordinary run of the project.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+67"/>
        <source>Augmented views (%1), device (%2), precision and AAPE&apos;s recipe are the Train page&apos;s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Open or create a project first (File ▸ Open).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Choose at least one method.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The seeds must be whole numbers separated by spaces or commas, e.g. &quot;1 2 3&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Another task (%1) is still running; wait for it to finish or stop it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Opening the model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+1"/>
        <source>Stopping…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Stopped. The runs that finished are on the Runs page.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Finished. The comparison is on the Runs page, under Method comparison.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The comparison failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::ComparisonChart</name>
    <message>
        <location filename="../ui/ComparisonChart.cpp" line="+50"/>
        <source>Accuracy (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+41"/>
        <source>Base, new and H: mean ± std over %n run(s)</source>
        <translation>
            <numerusform>Base, new and H: %n run</numerusform>
            <numerusform>Base, new and H: mean ± std over %n runs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Accuracy: mean ± std over %n run(s)</source>
        <translation>
            <numerusform>Accuracy: %n run</numerusform>
            <numerusform>Accuracy: mean ± std over %n runs</numerusform>
        </translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Base classes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New classes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>H (harmonic mean)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::ComparisonPanel</name>
    <message>
        <location filename="../ui/ComparisonPanel.cpp" line="+30"/>
        <source>Re-evaluating runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Comparisons made with Compare Methods… or with aape compare, newest first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Co&amp;mparison:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Accuracy per class and method (mean over the comparison&apos;s seeds); the best method of each class is highlighted. Click a header to sort.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Re-&amp;evaluate These Runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Evaluate the runs without per-image results again, so that they count here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Which method wins where (accuracy per class, %)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+81"/>
        <source>%n evaluated run(s)</source>
        <translation>
            <numerusform>%n evaluated run</numerusform>
            <numerusform>%n evaluated runs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n run(s) stopped or not evaluated, left out</source>
        <translation>
            <numerusform>%n run stopped or not evaluated, left out</numerusform>
            <numerusform>%n runs stopped or not evaluated, left out</numerusform>
        </translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No per-image results for run(s) %1; re-evaluate them to count them here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Another task (%1) is still running; re-evaluate when it has finished.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::ConfusionMatrixModel</name>
    <message numerus="yes">
        <location filename="../ui/ConfusionMatrixModel.cpp" line="+195"/>
        <source>%n image(s) of %1 predicted as %2. Click to list them.</source>
        <translation>
            <numerusform>%n image of %1 predicted as %2. Click to list them.</numerusform>
            <numerusform>%n images of %1 predicted as %2. Click to list them.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+15"/>
        <source>True class: %1 (%n misclassified)</source>
        <translation>
            <numerusform>True class: %1 (%n misclassified)</numerusform>
            <numerusform>True class: %1 (%n misclassified)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Predicted class: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::ConfusionMatrixView</name>
    <message>
        <location filename="../ui/ConfusionMatrixView.cpp" line="+147"/>
        <source>Rows: true class. Columns: predicted class. Darker cells hold more images; click a cell to list its images. Ctrl+wheel zooms.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::DataPage</name>
    <message>
        <location filename="../ui/DataPage.cpp" line="+49"/>
        <source>Train</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Validation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Find a class (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Shows the classes whose name holds every word typed, ignoring case, accents and punctuation: “bmw 2012” finds “2012 BMW M3 Coupe”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+35"/>
        <source>All splits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Show only the images of one split</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show excluded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Excluded images take no part in training or evaluation; they are shown dimmed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Split:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Show All Images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+32"/>
        <source>&lt;p style=&apos;font-size:large&apos;&gt;No images yet.&lt;/p&gt;&lt;p&gt;Drop a folder on this window whose sub-folders are the classes (e.g. &lt;i&gt;forest/&lt;/i&gt;, &lt;i&gt;river/&lt;/i&gt;), a &lt;i&gt;path,label&lt;/i&gt; CSV or a CoOp &lt;i&gt;split_zhou_*.json&lt;/i&gt;. Or use File ▸ Import Folder… (Ctrl+I).&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+88"/>
        <location line="+88"/>
        <location line="+1"/>
        <source>Encoding the new class name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-87"/>
        <source>The new class name could not be encoded now; the next training encodes it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+20"/>
        <source>No class name holds “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%1 of %n class(es)</source>
        <translation>
            <numerusform>%1 of %n class</numerusform>
            <numerusform>%1 of %n classes</numerusform>
        </translation>
    </message>
    <message>
        <location line="+14"/>
        <source>A class needs a name; “%1” keeps its name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>There is already a class “%1”. Choose another name for “%2”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Wait for “%1” to finish, or stop it, then rename the class.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Rename Class…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+28"/>
        <location line="+140"/>
        <source>Move to Class…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-135"/>
        <source>Exclude / Include</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+74"/>
        <source>There is no class %1. Keys 1–9 pick the first nine classes in the list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Move to Class</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Class of the %n selected image(s):</source>
        <translation>
            <numerusform>Class of the %n selected image:</numerusform>
            <numerusform>Class of the %n selected images:</numerusform>
        </translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Set Class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Unlabelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Set Split</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Include in Training</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Exclude from Training</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Find Similar Images</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+18"/>
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n image</numerusform>
            <numerusform>%n images</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Showing %1 of %n image(s)</source>
        <translation>
            <numerusform>Showing %1 of %n image</numerusform>
            <numerusform>Showing %1 of %n images</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+18"/>
        <source>Showing %n image(s) %1.</source>
        <translation>
            <numerusform>Showing %n image %1.</numerusform>
            <numerusform>Showing %n images %1.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+17"/>
        <location line="+30"/>
        <source>Finding similar images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-11"/>
        <source>most similar to %1 (itself first)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Another task (%1) is running; look for similar images when it has finished.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::DatasetFilterModel</name>
    <message>
        <location filename="../ui/DatasetModel.cpp" line="+319"/>
        <source>cosine %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::DatasetModel</name>
    <message>
        <location line="-294"/>
        <source>train</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>val</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+62"/>
        <location line="+7"/>
        <location line="+37"/>
        <source>unlabelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-43"/>
        <source>%1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Class: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Split: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 × %2 pixels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Excluded from training and evaluation (Delete to include)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::DescribePage</name>
    <message>
        <location filename="../ui/DescribePage.cpp" line="+116"/>
        <source>Type a description of this class and press Enter, e.g. “a satellite photo of dense green forest”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add the typed description to the class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Paste Lines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add every line of the clipboard as a description of this class (Ctrl+Shift+V)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Delete the selected descriptions (Delete)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Import CuPL JSON…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add descriptions from a CuPL JSON file {&quot;class name&quot;: [&quot;sentence&quot;, …]}; class names are matched ignoring case and punctuation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Remove Flagged and Retrain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete every flagged description of every class (one step: Undo brings them all back) and train again with the Train page&apos;s settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Checking which descriptions the latest run uses…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+22"/>
        <source>No ranking of the descriptions yet: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>Run %1: %n description(s) flagged (marked ⚠; hover for why). Ranks and weights are the aggregator&apos;s attention over each class&apos;s training images.</source>
        <translation>
            <numerusform>Run %1: %n description flagged (marked ⚠; hover for why). Ranks and weights are the aggregator&apos;s attention over each class&apos;s training images.</numerusform>
            <numerusform>Run %1: %n descriptions flagged (marked ⚠; hover for why). Ranks and weights are the aggregator&apos;s attention over each class&apos;s training images.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Run %1: no description flagged. Ranks and weights are the aggregator&apos;s attention over each class&apos;s training images.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Kept the flagged descriptions of %1: removing them would leave the class none. Rewrite them instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>, </source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>Remove %n flagged description(s)</source>
        <translation>
            <numerusform>Remove %n flagged description</numerusform>
            <numerusform>Remove %n flagged descriptions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>Removed %n flagged description(s); training again.</source>
        <translation>
            <numerusform>Removed %n flagged description; training again.</numerusform>
            <numerusform>Removed %n flagged descriptions; training again.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+27"/>
        <source>No class selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import images first: each class comes from a folder name or a label in your CSV.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Descriptions of “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Describe what sets this class apart: colour, shape, texture, context. Several short sentences work better than one long one; paste many at once, one per line.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Nothing added: the class already has these descriptions.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::DescriptionMatchDialog</name>
    <message>
        <location filename="../ui/DescriptionMatchDialog.cpp" line="+45"/>
        <source>Skip (do not import)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 (%2 % similar)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+218"/>
        <source>Match Descriptions to Classes</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>%n description group(s).</source>
        <translation>
            <numerusform>%n description group.</numerusform>
            <numerusform>%n description groups.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 match a class by name, %2 match one loosely, %3 match none.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Check the groups below, those that match none first: choose the class each belongs to, or Skip to leave it out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Import nothing from this file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Sentences</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>%n sentence(s)</source>
        <translation>
            <numerusform>%n sentence</numerusform>
            <numerusform>%n sentences</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>in %n group(s) will be imported.</source>
        <translation>
            <numerusform>in %n group will be imported.</numerusform>
            <numerusform>in %n groups will be imported.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+41"/>
        <source>No descriptions were imported from %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::DescriptionMatchModel</name>
    <message>
        <location line="-236"/>
        <source>chosen by you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>punctuation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>accents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>word order</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+16"/>
        <source>%n sentence(s) in this group</source>
        <translation>
            <numerusform>%n sentence in this group</numerusform>
            <numerusform>%n sentences in this group</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Skip (do not import)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Same name apart from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Several classes match equally: choose one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No class of this name; the nearest is %1 % similar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nothing close: choose a class or skip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+33"/>
        <source>In the file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sentences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Goes to class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Why</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::DescriptionModel</name>
    <message>
        <location filename="../ui/DescriptionModel.cpp" line="+58"/>
        <source>typed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CuPL file %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>text file %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>pasted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Ignored: over the class&apos;s training images the aggregator gives it a mean weight of %1, under %2 (half the even share 1/%3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Matches another class: closer to the training images of “%1” (cosine %2) than to its own class&apos;s (%3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Rank %1 of %2 in run %3: mean weight %4 over the class&apos;s training images, the aggregator&apos;s own weight %5 (even share %6).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Cosine to its class&apos;s training images %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>; to “%1”&apos;s %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>#%1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Double-click or press F2 to edit. Source: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No rank yet: train a run (and encode new descriptions) to see how much the aggregator uses this description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Where this description came from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+18"/>
        <source>This class already has that description.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rank · weight</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::DuplicatesDialog</name>
    <message>
        <location filename="../ui/DuplicatesDialog.cpp" line="+35"/>
        <source>Finding near-duplicates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+226"/>
        <source>train</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-225"/>
        <source>validation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+63"/>
        <source>Near-Duplicates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Pairs whose CLIP embeddings have at least this cosine similarity. 1 is identical; 0.97 finds resized, recompressed or slightly cropped copies.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Find</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Cosine at least:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Near-duplicate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Cosine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Splits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Labels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>⚠ marks a pair across splits: the validation or test copy of a training image makes the accuracy measured on it look better than it is.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Press Find to list pairs of near-identical images.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Exclude &amp;Image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exclude the left image of the selected pairs from training and evaluation (A).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exclude &amp;Near-Duplicate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exclude the right image of the selected pairs (B).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exclude &amp;Copies Across Splits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>For every pair across splits, exclude the validation or test copy (the training copy stays): one step, undone with Ctrl+Z.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+83"/>
        <source>Another task (%1) is running; press Find when it has finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Comparing every image with every other…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+25"/>
        <location line="+16"/>
        <source>%1 / %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-10"/>
        <source>Across splits: the %1 copy inflates the accuracy measured on it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The two copies carry different labels: at least one is wrong.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>%n pair(s) at cosine ≥ %1 among %2 images</source>
        <translation>
            <numerusform>%n pair at cosine ≥ %1 among %2 images</numerusform>
            <numerusform>%n pairs at cosine ≥ %1 among %2 images</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>%n across splits (they inflate validation or test accuracy)</source>
        <translation>
            <numerusform>%n across splits (it inflates validation or test accuracy)</numerusform>
            <numerusform>%n across splits (they inflate validation or test accuracy)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The %1 most similar are listed; raise the threshold to see fewer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n image(s) are not encoded yet and were not compared (training or the Map page encodes them).</source>
        <translation>
            <numerusform>%n image is not encoded yet and was not compared (training or the Map page encodes it).</numerusform>
            <numerusform>%n images are not encoded yet and were not compared (training or the Map page encodes them).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>aape::ui::EditDescriptionCommand</name>
    <message>
        <location filename="../ui/UndoCommands.cpp" line="+38"/>
        <source>Edit a description</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::ExportActions</name>
    <message>
        <location filename="../ui/ExportActions.cpp" line="+109"/>
        <source>Save Plot as PNG or PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save this plot as a picture (PNG) or a vector document (PDF)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Save Plot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PNG image (*.png);;PDF document (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Plot saved to %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::ImageInspector</name>
    <message>
        <location filename="../ui/ImageInspector.cpp" line="+53"/>
        <location line="+100"/>
        <source>Select an image in the table to inspect it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-95"/>
        <source>The image as stored; the box is the part the model sees (shorter side resized, centre cropped).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The model&apos;s view: exactly the pixels CLIP receives, enlarged without smoothing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Original with the model&apos;s crop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model&apos;s view</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+16"/>
        <source>OOD score (our addition, not in the paper): higher means the image looks less like any class seen in training.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>What CLIP predicts with the plain templates alone, before adaptation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The three descriptions of all classes nearest this image by CLIP similarity: what the image looks like in words. Most telling when the OOD score is high and the image resembles none of the classes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Which descriptions mattered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Aggregator&apos;s attention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Blended with this image&apos;s CLIP match</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Aggregator&apos;s attention: the weights the aggregator gave the class&apos;s descriptions when it built the prompt (as in the AAPE paper&apos;s Figure 7); the same for every image of the class.
Blended: those weights multiplied by how well each description matches this image under CLIP, renormalised; it differs from image to image.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+103"/>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Looks like: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>, </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>(class %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 — labelled %2, predicted %3 %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(right)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>(wrong)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 — predicted %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+29"/>
        <source>The image cannot be read:
%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Top predictions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+20"/>
        <source>OOD score (our addition): &lt;b&gt;%1&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Similarity to the template prompt: %1 ⓘ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Similarity to the AAPE prompt: %1 ⓘ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zero-shot CLIP says: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Predicted class: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>True class: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::InspectPage</name>
    <message>
        <location filename="../ui/InspectPage.cpp" line="+121"/>
        <source>&amp;Run:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-11"/>
        <source>Which finished run to inspect. Each run is named with its accuracy on the split it was evaluated on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Every evaluated image, of every class.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Misclassified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Images whose prediction differs from their label.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Low confidence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Images predicted with a probability below 0.5.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>High OOD score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The 10% of images that look least like the training classes (OOD score, our addition).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Fixed by adaptation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Images AAPE gets right that zero-shot CLIP got wrong.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Broken by adaptation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Images zero-shot CLIP got right that AAPE gets wrong.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Show all classes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop restricting the table to one class or confusion-matrix cell.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Up/Down or J/K move through the images; the inspector follows. Keys 1–9 set the class of the selected images (0: unlabelled, Ctrl+M: any class), Delete excludes them; right-click for more.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+70"/>
        <source>Find a class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Click a class to list its images; click its most-confused class to list the images taken for it. Click a column title to sort.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Classes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Which classes are taken for which, most often first. Click a row to list its images.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Top confusions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Class order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Most errors first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Confused classes together</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The order of the classes, the same on both axes: as in the project, by how many of their images are misclassified, or with classes that are taken for each other side by side.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Order:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>−</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Smaller cells (Ctrl+wheel down, Ctrl+−)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>+</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Larger cells (Ctrl+wheel up, Ctrl++)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The whole matrix in view; class names show once the cells are large enough for them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Zoom:</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+158"/>
        <source>%n image(s) of the %1 split</source>
        <translation>
            <numerusform>%n image of the %1 split</numerusform>
            <numerusform>%n images of the %1 split</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 accuracy %2% (zero-shot CLIP %3%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>epoch %1, the best on validation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>epoch %1, the last</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Per-class chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Accuracy on the %1 images (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Now labelled %1; this run was evaluated with the old label.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Now unlabelled; this run was evaluated with the old label.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Excluded: it takes no part in training or evaluation from now on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A wrong label? Right-click to relabel it, or press 1–9, 0 or Ctrl+M; Delete excludes it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Train again to use the change; Ctrl+Z undoes it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+39"/>
        <source>Only the %n image(s) %1</source>
        <translation>
            <numerusform>Only the %n image %1</numerusform>
            <numerusform>Only the %n images %1</numerusform>
        </translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Only images of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Only images of %1 predicted as %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+64"/>
        <source>predicted, %1%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>zero-shot CLIP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-383"/>
        <source>Accuracy of each class after adaptation, with zero-shot CLIP beside it. Right-click to save the plot.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Confusion matrix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+109"/>
        <source>Train a run, then inspect its predictions here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This run has no predictions yet: evaluate it first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+52"/>
        <source>AAPE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Zero-shot CLIP</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::LabelEditor</name>
    <message>
        <location filename="../ui/LabelEditor.cpp" line="+75"/>
        <source>Label as %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Set Class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Other Class…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Unlabelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Include in Training</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Exclude from Training</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Excluded images take no part in training or evaluation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+27"/>
        <source>There is no class %1. Keys 1–9 pick the first nine classes in label order; Ctrl+M chooses any class.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+30"/>
        <source>Class of the %n selected image(s):</source>
        <translation>
            <numerusform>Class of the %n selected image:</numerusform>
            <numerusform>Class of the %n selected images:</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>aape::ui::LossPlot</name>
    <message>
        <location filename="../ui/LossPlot.cpp" line="+81"/>
        <source>Loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reward</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Accuracy (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Epoch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Total loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Task loss (cross-entropy)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Distillation loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Aggregator reward</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Train accuracy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Validation accuracy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zero-shot CLIP (validation)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::MainWindow</name>
    <message>
        <location filename="../ui/MainWindow.cpp" line="+74"/>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 min %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+24"/>
        <location line="+382"/>
        <source>AAPE Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-316"/>
        <location line="+277"/>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-271"/>
        <location line="+1"/>
        <source>Stopping…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+66"/>
        <location line="+1"/>
        <source>selected on the map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+6"/>
        <source>clicked on the scene</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The run did not evaluate this tile (it trained on it, or it has no label): the Data page shows it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Your images: classes, splits, labels (Ctrl+1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Describe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Sentences that describe each class (Ctrl+2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Train</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Train the prompt generator and watch the curves (Ctrl+3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Inspect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Which descriptions mattered, hard and unusual images (Ctrl+4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Try</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Classify new images with a trained run (Ctrl+5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Compare runs and export the trained generator (Ctrl+6)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>All images on a map of their CLIP embeddings; select some to see them (Ctrl+7)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Likely label mistakes and what to label next, one key per image (Ctrl+8)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Scene</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>A scene imported as tiles with a run&apos;s class map over it (Ctrl+9)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+25"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;New Project…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Create an empty project file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Open Project…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open an existing *.aapeproj file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open &amp;Recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open &amp;Demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A small ready-made project of coloured shapes, created on first use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose CLIP &amp;Model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pick the CLIP checkpoint the project adapts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Import Folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Import a folder whose sub-folders are the classes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import &amp;CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import images listed in a path,label CSV file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Import Co&amp;Op Split…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import a dataset with its CoOp split_zhou_*.json (train/val/test as published)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Import &amp;Descriptions (CuPL JSON)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add class descriptions from a CuPL JSON file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import &amp;Scene as Tiles (GeoTIFF, JPEG2000)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cut a satellite or aerial scene into tiles, optionally labelled from polygons of a vector file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Encode on a C&amp;luster…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Embed the project&apos;s images on a Slurm cluster and import the embeddings when the shards are done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Close Project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Find &amp;Near-Duplicates…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Pairs of near-identical images, flagged where a copy crosses train and test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The language changes to %1 when you next start AAPE Studio.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;User Guide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The user guide is not installed. Reinstall AAPE Studio, or read docs/user-guide.md in its source.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Looked for it in:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Read the user guide, offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About AAPE Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>About AAPE Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;h3&gt;AAPE Studio %1&lt;/h3&gt;&lt;p&gt;Adapt CLIP to your own images with Aggregate-and-Adapt Prompt Embedding (Huang et al., NeurIPS 2024).&lt;/p&gt;&lt;p&gt;CLIP stays frozen; a small prompt generator learns from your labels and descriptions and runs without them afterwards.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Stop the running job; finished work is kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+32"/>
        <source>%1 — AAPE Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+24"/>
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n image</numerusform>
            <numerusform>%n images</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n class(es)</source>
        <translation>
            <numerusform>%n class</numerusform>
            <numerusform>%n classes</numerusform>
        </translation>
    </message>
    <message>
        <location line="+12"/>
        <source>This file no longer exists</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No recent projects</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Wait for “%1” to finish, or stop it, before opening another project.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Could not open %1. Check that it is an AAPE project file and that you may read it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Opened %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Could not create %1. Choose a folder you may write to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Project created. Drop a folder of images on this window: its sub-folders become the classes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Checking the CLIP model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The CLIP model chosen before cannot be used; choose one with File ▸ Choose CLIP Model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>New Project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>AAPE projects (*.aapeproj)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Open Project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>AAPE projects (*.aapeproj);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+27"/>
        <source>CLIP model set: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Import Folder (one sub-folder per class)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Import CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Import CoOp Split</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CoOp split files (split_zhou_*.json);;JSON files (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Import Descriptions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CuPL JSON files (*.json);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Import Scene as Tiles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rasters (*.tif *.tiff *.jp2 *.vrt *.img);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Open or create a project first: the images and descriptions go into a project file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>New Project…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Wait for “%1” to finish, or stop it, then import again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Importing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Import stopped. Sources imported before the stop are kept; the one being imported was left unchanged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The import failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Wait for “%1” to finish, or stop it, then open the demo.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Creating the demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Creating the demo: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The demo was not created.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The demo could not be created. Check that there is free disk space in %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>This is the demo: 8 classes of coloured shapes with descriptions and a small untrained CLIP. Try each page from Data to Runs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Wait for “%1” to finish, or stop it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+27"/>
        <source>about %1 left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1: stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: failed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::MapPage</name>
    <message>
        <location filename="../ui/MapPage.cpp" line="+64"/>
        <source>Drawing the map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Computing the t-SNE map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Placing a phrase on the map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+91"/>
        <source>t-SNE: finding neighbours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>t-SNE: arranging the map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Split</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Prediction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Right or wrong</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OOD score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Confidence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What the dots&apos; colours show; predictions, right or wrong, OOD score and confidence come from the newest run with stored predictions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>PCA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>t-SNE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How the dots are placed. PCA: the two directions of largest variance, at once; it keeps distances between far groups. t-SNE: neighbours stay neighbours, so clusters separate clearly; computed once in the background and kept in the project until the embeddings change.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Find images by a phrase, e.g. “a harbour with boats”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Find</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Layout:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Colour by:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Drag a rectangle to select images (the Data page and the Inspect list then show them; a click on empty space clears it). Wheel zooms, right-drag pans, double-click resets the view.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+87"/>
        <source>The map is drawn when the current task (%1) has finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Drawing the map…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+32"/>
        <source>The %n images nearest to “%1” are outlined (cosine %2 to %3).</source>
        <translation>
            <numerusform>The image nearest to “%1” is outlined (cosine %2 to %3).</numerusform>
            <numerusform>The %n images nearest to “%1” are outlined (cosine %2 to %3).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+74"/>
        <source>%n images, placed by t-SNE of their CLIP embeddings (perplexity 30): neighbours on the map are neighbours in CLIP&apos;s space; distances between far groups mean little.</source>
        <translation>
            <numerusform>%n image, placed by t-SNE of its CLIP embedding (perplexity 30): neighbours on the map are neighbours in CLIP&apos;s space; distances between far groups mean little.</numerusform>
            <numerusform>%n images, placed by t-SNE of their CLIP embeddings (perplexity 30): neighbours on the map are neighbours in CLIP&apos;s space; distances between far groups mean little.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Computed in %1 s and kept in the project.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n images, placed by the first two principal components of their CLIP embeddings</source>
        <translation>
            <numerusform>%n image, placed by the first two principal components of its CLIP embedding</numerusform>
            <numerusform>%n images, placed by the first two principal components of their CLIP embeddings</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source> (%1 % of the variance; computed in %2 s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>%n image(s) are not encoded yet and not shown; train or encode the project to add them.</source>
        <translation>
            <numerusform>%n image is not encoded yet and not shown; train or encode the project to add it.</numerusform>
            <numerusform>%n images are not encoded yet and not shown; train or encode the project to add them.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+3"/>
        <source>The t-SNE map is being computed; the PCA map is shown meanwhile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The t-SNE map is computed when the current task (%1) has finished; choose t-SNE again then.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The t-SNE map is being computed (progress below; Stop ends it); the PCA map is shown meanwhile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Unlabelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Train</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Validation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No prediction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Right</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Wrong</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No prediction or no label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>OOD score (grey: none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Confidence (grey: none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+28"/>
        <source>The project has no CLIP model to read the phrase with; choose one first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Another task (%1) is running; search again when it has finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Reading “%1” with CLIP…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+19"/>
        <source>unlabelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>predicted %1 (%2 %)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::MapView</name>
    <message numerus="yes">
        <location filename="../ui/MapView.cpp" line="+283"/>
        <source>… %n more</source>
        <translation>
            <numerusform>… %n more</numerusform>
            <numerusform>… %n more</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>aape::ui::MessageBanner</name>
    <message>
        <location filename="../ui/MessageBanner.cpp" line="+40"/>
        <source>Details…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show the full report in a separate window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Close this message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+91"/>
        <source>No log file could be written (the disk may be full or read-only).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Technical details, where there are any, are in the log file:
%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Open Log File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open the log file, which holds the technical side of errors, in the text viewer</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::ModelChooser</name>
    <message>
        <location filename="../ui/ModelChooser.cpp" line="+29"/>
        <source>&lt;b&gt;Format:&lt;/b&gt; %1&lt;br&gt;&lt;b&gt;Architecture:&lt;/b&gt; %2&lt;br&gt;&lt;b&gt;Activation:&lt;/b&gt; %3 (%4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&lt;b&gt;Tokenizer:&lt;/b&gt; not found next to the checkpoint; put vocab.json and merges.txt (or bpe_simple_vocab_16e6.txt.gz) beside it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Choose CLIP Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose the CLIP checkpoint the project adapts: a Hugging Face model folder (config.json and model.safetensors), an OpenAI archive (ViT-B-16.pt) or an open_clip file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Folder or file of the checkpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pick a Hugging Face model folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>File…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pick an OpenAI .pt archive or an open_clip .pt/.bin/.safetensors file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Choose a Model Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Choose a Checkpoint File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CLIP checkpoints (*.pt *.bin *.pth *.safetensors);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+29"/>
        <source>No model chosen yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Checking %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+25"/>
        <source>%1 is not a usable CLIP checkpoint.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The technical details are in the &lt;a href=&quot;%1&quot;&gt;log file&lt;/a&gt;.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::PredictionsModel</name>
    <message>
        <location filename="../ui/PredictionsModel.cpp" line="+68"/>
        <source>(class %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+90"/>
        <location line="+14"/>
        <location line="+38"/>
        <location line="+4"/>
        <source>(unlabelled)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+40"/>
        <source>How sure the adapted model is of its prediction (softmax probability).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>OOD score (our addition, not in the paper): higher means the image looks less like any class seen in training.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-88"/>
        <source>[excluded] %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+36"/>
        <source>%1
Excluded: it takes no part in training or evaluation from now on. This run was evaluated before.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Labelled %1 now; this run was evaluated when it was labelled %2. Train again to use the new label.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1. Misclassified: the image was labelled %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+41"/>
        <source>What CLIP predicts with the plain templates alone, before adaptation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>True class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Predicted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Probability</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OOD score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cos template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cos AAPE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zero-shot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Similarity to the template prompt: how well the image matches the plain sentence “a photo of a &lt;class&gt;.” for the predicted class, as CLIP sees it without any adaptation. 1 would be a perfect match and 0 no relation; CLIP&apos;s image–text similarities are small (often 0.2 to 0.35), so compare values between images instead of reading them as percentages.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Similarity to the AAPE prompt: how well the image matches the predicted class as the adapted model sees it for this very image: the class name combined with the prompt AAPE generated from the image, which carries what the class descriptions taught it. The model predicts the class with the highest such similarity. 1 would be a perfect match; compare it between images, and with the similarity to the template prompt: higher means adaptation brought the class closer to this image.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::PromptAttentionModel</name>
    <message>
        <location filename="../ui/PromptAttentionModel.cpp" line="+97"/>
        <source>Attention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Blended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::RemoveDescriptionsCommand</name>
    <message numerus="yes">
        <location filename="../ui/UndoCommands.cpp" line="+31"/>
        <source>Delete %n description(s)</source>
        <translation>
            <numerusform>Delete %n description</numerusform>
            <numerusform>Delete %n descriptions</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>aape::ui::RenameClassCommand</name>
    <message>
        <location line="-112"/>
        <source>Rename class %1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::ReviewPage</name>
    <message>
        <location filename="../ui/ReviewPage.cpp" line="+34"/>
        <source>Preparing the review queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+81"/>
        <source>Likely label mistakes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What to label next</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Label mistakes: labelled images whose label a model that never saw them finds least believable. Label next: unlabelled images the model is least sure of, spread over the collection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Find</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Retrain…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Keep (K)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exclude (X)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Previous (P)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next (N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Keys: K keep the label · 1–9 give the class at that place in the class list · X exclude from training · N next · P previous</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+68"/>
        <source>Another task (%1) is running; press Find when it has finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Judging every label with a model that never saw it…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choosing images to label…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+43"/>
        <source>%n labelled image(s) to review, least believable label first; %1 look like mistakes.</source>
        <translation>
            <numerusform>%n labelled image to review; %1 looks like a mistake.</numerusform>
            <numerusform>%n labelled images to review, least believable label first; %1 look like mistakes.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>%n image(s) to label, in the order that teaches the model most.</source>
        <translation>
            <numerusform>%n image to label.</numerusform>
            <numerusform>%n images to label, in the order that teaches the model most.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No run is trained yet, so a linear model fitted on the labelled embeddings judges how sure the guesses are.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>How sure each guess is comes from %1, the newest trained run.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+32"/>
        <source>unlabelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-31"/>
        <source>%1 → %2 (%3 %)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>guess %1 · unsure %2 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&lt;b&gt;%1&lt;/b&gt; is labelled &lt;b&gt;%2&lt;/b&gt;. A model that never saw it gives that label %3 % and &lt;b&gt;%4&lt;/b&gt; %5 %.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&lt;b&gt;%1&lt;/b&gt; has no label. The model&apos;s best guess is &lt;b&gt;%2&lt;/b&gt; (%3 %), and it is %4 % unsure.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Done: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+19"/>
        <source>kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>excluded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+26"/>
        <source>There is no class %1. Keys 1–9 pick the first nine classes in the list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>labelled %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>You have labelled %n image(s). Retrain so that the model learns from them, then find the next ones.</source>
        <translation>
            <numerusform>You have labelled %n image. Retrain so that the model learns from it, then find the next ones.</numerusform>
            <numerusform>You have labelled %n images. Retrain so that the model learns from them, then find the next ones.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>aape::ui::RunMenu</name>
    <message>
        <location filename="../ui/RunMenu.cpp" line="+18"/>
        <source>H %1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n epoch(s)</source>
        <translation>
            <numerusform>%n epoch</numerusform>
            <numerusform>%n epochs</numerusform>
        </translation>
    </message>
    <message>
        <location line="+12"/>
        <source>No finished run yet</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::RunsModel</name>
    <message>
        <location filename="../ui/RunsModel.cpp" line="+47"/>
        <source>queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+3"/>
        <source>interrupted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-3"/>
        <source>running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+16"/>
        <source>%n shot(s)</source>
        <translation>
            <numerusform>%n shot</numerusform>
            <numerusform>%n shots</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>λ %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>lr %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n view(s)</source>
        <translation>
            <numerusform>%n view</numerusform>
            <numerusform>%n views</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>base-to-new (label order)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>base-to-new (name order)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>base-to-new</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+19"/>
        <source>base classes (%1 order): %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+157"/>
        <source>Not evaluated yet: the last epoch&apos;s accuracy on the validation images.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>On the %1 images, at epoch %2 (%3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>validation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the best on validation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>the last</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+62"/>
        <source>Test accuracy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zero-shot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-49"/>
        <source>%1 / %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 (val)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Accuracy of the run&apos;s evaluated epoch on the test images (the validation images when the project has no test split); &quot;(val)&quot; marks a run not evaluated yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Zero-shot CLIP (the class name alone, no training) on the same images.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accuracy on the classes trained on (base-to-new protocol).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accuracy on classes never seen in training (base-to-new protocol).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Harmonic mean of base and new accuracy: high only when both are.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The main training settings; hover over a run&apos;s cell for all of them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Epochs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Base</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>H</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Created</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::RunsPage</name>
    <message>
        <location filename="../ui/RunsPage.cpp" line="+84"/>
        <source>Select several runs (Ctrl or Shift + click) to compare their curves.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Validation accuracy (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Total loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Epoch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Accuracy (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>H (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&amp;Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save the selected run&apos;s prompt generator, its predictions or the plot.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Prompt generator bundle…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A .aape.safetensors file that classifies images with CLIP, without this app.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Predictions as CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Plot as PNG or PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+25"/>
        <source>All runs of this project. Select runs to compare them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-44"/>
        <source>Run set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-87"/>
        <source>Exporting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+37"/>
        <source>&amp;Rename Run…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Delete Runs…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Finished runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Zero-shot (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Base (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>New (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Runs started together with several seeds: mean ± standard deviation over the finished ones (at least two are needed for a spread).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Compare &amp;Methods…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Is AAPE worth it on your data? Train zero-shot CLIP, CuPL, a linear probe, the Tip-Adapters and AAPE on the same few-shot images and seeds, and compare them (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Compare Methods…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+20"/>
        <source>&amp;Curves</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Method c&amp;omparison</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Run sets (one training, several seeds): mean ± standard deviation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No run sets yet. Enter several seeds on the Train page (e.g. “1, 2, 3”) to train one run per seed and compare their mean and spread here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Export finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Rename Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>New name of run %1:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Run %1 is training now; stop it on the Train page before deleting it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Delete Runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Delete %n run(s) (%1) with their curves, checkpoints and predictions? This cannot be undone.</source>
        <translation>
            <numerusform>Delete %n run (%1) with its curves, checkpoints and predictions? This cannot be undone.</numerusform>
            <numerusform>Delete %n runs (%1) with their curves, checkpoints and predictions? This cannot be undone.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+16"/>
        <source>Deleted %n run(s).</source>
        <translation>
            <numerusform>Deleted %n run.</numerusform>
            <numerusform>Deleted %n runs.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+73"/>
        <source>%1 (seed %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+40"/>
        <source>%1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Mean ± standard deviation appear when at least two runs of this set have finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Export failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Another task (%1) is still running; export %2 when it has finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Select exactly one run to export its prompt generator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Export prompt generator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>AAPE prompt generator (*.aape.safetensors)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the bundle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Select exactly one run to export its predictions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Export predictions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>CSV (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the predictions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Save plot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PNG image (*.png);;PDF document (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Plot saved to %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::SceneCanvas</name>
    <message>
        <location filename="../ui/ScenePage.cpp" line="+124"/>
        <source>Wheel: zoom · drag: pan · double-click: whole scene · click a tile to open it in Inspect</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::SceneImportDialog</name>
    <message>
        <location filename="../ui/SceneImportDialog.cpp" line="+31"/>
        <source>Sentinel-2 true colour (B4, B3, B2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sentinel-2 false colour (B8, B4, B3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sentinel-2 SWIR (B12, B8A, B4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Landsat 8/9 true colour (B4, B3, B2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Landsat 8/9 false colour (B5, B4, B3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Landsat 8/9 SWIR (B7, B6, B4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>%1 × %2 pixels, %n band(s) (%3)</source>
        <translation>
            <numerusform>%1 × %2 pixels, %n band (%3)</numerusform>
            <numerusform>%1 × %2 pixels, %n bands (%3)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No coordinate reference system: tiles get pixel coordinates, and labels from polygons and georeferenced maps are not possible.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+19"/>
        <source>%1, pixels of %2 × %3 m</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1, pixels of %2 × %3 degrees</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1, pixels of %2 × %3 (in the CRS&apos;s units)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Import Scene as Tiles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+7"/>
        <source> px</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Each tile is a square of this many scene pixels, resized to the model&apos;s input. 64 pixels of Sentinel-2 at 10 m are 640 m, as in EuroSAT.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>same as the tile (no overlap)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pixels from one tile&apos;s corner to the next; smaller than the tile makes overlapping tiles.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Automatic: the file&apos;s colour bands, else the first three</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Band numbers…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>e.g. 4,3,2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Three band numbers (1 is the first band) for red, green and blue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>optional: polygons with class names (GeoPackage, GeoJSON, Shapefile)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The polygons&apos; attribute that holds the class name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>A tile takes the class whose polygons cover most of it, when they cover at least this share; other tiles stay unlabelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Tile size:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Stride:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Bands as RGB:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Labels:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Class &amp;field:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Minimum cover:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Labels for the Scene</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vector files (*.gpkg *.geojson *.json *.shp);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The label file has no attributes to take class names from: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+39"/>
        <source>red, green, blue from bands %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The tile is larger than the scene (%1 × %2 pixels).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Labels from polygons need a scene with a coordinate reference system.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n tile(s), %1; the scene is read where needed, not copied.</source>
        <translation>
            <numerusform>%n tile, %1; the scene is read where needed, not copied.</numerusform>
            <numerusform>%n tiles, %1; the scene is read where needed, not copied.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>Import %n Tile(s)</source>
        <translation>
            <numerusform>Import %n Tile</numerusform>
            <numerusform>Import %n Tiles</numerusform>
        </translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Import</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::ScenePage</name>
    <message>
        <location filename="../ui/ScenePage.cpp" line="-69"/>
        <source>Predicting a scene map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+318"/>
        <source>The scene imported as tiles that this page shows.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The finished run whose prompt generator classifies the scene&apos;s tiles.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Predict Map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Classify every tile of the scene with the chosen run (F5).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop the prediction; nothing is saved from a stopped map.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Save Map…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Write the map as a GeoTIFF in the scene&apos;s coordinates (opens in QGIS with its legend), or as a GeoPackage, GeoJSON or Shapefile with one polygon per tile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>How opaque the class map is over the scene</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>S&amp;cene:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Run:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Opacity:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+31"/>
        <source>The classes of the map, with how many tiles each takes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Legend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Stopped: no map was made. Press Predict Map to start again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The map could not be made: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+96"/>
        <source>no CRS</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%1 × %2 pixels · %n band(s) · %3 · tiles of %4 pixels every %5</source>
        <translation>
            <numerusform>%1 × %2 pixels · %n band · %3 · tiles of %4 pixels every %5</numerusform>
            <numerusform>%1 × %2 pixels · %n bands · %3 · tiles of %4 pixels every %5</numerusform>
        </translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The scene cannot be shown: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Classifying the scene&apos;s tiles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Another task (%1) is running; press Predict Map when it has finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Exporting the run and opening CLIP…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Stopping…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Classifying tile %1 of %2…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>about %1 left</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+16"/>
        <source>%n tile(s) classified in %1. Hover a tile for its classes; click it to open it in Inspect.</source>
        <translation>
            <numerusform>%n tile classified in %1. Hover a tile for its classes; click it to open it in Inspect.</numerusform>
            <numerusform>%n tiles classified in %1. Hover a tile for its classes; click it to open it in Inspect.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+47"/>
        <source>%1 — %n tile(s), %2 %</source>
        <translation>
            <numerusform>%1 — %n tile, %2 %</numerusform>
            <numerusform>%1 — %n tiles, %2 %</numerusform>
        </translation>
    </message>
    <message>
        <location line="+56"/>
        <source>No scene in this project yet: drop a GeoTIFF or JPEG2000 scene on the window, or use File ▸ Import Scene as Tiles, to see it here with its class map.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Train a run on the scene&apos;s tiles (Train page) to predict a map of it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Press Predict Map to classify every tile of this scene with the chosen run.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Tile at column %1, row %2 (pixels %3, %4, %5 × %5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Not a tile of the project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unlabelled in the project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Labelled %1 in the project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not predicted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>OOD score %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+28"/>
        <source>This tile is not one of the project&apos;s images (the map covers the whole scene; the project holds the tiles it imported).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Save Map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GeoTIFF (*.tif);;GeoPackage (*.gpkg);;GeoJSON (*.geojson);;Shapefile (*.shp)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+23"/>
        <source>The map was not saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Map saved to %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::SetImageLabelsCommand</name>
    <message numerus="yes">
        <location filename="../ui/UndoCommands.cpp" line="-112"/>
        <source>Move %n image(s) to %1</source>
        <translation>
            <numerusform>Move %n image to %1</numerusform>
            <numerusform>Move %n images to %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Remove the class of %n image(s)</source>
        <translation>
            <numerusform>Remove the class of %n image</numerusform>
            <numerusform>Remove the class of %n images</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>aape::ui::SetImageSplitsCommand</name>
    <message>
        <location line="+36"/>
        <source>train</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>validation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>test</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Move %n image(s) to %1</source>
        <translation>
            <numerusform>Move %n image to %1</numerusform>
            <numerusform>Move %n images to %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>aape::ui::SetImagesExcludedCommand</name>
    <message numerus="yes">
        <location line="+34"/>
        <source>Exclude %n image(s)</source>
        <translation>
            <numerusform>Exclude %n image</numerusform>
            <numerusform>Exclude %n images</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Include %n image(s)</source>
        <translation>
            <numerusform>Include %n image</numerusform>
            <numerusform>Include %n images</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>aape::ui::StudioSettings</name>
    <message>
        <location filename="../ui/StudioSettings.cpp" line="+66"/>
        <source>System</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::TopConfusionsModel</name>
    <message>
        <location filename="../ui/TopConfusionsModel.cpp" line="+28"/>
        <source>(class %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+64"/>
        <source>%n image(s) of %1 predicted as %2 (%3 of its images). Click to list them.</source>
        <translation>
            <numerusform>%n image of %1 predicted as %2 (%3 of its images). Click to list it.</numerusform>
            <numerusform>%n images of %1 predicted as %2 (%3 of its images). Click to list them.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The class the images are labelled with.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The class the adapted model predicted for them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How many images were confused this way.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The share of the true class&apos;s evaluated images confused this way.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>True class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Predicted as</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Share</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::TrainPage</name>
    <message>
        <location filename="../ui/TrainPage.cpp" line="+49"/>
        <location line="+632"/>
        <source>Training</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="-623"/>
        <source>%n s</source>
        <translation>
            <numerusform>%n s</numerusform>
            <numerusform>%n s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n min</source>
        <translation>
            <numerusform>%n min</numerusform>
            <numerusform>%n min</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+78"/>
        <source>Training settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Shots per class:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How many training images of each class the run learns from. The paper uses 1, 2, 4, 8 or 16.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Epochs:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How many times training goes over the few-shot images. More takes longer; 200 is the paper&apos;s choice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Batch size:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Images per optimisation step (32 in the paper).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Learning rate:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Step size of the SGD optimiser; lower is slower but steadier (0.002 in the paper).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Distillation weight λ:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;Reward scale:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scale s of the CLIP reward that trains the description aggregator (2.5 in the paper).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Augmented views:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Randomly cropped and flipped copies of each training image, encoded once and reused every epoch. 0 trains on the plain images only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>e.g. 1, 2, 3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>S&amp;eeds:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>One run per seed, kept together as a group so that the Runs page can show mean ± spread. Separate with commas.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Automatic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GPU (CUDA)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Where CLIP and training run. Automatic uses the GPU when there is one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No CUDA GPU is visible to this build of the studio, so training runs on the CPU.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No CUDA GPU is visible to this build, so the GPU choice is off.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>De&amp;vice:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Base-to-new protocol</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Train on the first half of the classes only and measure how well the result carries over to the other half (the paper&apos;s generalisation test).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Paper &amp;defaults</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;Start training</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Encode what is not cached yet, then train one run per seed (Ctrl+Return).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+306"/>
        <source>Sto&amp;p</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-304"/>
        <source>Stop after the current step; the last finished epoch is kept and can be resumed (Esc).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-135"/>
        <location line="+149"/>
        <source>Ready.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-98"/>
        <source>How strongly the prompt generator is pulled towards the summary of the class descriptions: the loss adds λ·‖h(x) − p̂ᵃ‖², the squared distance between the generated prompt h(x) and the aggregator&apos;s summary p̂ᵃ (scaled to unit length), per image and averaged over the batch, as the paper writes it (λ = 5). 0 ignores the descriptions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Automatic (%1 on this CPU, fp16 on a GPU)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>fp32 (exact)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>bf16 (several times faster on CPUs with AVX512_BF16 or AMX)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>int8 (CPU only; about as fast as bf16, slightly less exact)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>fp16 (GPU only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Precisio&amp;n:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The arithmetic CLIP encodes images and texts in. bf16 and int8 keep embeddings within 0.1 % (cosine) of fp32 and encode faster; each precision has its own cache, so changing it encodes again and runs never mix them. Training itself always runs in fp32.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Best epoch on validation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last epoch (paper&apos;s protocol)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>E&amp;valuate:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Which epoch of a run is evaluated, inspected and exported. &quot;Best&quot; keeps the epoch with the highest accuracy on the validation images, so a run that overfits late still gives its best result; the last epoch is what the paper reports. Without validation images the last epoch is used.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Put back the values the AAPE paper states, with CoOp&apos;s recipe that it follows: 16 shots, epochs by shots (50 for 1 shot, 100 for 2-4, 200 for 8-16), batch 32, learning rate 0.002, λ = 5. Not changed, since they are our own choices rather than the paper&apos;s: the augmented views (10 by default) and the reward scale (2.5).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Interrupted runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Runs that were stopped or cut off. Resume continues from their last finished epoch.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Continue the selected run from its last finished epoch.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+21"/>
        <location line="+333"/>
        <source>No run yet: press Start training.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-325"/>
        <source>Messages from training appear here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+162"/>
        <source>Open or create a project first (File ▸ Open).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The seeds must be whole numbers separated by commas, e.g. &quot;1, 2, 3&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+26"/>
        <source>Another task (%1) is still running; wait for it to finish or stop it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-16"/>
        <source>Opening the model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Training started.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Resuming run %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+1"/>
        <source>Stopping…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stopping after the current step…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+23"/>
        <source>%1 — stopped after epoch %2 of %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>None.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+36"/>
        <source> and %n more</source>
        <translation>
            <numerusform> and %n more</numerusform>
            <numerusform> and %n more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n class(es) without descriptions: %1. They train from their name alone; add descriptions on the Describe page.</source>
        <translation>
            <numerusform>%n class without descriptions: %1. It trains from its name alone; add descriptions on the Describe page.</numerusform>
            <numerusform>%n classes without descriptions: %1. They train from their name alone; add descriptions on the Describe page.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>%n class(es) without training images: %1. Label images of them or put some in the train split on the Data page.</source>
        <translation>
            <numerusform>%n class without training images: %1. Label images of it or put some in the train split on the Data page.</numerusform>
            <numerusform>%n classes without training images: %1. Label images of them or put some in the train split on the Data page.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Last run: %1, %2 epochs (the Runs page compares all runs)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+33"/>
        <source>%1: epoch %2 of %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: %2 of %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>about %1 left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Seed %1 (run %2 of %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Current run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Run %1: %2 classes, %3 training images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Run %1 — epoch %2 of %3%4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>, validation accuracy %1%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Run %1: %2 accuracy %3% at epoch %4 (%5), zero-shot CLIP %6%.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>validation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>best on validation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>last</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Stopped. The last finished epoch is kept; resume it below.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Training stopped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Finished. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Training finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+2"/>
        <source>Training failed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::TryPage</name>
    <message>
        <location filename="../ui/TryPage.cpp" line="+41"/>
        <source>Classifying</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+55"/>
        <source>OOD score (our addition): 1 − the similarity to the nearest class prototype, the mean of a class&apos;s training images. High means the image looks like none of the run&apos;s training images.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>OOD score (our addition): the Mahalanobis distance to the nearest class of the run&apos;s training images. High means the image looks like none of them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>OOD score (our addition): the energy, −log Σ exp(logit). High means the image fits none of the classes well.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>OOD score (our addition): 1 − the cosine similarity to the closest adapted class prompt. High means the image fits none of the classes well.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Prediction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Probability</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>OOD score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Next candidates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-12"/>
        <source>OOD score (our addition): 1 − the top probability. High means the image fits none of the classes well.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+18"/>
        <source>The finished run whose prompt generator classifies the images.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Other class names to score, separated by commas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Extra classes by name only, separated by commas. AAPE needs no images or descriptions for them: their prompts come from the class name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Add images…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose images to classify, or drop them anywhere on this page (Ctrl+Shift+I).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Predict</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Classify the images again with the chosen run and classes (F5).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>C&amp;lear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove all images from this page (the project is not changed).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+21"/>
        <source>&amp;Run:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>E&amp;xtra classes:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+80"/>
        <source>Drop images here or press Add images… to see what a trained run makes of them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="-53"/>
        <source>%n image(s) classified.</source>
        <translation>
            <numerusform>%n image classified.</numerusform>
            <numerusform>%n images classified.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Prediction finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Prediction failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+57"/>
        <source>Images to classify</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Train a run first: predictions need a finished run.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Classifying images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Another task (%1) is running; press Predict when it has finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>Classifying %n image(s)…</source>
        <translation>
            <numerusform>Classifying %n image…</numerusform>
            <numerusform>Classifying %n images…</numerusform>
        </translation>
    </message>
    <message>
        <location line="+35"/>
        <source>%1 %2%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Next: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::UserGuideViewer</name>
    <message>
        <location filename="../ui/UserGuideViewer.cpp" line="+80"/>
        <source>AAPE Studio User Guide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Back to the page before (Alt+Left)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>User Guide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Back to the start of the user guide</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>aape::ui::WelcomePage</name>
    <message>
        <location filename="../ui/WelcomePage.cpp" line="+57"/>
        <source>AAPE Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Adapt CLIP to your own images: bring labelled images and a few descriptions per class, train in seconds, see what the model attends to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>New Project…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Create an empty project file, then drop a folder of images on the window (Ctrl+N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open Project…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open an existing *.aapeproj file (Ctrl+O)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open Demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A small ready-made project of coloured shapes with descriptions, to try every step in a minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Recent projects</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Double-click or press Enter to open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No recent projects yet. Create one, or open the demo.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Choose…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pick the CLIP checkpoint new projects use: a Hugging Face folder, an OpenAI .pt archive or an open_clip file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+24"/>
        <source>%1 — %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 no longer exists: it was moved or deleted. Open it from its new place with Open Project.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&lt;b&gt;CLIP model:&lt;/b&gt; none chosen. New projects need one before encoding; the demo brings its own.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&lt;b&gt;CLIP model:&lt;/b&gt; %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/studio_main.cpp" line="+25"/>
        <source>Adapt CLIP to your own images with AAPE.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A project file (*.aapeproj) to open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open the demo project (created on first use).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Without a display: run the demo workflow (encode, train, evaluate, export) and save a screenshot of every page into FOLDER.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Epochs for --headless-tour.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>aape::ui</name>
    <message>
        <location filename="../ui/ImportJob.cpp" line="+83"/>
        <source>Importing %1 (%2 of %3)</source>
        <translation>正在导入 %1（第 %2 个，共 %3 个）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Importing %1</source>
        <translation>正在导入 %1</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>a scene needs a tile size; import it with File ▸ Import Scene…</source>
        <translation>场景需要瓦片大小；请用 文件 ▸ 导入场景… 导入</translation>
    </message>
    <message numerus="yes">
        <location line="+26"/>
        <source>%1: %n tile(s) of %2 pixels</source>
        <translation>
            <numerusform>%1：%n 个 %2 像素的瓦片</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n labelled from the polygons</source>
        <translation>
            <numerusform>%n 个由多边形标注</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n unlabelled</source>
        <translation>
            <numerusform>%n 个未标注</numerusform>
        </translation>
    </message>
    <message>
        <location line="+8"/>
        <source>not a folder, CSV, JSON file or scene; drop the folder whose sub-folders are the classes, a path,label CSV, a CoOp split_zhou_*.json, a CuPL JSON or a GeoTIFF/JPEG2000 scene.</source>
        <translation>不是文件夹、CSV、JSON 文件或场景；请拖入以子文件夹为类别的文件夹、path,label 格式的 CSV、CoOp 的 split_zhou_*.json、CuPL JSON 或 GeoTIFF/JPEG2000 场景。</translation>
    </message>
    <message numerus="yes">
        <location line="+21"/>
        <source>Imported %n image(s)</source>
        <translation>
            <numerusform>已导入 %n 张图像</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n skipped</source>
        <translation>
            <numerusform>已跳过 %n 个</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n already in the project</source>
        <translation>
            <numerusform>%n 个已在项目中</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n new class(es)</source>
        <translation>
            <numerusform>%n 个新类别</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n description(s) added</source>
        <translation>
            <numerusform>已添加 %n 条描述</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n description group(s) matched no class</source>
        <translation>
            <numerusform>%n 组描述未匹配到任何类别</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n description group(s) left out</source>
        <translation>
            <numerusform>已跳过 %n 组描述</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n source(s) could not be imported</source>
        <translation>
            <numerusform>%n 个来源无法导入</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nothing was imported.</source>
        <translation>未导入任何内容。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Could not be imported:</source>
        <translation>无法导入：</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Skipped files:</source>
        <translation>已跳过的文件：</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Descriptions that matched no class:</source>
        <translation>未匹配到类别的描述：</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Description groups left out:</source>
        <translation>已跳过的描述组：</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>New classes:</source>
        <translation>新类别：</translation>
    </message>
    <message>
        <location filename="../ui/TrainingJob.cpp" line="+123"/>
        <source>Encoding images</source>
        <translation>正在编码图像</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Encoding descriptions</source>
        <translation>正在编码描述</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Evaluating</source>
        <translation>正在评估</translation>
    </message>
    <message numerus="yes">
        <location line="-13"/>
        <source>%n s</source>
        <translation>
            <numerusform>%n 秒</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n min</source>
        <translation>
            <numerusform>%n 分钟</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 h</source>
        <translation>%1 小时</translation>
    </message>
    <message>
        <location line="-51"/>
        <source>Encoding %1 images (%2 views) on %3 takes about %4 (%5 views/s, measured on the first %6).</source>
        <translation>在 %3 上编码 %1 张图像（%2 个视图）约需 %4（每秒 %5 个视图，按前 %6 个视图测得）。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Shorter: fewer augmented views, the int8 or bf16 precision, a GPU, or encoding on a cluster (aape cluster submit). It runs only once: later runs reuse the cached embeddings.</source>
        <translation>更快的办法：减少增强视图、使用 int8 或 bf16 精度、使用 GPU，或在集群上编码（aape cluster submit）。编码只需一次：之后的运行会复用缓存的嵌入。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Run %1: %2 accuracy %3% on %4 images at epoch %5 (%6); zero-shot CLIP %7%.</source>
        <translation>运行 %1：第 %5 轮（%6）在 %4 张图像上的 %2 准确率为 %3%；零样本 CLIP 为 %7%。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>best on validation</source>
        <translation>验证集上最佳</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>last</source>
        <translation>最后一轮</translation>
    </message>
    <message>
        <location filename="../ui/CompareJob.cpp" line="+55"/>
        <location filename="../ui/TrainingJob.cpp" line="+97"/>
        <source>CLIP runs on %1; precision %2.</source>
        <translation>CLIP 运行于 %1；精度 %2。</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>%1, seed %2 (run %3 of %4)</source>
        <translation>%1，种子 %2（第 %3 个运行，共 %4 个）</translation>
    </message>
    <message>
        <location filename="../ui/TrainingJob.cpp" line="-154"/>
        <source>Training seed %1 (%2 of %3)</source>
        <translation>正在训练种子 %1（第 %2 个，共 %3 个）</translation>
    </message>
    <message>
        <location line="-3"/>
        <location line="+3"/>
        <source>Training</source>
        <translation>正在训练</translation>
    </message>
</context>
<context>
    <name>aape::ui::AddDescriptionsCommand</name>
    <message numerus="yes">
        <location filename="../ui/UndoCommands.cpp" line="+199"/>
        <source>Add %n description(s)</source>
        <translation>
            <numerusform>添加 %n 条描述</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>aape::ui::AttentionChart</name>
    <message>
        <location filename="../ui/AttentionChart.cpp" line="+25"/>
        <source>How much the description aggregator relied on each description of the class. Longer bars: descriptions that shaped the learned prompt more.</source>
        <translation>描述聚合器对该类每条描述的依赖程度。条越长：该描述对学到的提示影响越大。</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>This class has no descriptions.</source>
        <translation>该类别没有描述。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This run was evaluated before the aggregator&apos;s own weights were stored: evaluate it again (aape eval), or show the blended weights.</source>
        <translation>此运行的评估早于保存聚合器自身权重：请重新评估（aape eval），或显示混合权重。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No attention was recorded for this image and class.</source>
        <translation>未记录该图像与类别的注意力。</translation>
    </message>
</context>
<context>
    <name>aape::ui::ClassAccuracyModel</name>
    <message>
        <location filename="../ui/ClassAccuracyModel.cpp" line="+23"/>
        <source>training</source>
        <translation>训练集</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>validation</source>
        <translation>验证集</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>test</source>
        <translation>测试集</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>(class %1)</source>
        <translation>（类别 %1）</translation>
    </message>
    <message>
        <location line="+71"/>
        <source>%1: click to list its %2 images.</source>
        <translation>%1：点击列出其%2图像。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No image of %1 was misclassified.</source>
        <translation>%1 没有图像被分类错误。</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n image(s) of %1 predicted as %2. Click to list them.</source>
        <translation>
            <numerusform>%n 张 %1 图像被预测为 %2。点击列出这些图像。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 of %2 %3 images right after adaptation, %4 with zero-shot CLIP. Click to list them.</source>
        <translation>适配后 %2 张%3图像中有 %1 张分类正确，零样本 CLIP 为 %4 张。点击列出这些图像。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>How many %1 images of the class the run was evaluated on.</source>
        <translation>运行评估所用的该类别%1图像数量。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Share of the class&apos;s %1 images the adapted model (AAPE) classifies right.</source>
        <translation>该类别%1图像中被适配后模型（AAPE）分类正确的比例。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Share of the class&apos;s %1 images zero-shot CLIP classifies right.</source>
        <translation>该类别%1图像中被零样本 CLIP 分类正确的比例。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Accuracy after adaptation minus zero-shot accuracy, in percentage points: negative where adaptation made the class worse.</source>
        <translation>适配后准确率减去零样本准确率，单位为百分点：为负表示适配使该类别变差。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The class this class&apos;s images are most often mistaken for.</source>
        <translation>该类别的图像最常被误认成的类别。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How many images of the class were predicted as that class.</source>
        <translation>该类别中被预测为那个类别的图像数量。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Training images</source>
        <translation>训练图像</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Validation images</source>
        <translation>验证图像</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test images</source>
        <translation>测试图像</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Accuracy (%1)</source>
        <translation>准确率（%1）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zero-shot</source>
        <translation>零样本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change</source>
        <translation>变化</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Most confused with</source>
        <translation>最易混淆为</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Count</source>
        <translation>数量</translation>
    </message>
</context>
<context>
    <name>aape::ui::ClassChooser</name>
    <message>
        <location filename="../ui/ClassChooser.cpp" line="+25"/>
        <source>Choose a Class</source>
        <translation>选择类别</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Type part of a class name</source>
        <translation>输入类别名称的一部分</translation>
    </message>
</context>
<context>
    <name>aape::ui::ClassListModel</name>
    <message numerus="yes">
        <location filename="../ui/ClassListModel.cpp" line="+74"/>
        <source>%1 has %n description(s). Add at least %2 so that the model can learn which details matter for this class.</source>
        <translation>
            <numerusform>%1 有 %n 条描述。请至少添加 %2 条，以便模型学习哪些细节对该类别重要。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Show every image in the project</source>
        <translation>显示项目中的所有图像</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Images without a class. Drop thumbnails here to remove their class.</source>
        <translation>没有类别的图像。将缩略图拖到这里可移除其类别。</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n image(s). Drop thumbnails here to move them to this class; keys 1–9 set the class of the selected images; F2 renames the class.</source>
        <translation>
            <numerusform>%n 张图像。将缩略图拖到这里可将其移入该类别；按 1–9 键可设置所选图像的类别；按 F2 可重命名该类别。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n 张图像</numerusform>
        </translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Images</source>
        <translation>图像</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Descriptions</source>
        <translation>描述</translation>
    </message>
    <message>
        <location line="+86"/>
        <source>All images</source>
        <translation>所有图像</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unlabelled</source>
        <translation>未标注</translation>
    </message>
</context>
<context>
    <name>aape::ui::ClassWinnersModel</name>
    <message>
        <location filename="../ui/ComparisonModel.cpp" line="+32"/>
        <source>Zero-shot CLIP</source>
        <translation>零样本 CLIP</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CuPL</source>
        <translation>CuPL</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Linear probe</source>
        <translation>线性探针</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tip-Adapter</source>
        <translation>Tip-Adapter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tip-Adapter-F</source>
        <translation>Tip-Adapter-F</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>AAPE</source>
        <translation>AAPE</translation>
    </message>
    <message numerus="yes">
        <location line="+43"/>
        <source>%1: %n shot(s), base-to-new, %2 method(s)</source>
        <translation>
            <numerusform>%1：每类 %n 个样本，基类到新类，%2 种方法</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%1: %n shot(s), %2 method(s)</source>
        <translation>
            <numerusform>%1：每类 %n 个样本，%2 种方法</numerusform>
        </translation>
    </message>
    <message>
        <location line="+150"/>
        <source>%1 made no prediction for this class&apos;s images (it cannot score classes it was not fitted on, or its runs kept no per-image results).</source>
        <translation>%1 未对该类的图像作出预测（它无法为未拟合的类别打分，或其运行未保存逐图像结果）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: %2% of this class&apos;s images right, mean over the comparison&apos;s runs.</source>
        <translation>%1：该类图像正确 %2%，为本次比较各运行的平均值。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Best method</source>
        <translation>最佳方法</translation>
    </message>
</context>
<context>
    <name>aape::ui::ClusterDialog</name>
    <message>
        <location filename="../ui/ClusterDialog.cpp" line="+44"/>
        <source>Importing cluster embeddings</source>
        <translation>正在导入集群嵌入</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>pending</source>
        <translation>排队中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not submitted</source>
        <translation>未提交</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Encode on a Cluster</source>
        <translation>在集群上编码</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Embed this project&apos;s images on a Slurm cluster: the studio lists the images in the output folder, submits a job array with one task per shard and imports the embeddings when every shard is done; training then encodes nothing. The images, the CLIP model and the output folder must be on a file system the cluster&apos;s nodes share, and this machine must be able to run sbatch.</source>
        <translation>在 Slurm 集群上为本项目的图像计算嵌入：工作室将图像列表写入输出文件夹，提交每个分片一个任务的作业数组，并在所有分片完成后导入嵌入；之后训练无需再编码。图像、CLIP 模型和输出文件夹必须位于集群节点共享的文件系统上，且本机必须能够运行 sbatch。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Shared Output Folder</source>
        <translation>共享输出文件夹</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Array tasks; each embeds about 1/N of the images.</source>
        <translation>作业数组的任务数；每个任务为约 1/N 的图像计算嵌入。</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+11"/>
        <source>cluster default</source>
        <translation>集群默认值</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>CPUs per shard, also CLIP&apos;s threads on the node.</source>
        <translation>每个分片的 CPU 数，也是节点上 CLIP 的线程数。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Augmented views per image besides the centre view, as the Train page&apos;s &quot;Augmented views&quot;; train with as many or fewer and nothing is encoded locally.</source>
        <translation>除中心视图外每张图像的增强视图数，与训练页面的“增强视图”相同；训练时使用相同或更少的视图，本地便无需编码。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>e.g. 02:00:00</source>
        <translation>例如 02:00:00</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The CLIP towers&apos; precision on the nodes. fp32 is exact everywhere; bf16 and int8 are faster on CPUs that have them; fp16 needs GPUs.</source>
        <translation>节点上 CLIP 编码器的精度。fp32 在任何地方都精确；bf16 和 int8 在支持它们的 CPU 上更快；fp16 需要 GPU。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Shared &amp;output folder:</source>
        <translation>共享输出文件夹(&amp;O)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Shards:</source>
        <translation>分片数(&amp;S)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;CPUs per shard:</source>
        <translation>每分片 CPU 数(&amp;C)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;GPUs per shard:</source>
        <translation>每分片 GPU 数(&amp;G)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Augmented views:</source>
        <translation>增强视图(&amp;A)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Partition:</source>
        <translation>分区(&amp;P)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Time limit per shard:</source>
        <translation>每分片时限(&amp;T)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>P&amp;recision:</source>
        <translation>精度(&amp;R)：</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The command Submit runs; the same works in a terminal on the login node.</source>
        <translation>“提交”运行的命令；在登录节点的终端中运行效果相同。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Shard</source>
        <translation>分片</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Job</source>
        <translation>作业</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>&amp;Submit</source>
        <translation>提交(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>R&amp;efresh</source>
        <translation>刷新(&amp;E)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resubmit &amp;Failed</source>
        <translation>重新提交失败的分片(&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>aape cluster resume: submit again only the shards that neither finished nor are queued.</source>
        <translation>aape cluster resume：只重新提交既未完成也不在队列中的分片。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Import Embeddings</source>
        <translation>导入嵌入(&amp;I)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fill the project&apos;s embedding cache from the finished shards (done automatically when every shard is done).</source>
        <translation>用已完成的分片填充项目的嵌入缓存（所有分片完成后会自动进行）。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Command:</source>
        <translation>命令：</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Imported %1 embeddings (%2 images) from %3 shard(s); training encodes only what is still missing (%4 images not in the shards).</source>
        <translation>已从 %3 个分片导入 %1 个嵌入（%2 张图像）；训练只编码仍缺少的部分（%4 张图像不在分片中）。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The import failed: %1</source>
        <translation>导入失败：%1</translation>
    </message>
    <message>
        <location line="+80"/>
        <source>The project has no CLIP model yet; choose one with File ▸ Choose CLIP Model.</source>
        <translation>项目尚无 CLIP 模型；请通过“文件 ▸ 选择 CLIP 模型”选择一个。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The output folder %1 cannot be created; choose a shared folder you can write to.</source>
        <translation>无法创建输出文件夹 %1；请选择一个可写入的共享文件夹。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This folder already holds a cluster job: its shards are shown below. Choose another folder to submit a new one.</source>
        <translation>此文件夹已有一个集群作业：其分片显示在下方。要提交新作业，请选择另一个文件夹。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The project has no images to embed yet.</source>
        <translation>项目中还没有需要计算嵌入的图像。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The list of images could not be written to %1: %2</source>
        <translation>无法将图像列表写入 %1：%2</translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>Submitting %n image(s) in shards…</source>
        <translation>
            <numerusform>正在分片提交 %n 张图像…</numerusform>
        </translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Resubmitting the unfinished shards…</source>
        <translation>正在重新提交未完成的分片…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The cluster command failed: %1</source>
        <translation>集群命令失败：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>exit code %1</source>
        <translation>退出码 %1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1 could not be started; install AAPE Studio&apos;s command-line program or set AAPE_CLI to it.</source>
        <translation>无法启动 %1；请安装 AAPE Studio 的命令行程序，或将 AAPE_CLI 设为其路径。</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Nothing submitted from this folder yet.</source>
        <translation>此文件夹尚未提交任何作业。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The shards&apos; state cannot be read: %1</source>
        <translation>无法读取分片状态：%1</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>%1 of %2 shard(s) done.</source>
        <translation>%2 个分片中已完成 %1 个。</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n shard(s) failed; their logs are in %1. Resubmit them with Resubmit Failed.</source>
        <translation>
            <numerusform>%n 个分片失败；日志位于 %1。请用“重新提交失败的分片”重新提交。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Importing embeddings</source>
        <translation>正在导入嵌入</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Another task (%1) is running; press Import Embeddings when it has finished.</source>
        <translation>另一个任务（%1）正在运行；完成后请按“导入嵌入”。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Importing the embeddings into the project…</source>
        <translation>正在将嵌入导入项目…</translation>
    </message>
</context>
<context>
    <name>aape::ui::CompareDialog</name>
    <message>
        <location filename="../ui/CompareDialog.cpp" line="+34"/>
        <source>Comparing methods</source>
        <translation>正在比较方法</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&quot;a photo of a {class}.&quot; alone; nothing is trained.</source>
        <translation>仅用 &quot;a photo of a {class}.&quot;；不训练任何内容。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The mean of each class&apos;s descriptions as its classifier; nothing is trained.</source>
        <translation>以每个类别描述的平均值作为分类器；不训练任何内容。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A logistic regression on the few-shot images&apos; embeddings (cannot name new classes).</source>
        <translation>在少样本图像嵌入上的逻辑回归（无法识别新类别）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A cache of the few-shot images, training-free (cannot name new classes).</source>
        <translation>少样本图像的缓存模型，无需训练（无法识别新类别）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The same cache with its keys fine-tuned (cannot name new classes).</source>
        <translation>同一缓存，其键经过微调（无法识别新类别）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The prompt generator and combiner trained on the few-shot images, with the descriptions&apos; aggregate as a teacher.</source>
        <translation>在少样本图像上训练的提示生成器和组合器，以描述的聚合作为教师。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Compare Methods</source>
        <translation>比较方法</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Methods</source>
        <translation>方法</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Training images per class; every method learns from the same ones.</source>
        <translation>每类训练图像数；所有方法使用相同的图像。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>AAPE&apos;s epochs (CoOp&apos;s schedule by shots unless you change it). The other methods use their own published settings.</source>
        <translation>AAPE 的训练轮数（默认按样本数采用 CoOp 的安排）。其他方法使用各自发表的设置。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>One run per method and seed, e.g. &quot;1 2 3&quot;: the chart shows mean ± standard deviation over them.</source>
        <translation>每种方法每个种子一个运行，例如 &quot;1 2 3&quot;：图表显示它们的平均值 ± 标准差。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Base-to-new: train on half of the classes, test on all</source>
        <translation>基类到新类：在一半类别上训练，在全部类别上测试(&amp;B)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Train on the base half of the classes; report accuracy on the base classes, on the new ones (by name only) and their harmonic mean H. The linear probe and the Tip-Adapters cannot name new classes.</source>
        <translation>在基类（一半类别）上训练；报告基类、新类（仅凭名称）的准确率及其调和平均 H。线性探针和 Tip-Adapter 无法识别新类别。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Shots per class:</source>
        <translation>每类样本数(&amp;S)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>S&amp;eeds:</source>
        <translation>种子(&amp;E)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>AAPE&apos;s epoc&amp;hs:</source>
        <translation>AAPE 训练轮数(&amp;H)：</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>&amp;Run Comparison</source>
        <translation>运行比较(&amp;R)</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+181"/>
        <source>Sto&amp;p</source>
        <translation>停止(&amp;P)</translation>
    </message>
    <message>
        <location line="-180"/>
        <source>Stop after the current step; finished runs are kept.</source>
        <translation>在当前步骤后停止；已完成的运行会保留。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Close this window; a comparison that is running goes on.</source>
        <translation>关闭此窗口；正在进行的比较会继续。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Train every chosen method with every seed on the same few-shot images and split; each run is an ordinary run of the project.</source>
        <translation>用每个种子在相同的少样本图像和划分上训练每种所选方法；每个运行都是项目中的普通运行。</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>Augmented views (%1), device (%2), precision and AAPE&apos;s recipe are the Train page&apos;s.</source>
        <translation>增强视图（%1）、设备（%2）、精度和 AAPE 的配方取自训练页。</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Open or create a project first (File ▸ Open).</source>
        <translation>请先打开或创建项目（文件 ▸ 打开）。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Choose at least one method.</source>
        <translation>请至少选择一种方法。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The seeds must be whole numbers separated by spaces or commas, e.g. &quot;1 2 3&quot;.</source>
        <translation>种子必须是以空格或逗号分隔的整数，例如 &quot;1 2 3&quot;。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Another task (%1) is still running; wait for it to finish or stop it.</source>
        <translation>另一个任务（%1）仍在运行；请等待其完成或停止它。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Opening the model…</source>
        <translation>正在打开模型…</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+1"/>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Stopped. The runs that finished are on the Runs page.</source>
        <translation>已停止。已完成的运行在“运行”页上。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Finished. The comparison is on the Runs page, under Method comparison.</source>
        <translation>已完成。比较结果在“运行”页的“方法比较”下。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The comparison failed: %1</source>
        <translation>比较失败：%1</translation>
    </message>
</context>
<context>
    <name>aape::ui::ComparisonChart</name>
    <message>
        <location filename="../ui/ComparisonChart.cpp" line="+50"/>
        <source>Accuracy (%)</source>
        <translation>准确率（%）</translation>
    </message>
    <message numerus="yes">
        <location line="+41"/>
        <source>Base, new and H: mean ± std over %n run(s)</source>
        <translation>
            <numerusform>基类、新类和 H：%n 个运行的平均值 ± 标准差</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Accuracy: mean ± std over %n run(s)</source>
        <translation>
            <numerusform>准确率：%n 个运行的平均值 ± 标准差</numerusform>
        </translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Base classes</source>
        <translation>基类</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New classes</source>
        <translation>新类</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>H (harmonic mean)</source>
        <translation>H（调和平均）</translation>
    </message>
</context>
<context>
    <name>aape::ui::ComparisonPanel</name>
    <message>
        <location filename="../ui/ComparisonPanel.cpp" line="+30"/>
        <source>Re-evaluating runs</source>
        <translation>正在重新评估运行</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Comparisons made with Compare Methods… or with aape compare, newest first.</source>
        <translation>用“比较方法…”或 aape compare 做的比较，最新的在前。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Co&amp;mparison:</source>
        <translation>比较(&amp;M)：</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Accuracy per class and method (mean over the comparison&apos;s seeds); the best method of each class is highlighted. Click a header to sort.</source>
        <translation>每个类别、每种方法的准确率（本次比较各种子的平均值）；每个类别的最佳方法会高亮显示。点击表头排序。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Re-&amp;evaluate These Runs</source>
        <translation>重新评估这些运行(&amp;E)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Evaluate the runs without per-image results again, so that they count here.</source>
        <translation>重新评估没有逐图像结果的运行，使其在此计入。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Which method wins where (accuracy per class, %)</source>
        <translation>哪种方法在哪里胜出（每类准确率，%）</translation>
    </message>
    <message numerus="yes">
        <location line="+81"/>
        <source>%n evaluated run(s)</source>
        <translation>
            <numerusform>%n 个已评估的运行</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n run(s) stopped or not evaluated, left out</source>
        <translation>
            <numerusform>%n 个运行已停止或未评估，未计入</numerusform>
        </translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No per-image results for run(s) %1; re-evaluate them to count them here.</source>
        <translation>运行 %1 没有逐图像结果；请重新评估以在此计入。</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Another task (%1) is still running; re-evaluate when it has finished.</source>
        <translation>另一个任务（%1）仍在运行；请在其完成后重新评估。</translation>
    </message>
</context>
<context>
    <name>aape::ui::ConfusionMatrixModel</name>
    <message numerus="yes">
        <location filename="../ui/ConfusionMatrixModel.cpp" line="+195"/>
        <source>%n image(s) of %1 predicted as %2. Click to list them.</source>
        <translation>
            <numerusform>%n 张 %1 图像被预测为 %2。点击列出这些图像。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+15"/>
        <source>True class: %1 (%n misclassified)</source>
        <translation>
            <numerusform>真实类别：%1（%n 张分类错误）</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Predicted class: %1</source>
        <translation>预测类别：%1</translation>
    </message>
</context>
<context>
    <name>aape::ui::ConfusionMatrixView</name>
    <message>
        <location filename="../ui/ConfusionMatrixView.cpp" line="+147"/>
        <source>Rows: true class. Columns: predicted class. Darker cells hold more images; click a cell to list its images. Ctrl+wheel zooms.</source>
        <translation>行：真实类别。列：预测类别。颜色越深的单元格图像越多；点击单元格可列出其中的图像。按住 Ctrl 滚动滚轮可缩放。</translation>
    </message>
</context>
<context>
    <name>aape::ui::DataPage</name>
    <message>
        <location filename="../ui/DataPage.cpp" line="+49"/>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test</source>
        <translation>测试</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Find a class (Ctrl+F)</source>
        <translation>查找类别（Ctrl+F）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Shows the classes whose name holds every word typed, ignoring case, accents and punctuation: “bmw 2012” finds “2012 BMW M3 Coupe”</source>
        <translation>显示名称包含所输入每个词的类别，忽略大小写、重音符号和标点：“bmw 2012”可找到“2012 BMW M3 Coupe”</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>All splits</source>
        <translation>所有划分</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Show only the images of one split</source>
        <translation>仅显示某一划分的图像</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show excluded</source>
        <translation>显示已排除</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Excluded images take no part in training or evaluation; they are shown dimmed</source>
        <translation>已排除的图像不参与训练和评估；它们以淡色显示</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Split:</source>
        <translation>划分：</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Show All Images</source>
        <translation>显示全部图像</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>&lt;p style=&apos;font-size:large&apos;&gt;No images yet.&lt;/p&gt;&lt;p&gt;Drop a folder on this window whose sub-folders are the classes (e.g. &lt;i&gt;forest/&lt;/i&gt;, &lt;i&gt;river/&lt;/i&gt;), a &lt;i&gt;path,label&lt;/i&gt; CSV or a CoOp &lt;i&gt;split_zhou_*.json&lt;/i&gt;. Or use File ▸ Import Folder… (Ctrl+I).&lt;/p&gt;</source>
        <translation>&lt;p style=&apos;font-size:large&apos;&gt;还没有图像。&lt;/p&gt;&lt;p&gt;将一个以子文件夹为类别的文件夹（如 &lt;i&gt;forest/&lt;/i&gt;、&lt;i&gt;river/&lt;/i&gt;）、&lt;i&gt;path,label&lt;/i&gt; 格式的 CSV 或 CoOp 的 &lt;i&gt;split_zhou_*.json&lt;/i&gt; 拖到此窗口。也可以使用 文件 ▸ 导入文件夹…（Ctrl+I）。&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+88"/>
        <location line="+88"/>
        <location line="+1"/>
        <source>Encoding the new class name</source>
        <translation>正在编码新类别名称</translation>
    </message>
    <message>
        <location line="-87"/>
        <source>The new class name could not be encoded now; the next training encodes it.</source>
        <translation>现在无法编码新类别名称；下次训练时会对其编码。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>No class name holds “%1”.</source>
        <translation>没有类别名称包含“%1”。</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%1 of %n class(es)</source>
        <translation>
            <numerusform>%1 个，共 %n 个类别</numerusform>
        </translation>
    </message>
    <message>
        <location line="+14"/>
        <source>A class needs a name; “%1” keeps its name.</source>
        <translation>类别必须有名称；“%1”保留原名称。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>There is already a class “%1”. Choose another name for “%2”.</source>
        <translation>已存在类别“%1”。请为“%2”另选一个名称。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Wait for “%1” to finish, or stop it, then rename the class.</source>
        <translation>请等待“%1”完成或将其停止，然后再重命名该类别。</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Rename Class…</source>
        <translation>重命名类别…</translation>
    </message>
    <message>
        <location line="+28"/>
        <location line="+140"/>
        <source>Move to Class…</source>
        <translation>移至类别…</translation>
    </message>
    <message>
        <location line="-135"/>
        <source>Exclude / Include</source>
        <translation>排除 / 包含</translation>
    </message>
    <message>
        <location line="+74"/>
        <source>There is no class %1. Keys 1–9 pick the first nine classes in the list.</source>
        <translation>没有类别 %1。按 1–9 键可选择列表中的前九个类别。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Move to Class</source>
        <translation>移至类别</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Class of the %n selected image(s):</source>
        <translation>
            <numerusform>所选 %n 张图像的类别：</numerusform>
        </translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Set Class</source>
        <translation>设置类别</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Unlabelled</source>
        <translation>未标注</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Set Split</source>
        <translation>设置划分</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Include in Training</source>
        <translation>纳入训练</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Exclude from Training</source>
        <translation>从训练中排除</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Find Similar Images</source>
        <translation>查找相似图像</translation>
    </message>
    <message numerus="yes">
        <location line="+18"/>
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n 张图像</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Showing %1 of %n image(s)</source>
        <translation>
            <numerusform>显示 %1 张，共 %n 张图像</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+18"/>
        <source>Showing %n image(s) %1.</source>
        <translation>
            <numerusform>显示 %n 张图像（%1）。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+17"/>
        <location line="+30"/>
        <source>Finding similar images</source>
        <translation>正在查找相似图像</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>most similar to %1 (itself first)</source>
        <translation>与 %1 最相似（其本身排在最前）</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Another task (%1) is running; look for similar images when it has finished.</source>
        <translation>另一项任务（%1）正在运行；请在它完成后再查找相似图像。</translation>
    </message>
</context>
<context>
    <name>aape::ui::DatasetFilterModel</name>
    <message>
        <location filename="../ui/DatasetModel.cpp" line="+319"/>
        <source>cosine %1</source>
        <translation>余弦 %1</translation>
    </message>
</context>
<context>
    <name>aape::ui::DatasetModel</name>
    <message>
        <location line="-294"/>
        <source>train</source>
        <translation>训练</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>val</source>
        <translation>验证</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>test</source>
        <translation>测试</translation>
    </message>
    <message>
        <location line="+62"/>
        <location line="+7"/>
        <location line="+37"/>
        <source>unlabelled</source>
        <translation>未标注</translation>
    </message>
    <message>
        <location line="-43"/>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Class: %1</source>
        <translation>类别：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Split: %1</source>
        <translation>划分：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 × %2 pixels</source>
        <translation>%1 × %2 像素</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Excluded from training and evaluation (Delete to include)</source>
        <translation>已从训练和评估中排除（按 Delete 重新包含）</translation>
    </message>
</context>
<context>
    <name>aape::ui::DescribePage</name>
    <message>
        <location filename="../ui/DescribePage.cpp" line="+116"/>
        <source>Type a description of this class and press Enter, e.g. “a satellite photo of dense green forest”</source>
        <translation>输入该类别的描述并按回车，例如“一张茂密绿色森林的卫星图像”</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add the typed description to the class</source>
        <translation>将输入的描述添加到该类别</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Paste Lines</source>
        <translation>粘贴多行</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add every line of the clipboard as a description of this class (Ctrl+Shift+V)</source>
        <translation>将剪贴板中的每一行作为该类别的一条描述添加（Ctrl+Shift+V）</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Delete the selected descriptions (Delete)</source>
        <translation>删除所选描述（Delete）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Import CuPL JSON…</source>
        <translation>导入 CuPL JSON…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add descriptions from a CuPL JSON file {&quot;class name&quot;: [&quot;sentence&quot;, …]}; class names are matched ignoring case and punctuation</source>
        <translation>从 CuPL JSON 文件 {&quot;类别名&quot;: [&quot;句子&quot;, …]} 添加描述；匹配类别名时忽略大小写和标点</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Remove Flagged and Retrain</source>
        <translation>移除已标记的描述并重新训练</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete every flagged description of every class (one step: Undo brings them all back) and train again with the Train page&apos;s settings</source>
        <translation>删除所有类别中被标记的描述（一步完成：撤销可全部恢复），并以训练页的设置重新训练</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Checking which descriptions the latest run uses…</source>
        <translation>正在检查最新运行使用了哪些描述…</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>No ranking of the descriptions yet: %1</source>
        <translation>尚无描述排名：%1</translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>Run %1: %n description(s) flagged (marked ⚠; hover for why). Ranks and weights are the aggregator&apos;s attention over each class&apos;s training images.</source>
        <translation>
            <numerusform>运行 %1：%n 条描述被标记（标有 ⚠；悬停查看原因）。排名和权重是聚合器在各类训练图像上的注意力。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Run %1: no description flagged. Ranks and weights are the aggregator&apos;s attention over each class&apos;s training images.</source>
        <translation>运行 %1：没有描述被标记。排名和权重是聚合器在各类训练图像上的注意力。</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Kept the flagged descriptions of %1: removing them would leave the class none. Rewrite them instead.</source>
        <translation>保留了 %1 中被标记的描述：移除它们会使该类没有任何描述。请改写它们。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>Remove %n flagged description(s)</source>
        <translation>
            <numerusform>移除 %n 条被标记的描述</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>Removed %n flagged description(s); training again.</source>
        <translation>
            <numerusform>已移除 %n 条被标记的描述；正在重新训练。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+27"/>
        <source>No class selected</source>
        <translation>未选择类别</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import images first: each class comes from a folder name or a label in your CSV.</source>
        <translation>请先导入图像：每个类别来自文件夹名或 CSV 中的标签。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Descriptions of “%1”</source>
        <translation>“%1”的描述</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Describe what sets this class apart: colour, shape, texture, context. Several short sentences work better than one long one; paste many at once, one per line.</source>
        <translation>描述该类别的区别特征：颜色、形状、纹理、上下文。多条短句比一条长句效果更好；可一次粘贴多条，每行一条。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Nothing added: the class already has these descriptions.</source>
        <translation>未添加任何内容：该类别已有这些描述。</translation>
    </message>
</context>
<context>
    <name>aape::ui::DescriptionMatchDialog</name>
    <message>
        <location filename="../ui/DescriptionMatchDialog.cpp" line="+45"/>
        <source>Skip (do not import)</source>
        <translation>跳过（不导入）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 (%2 % similar)</source>
        <translation>%1（相似度 %2%）</translation>
    </message>
    <message>
        <location line="+218"/>
        <source>Match Descriptions to Classes</source>
        <translation>将描述匹配到类别</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>%n description group(s).</source>
        <translation>
            <numerusform>%n 组描述。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 match a class by name, %2 match one loosely, %3 match none.</source>
        <translation>%1 组按名称匹配到类别，%2 组近似匹配，%3 组未匹配。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Check the groups below, those that match none first: choose the class each belongs to, or Skip to leave it out.</source>
        <translation>请检查下面的各组（未匹配的排在最前）：为每组选择其所属类别，或选择“跳过”将其排除。</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Import nothing from this file</source>
        <translation>不从此文件导入任何内容</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Sentences</source>
        <translation>句子</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>%n sentence(s)</source>
        <translation>
            <numerusform>%n 条句子</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>in %n group(s) will be imported.</source>
        <translation>
            <numerusform>（分属 %n 组）将被导入。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+41"/>
        <source>No descriptions were imported from %1.</source>
        <translation>未从 %1 导入任何描述。</translation>
    </message>
</context>
<context>
    <name>aape::ui::DescriptionMatchModel</name>
    <message>
        <location line="-236"/>
        <source>chosen by you</source>
        <translation>由您选择</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>case</source>
        <translation>大小写</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>punctuation</source>
        <translation>标点</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>accents</source>
        <translation>重音符号</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>word order</source>
        <translation>词序</translation>
    </message>
    <message numerus="yes">
        <location line="+16"/>
        <source>%n sentence(s) in this group</source>
        <translation>
            <numerusform>该组有 %n 条句子</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Skip (do not import)</source>
        <translation>跳过（不导入）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Same name apart from %1</source>
        <translation>名称相同，仅%1不同</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Several classes match equally: choose one</source>
        <translation>多个类别匹配程度相同：请选择一个</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No class of this name; the nearest is %1 % similar</source>
        <translation>没有此名称的类别；最接近的类别相似度为 %1%</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nothing close: choose a class or skip</source>
        <translation>没有相近的类别：请选择一个类别或跳过</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>In the file</source>
        <translation>文件中的名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sentences</source>
        <translation>句子</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Goes to class</source>
        <translation>归入类别</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Why</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>aape::ui::DescriptionModel</name>
    <message>
        <location filename="../ui/DescriptionModel.cpp" line="+58"/>
        <source>typed</source>
        <translation>手动输入</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CuPL file %1</source>
        <translation>CuPL 文件 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>text file %1</source>
        <translation>文本文件 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>pasted</source>
        <translation>粘贴</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Ignored: over the class&apos;s training images the aggregator gives it a mean weight of %1, under %2 (half the even share 1/%3).</source>
        <translation>被忽略：在该类训练图像上，聚合器给它的平均权重为 %1，低于 %2（均分份额 1/%3 的一半）。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Matches another class: closer to the training images of “%1” (cosine %2) than to its own class&apos;s (%3).</source>
        <translation>匹配另一类别：它与“%1”的训练图像更接近（余弦 %2），而与本类的为（%3）。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Rank %1 of %2 in run %3: mean weight %4 over the class&apos;s training images, the aggregator&apos;s own weight %5 (even share %6).</source>
        <translation>在运行 %3 中排名 %1/%2：在该类训练图像上的平均权重 %4，聚合器自身权重 %5（均分份额 %6）。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Cosine to its class&apos;s training images %1</source>
        <translation>与本类训练图像的余弦 %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>; to “%1”&apos;s %2</source>
        <translation>；与“%1”的为 %2</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>#%1 · %2</source>
        <translation>#%1 · %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Double-click or press F2 to edit. Source: %1</source>
        <translation>双击或按 F2 编辑。来源：%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No rank yet: train a run (and encode new descriptions) to see how much the aggregator uses this description</source>
        <translation>尚无排名：训练一个运行（并编码新描述）以查看聚合器对这条描述的使用程度</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Where this description came from</source>
        <translation>该描述的来源</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>This class already has that description.</source>
        <translation>该类别已有这条描述。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rank · weight</source>
        <translation>排名 · 权重</translation>
    </message>
</context>
<context>
    <name>aape::ui::DuplicatesDialog</name>
    <message>
        <location filename="../ui/DuplicatesDialog.cpp" line="+35"/>
        <source>Finding near-duplicates</source>
        <translation>正在查找近似重复</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+226"/>
        <source>train</source>
        <translation>训练</translation>
    </message>
    <message>
        <location line="-225"/>
        <source>validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>test</source>
        <translation>测试</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>Near-Duplicates</source>
        <translation>近似重复</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Pairs whose CLIP embeddings have at least this cosine similarity. 1 is identical; 0.97 finds resized, recompressed or slightly cropped copies.</source>
        <translation>CLIP 嵌入的余弦相似度至少为此值的图像对。1 表示完全相同；0.97 可找到缩放、重新压缩或轻微裁剪过的副本。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Find</source>
        <translation>查找(&amp;F)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Cosine at least:</source>
        <translation>余弦至少(&amp;C)：</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Image</source>
        <translation>图像</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Near-duplicate</source>
        <translation>近似重复</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Cosine</source>
        <translation>余弦</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Splits</source>
        <translation>划分</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Labels</source>
        <translation>标签</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>⚠ marks a pair across splits: the validation or test copy of a training image makes the accuracy measured on it look better than it is.</source>
        <translation>⚠ 标记跨划分的图像对：训练图像在验证或测试集中的副本会使在其上测得的准确率虚高。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Press Find to list pairs of near-identical images.</source>
        <translation>按“查找”列出近乎相同的图像对。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Exclude &amp;Image</source>
        <translation>排除图像(&amp;I)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exclude the left image of the selected pairs from training and evaluation (A).</source>
        <translation>将所选图像对的左侧图像排除在训练和评估之外（A）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exclude &amp;Near-Duplicate</source>
        <translation>排除近似重复(&amp;N)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exclude the right image of the selected pairs (B).</source>
        <translation>排除所选图像对的右侧图像（B）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exclude &amp;Copies Across Splits</source>
        <translation>排除跨划分的副本(&amp;C)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>For every pair across splits, exclude the validation or test copy (the training copy stays): one step, undone with Ctrl+Z.</source>
        <translation>对每个跨划分的图像对，排除验证或测试集中的副本（保留训练副本）：一步完成，可用 Ctrl+Z 撤销。</translation>
    </message>
    <message>
        <location line="+83"/>
        <source>Another task (%1) is running; press Find when it has finished.</source>
        <translation>另一个任务（%1）正在运行；完成后请按“查找”。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Comparing every image with every other…</source>
        <translation>正在两两比较所有图像…</translation>
    </message>
    <message>
        <location line="+25"/>
        <location line="+16"/>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>Across splits: the %1 copy inflates the accuracy measured on it.</source>
        <translation>跨划分：%1 中的副本会使在其上测得的准确率虚高。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The two copies carry different labels: at least one is wrong.</source>
        <translation>两个副本的标签不同：至少有一个是错的。</translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>%n pair(s) at cosine ≥ %1 among %2 images</source>
        <translation>
            <numerusform>%2 张图像中有 %n 对余弦 ≥ %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>%n across splits (they inflate validation or test accuracy)</source>
        <translation>
            <numerusform>其中 %n 对跨划分（会使验证或测试准确率虚高）</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The %1 most similar are listed; raise the threshold to see fewer.</source>
        <translation>只列出最相似的 %1 对；提高阈值可减少数量。</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n image(s) are not encoded yet and were not compared (training or the Map page encodes them).</source>
        <translation>
            <numerusform>%n 张图像尚未编码，未参与比较（训练或地图页面会编码它们）。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>aape::ui::EditDescriptionCommand</name>
    <message>
        <location filename="../ui/UndoCommands.cpp" line="+38"/>
        <source>Edit a description</source>
        <translation>编辑描述</translation>
    </message>
</context>
<context>
    <name>aape::ui::ExportActions</name>
    <message>
        <location filename="../ui/ExportActions.cpp" line="+109"/>
        <source>Save Plot as PNG or PDF…</source>
        <translation>将图表另存为 PNG 或 PDF…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save this plot as a picture (PNG) or a vector document (PDF)</source>
        <translation>将此图表保存为图片（PNG）或矢量文档（PDF）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Save Plot</source>
        <translation>保存图表</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PNG image (*.png);;PDF document (*.pdf)</source>
        <translation>PNG 图像 (*.png);;PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Plot saved to %1.</source>
        <translation>图表已保存到 %1。</translation>
    </message>
</context>
<context>
    <name>aape::ui::ImageInspector</name>
    <message>
        <location filename="../ui/ImageInspector.cpp" line="+53"/>
        <location line="+100"/>
        <source>Select an image in the table to inspect it.</source>
        <translation>在表格中选择一张图像以检查它。</translation>
    </message>
    <message>
        <location line="-95"/>
        <source>The image as stored; the box is the part the model sees (shorter side resized, centre cropped).</source>
        <translation>存储的原始图像；方框为模型看到的部分（短边缩放后居中裁剪）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The model&apos;s view: exactly the pixels CLIP receives, enlarged without smoothing.</source>
        <translation>模型视图：正是 CLIP 接收的像素，放大显示且不做平滑。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Original with the model&apos;s crop</source>
        <translation>原图及模型裁剪区域</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model&apos;s view</source>
        <translation>模型视图</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>OOD score (our addition, not in the paper): higher means the image looks less like any class seen in training.</source>
        <translation>分布外得分（本软件新增，论文中没有）：越高表示该图像越不像训练中见过的任何类别。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>What CLIP predicts with the plain templates alone, before adaptation.</source>
        <translation>适配前仅用普通模板时 CLIP 的预测。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The three descriptions of all classes nearest this image by CLIP similarity: what the image looks like in words. Most telling when the OOD score is high and the image resembles none of the classes.</source>
        <translation>在所有类别的描述中按 CLIP 相似度与此图像最接近的三条：用文字说明图像像什么。当 OOD 分数高、图像不像任何类别时最有参考价值。</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Which descriptions mattered</source>
        <translation>哪些描述起了作用</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Aggregator&apos;s attention</source>
        <translation>聚合器的注意力</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Blended with this image&apos;s CLIP match</source>
        <translation>与此图像的 CLIP 匹配混合</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Aggregator&apos;s attention: the weights the aggregator gave the class&apos;s descriptions when it built the prompt (as in the AAPE paper&apos;s Figure 7); the same for every image of the class.
Blended: those weights multiplied by how well each description matches this image under CLIP, renormalised; it differs from image to image.</source>
        <translation>聚合器的注意力：聚合器构建提示时赋予该类各描述的权重（如 AAPE 论文图 7 所示）；对该类每张图像都相同。
混合：这些权重乘以每条描述在 CLIP 下与此图像的匹配程度，再归一化；随图像而不同。</translation>
    </message>
    <message>
        <location line="+103"/>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Looks like: %1</source>
        <translation>看起来像：%1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>(class %1)</source>
        <translation>（类别 %1）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 — labelled %2, predicted %3 %4</source>
        <translation>%1 — 标注为 %2，预测为 %3 %4</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(right)</source>
        <translation>（正确）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>(wrong)</source>
        <translation>（错误）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 — predicted %2</source>
        <translation>%1 — 预测为 %2</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>The image cannot be read:
%1</source>
        <translation>无法读取该图像：
%1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Top predictions</source>
        <translation>最高预测</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>OOD score (our addition): &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>分布外得分（本软件新增）：&lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Similarity to the template prompt: %1 ⓘ</source>
        <translation>与模板提示的相似度：%1 ⓘ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Similarity to the AAPE prompt: %1 ⓘ</source>
        <translation>与 AAPE 提示的相似度：%1 ⓘ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zero-shot CLIP says: %1</source>
        <translation>零样本 CLIP 的预测：%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Predicted class: %1</source>
        <translation>预测类别：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>True class: %1</source>
        <translation>真实类别：%1</translation>
    </message>
</context>
<context>
    <name>aape::ui::InspectPage</name>
    <message>
        <location filename="../ui/InspectPage.cpp" line="+121"/>
        <source>&amp;Run:</source>
        <translation>运行(&amp;R)：</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>Which finished run to inspect. Each run is named with its accuracy on the split it was evaluated on.</source>
        <translation>要检查的已完成运行。每个运行名称旁标有其在评估所用划分上的准确率。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Every evaluated image, of every class.</source>
        <translation>所有类别的全部已评估图像。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Misclassified</source>
        <translation>分类错误</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Images whose prediction differs from their label.</source>
        <translation>预测与标签不一致的图像。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Low confidence</source>
        <translation>低置信度</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Images predicted with a probability below 0.5.</source>
        <translation>预测概率低于 0.5 的图像。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>High OOD score</source>
        <translation>高分布外得分</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The 10% of images that look least like the training classes (OOD score, our addition).</source>
        <translation>与训练类别最不相似的 10% 图像（分布外得分，本软件新增）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Fixed by adaptation</source>
        <translation>适配后纠正</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Images AAPE gets right that zero-shot CLIP got wrong.</source>
        <translation>AAPE 分类正确而零样本 CLIP 分类错误的图像。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Broken by adaptation</source>
        <translation>适配后出错</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Images zero-shot CLIP got right that AAPE gets wrong.</source>
        <translation>零样本 CLIP 分类正确而 AAPE 分类错误的图像。</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Show all classes</source>
        <translation>显示所有类别</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop restricting the table to one class or confusion-matrix cell.</source>
        <translation>不再将表格限制在某个类别或混淆矩阵的某个单元格。</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Up/Down or J/K move through the images; the inspector follows. Keys 1–9 set the class of the selected images (0: unlabelled, Ctrl+M: any class), Delete excludes them; right-click for more.</source>
        <translation>按上/下键或 J/K 键浏览图像；检查器随之更新。按 1–9 键可设置所选图像的类别（0：未标注，Ctrl+M：任意类别），按 Delete 键将其排除；右键单击可查看更多操作。</translation>
    </message>
    <message>
        <location line="+70"/>
        <source>Find a class</source>
        <translation>查找类别</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Click a class to list its images; click its most-confused class to list the images taken for it. Click a column title to sort.</source>
        <translation>点击类别可列出其图像；点击其最易混淆的类别可列出被误认成该类别的图像。点击列标题可排序。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Classes</source>
        <translation>类别</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Which classes are taken for which, most often first. Click a row to list its images.</source>
        <translation>哪些类别被误认成哪些类别，最常见的排在最前。点击某一行可列出其图像。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Top confusions</source>
        <translation>最常见混淆</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Class order</source>
        <translation>类别顺序</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Most errors first</source>
        <translation>错误最多的在前</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Confused classes together</source>
        <translation>易混淆类别相邻</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The order of the classes, the same on both axes: as in the project, by how many of their images are misclassified, or with classes that are taken for each other side by side.</source>
        <translation>类别的排列顺序（两个坐标轴相同）：按项目中的顺序、按各类别被分类错误的图像数，或将相互混淆的类别排在一起。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Order:</source>
        <translation>排序(&amp;O)：</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>−</source>
        <translation>−</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Smaller cells (Ctrl+wheel down, Ctrl+−)</source>
        <translation>缩小单元格（Ctrl+滚轮向下，Ctrl+−）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>+</source>
        <translation>+</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Larger cells (Ctrl+wheel up, Ctrl++)</source>
        <translation>放大单元格（Ctrl+滚轮向上，Ctrl++）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fit</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The whole matrix in view; class names show once the cells are large enough for them.</source>
        <translation>显示整个矩阵；单元格足够大时会显示类别名称。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Zoom:</source>
        <translation>缩放：</translation>
    </message>
    <message numerus="yes">
        <location line="+158"/>
        <source>%n image(s) of the %1 split</source>
        <translation>
            <numerusform>%1中的 %n 张图像</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 accuracy %2% (zero-shot CLIP %3%)</source>
        <translation>%1准确率 %2%（零样本 CLIP 为 %3%）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>epoch %1, the best on validation</source>
        <translation>第 %1 轮，验证集上最佳</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>epoch %1, the last</source>
        <translation>第 %1 轮，即最后一轮</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Per-class chart</source>
        <translation>各类别图表</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Accuracy on the %1 images (%)</source>
        <translation>%1图像上的准确率 (%)</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Now labelled %1; this run was evaluated with the old label.</source>
        <translation>现已标注为 %1；本次运行是按旧标签评估的。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Now unlabelled; this run was evaluated with the old label.</source>
        <translation>现已无标注；本次运行是按旧标签评估的。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Excluded: it takes no part in training or evaluation from now on.</source>
        <translation>已排除：从现在起不再参与训练和评估。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A wrong label? Right-click to relabel it, or press 1–9, 0 or Ctrl+M; Delete excludes it.</source>
        <translation>标签有误？右键单击可重新标注，或按 1–9、0 或 Ctrl+M；按 Delete 键可将其排除。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Train again to use the change; Ctrl+Z undoes it.</source>
        <translation>重新训练即可使用此更改；按 Ctrl+Z 可撤销。</translation>
    </message>
    <message numerus="yes">
        <location line="+39"/>
        <source>Only the %n image(s) %1</source>
        <translation>
            <numerusform>仅显示 %n 张图像（%1）</numerusform>
        </translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Only images of %1</source>
        <translation>仅显示 %1 的图像</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Only images of %1 predicted as %2</source>
        <translation>仅显示被预测为 %2 的 %1 图像</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>predicted, %1%</source>
        <translation>预测，%1%</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>zero-shot CLIP</source>
        <translation>零样本 CLIP</translation>
    </message>
    <message>
        <location line="-383"/>
        <source>Accuracy of each class after adaptation, with zero-shot CLIP beside it. Right-click to save the plot.</source>
        <translation>适配后每个类别的准确率，旁边是零样本 CLIP 的准确率。右键单击可保存图表。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Confusion matrix</source>
        <translation>混淆矩阵</translation>
    </message>
    <message>
        <location line="+109"/>
        <source>Train a run, then inspect its predictions here.</source>
        <translation>请先训练一次运行，然后在此检查其预测。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This run has no predictions yet: evaluate it first.</source>
        <translation>该运行还没有预测结果：请先评估。</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>AAPE</source>
        <translation>AAPE</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Zero-shot CLIP</source>
        <translation>零样本 CLIP</translation>
    </message>
</context>
<context>
    <name>aape::ui::LabelEditor</name>
    <message>
        <location filename="../ui/LabelEditor.cpp" line="+75"/>
        <source>Label as %1 (%2)</source>
        <translation>标注为 %1（%2）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Set Class</source>
        <translation>设置类别</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Other Class…</source>
        <translation>其他类别…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Unlabelled</source>
        <translation>未标注</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Include in Training</source>
        <translation>纳入训练</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Exclude from Training</source>
        <translation>从训练中排除</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Excluded images take no part in training or evaluation.</source>
        <translation>已排除的图像不参与训练和评估。</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>There is no class %1. Keys 1–9 pick the first nine classes in label order; Ctrl+M chooses any class.</source>
        <translation>没有类别 %1。按 1–9 键可按标签顺序选择前九个类别；按 Ctrl+M 可选择任意类别。</translation>
    </message>
    <message numerus="yes">
        <location line="+30"/>
        <source>Class of the %n selected image(s):</source>
        <translation>
            <numerusform>所选 %n 张图像的类别：</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>aape::ui::LossPlot</name>
    <message>
        <location filename="../ui/LossPlot.cpp" line="+81"/>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reward</source>
        <translation>奖励</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Accuracy (%)</source>
        <translation>准确率 (%)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Total loss</source>
        <translation>总损失</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Task loss (cross-entropy)</source>
        <translation>任务损失（交叉熵）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Distillation loss</source>
        <translation>蒸馏损失</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Aggregator reward</source>
        <translation>聚合器奖励</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Train accuracy</source>
        <translation>训练准确率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Validation accuracy</source>
        <translation>验证准确率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zero-shot CLIP (validation)</source>
        <translation>零样本 CLIP（验证）</translation>
    </message>
</context>
<context>
    <name>aape::ui::MainWindow</name>
    <message>
        <location filename="../ui/MainWindow.cpp" line="+74"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <location line="+24"/>
        <location line="+382"/>
        <source>AAPE Studio</source>
        <translation>AAPE Studio</translation>
    </message>
    <message>
        <location line="-316"/>
        <location line="+277"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="-271"/>
        <location line="+1"/>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <location line="+66"/>
        <location line="+1"/>
        <source>selected on the map</source>
        <translation>在地图上选中的</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+6"/>
        <source>clicked on the scene</source>
        <translation>在场景中点击的</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The run did not evaluate this tile (it trained on it, or it has no label): the Data page shows it.</source>
        <translation>该运行未评估此图块（用它训练过，或它没有标签）：已在数据页面中显示。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Your images: classes, splits, labels (Ctrl+1)</source>
        <translation>您的图像：类别、划分、标签（Ctrl+1）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Describe</source>
        <translation>描述</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Sentences that describe each class (Ctrl+2)</source>
        <translation>描述各类别的句子（Ctrl+2）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Train the prompt generator and watch the curves (Ctrl+3)</source>
        <translation>训练提示生成器并查看曲线（Ctrl+3）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Inspect</source>
        <translation>检查</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Which descriptions mattered, hard and unusual images (Ctrl+4)</source>
        <translation>哪些描述起了作用、困难图像与异常图像（Ctrl+4）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Try</source>
        <translation>试用</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Classify new images with a trained run (Ctrl+5)</source>
        <translation>用已训练的运行对新图像分类（Ctrl+5）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Runs</source>
        <translation>运行记录</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Compare runs and export the trained generator (Ctrl+6)</source>
        <translation>比较运行并导出训练好的生成器（Ctrl+6）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Map</source>
        <translation>地图</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>All images on a map of their CLIP embeddings; select some to see them (Ctrl+7)</source>
        <translation>按 CLIP 嵌入绘制的全部图像地图；选中一些即可查看（Ctrl+7）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Review</source>
        <translation>审核</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Likely label mistakes and what to label next, one key per image (Ctrl+8)</source>
        <translation>可能的标注错误和下一步该标注的图像，每张图像一个按键（Ctrl+8）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Scene</source>
        <translation>场景</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>A scene imported as tiles with a run&apos;s class map over it (Ctrl+9)</source>
        <translation>以图块导入的场景，叠加某次运行的类别图（Ctrl+9）</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;New Project…</source>
        <translation>新建项目(&amp;N)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Create an empty project file</source>
        <translation>创建一个空的项目文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Open Project…</source>
        <translation>打开项目(&amp;O)…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open an existing *.aapeproj file</source>
        <translation>打开已有的 *.aapeproj 文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open &amp;Demo</source>
        <translation>打开演示(&amp;D)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A small ready-made project of coloured shapes, created on first use</source>
        <translation>一个由彩色形状组成的小型现成项目，首次使用时创建</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose CLIP &amp;Model…</source>
        <translation>选择 CLIP 模型(&amp;M)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pick the CLIP checkpoint the project adapts</source>
        <translation>选择项目要适配的 CLIP 检查点</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Import Folder…</source>
        <translation>导入文件夹(&amp;I)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Import a folder whose sub-folders are the classes</source>
        <translation>导入以子文件夹为类别的文件夹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import &amp;CSV…</source>
        <translation>导入 CSV(&amp;C)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import images listed in a path,label CSV file</source>
        <translation>导入 path,label 格式 CSV 文件中列出的图像</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Import Co&amp;Op Split…</source>
        <translation>导入 CoOp 划分(&amp;O)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import a dataset with its CoOp split_zhou_*.json (train/val/test as published)</source>
        <translation>导入带有 CoOp split_zhou_*.json 的数据集（按发布的训练/验证/测试划分）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Import &amp;Descriptions (CuPL JSON)…</source>
        <translation>导入描述（CuPL JSON）(&amp;D)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add class descriptions from a CuPL JSON file</source>
        <translation>从 CuPL JSON 文件添加类别描述</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import &amp;Scene as Tiles (GeoTIFF, JPEG2000)…</source>
        <translation>将场景导入为瓦片(&amp;S)（GeoTIFF、JPEG2000）…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cut a satellite or aerial scene into tiles, optionally labelled from polygons of a vector file</source>
        <translation>将卫星或航空场景切成瓦片，可选用矢量文件中的多边形进行标注</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Encode on a C&amp;luster…</source>
        <translation>在集群上编码(&amp;L)…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Embed the project&apos;s images on a Slurm cluster and import the embeddings when the shards are done</source>
        <translation>在 Slurm 集群上为项目图像计算嵌入，并在分片完成后导入</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Close Project</source>
        <translation>关闭项目(&amp;C)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Find &amp;Near-Duplicates…</source>
        <translation>查找近似重复(&amp;N)…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Pairs of near-identical images, flagged where a copy crosses train and test</source>
        <translation>近乎相同的图像对，并标记跨训练集和测试集的副本</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The language changes to %1 when you next start AAPE Studio.</source>
        <translation>下次启动 AAPE Studio 时，界面语言将切换为%1。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;User Guide</source>
        <translation>用户指南(&amp;U)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The user guide is not installed. Reinstall AAPE Studio, or read docs/user-guide.md in its source.</source>
        <translation>用户指南未安装。请重新安装 AAPE Studio，或阅读其源代码中的 docs/user-guide.md。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Looked for it in:</source>
        <translation>已在以下位置查找：</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Read the user guide, offline</source>
        <translation>阅读用户指南（离线）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About AAPE Studio</source>
        <translation>关于 AAPE Studio(&amp;A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>About AAPE Studio</source>
        <translation>关于 AAPE Studio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;h3&gt;AAPE Studio %1&lt;/h3&gt;&lt;p&gt;Adapt CLIP to your own images with Aggregate-and-Adapt Prompt Embedding (Huang et al., NeurIPS 2024).&lt;/p&gt;&lt;p&gt;CLIP stays frozen; a small prompt generator learns from your labels and descriptions and runs without them afterwards.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;AAPE Studio %1&lt;/h3&gt;&lt;p&gt;使用聚合与适配提示嵌入（Aggregate-and-Adapt Prompt Embedding，Huang 等，NeurIPS 2024）让 CLIP 适配您自己的图像。&lt;/p&gt;&lt;p&gt;CLIP 保持冻结；一个小型提示生成器从您的标签和描述中学习，训练后无需它们即可运行。&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Stop the running job; finished work is kept</source>
        <translation>停止正在运行的任务；已完成的工作会保留</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>%1 — AAPE Studio</source>
        <translation>%1 — AAPE Studio</translation>
    </message>
    <message numerus="yes">
        <location line="+24"/>
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n 张图像</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n class(es)</source>
        <translation>
            <numerusform>%n 个类别</numerusform>
        </translation>
    </message>
    <message>
        <location line="+12"/>
        <source>This file no longer exists</source>
        <translation>该文件已不存在</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No recent projects</source>
        <translation>没有最近的项目</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Wait for “%1” to finish, or stop it, before opening another project.</source>
        <translation>请等待“%1”完成或将其停止，再打开其他项目。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Could not open %1. Check that it is an AAPE project file and that you may read it.</source>
        <translation>无法打开 %1。请检查它是否为 AAPE 项目文件，以及您是否有读取权限。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Opened %1</source>
        <translation>已打开 %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Could not create %1. Choose a folder you may write to.</source>
        <translation>无法创建 %1。请选择一个您有写入权限的文件夹。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Project created. Drop a folder of images on this window: its sub-folders become the classes.</source>
        <translation>项目已创建。将一个图像文件夹拖到此窗口：其子文件夹将成为类别。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Checking the CLIP model</source>
        <translation>正在检查 CLIP 模型</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The CLIP model chosen before cannot be used; choose one with File ▸ Choose CLIP Model.</source>
        <translation>之前选择的 CLIP 模型无法使用；请通过 文件 ▸ 选择 CLIP 模型 重新选择。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>New Project</source>
        <translation>新建项目</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>AAPE projects (*.aapeproj)</source>
        <translation>AAPE 项目 (*.aapeproj)</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Open Project</source>
        <translation>打开项目</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>AAPE projects (*.aapeproj);;All files (*)</source>
        <translation>AAPE 项目 (*.aapeproj);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>CLIP model set: %1.</source>
        <translation>已设置 CLIP 模型：%1。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Import Folder (one sub-folder per class)</source>
        <translation>导入文件夹（每个类别一个子文件夹）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Import CSV</source>
        <translation>导入 CSV</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV 文件 (*.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Import CoOp Split</source>
        <translation>导入 CoOp 划分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CoOp split files (split_zhou_*.json);;JSON files (*.json)</source>
        <translation>CoOp 划分文件 (split_zhou_*.json);;JSON 文件 (*.json)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Import Descriptions</source>
        <translation>导入描述</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CuPL JSON files (*.json);;All files (*)</source>
        <translation>CuPL JSON 文件 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Import Scene as Tiles</source>
        <translation>将场景导入为瓦片</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rasters (*.tif *.tiff *.jp2 *.vrt *.img);;All files (*)</source>
        <translation>栅格文件 (*.tif *.tiff *.jp2 *.vrt *.img);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Open or create a project first: the images and descriptions go into a project file.</source>
        <translation>请先打开或创建项目：图像和描述将保存到项目文件中。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>New Project…</source>
        <translation>新建项目…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Wait for “%1” to finish, or stop it, then import again.</source>
        <translation>请等待“%1”完成或将其停止，然后重新导入。</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Importing</source>
        <translation>正在导入</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Import stopped. Sources imported before the stop are kept; the one being imported was left unchanged.</source>
        <translation>导入已停止。停止前导入的来源已保留；正在导入的那个未作更改。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The import failed.</source>
        <translation>导入失败。</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Wait for “%1” to finish, or stop it, then open the demo.</source>
        <translation>请等待“%1”完成或将其停止，然后打开演示。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Creating the demo</source>
        <translation>正在创建演示</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Creating the demo: %1</source>
        <translation>正在创建演示：%1</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The demo was not created.</source>
        <translation>演示未创建。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The demo could not be created. Check that there is free disk space in %1.</source>
        <translation>无法创建演示。请检查 %1 中是否有足够的磁盘空间。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>This is the demo: 8 classes of coloured shapes with descriptions and a small untrained CLIP. Try each page from Data to Runs.</source>
        <translation>这是演示项目：8 类带描述的彩色形状，以及一个未训练的小型 CLIP。请从“数据”到“运行记录”逐页试用。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Wait for “%1” to finish, or stop it.</source>
        <translation>请等待“%1”完成或将其停止。</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>about %1 left</source>
        <translation>剩余约 %1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1: stopped</source>
        <translation>%1：已停止</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: done</source>
        <translation>%1：已完成</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: failed</source>
        <translation>%1：失败</translation>
    </message>
</context>
<context>
    <name>aape::ui::MapPage</name>
    <message>
        <location filename="../ui/MapPage.cpp" line="+64"/>
        <source>Drawing the map</source>
        <translation>正在绘制地图</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Computing the t-SNE map</source>
        <translation>正在计算 t-SNE 地图</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Placing a phrase on the map</source>
        <translation>正在地图上定位短语</translation>
    </message>
    <message>
        <location line="+91"/>
        <source>t-SNE: finding neighbours</source>
        <translation>t-SNE：正在查找近邻</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>t-SNE: arranging the map</source>
        <translation>t-SNE：正在排布地图</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Split</source>
        <translation>划分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Prediction</source>
        <translation>预测</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Right or wrong</source>
        <translation>正确或错误</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OOD score</source>
        <translation>OOD 分数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Confidence</source>
        <translation>置信度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What the dots&apos; colours show; predictions, right or wrong, OOD score and confidence come from the newest run with stored predictions</source>
        <translation>圆点颜色表示的内容；预测、正误、OOD 分数和置信度来自最新一次存有预测的运行</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>PCA</source>
        <translation>PCA</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>t-SNE</source>
        <translation>t-SNE</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How the dots are placed. PCA: the two directions of largest variance, at once; it keeps distances between far groups. t-SNE: neighbours stay neighbours, so clusters separate clearly; computed once in the background and kept in the project until the embeddings change.</source>
        <translation>点的排布方式。PCA：方差最大的两个方向，立即可用；保留相距较远的组之间的距离。t-SNE：近邻仍为近邻，因此簇之间分得很清楚；在后台计算一次并保存在项目中，直到嵌入发生变化。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Find images by a phrase, e.g. “a harbour with boats”</source>
        <translation>按短语查找图像，例如“停着船的港口”</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Layout:</source>
        <translation>布局：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Colour by:</source>
        <translation>着色依据：</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Drag a rectangle to select images (the Data page and the Inspect list then show them; a click on empty space clears it). Wheel zooms, right-drag pans, double-click resets the view.</source>
        <translation>拖出矩形以选择图像（数据页和检查列表随后只显示它们；点击空白处清除选择）。滚轮缩放，右键拖动平移，双击重置视图。</translation>
    </message>
    <message>
        <location line="+87"/>
        <source>The map is drawn when the current task (%1) has finished.</source>
        <translation>当前任务（%1）完成后将绘制地图。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Drawing the map…</source>
        <translation>正在绘制地图…</translation>
    </message>
    <message numerus="yes">
        <location line="+32"/>
        <source>The %n images nearest to “%1” are outlined (cosine %2 to %3).</source>
        <translation>
            <numerusform>已标出与“%1”最接近的 %n 张图像（余弦 %2 至 %3）。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+74"/>
        <source>%n images, placed by t-SNE of their CLIP embeddings (perplexity 30): neighbours on the map are neighbours in CLIP&apos;s space; distances between far groups mean little.</source>
        <translation>
            <numerusform>%n 张图像，按其 CLIP 嵌入的 t-SNE（困惑度 30）排布：地图上的近邻在 CLIP 空间中也是近邻；相距较远的组之间的距离意义不大。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Computed in %1 s and kept in the project.</source>
        <translation>用时 %1 秒计算，已保存在项目中。</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n images, placed by the first two principal components of their CLIP embeddings</source>
        <translation>
            <numerusform>%n 张图像，按其 CLIP 嵌入的前两个主成分放置</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source> (%1 % of the variance; computed in %2 s).</source>
        <translation>（占方差的 %1%；用时 %2 秒）。</translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>%n image(s) are not encoded yet and not shown; train or encode the project to add them.</source>
        <translation>
            <numerusform>%n 张图像尚未编码，未显示；训练或编码项目即可加入它们。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+3"/>
        <source>The t-SNE map is being computed; the PCA map is shown meanwhile.</source>
        <translation>正在计算 t-SNE 地图；在此期间显示 PCA 地图。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The t-SNE map is computed when the current task (%1) has finished; choose t-SNE again then.</source>
        <translation>当前任务（%1）完成后才能计算 t-SNE 地图；届时请再次选择 t-SNE。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The t-SNE map is being computed (progress below; Stop ends it); the PCA map is shown meanwhile.</source>
        <translation>正在计算 t-SNE 地图（进度见下方；“停止”可结束）；在此期间显示 PCA 地图。</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Unlabelled</source>
        <translation>未标注</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Train</source>
        <translation>训练集</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Validation</source>
        <translation>验证集</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Test</source>
        <translation>测试集</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No prediction</source>
        <translation>无预测</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Right</source>
        <translation>正确</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Wrong</source>
        <translation>错误</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No prediction or no label</source>
        <translation>无预测或无标签</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>OOD score (grey: none)</source>
        <translation>OOD 分数（灰色：无）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Confidence (grey: none)</source>
        <translation>置信度（灰色：无）</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>The project has no CLIP model to read the phrase with; choose one first.</source>
        <translation>项目没有可用于理解短语的 CLIP 模型；请先选择一个。</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Another task (%1) is running; search again when it has finished.</source>
        <translation>另一项任务（%1）正在运行；请在它完成后再搜索。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Reading “%1” with CLIP…</source>
        <translation>正在用 CLIP 理解“%1”…</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>unlabelled</source>
        <translation>未标注</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>predicted %1 (%2 %)</source>
        <translation>预测为 %1（%2%）</translation>
    </message>
</context>
<context>
    <name>aape::ui::MapView</name>
    <message numerus="yes">
        <location filename="../ui/MapView.cpp" line="+283"/>
        <source>… %n more</source>
        <translation>
            <numerusform>…… 另有 %n 项</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>aape::ui::MessageBanner</name>
    <message>
        <location filename="../ui/MessageBanner.cpp" line="+40"/>
        <source>Details…</source>
        <translation>详细信息…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show the full report in a separate window</source>
        <translation>在单独的窗口中显示完整报告</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Close this message</source>
        <translation>关闭此消息</translation>
    </message>
    <message>
        <location line="+91"/>
        <source>No log file could be written (the disk may be full or read-only).</source>
        <translation>无法写入日志文件（磁盘可能已满或为只读）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Technical details, where there are any, are in the log file:
%1</source>
        <translation>技术细节（如有）记录在日志文件中：
%1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Details</source>
        <translation>详细信息</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Open Log File</source>
        <translation>打开日志文件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open the log file, which holds the technical side of errors, in the text viewer</source>
        <translation>在文本查看器中打开日志文件，其中记录了错误的技术细节</translation>
    </message>
</context>
<context>
    <name>aape::ui::ModelChooser</name>
    <message>
        <location filename="../ui/ModelChooser.cpp" line="+29"/>
        <source>&lt;b&gt;Format:&lt;/b&gt; %1&lt;br&gt;&lt;b&gt;Architecture:&lt;/b&gt; %2&lt;br&gt;&lt;b&gt;Activation:&lt;/b&gt; %3 (%4)</source>
        <translation>&lt;b&gt;格式：&lt;/b&gt;%1&lt;br&gt;&lt;b&gt;架构：&lt;/b&gt;%2&lt;br&gt;&lt;b&gt;激活函数：&lt;/b&gt;%3（%4）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&lt;b&gt;Tokenizer:&lt;/b&gt; not found next to the checkpoint; put vocab.json and merges.txt (or bpe_simple_vocab_16e6.txt.gz) beside it.</source>
        <translation>&lt;b&gt;分词器：&lt;/b&gt;在检查点旁未找到；请将 vocab.json 和 merges.txt（或 bpe_simple_vocab_16e6.txt.gz）放在其旁边。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Choose CLIP Model</source>
        <translation>选择 CLIP 模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose the CLIP checkpoint the project adapts: a Hugging Face model folder (config.json and model.safetensors), an OpenAI archive (ViT-B-16.pt) or an open_clip file.</source>
        <translation>选择项目要适配的 CLIP 检查点：Hugging Face 模型文件夹（config.json 和 model.safetensors）、OpenAI 归档（ViT-B-16.pt）或 open_clip 文件。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Folder or file of the checkpoint</source>
        <translation>检查点所在的文件夹或文件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Folder…</source>
        <translation>文件夹…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pick a Hugging Face model folder</source>
        <translation>选择 Hugging Face 模型文件夹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>File…</source>
        <translation>文件…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pick an OpenAI .pt archive or an open_clip .pt/.bin/.safetensors file</source>
        <translation>选择 OpenAI .pt 归档或 open_clip .pt/.bin/.safetensors 文件</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Choose a Model Folder</source>
        <translation>选择模型文件夹</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Choose a Checkpoint File</source>
        <translation>选择检查点文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CLIP checkpoints (*.pt *.bin *.pth *.safetensors);;All files (*)</source>
        <translation>CLIP 检查点 (*.pt *.bin *.pth *.safetensors);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+29"/>
        <source>No model chosen yet.</source>
        <translation>尚未选择模型。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Checking %1…</source>
        <translation>正在检查 %1…</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>%1 is not a usable CLIP checkpoint.</source>
        <translation>%1 不是可用的 CLIP 检查点。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The technical details are in the &lt;a href=&quot;%1&quot;&gt;log file&lt;/a&gt;.</source>
        <translation>技术细节见&lt;a href=&quot;%1&quot;&gt;日志文件&lt;/a&gt;。</translation>
    </message>
</context>
<context>
    <name>aape::ui::PredictionsModel</name>
    <message>
        <location filename="../ui/PredictionsModel.cpp" line="+68"/>
        <source>(class %1)</source>
        <translation>（类别 %1）</translation>
    </message>
    <message>
        <location line="+90"/>
        <location line="+14"/>
        <location line="+38"/>
        <location line="+4"/>
        <source>(unlabelled)</source>
        <translation>（未标注）</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>How sure the adapted model is of its prediction (softmax probability).</source>
        <translation>适配后模型对其预测的把握程度（softmax 概率）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>OOD score (our addition, not in the paper): higher means the image looks less like any class seen in training.</source>
        <translation>分布外得分（本软件新增，论文中没有）：越高表示该图像越不像训练中见过的任何类别。</translation>
    </message>
    <message>
        <location line="-88"/>
        <source>[excluded] %1</source>
        <translation>[已排除] %1</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>%1
Excluded: it takes no part in training or evaluation from now on. This run was evaluated before.</source>
        <translation>%1
已排除：从现在起不再参与训练和评估。本次运行是在排除之前评估的。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Labelled %1 now; this run was evaluated when it was labelled %2. Train again to use the new label.</source>
        <translation>现已标注为 %1；本次运行评估时其标签为 %2。重新训练即可使用新标签。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1. Misclassified: the image was labelled %2.</source>
        <translation>%1。分类错误：该图像的标签为 %2。</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>What CLIP predicts with the plain templates alone, before adaptation.</source>
        <translation>适配前仅用普通模板时 CLIP 的预测。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Image</source>
        <translation>图像</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>True class</source>
        <translation>真实类别</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Predicted</source>
        <translation>预测</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Probability</source>
        <translation>概率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OOD score</source>
        <translation>分布外得分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cos template</source>
        <translation>余弦(模板)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cos AAPE</source>
        <translation>余弦(AAPE)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zero-shot</source>
        <translation>零样本</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Similarity to the template prompt: how well the image matches the plain sentence “a photo of a &lt;class&gt;.” for the predicted class, as CLIP sees it without any adaptation. 1 would be a perfect match and 0 no relation; CLIP&apos;s image–text similarities are small (often 0.2 to 0.35), so compare values between images instead of reading them as percentages.</source>
        <translation>与模板提示的相似度：在未经任何适配的 CLIP 看来，图像与预测类别的普通句子“a photo of a &lt;class&gt;.”的匹配程度。1 表示完全匹配，0 表示毫无关联；CLIP 的图文相似度通常较小（常在 0.2 到 0.35 之间），因此请在图像之间比较这些值，而不要把它们当作百分比来解读。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Similarity to the AAPE prompt: how well the image matches the predicted class as the adapted model sees it for this very image: the class name combined with the prompt AAPE generated from the image, which carries what the class descriptions taught it. The model predicts the class with the highest such similarity. 1 would be a perfect match; compare it between images, and with the similarity to the template prompt: higher means adaptation brought the class closer to this image.</source>
        <translation>与 AAPE 提示的相似度：在适配后的模型看来，这张图像与预测类别的匹配程度。这里的类别由类别名与 AAPE 根据这张图像生成的提示组合而成，该提示承载了从类别描述中学到的信息。模型会预测此相似度最高的类别。1 表示完全匹配；请在图像之间比较该值，并与模板提示相似度比较：更高表示适配使该类别更贴近这张图像。</translation>
    </message>
</context>
<context>
    <name>aape::ui::PromptAttentionModel</name>
    <message>
        <location filename="../ui/PromptAttentionModel.cpp" line="+97"/>
        <source>Attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Blended</source>
        <translation>混合</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Description</source>
        <translation>描述</translation>
    </message>
</context>
<context>
    <name>aape::ui::RemoveDescriptionsCommand</name>
    <message numerus="yes">
        <location filename="../ui/UndoCommands.cpp" line="+31"/>
        <source>Delete %n description(s)</source>
        <translation>
            <numerusform>删除 %n 条描述</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>aape::ui::RenameClassCommand</name>
    <message>
        <location line="-112"/>
        <source>Rename class %1 to %2</source>
        <translation>将类别 %1 重命名为 %2</translation>
    </message>
</context>
<context>
    <name>aape::ui::ReviewPage</name>
    <message>
        <location filename="../ui/ReviewPage.cpp" line="+34"/>
        <source>Preparing the review queue</source>
        <translation>正在准备审核队列</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>Likely label mistakes</source>
        <translation>可能的标注错误</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What to label next</source>
        <translation>下一步该标注的图像</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Label mistakes: labelled images whose label a model that never saw them finds least believable. Label next: unlabelled images the model is least sure of, spread over the collection.</source>
        <translation>标注错误：未见过这些图像的模型认为其标签最不可信的已标注图像。下一步标注：模型最没有把握、且分布在整个图像集中的未标注图像。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Retrain…</source>
        <translation>重新训练…</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Keep (K)</source>
        <translation>保留（K）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exclude (X)</source>
        <translation>排除（X）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Previous (P)</source>
        <translation>上一张（P）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next (N)</source>
        <translation>下一张（N）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Keys: K keep the label · 1–9 give the class at that place in the class list · X exclude from training · N next · P previous</source>
        <translation>按键：K 保留标签 · 1–9 设为类别列表中对应位置的类别 · X 从训练中排除 · N 下一张 · P 上一张</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>Another task (%1) is running; press Find when it has finished.</source>
        <translation>另一项任务（%1）正在运行；请在它完成后按“查找”。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Judging every label with a model that never saw it…</source>
        <translation>正在用未见过各图像的模型评判每个标签…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choosing images to label…</source>
        <translation>正在挑选待标注的图像…</translation>
    </message>
    <message numerus="yes">
        <location line="+43"/>
        <source>%n labelled image(s) to review, least believable label first; %1 look like mistakes.</source>
        <translation>
            <numerusform>待审核的已标注图像 %n 张，最不可信的标签排在最前；其中 %1 张看起来是错误。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>%n image(s) to label, in the order that teaches the model most.</source>
        <translation>
            <numerusform>待标注图像 %n 张，按对模型帮助最大的顺序排列。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No run is trained yet, so a linear model fitted on the labelled embeddings judges how sure the guesses are.</source>
        <translation>尚未训练任何运行，因此由在已标注嵌入上拟合的线性模型判断猜测的把握程度。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>How sure each guess is comes from %1, the newest trained run.</source>
        <translation>每个猜测的把握程度来自最新训练的运行 %1。</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+32"/>
        <source>unlabelled</source>
        <translation>未标注</translation>
    </message>
    <message>
        <location line="-31"/>
        <source>%1 → %2 (%3 %)</source>
        <translation>%1 → %2（%3%）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>guess %1 · unsure %2 %</source>
        <translation>猜测 %1 · 不确定度 %2%</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&lt;b&gt;%1&lt;/b&gt; is labelled &lt;b&gt;%2&lt;/b&gt;. A model that never saw it gives that label %3 % and &lt;b&gt;%4&lt;/b&gt; %5 %.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; 的标签是 &lt;b&gt;%2&lt;/b&gt;。未见过它的模型给该标签 %3%，给 &lt;b&gt;%4&lt;/b&gt; %5%。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&lt;b&gt;%1&lt;/b&gt; has no label. The model&apos;s best guess is &lt;b&gt;%2&lt;/b&gt; (%3 %), and it is %4 % unsure.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; 没有标签。模型的最佳猜测是 &lt;b&gt;%2&lt;/b&gt;（%3%），不确定度为 %4%。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Done: %1.</source>
        <translation>已完成：%1。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>kept</source>
        <translation>已保留</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>excluded</source>
        <translation>已排除</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>There is no class %1. Keys 1–9 pick the first nine classes in the list.</source>
        <translation>没有第 %1 个类别。按键 1–9 对应列表中的前九个类别。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>labelled %1</source>
        <translation>已标注为 %1</translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>You have labelled %n image(s). Retrain so that the model learns from them, then find the next ones.</source>
        <translation>
            <numerusform>你已标注 %n 张图像。请重新训练，让模型从中学习，然后再查找下一批。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>aape::ui::RunMenu</name>
    <message>
        <location filename="../ui/RunMenu.cpp" line="+18"/>
        <source>H %1 %</source>
        <translation>H %1 %</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n epoch(s)</source>
        <translation>
            <numerusform>%n 轮</numerusform>
        </translation>
    </message>
    <message>
        <location line="+12"/>
        <source>No finished run yet</source>
        <translation>还没有已完成的运行</translation>
    </message>
</context>
<context>
    <name>aape::ui::RunsModel</name>
    <message>
        <location filename="../ui/RunsModel.cpp" line="+47"/>
        <source>queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+3"/>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message numerus="yes">
        <location line="+16"/>
        <source>%n shot(s)</source>
        <translation>
            <numerusform>每类 %n 张</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>λ %1</source>
        <translation>λ %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>lr %1</source>
        <translation>学习率 %1</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n view(s)</source>
        <translation>
            <numerusform>%n 个视图</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>base-to-new (label order)</source>
        <translation>基类到新类（标签顺序）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>base-to-new (name order)</source>
        <translation>基类到新类（名称顺序）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>base-to-new</source>
        <translation>基类到新类</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>base classes (%1 order): %2</source>
        <translation>基类（%1 顺序）：%2</translation>
    </message>
    <message>
        <location line="+157"/>
        <source>Not evaluated yet: the last epoch&apos;s accuracy on the validation images.</source>
        <translation>尚未评估：最后一轮在验证图像上的准确率。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>On the %1 images, at epoch %2 (%3).</source>
        <translation>在%1图像上，第 %2 轮（%3）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>validation</source>
        <translation>验证集</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>test</source>
        <translation>测试集</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the best on validation</source>
        <translation>验证集上最佳</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>the last</source>
        <translation>最后一轮</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>Test accuracy</source>
        <translation>测试准确率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zero-shot</source>
        <translation>零样本</translation>
    </message>
    <message>
        <location line="-49"/>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 (val)</source>
        <translation>%1（验证）</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Accuracy of the run&apos;s evaluated epoch on the test images (the validation images when the project has no test split); &quot;(val)&quot; marks a run not evaluated yet.</source>
        <translation>该运行被评估的轮次在测试图像上的准确率（项目没有测试划分时为验证图像）；“（验证）”表示该运行尚未评估。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Zero-shot CLIP (the class name alone, no training) on the same images.</source>
        <translation>零样本 CLIP（仅用类别名，不经训练）在相同图像上的准确率。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accuracy on the classes trained on (base-to-new protocol).</source>
        <translation>训练过的类别上的准确率（基类到新类协议）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accuracy on classes never seen in training (base-to-new protocol).</source>
        <translation>训练中从未见过的类别上的准确率（基类到新类协议）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Harmonic mean of base and new accuracy: high only when both are.</source>
        <translation>基类与新类准确率的调和平均：只有两者都高时才高。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The main training settings; hover over a run&apos;s cell for all of them.</source>
        <translation>主要训练设置；将鼠标悬停在某次运行的单元格上可查看全部设置。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Id</source>
        <translation>编号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Group</source>
        <translation>组</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Base</source>
        <translation>基类</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New</source>
        <translation>新类</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>H</source>
        <translation>H</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
</context>
<context>
    <name>aape::ui::RunsPage</name>
    <message>
        <location filename="../ui/RunsPage.cpp" line="+84"/>
        <source>Select several runs (Ctrl or Shift + click) to compare their curves.</source>
        <translation>选择多个运行（按住 Ctrl 或 Shift 点击）以比较其曲线。</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Validation accuracy (%)</source>
        <translation>验证准确率 (%)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Total loss</source>
        <translation>总损失</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Accuracy (%)</source>
        <translation>准确率 (%)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>H (%)</source>
        <translation>H (%)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save the selected run&apos;s prompt generator, its predictions or the plot.</source>
        <translation>保存所选运行的提示生成器、预测结果或图表。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Prompt generator bundle…</source>
        <translation>提示生成器包…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A .aape.safetensors file that classifies images with CLIP, without this app.</source>
        <translation>一个 .aape.safetensors 文件，无需本软件即可配合 CLIP 对图像分类。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Predictions as CSV…</source>
        <translation>预测结果（CSV）…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Plot as PNG or PDF…</source>
        <translation>图表（PNG 或 PDF）…</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>All runs of this project. Select runs to compare them.</source>
        <translation>本项目的所有运行。选择多个运行进行比较。</translation>
    </message>
    <message>
        <location line="-44"/>
        <source>Run set</source>
        <translation>运行组</translation>
    </message>
    <message>
        <location line="-87"/>
        <source>Exporting</source>
        <translation>正在导出</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>&amp;Rename Run…</source>
        <translation>重命名运行(&amp;R)…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Delete Runs…</source>
        <translation>删除运行(&amp;D)…</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Finished runs</source>
        <translation>已完成的运行</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Zero-shot (%)</source>
        <translation>零样本 (%)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Base (%)</source>
        <translation>基类 (%)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>New (%)</source>
        <translation>新类 (%)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Runs started together with several seeds: mean ± standard deviation over the finished ones (at least two are needed for a spread).</source>
        <translation>以多个随机种子一同启动的运行：已完成运行的均值 ± 标准差（至少需要两个才有离散度）。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Compare &amp;Methods…</source>
        <translation>比较方法(&amp;M)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Is AAPE worth it on your data? Train zero-shot CLIP, CuPL, a linear probe, the Tip-Adapters and AAPE on the same few-shot images and seeds, and compare them (%1).</source>
        <translation>AAPE 在你的数据上值得吗？在相同的少样本图像和种子上训练零样本 CLIP、CuPL、线性探针、Tip-Adapter 和 AAPE，并进行比较（%1）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Compare Methods…</source>
        <translation>比较方法…</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>&amp;Curves</source>
        <translation>曲线(&amp;C)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Method c&amp;omparison</source>
        <translation>方法比较(&amp;O)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Run sets (one training, several seeds): mean ± standard deviation</source>
        <translation>运行组（一次训练，多个随机种子）：均值 ± 标准差</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No run sets yet. Enter several seeds on the Train page (e.g. “1, 2, 3”) to train one run per seed and compare their mean and spread here.</source>
        <translation>还没有运行组。在“训练”页输入多个随机种子（例如“1, 2, 3”），即可为每个种子训练一次，并在此比较它们的均值和离散度。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Export finished.</source>
        <translation>导出完成。</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Rename Run</source>
        <translation>重命名运行</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>New name of run %1:</source>
        <translation>运行 %1 的新名称：</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Run %1 is training now; stop it on the Train page before deleting it.</source>
        <translation>运行 %1 正在训练；请先在“训练”页将其停止，再删除。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Delete Runs</source>
        <translation>删除运行</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Delete %n run(s) (%1) with their curves, checkpoints and predictions? This cannot be undone.</source>
        <translation>
            <numerusform>要删除 %n 个运行（%1）及其曲线、检查点和预测结果吗？此操作无法撤销。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+16"/>
        <source>Deleted %n run(s).</source>
        <translation>
            <numerusform>已删除 %n 个运行。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+73"/>
        <source>%1 (seed %2)</source>
        <translation>%1（种子 %2）</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Mean ± standard deviation appear when at least two runs of this set have finished.</source>
        <translation>此组至少有两个运行完成后，才会显示均值 ± 标准差。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Export failed.</source>
        <translation>导出失败。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Another task (%1) is still running; export %2 when it has finished.</source>
        <translation>另一个任务（%1）仍在运行；请在其完成后再导出%2。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Select exactly one run to export its prompt generator.</source>
        <translation>请只选择一个运行以导出其提示生成器。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Export prompt generator</source>
        <translation>导出提示生成器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>AAPE prompt generator (*.aape.safetensors)</source>
        <translation>AAPE 提示生成器 (*.aape.safetensors)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the bundle</source>
        <translation>生成器包</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Select exactly one run to export its predictions.</source>
        <translation>请只选择一个运行以导出其预测结果。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Export predictions</source>
        <translation>导出预测结果</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the predictions</source>
        <translation>预测结果</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Save plot</source>
        <translation>保存图表</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PNG image (*.png);;PDF document (*.pdf)</source>
        <translation>PNG 图像 (*.png);;PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Plot saved to %1.</source>
        <translation>图表已保存到 %1。</translation>
    </message>
</context>
<context>
    <name>aape::ui::SceneCanvas</name>
    <message>
        <location filename="../ui/ScenePage.cpp" line="+124"/>
        <source>Wheel: zoom · drag: pan · double-click: whole scene · click a tile to open it in Inspect</source>
        <translation>滚轮：缩放 · 拖动：平移 · 双击：显示整个场景 · 点击图块：在检查页面中打开</translation>
    </message>
</context>
<context>
    <name>aape::ui::SceneImportDialog</name>
    <message>
        <location filename="../ui/SceneImportDialog.cpp" line="+31"/>
        <source>Sentinel-2 true colour (B4, B3, B2)</source>
        <translation>Sentinel-2 真彩色（B4、B3、B2）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sentinel-2 false colour (B8, B4, B3)</source>
        <translation>Sentinel-2 假彩色（B8、B4、B3）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sentinel-2 SWIR (B12, B8A, B4)</source>
        <translation>Sentinel-2 短波红外（B12、B8A、B4）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Landsat 8/9 true colour (B4, B3, B2)</source>
        <translation>Landsat 8/9 真彩色（B4、B3、B2）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Landsat 8/9 false colour (B5, B4, B3)</source>
        <translation>Landsat 8/9 假彩色（B5、B4、B3）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Landsat 8/9 SWIR (B7, B6, B4)</source>
        <translation>Landsat 8/9 短波红外（B7、B6、B4）</translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>%1 × %2 pixels, %n band(s) (%3)</source>
        <translation>
            <numerusform>%1 × %2 像素，%n 个波段（%3）</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No coordinate reference system: tiles get pixel coordinates, and labels from polygons and georeferenced maps are not possible.</source>
        <translation>没有坐标参考系：瓦片使用像素坐标，无法用多边形标注，也无法输出地理参考地图。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>%1, pixels of %2 × %3 m</source>
        <translation>%1，像素 %2 × %3 米</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1, pixels of %2 × %3 degrees</source>
        <translation>%1，像素 %2 × %3 度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1, pixels of %2 × %3 (in the CRS&apos;s units)</source>
        <translation>%1，像素 %2 × %3（坐标参考系的单位）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Import Scene as Tiles</source>
        <translation>将场景导入为瓦片</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+7"/>
        <source> px</source>
        <translation> 像素</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Each tile is a square of this many scene pixels, resized to the model&apos;s input. 64 pixels of Sentinel-2 at 10 m are 640 m, as in EuroSAT.</source>
        <translation>每个瓦片是边长为此像素数的正方形，再缩放到模型的输入尺寸。Sentinel-2 的 64 个 10 米像素即 640 米，与 EuroSAT 相同。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>same as the tile (no overlap)</source>
        <translation>与瓦片相同（不重叠）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pixels from one tile&apos;s corner to the next; smaller than the tile makes overlapping tiles.</source>
        <translation>相邻瓦片角点之间的像素数；小于瓦片大小会产生重叠的瓦片。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Automatic: the file&apos;s colour bands, else the first three</source>
        <translation>自动：文件的颜色波段，否则取前三个</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Band numbers…</source>
        <translation>波段编号…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>e.g. 4,3,2</source>
        <translation>例如 4,3,2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Three band numbers (1 is the first band) for red, green and blue.</source>
        <translation>用于红、绿、蓝的三个波段编号（1 为第一个波段）。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>optional: polygons with class names (GeoPackage, GeoJSON, Shapefile)</source>
        <translation>可选：带类别名的多边形（GeoPackage、GeoJSON、Shapefile）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The polygons&apos; attribute that holds the class name.</source>
        <translation>多边形中保存类别名的属性。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>A tile takes the class whose polygons cover most of it, when they cover at least this share; other tiles stay unlabelled.</source>
        <translation>瓦片取覆盖其面积最多的多边形类别（覆盖至少达到此比例时）；其他瓦片保持未标注。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Tile size:</source>
        <translation>瓦片大小(&amp;T)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Stride:</source>
        <translation>步长(&amp;S)：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Bands as RGB:</source>
        <translation>作为 RGB 的波段(&amp;B)：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Labels:</source>
        <translation>标注(&amp;L)：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Class &amp;field:</source>
        <translation>类别字段(&amp;F)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Minimum cover:</source>
        <translation>最小覆盖(&amp;M)：</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Labels for the Scene</source>
        <translation>场景的标注</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vector files (*.gpkg *.geojson *.json *.shp);;All files (*)</source>
        <translation>矢量文件 (*.gpkg *.geojson *.json *.shp);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The label file has no attributes to take class names from: %1</source>
        <translation>标注文件没有可用作类别名的属性：%1</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>red, green, blue from bands %1</source>
        <translation>红、绿、蓝取自波段 %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The tile is larger than the scene (%1 × %2 pixels).</source>
        <translation>瓦片大于场景（%1 × %2 像素）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Labels from polygons need a scene with a coordinate reference system.</source>
        <translation>用多边形标注需要场景具有坐标参考系。</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n tile(s), %1; the scene is read where needed, not copied.</source>
        <translation>
            <numerusform>%n 个瓦片，%1；场景按需读取，不会复制。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>Import %n Tile(s)</source>
        <translation>
            <numerusform>导入 %n 个瓦片</numerusform>
        </translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Import</source>
        <translation>导入</translation>
    </message>
</context>
<context>
    <name>aape::ui::ScenePage</name>
    <message>
        <location filename="../ui/ScenePage.cpp" line="-69"/>
        <source>Predicting a scene map</source>
        <translation>正在预测场景地图</translation>
    </message>
    <message>
        <location line="+318"/>
        <source>The scene imported as tiles that this page shows.</source>
        <translation>本页面显示的、以图块导入的场景。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The finished run whose prompt generator classifies the scene&apos;s tiles.</source>
        <translation>用其提示生成器对场景图块分类的已完成运行。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Predict Map</source>
        <translation>预测地图(&amp;P)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Classify every tile of the scene with the chosen run (F5).</source>
        <translation>用所选运行对场景的每个图块分类（F5）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop the prediction; nothing is saved from a stopped map.</source>
        <translation>停止预测；已停止的地图不会保存任何内容。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Save Map…</source>
        <translation>保存地图(&amp;S)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Write the map as a GeoTIFF in the scene&apos;s coordinates (opens in QGIS with its legend), or as a GeoPackage, GeoJSON or Shapefile with one polygon per tile.</source>
        <translation>将地图写为场景坐标系下的 GeoTIFF（在 QGIS 中连同图例打开），或写为每个图块一个多边形的 GeoPackage、GeoJSON 或 Shapefile。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>How opaque the class map is over the scene</source>
        <translation>类别图叠加在场景上的不透明度</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>S&amp;cene:</source>
        <translation>场景(&amp;C)：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Run:</source>
        <translation>运行(&amp;R)：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Opacity:</source>
        <translation>不透明度(&amp;O)：</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>The classes of the map, with how many tiles each takes</source>
        <translation>地图中的类别及各自占用的图块数</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Legend</source>
        <translation>图例</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Stopped: no map was made. Press Predict Map to start again.</source>
        <translation>已停止：未生成地图。按“预测地图”重新开始。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The map could not be made: %1</source>
        <translation>无法生成地图：%1</translation>
    </message>
    <message>
        <location line="+96"/>
        <source>no CRS</source>
        <translation>无坐标参考系</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%1 × %2 pixels · %n band(s) · %3 · tiles of %4 pixels every %5</source>
        <translation>
            <numerusform>%1 × %2 像素 · %n 个波段 · %3 · 图块 %4 像素，间隔 %5</numerusform>
        </translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The scene cannot be shown: %1</source>
        <translation>无法显示场景：%1</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Classifying the scene&apos;s tiles</source>
        <translation>正在对场景图块分类</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Another task (%1) is running; press Predict Map when it has finished.</source>
        <translation>另一个任务（%1）正在运行；完成后请按“预测地图”。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Exporting the run and opening CLIP…</source>
        <translation>正在导出运行并打开 CLIP…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Classifying tile %1 of %2…</source>
        <translation>正在分类第 %1 / %2 个图块…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>about %1 left</source>
        <translation>剩余约 %1</translation>
    </message>
    <message numerus="yes">
        <location line="+16"/>
        <source>%n tile(s) classified in %1. Hover a tile for its classes; click it to open it in Inspect.</source>
        <translation>
            <numerusform>已在 %1 内分类 %n 个图块。悬停图块可查看其类别；点击可在检查页面中打开。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+47"/>
        <source>%1 — %n tile(s), %2 %</source>
        <translation>
            <numerusform>%1 — %n 个图块，%2 %</numerusform>
        </translation>
    </message>
    <message>
        <location line="+56"/>
        <source>No scene in this project yet: drop a GeoTIFF or JPEG2000 scene on the window, or use File ▸ Import Scene as Tiles, to see it here with its class map.</source>
        <translation>此项目中还没有场景：将 GeoTIFF 或 JPEG2000 场景拖放到窗口上，或使用“文件 ▸ 以图块导入场景”，即可在此查看场景及其类别图。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Train a run on the scene&apos;s tiles (Train page) to predict a map of it.</source>
        <translation>先在训练页面用场景的图块训练一次运行，才能预测其地图。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Press Predict Map to classify every tile of this scene with the chosen run.</source>
        <translation>按“预测地图”用所选运行对此场景的每个图块分类。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Tile at column %1, row %2 (pixels %3, %4, %5 × %5)</source>
        <translation>第 %1 列、第 %2 行的图块（像素 %3, %4，%5 × %5）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Not a tile of the project</source>
        <translation>不是项目中的图块</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unlabelled in the project</source>
        <translation>在项目中未标注</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Labelled %1 in the project</source>
        <translation>在项目中标注为 %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not predicted</source>
        <translation>未预测</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>OOD score %1 (%2)</source>
        <translation>OOD 分数 %1（%2）</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>This tile is not one of the project&apos;s images (the map covers the whole scene; the project holds the tiles it imported).</source>
        <translation>此图块不是项目中的图像（地图覆盖整个场景；项目只包含导入的图块）。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Save Map</source>
        <translation>保存地图</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GeoTIFF (*.tif);;GeoPackage (*.gpkg);;GeoJSON (*.geojson);;Shapefile (*.shp)</source>
        <translation>GeoTIFF (*.tif);;GeoPackage (*.gpkg);;GeoJSON (*.geojson);;Shapefile (*.shp)</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>The map was not saved: %1</source>
        <translation>地图未保存：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Map saved to %1.</source>
        <translation>地图已保存到 %1。</translation>
    </message>
</context>
<context>
    <name>aape::ui::SetImageLabelsCommand</name>
    <message numerus="yes">
        <location filename="../ui/UndoCommands.cpp" line="-112"/>
        <source>Move %n image(s) to %1</source>
        <translation>
            <numerusform>将 %n 张图像移至 %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Remove the class of %n image(s)</source>
        <translation>
            <numerusform>移除 %n 张图像的类别</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>aape::ui::SetImageSplitsCommand</name>
    <message>
        <location line="+36"/>
        <source>train</source>
        <translation>训练集</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>validation</source>
        <translation>验证集</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>test</source>
        <translation>测试集</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Move %n image(s) to %1</source>
        <translation>
            <numerusform>将 %n 张图像移至%1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>aape::ui::SetImagesExcludedCommand</name>
    <message numerus="yes">
        <location line="+34"/>
        <source>Exclude %n image(s)</source>
        <translation>
            <numerusform>排除 %n 张图像</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Include %n image(s)</source>
        <translation>
            <numerusform>包含 %n 张图像</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>aape::ui::StudioSettings</name>
    <message>
        <location filename="../ui/StudioSettings.cpp" line="+66"/>
        <source>System</source>
        <translation>跟随系统</translation>
    </message>
</context>
<context>
    <name>aape::ui::TopConfusionsModel</name>
    <message>
        <location filename="../ui/TopConfusionsModel.cpp" line="+28"/>
        <source>(class %1)</source>
        <translation>（类别 %1）</translation>
    </message>
    <message numerus="yes">
        <location line="+64"/>
        <source>%n image(s) of %1 predicted as %2 (%3 of its images). Click to list them.</source>
        <translation>
            <numerusform>%n 张 %1 图像被预测为 %2（占其图像的 %3）。点击列出这些图像。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The class the images are labelled with.</source>
        <translation>图像所标注的类别。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The class the adapted model predicted for them.</source>
        <translation>适配后模型为这些图像预测的类别。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How many images were confused this way.</source>
        <translation>以这种方式混淆的图像数量。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The share of the true class&apos;s evaluated images confused this way.</source>
        <translation>真实类别的已评估图像中以这种方式混淆的比例。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>True class</source>
        <translation>真实类别</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Predicted as</source>
        <translation>预测为</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Images</source>
        <translation>图像</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Share</source>
        <translation>比例</translation>
    </message>
</context>
<context>
    <name>aape::ui::TrainPage</name>
    <message>
        <location filename="../ui/TrainPage.cpp" line="+49"/>
        <location line="+632"/>
        <source>Training</source>
        <translation>正在训练</translation>
    </message>
    <message numerus="yes">
        <location line="-623"/>
        <source>%n s</source>
        <translation>
            <numerusform>%n 秒</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n min</source>
        <translation>
            <numerusform>%n 分钟</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 h</source>
        <translation>%1 小时</translation>
    </message>
    <message>
        <location line="+78"/>
        <source>Training settings</source>
        <translation>训练设置</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Shots per class:</source>
        <translation>每类样本数(&amp;S)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How many training images of each class the run learns from. The paper uses 1, 2, 4, 8 or 16.</source>
        <translation>运行从每个类别学习的训练图像数量。论文使用 1、2、4、8 或 16。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Epochs:</source>
        <translation>轮数(&amp;E)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How many times training goes over the few-shot images. More takes longer; 200 is the paper&apos;s choice.</source>
        <translation>训练遍历少样本图像的次数。越多耗时越长；论文选用 200。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Batch size:</source>
        <translation>批大小(&amp;B)：</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Images per optimisation step (32 in the paper).</source>
        <translation>每个优化步的图像数（论文中为 32）。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Learning rate:</source>
        <translation>学习率(&amp;L)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Step size of the SGD optimiser; lower is slower but steadier (0.002 in the paper).</source>
        <translation>SGD 优化器的步长；越低越慢但越稳定（论文中为 0.002）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Distillation weight λ:</source>
        <translation>蒸馏权重 λ(&amp;D)：</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;Reward scale:</source>
        <translation>奖励缩放(&amp;R)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scale s of the CLIP reward that trains the description aggregator (2.5 in the paper).</source>
        <translation>用于训练描述聚合器的 CLIP 奖励的缩放系数 s（论文中为 2.5）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Augmented views:</source>
        <translation>增强视图数(&amp;A)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Randomly cropped and flipped copies of each training image, encoded once and reused every epoch. 0 trains on the plain images only.</source>
        <translation>每张训练图像的随机裁剪和翻转副本，只编码一次并在每轮中重复使用。0 表示只用原始图像训练。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>e.g. 1, 2, 3</source>
        <translation>例如 1, 2, 3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>S&amp;eeds:</source>
        <translation>种子(&amp;E)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>One run per seed, kept together as a group so that the Runs page can show mean ± spread. Separate with commas.</source>
        <translation>每个种子一次运行，归为一组，以便“运行记录”页显示均值 ± 离散程度。用逗号分隔。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GPU (CUDA)</source>
        <translation>GPU (CUDA)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Where CLIP and training run. Automatic uses the GPU when there is one.</source>
        <translation>CLIP 和训练的运行位置。“自动”在有 GPU 时使用 GPU。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No CUDA GPU is visible to this build of the studio, so training runs on the CPU.</source>
        <translation>此版本的 Studio 检测不到 CUDA GPU，因此训练在 CPU 上运行。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No CUDA GPU is visible to this build, so the GPU choice is off.</source>
        <translation>此版本检测不到 CUDA GPU，因此 GPU 选项不可用。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>De&amp;vice:</source>
        <translation>设备(&amp;V)：</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Base-to-new protocol</source>
        <translation>基类到新类协议</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Train on the first half of the classes only and measure how well the result carries over to the other half (the paper&apos;s generalisation test).</source>
        <translation>只在前一半类别上训练，并衡量结果迁移到另一半类别的效果（论文中的泛化测试）。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Paper &amp;defaults</source>
        <translation>论文默认值(&amp;D)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;Start training</source>
        <translation>开始训练(&amp;S)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Encode what is not cached yet, then train one run per seed (Ctrl+Return).</source>
        <translation>先编码尚未缓存的内容，然后为每个种子训练一次运行（Ctrl+Return）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+306"/>
        <source>Sto&amp;p</source>
        <translation>停止(&amp;P)</translation>
    </message>
    <message>
        <location line="-304"/>
        <source>Stop after the current step; the last finished epoch is kept and can be resumed (Esc).</source>
        <translation>在当前步之后停止；最近完成的轮次会保留，之后可以继续训练（Esc）。</translation>
    </message>
    <message>
        <location line="-135"/>
        <location line="+149"/>
        <source>Ready.</source>
        <translation>就绪。</translation>
    </message>
    <message>
        <location line="-98"/>
        <source>How strongly the prompt generator is pulled towards the summary of the class descriptions: the loss adds λ·‖h(x) − p̂ᵃ‖², the squared distance between the generated prompt h(x) and the aggregator&apos;s summary p̂ᵃ (scaled to unit length), per image and averaged over the batch, as the paper writes it (λ = 5). 0 ignores the descriptions.</source>
        <translation>提示生成器被拉向类别描述摘要的强度：损失中加入 λ·‖h(x) − p̂ᵃ‖²，即生成的提示 h(x) 与聚合器摘要 p̂ᵃ（缩放为单位长度）之间的平方距离，按图像计算并在批次上取平均，与论文中的写法一致（λ = 5）。0 表示忽略描述。</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Automatic (%1 on this CPU, fp16 on a GPU)</source>
        <translation>自动（本机 CPU 上为 %1，GPU 上为 fp16）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>fp32 (exact)</source>
        <translation>fp32（精确）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>bf16 (several times faster on CPUs with AVX512_BF16 or AMX)</source>
        <translation>bf16（在支持 AVX512_BF16 或 AMX 的 CPU 上快数倍）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>int8 (CPU only; about as fast as bf16, slightly less exact)</source>
        <translation>int8（仅限 CPU；速度与 bf16 相当，精度略低）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>fp16 (GPU only)</source>
        <translation>fp16（仅限 GPU）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Precisio&amp;n:</source>
        <translation>精度(&amp;N)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The arithmetic CLIP encodes images and texts in. bf16 and int8 keep embeddings within 0.1 % (cosine) of fp32 and encode faster; each precision has its own cache, so changing it encodes again and runs never mix them. Training itself always runs in fp32.</source>
        <translation>CLIP 编码图像和文本时使用的数值精度。bf16 和 int8 的嵌入与 fp32 的差异在 0.1%（余弦）以内，编码更快；每种精度有各自的缓存，因此更改精度会重新编码，运行之间也不会混用。训练本身始终使用 fp32。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Best epoch on validation</source>
        <translation>验证集上的最佳轮次</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last epoch (paper&apos;s protocol)</source>
        <translation>最后一轮（论文的协议）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>E&amp;valuate:</source>
        <translation>评估(&amp;V)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Which epoch of a run is evaluated, inspected and exported. &quot;Best&quot; keeps the epoch with the highest accuracy on the validation images, so a run that overfits late still gives its best result; the last epoch is what the paper reports. Without validation images the last epoch is used.</source>
        <translation>运行中用于评估、检查和导出的轮次。“最佳”保留在验证图像上准确率最高的轮次，这样即使运行在后期过拟合，也能给出其最佳结果；论文报告的是最后一轮。没有验证图像时使用最后一轮。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Put back the values the AAPE paper states, with CoOp&apos;s recipe that it follows: 16 shots, epochs by shots (50 for 1 shot, 100 for 2-4, 200 for 8-16), batch 32, learning rate 0.002, λ = 5. Not changed, since they are our own choices rather than the paper&apos;s: the augmented views (10 by default) and the reward scale (2.5).</source>
        <translation>恢复 AAPE 论文给出的取值及其沿用的 CoOp 方案：每类 16 个样本，轮数取决于样本数（1 个样本为 50，2-4 个为 100，8-16 个为 200），批大小 32，学习率 0.002，λ = 5。增强视图数（默认 10）和奖励缩放（2.5）不会更改，因为它们是本软件自己的选择，而非论文的设定。</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Interrupted runs</source>
        <translation>已中断的运行</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Runs that were stopped or cut off. Resume continues from their last finished epoch.</source>
        <translation>被停止或中断的运行。“继续训练”将从其最近完成的轮次继续。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Resume</source>
        <translation>继续训练(&amp;R)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Continue the selected run from its last finished epoch.</source>
        <translation>从最近完成的轮次继续所选运行。</translation>
    </message>
    <message>
        <location line="+21"/>
        <location line="+333"/>
        <source>No run yet: press Start training.</source>
        <translation>还没有运行：请按“开始训练”。</translation>
    </message>
    <message>
        <location line="-325"/>
        <source>Messages from training appear here.</source>
        <translation>训练消息将显示在这里。</translation>
    </message>
    <message>
        <location line="+162"/>
        <source>Open or create a project first (File ▸ Open).</source>
        <translation>请先打开或创建项目（文件 ▸ 打开）。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The seeds must be whole numbers separated by commas, e.g. &quot;1, 2, 3&quot;.</source>
        <translation>种子必须是用逗号分隔的整数，例如“1, 2, 3”。</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+26"/>
        <source>Another task (%1) is still running; wait for it to finish or stop it.</source>
        <translation>另一个任务（%1）仍在运行；请等待其完成或将其停止。</translation>
    </message>
    <message>
        <location line="-16"/>
        <source>Opening the model…</source>
        <translation>正在打开模型…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Training started.</source>
        <translation>训练已开始。</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Resuming run %1…</source>
        <translation>正在继续运行 %1…</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+1"/>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stopping after the current step…</source>
        <translation>将在当前步之后停止…</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>%1 — stopped after epoch %2 of %3</source>
        <translation>%1 — 在第 %2 轮（共 %3 轮）后停止</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>None.</source>
        <translation>无。</translation>
    </message>
    <message numerus="yes">
        <location line="+36"/>
        <source> and %n more</source>
        <translation>
            <numerusform> 等另外 %n 个</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n class(es) without descriptions: %1. They train from their name alone; add descriptions on the Describe page.</source>
        <translation>
            <numerusform>%n 个类别没有描述：%1。它们仅凭类别名训练；请在“描述”页添加描述。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>%n class(es) without training images: %1. Label images of them or put some in the train split on the Data page.</source>
        <translation>
            <numerusform>%n 个类别没有训练图像：%1。请在“数据”页标注这些类别的图像，或将部分图像放入训练划分。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Last run: %1, %2 epochs (the Runs page compares all runs)</source>
        <translation>上次运行：%1，共 %2 轮（“运行记录”页可比较所有运行）</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>%1: epoch %2 of %3</source>
        <translation>%1：第 %2 轮，共 %3 轮</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: %2 of %3</source>
        <translation>%1：%2 / %3</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>about %1 left</source>
        <translation>剩余约 %1</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Seed %1 (run %2 of %3)</source>
        <translation>种子 %1（第 %2 次运行，共 %3 次）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Current run</source>
        <translation>当前运行</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Run %1: %2 classes, %3 training images</source>
        <translation>运行 %1：%2 个类别，%3 张训练图像</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Run %1 — epoch %2 of %3%4</source>
        <translation>运行 %1 — 第 %2 轮，共 %3 轮%4</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>, validation accuracy %1%</source>
        <translation>，验证准确率 %1%</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Run %1: %2 accuracy %3% at epoch %4 (%5), zero-shot CLIP %6%.</source>
        <translation>运行 %1：第 %4 轮（%5）%2准确率 %3%，零样本 CLIP 为 %6%。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>validation</source>
        <translation>验证集</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>test</source>
        <translation>测试集</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>best on validation</source>
        <translation>验证集上最佳</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>last</source>
        <translation>最后一轮</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Stopped. The last finished epoch is kept; resume it below.</source>
        <translation>已停止。最近完成的轮次已保留；可在下方继续训练。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Training stopped.</source>
        <translation>训练已停止。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Finished.</source>
        <translation>已完成。</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Finished. %1</source>
        <translation>已完成。%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Training finished.</source>
        <translation>训练已完成。</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+2"/>
        <source>Training failed.</source>
        <translation>训练失败。</translation>
    </message>
</context>
<context>
    <name>aape::ui::TryPage</name>
    <message>
        <location filename="../ui/TryPage.cpp" line="+41"/>
        <source>Classifying</source>
        <translation>正在分类</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>OOD score (our addition): 1 − the similarity to the nearest class prototype, the mean of a class&apos;s training images. High means the image looks like none of the run&apos;s training images.</source>
        <translation>分布外得分（本软件新增）：1 − 与最近类别原型（某类别训练图像的均值）的相似度。越高表示该图像与该运行的所有训练图像都不相像。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>OOD score (our addition): the Mahalanobis distance to the nearest class of the run&apos;s training images. High means the image looks like none of them.</source>
        <translation>分布外得分（本软件新增）：到该运行训练图像中最近类别的马氏距离。越高表示该图像与这些训练图像都不相像。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>OOD score (our addition): the energy, −log Σ exp(logit). High means the image fits none of the classes well.</source>
        <translation>分布外得分（本软件新增）：能量，即 −log Σ exp(logit)。越高表示该图像与所有类别都不太吻合。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>OOD score (our addition): 1 − the cosine similarity to the closest adapted class prompt. High means the image fits none of the classes well.</source>
        <translation>分布外得分（本软件新增）：1 − 与最接近的适配后类别提示的余弦相似度。越高表示该图像与所有类别都不太吻合。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Image</source>
        <translation>图像</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Prediction</source>
        <translation>预测</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Probability</source>
        <translation>概率</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>OOD score</source>
        <translation>分布外得分</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Next candidates</source>
        <translation>其他候选</translation>
    </message>
    <message>
        <location line="-12"/>
        <source>OOD score (our addition): 1 − the top probability. High means the image fits none of the classes well.</source>
        <translation>分布外得分（本软件新增）：1 − 最高概率。越高表示该图像与所有类别都不太吻合。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>The finished run whose prompt generator classifies the images.</source>
        <translation>用其提示生成器对图像分类的已完成运行。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Other class names to score, separated by commas</source>
        <translation>要参与评分的其他类别名，用逗号分隔</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Extra classes by name only, separated by commas. AAPE needs no images or descriptions for them: their prompts come from the class name.</source>
        <translation>仅按名称添加的额外类别，用逗号分隔。AAPE 不需要它们的图像或描述：其提示由类别名生成。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Add images…</source>
        <translation>添加图像(&amp;A)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose images to classify, or drop them anywhere on this page (Ctrl+Shift+I).</source>
        <translation>选择要分类的图像，或将其拖放到此页面的任意位置（Ctrl+Shift+I）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Predict</source>
        <translation>预测(&amp;P)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Classify the images again with the chosen run and classes (F5).</source>
        <translation>使用所选运行和类别重新对图像分类（F5）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>C&amp;lear</source>
        <translation>清空(&amp;L)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove all images from this page (the project is not changed).</source>
        <translation>从本页移除所有图像（项目不受影响）。</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>&amp;Run:</source>
        <translation>运行(&amp;R)：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>E&amp;xtra classes:</source>
        <translation>额外类别(&amp;X)：</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+80"/>
        <source>Drop images here or press Add images… to see what a trained run makes of them.</source>
        <translation>将图像拖到这里或点击“添加图像…”，查看训练好的运行如何识别它们。</translation>
    </message>
    <message numerus="yes">
        <location line="-53"/>
        <source>%n image(s) classified.</source>
        <translation>
            <numerusform>已分类 %n 张图像。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Prediction finished.</source>
        <translation>预测已完成。</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Prediction failed.</source>
        <translation>预测失败。</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>Images to classify</source>
        <translation>要分类的图像</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp)</source>
        <translation>图像 (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Train a run first: predictions need a finished run.</source>
        <translation>请先训练一次运行：预测需要已完成的运行。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Classifying images</source>
        <translation>正在对图像分类</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Another task (%1) is running; press Predict when it has finished.</source>
        <translation>另一个任务（%1）正在运行；请在其完成后再点击“预测”。</translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>Classifying %n image(s)…</source>
        <translation>
            <numerusform>正在对 %n 张图像分类…</numerusform>
        </translation>
    </message>
    <message>
        <location line="+35"/>
        <source>%1 %2%</source>
        <translation>%1 %2%</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Next: %1</source>
        <translation>下一个：%1</translation>
    </message>
</context>
<context>
    <name>aape::ui::UserGuideViewer</name>
    <message>
        <location filename="../ui/UserGuideViewer.cpp" line="+80"/>
        <source>AAPE Studio User Guide</source>
        <translation>AAPE Studio 用户指南</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Back</source>
        <translation>后退</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Back to the page before (Alt+Left)</source>
        <translation>返回上一页（Alt+Left）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>User Guide</source>
        <translation>用户指南</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Back to the start of the user guide</source>
        <translation>返回用户指南开头</translation>
    </message>
</context>
<context>
    <name>aape::ui::WelcomePage</name>
    <message>
        <location filename="../ui/WelcomePage.cpp" line="+57"/>
        <source>AAPE Studio</source>
        <translation>AAPE Studio</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Adapt CLIP to your own images: bring labelled images and a few descriptions per class, train in seconds, see what the model attends to.</source>
        <translation>让 CLIP 适配您自己的图像：提供带标签的图像和每个类别的几条描述，几秒内完成训练，查看模型关注的内容。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>New Project…</source>
        <translation>新建项目…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Create an empty project file, then drop a folder of images on the window (Ctrl+N)</source>
        <translation>创建一个空的项目文件，然后将图像文件夹拖到窗口中（Ctrl+N）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open Project…</source>
        <translation>打开项目…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open an existing *.aapeproj file (Ctrl+O)</source>
        <translation>打开已有的 *.aapeproj 文件（Ctrl+O）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open Demo</source>
        <translation>打开演示</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A small ready-made project of coloured shapes with descriptions, to try every step in a minute</source>
        <translation>一个由彩色形状组成、带有描述的小型现成项目，一分钟内即可试完每个步骤</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Recent projects</source>
        <translation>最近的项目</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Double-click or press Enter to open</source>
        <translation>双击或按回车打开</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No recent projects yet. Create one, or open the demo.</source>
        <translation>还没有最近的项目。新建一个，或打开演示。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pick the CLIP checkpoint new projects use: a Hugging Face folder, an OpenAI .pt archive or an open_clip file</source>
        <translation>选择新项目使用的 CLIP 检查点：Hugging Face 文件夹、OpenAI .pt 归档或 open_clip 文件</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 no longer exists: it was moved or deleted. Open it from its new place with Open Project.</source>
        <translation>%1 已不存在：它已被移动或删除。请使用“打开项目”从新位置打开它。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&lt;b&gt;CLIP model:&lt;/b&gt; none chosen. New projects need one before encoding; the demo brings its own.</source>
        <translation>&lt;b&gt;CLIP 模型：&lt;/b&gt;未选择。新项目在编码前需要选择一个；演示自带模型。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&lt;b&gt;CLIP model:&lt;/b&gt; %1</source>
        <translation>&lt;b&gt;CLIP 模型：&lt;/b&gt;%1</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/studio_main.cpp" line="+25"/>
        <source>Adapt CLIP to your own images with AAPE.</source>
        <translation>使用 AAPE 让 CLIP 适配您自己的图像。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A project file (*.aapeproj) to open.</source>
        <translation>要打开的项目文件 (*.aapeproj)。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open the demo project (created on first use).</source>
        <translation>打开演示项目（首次使用时创建）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Without a display: run the demo workflow (encode, train, evaluate, export) and save a screenshot of every page into FOLDER.</source>
        <translation>无显示器时：运行演示流程（编码、训练、评估、导出），并将每一页的截图保存到 FOLDER。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Epochs for --headless-tour.</source>
        <translation>--headless-tour 的训练轮数。</translation>
    </message>
</context>
</TS>

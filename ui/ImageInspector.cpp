#include "ImageInspector.h"

#include "AttentionChart.h"
#include "LossPlot.h"
#include "PredictionsModel.h"
#include "PromptAttentionModel.h"

#include "aape/clip/ClipModel.h"
#include "aape/clip/ImagePreprocessor.h"
#include "aape/store/Project.h"

#include <QComboBox>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollArea>
#include <QVBoxLayout>
#include <QWhatsThis>

namespace aape::ui {

namespace {

constexpr int kPictureSide = 240;

QImage toQImage(const cv::Mat& rgb8)
{
    if (rgb8.empty())
        return {};
    return QImage(rgb8.data, rgb8.cols, rgb8.rows, static_cast<int>(rgb8.step), QImage::Format_RGB888).copy();
}

QLabel* pictureLabel(const QString& tip)
{
    auto* label = new QLabel;
    label->setFixedSize(kPictureSide, kPictureSide);
    label->setAlignment(Qt::AlignCenter);
    label->setToolTip(tip);
    label->setFrameShape(QFrame::StyledPanel);
    return label;
}

} // namespace

ImageInspector::ImageInspector(QWidget* parent)
    : QWidget(parent)
    , m_predictedAttention(new PromptAttentionModel(this))
    , m_trueAttention(new PromptAttentionModel(this))
{
    m_title = new QLabel(tr("Select an image in the table to inspect it."));
    m_title->setWordWrap(true);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_original = pictureLabel(tr("The image as stored; the box is the part the model sees (shorter side resized, "
                                 "centre cropped)."));
    m_modelView = pictureLabel(tr("The model's view: exactly the pixels CLIP receives, enlarged without smoothing."));
    auto* originalCaption = new QLabel(tr("Original with the model's crop"));
    auto* viewCaption = new QLabel(tr("Model's view"));
    m_scores = new QLabel;
    m_scores->setTextFormat(Qt::RichText);
    m_scores->setWordWrap(true);
    m_scores->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_scores->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // One label per number, so that each carries its own explanation.
    const auto numberLabel = [](const char* name, const QString& explanation) {
        auto* label = new QLabel;
        label->setObjectName(QLatin1String(name));
        label->setWordWrap(true);
        label->setToolTip(explanation);
        label->setWhatsThis(explanation);
        label->setCursor(Qt::WhatsThisCursor);
        return label;
    };
    m_ood = numberLabel("oodScore", tr("OOD score (our addition, not in the paper): higher means the image looks less "
                                       "like any class seen in training."));
    m_cosTemplate = numberLabel("templateSimilarity", PredictionsModel::templateSimilarityExplanation());
    m_cosAape = numberLabel("aapeSimilarity", PredictionsModel::aapeSimilarityExplanation());
    m_zeroShot = numberLabel("zeroShot", tr("What CLIP predicts with the plain templates alone, before adaptation."));
    m_looksLike = numberLabel("looksLike", tr("The three descriptions of all classes nearest this image by CLIP "
                                              "similarity: what the image looks like in words. Most telling when the "
                                              "OOD score is high and the image resembles none of the classes."));
    // A click shows the explanation too, for those who do not wait for tooltips.
    for (QLabel* label : {m_cosTemplate, m_cosAape})
        label->installEventFilter(this);
    m_note = new QLabel;
    m_note->setObjectName(QStringLiteral("inspectorNote"));
    m_note->setWordWrap(true);
    m_note->setTextFormat(Qt::PlainText);

    m_chart = new AttentionChart;
    auto* scroll = new QScrollArea;
    scroll->setWidget(m_chart);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);

    auto* pictures = new QGridLayout;
    pictures->addWidget(m_original, 0, 0);
    pictures->addWidget(m_modelView, 0, 1);
    pictures->addWidget(originalCaption, 1, 0, Qt::AlignHCenter);
    pictures->addWidget(viewCaption, 1, 1, Qt::AlignHCenter);
    // The numbers under the pictures, not beside them: beside them the inspector would claim
    // two thirds of a 1280-pixel window and leave the tables too little.
    auto* numbers = new QVBoxLayout;
    numbers->addWidget(m_ood);
    numbers->addWidget(m_cosTemplate);
    numbers->addWidget(m_cosAape);
    numbers->addWidget(m_zeroShot);
    numbers->addWidget(m_looksLike);
    numbers->addStretch(1);
    pictures->addWidget(m_scores, 2, 0);
    pictures->addLayout(numbers, 2, 1);
    pictures->setColumnStretch(2, 1);

    auto* attentionTitle = new QLabel(tr("Which descriptions mattered"));
    attentionTitle->setFont(bold);
    // The aggregator's own attention is what the paper's Figure 7 shows: it depends on the class
    // only. The blend re-weights it by each description's CLIP match with this image.
    m_weighting = new QComboBox;
    m_weighting->setObjectName(QStringLiteral("attentionWeighting"));
    m_weighting->addItem(tr("Aggregator's attention"), static_cast<int>(PromptAttentionModel::Weighting::Aggregator));
    m_weighting->addItem(tr("Blended with this image's CLIP match"),
                         static_cast<int>(PromptAttentionModel::Weighting::Blended));
    m_weighting->setToolTip(
        tr("Aggregator's attention: the weights the aggregator gave the class's descriptions when it built the "
           "prompt (as in the AAPE paper's Figure 7); the same for every image of the class.\n"
           "Blended: those weights multiplied by how well each description matches this image under CLIP, "
           "renormalised; it differs from image to image."));
    connect(m_weighting, &QComboBox::currentIndexChanged, this, [this] {
        const auto weighting = static_cast<PromptAttentionModel::Weighting>(m_weighting->currentData().toInt());
        m_predictedAttention->setWeighting(weighting);
        m_trueAttention->setWeighting(weighting);
    });
    auto* attentionHeader = new QHBoxLayout;
    attentionHeader->addWidget(attentionTitle);
    attentionHeader->addStretch(1);
    attentionHeader->addWidget(m_weighting);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_note);
    layout->addLayout(pictures);
    layout->addLayout(attentionHeader);
    layout->addWidget(scroll, 1);
    clear();
}

void ImageInspector::clear()
{
    m_imageId = 0;
    m_title->setText(tr("Select an image in the table to inspect it."));
    m_original->clear();
    m_modelView->clear();
    m_scores->clear();
    for (QLabel* label : {m_ood, m_cosTemplate, m_cosAape, m_zeroShot, m_looksLike})
        label->clear();
    setNote({});
    m_predictedAttention->clear();
    m_trueAttention->clear();
    m_chart->setSections({});
}

bool ImageInspector::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::MouseButtonRelease && (watched == m_cosTemplate || watched == m_cosAape)) {
        auto* label = static_cast<QLabel*>(watched);
        QWhatsThis::showText(static_cast<QMouseEvent*>(event)->globalPosition().toPoint(), label->whatsThis(), label);
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void ImageInspector::setNote(const QString& text)
{
    m_note->setText(text);
    m_note->setVisible(!text.isEmpty());
}

QString ImageInspector::note() const
{
    return m_note->text();
}

int ImageInspector::modelInputSize(store::Project* project)
{
    auto model = project->model();
    if (!model || !model.value())
        return m_inputSize;
    const QString path = QString::fromStdString(model.value()->path);
    if (path == m_sizeForModel)
        return m_inputSize;
    m_sizeForModel = path;
    m_inputSize = model.value()->info.value("image_size", 0);
    if (m_inputSize <= 0) {
        auto info = clip::inspectCheckpoint(model.value()->path);
        m_inputSize = info ? info->normalisation.imageSize : 224;
    }
    return m_inputSize;
}

void ImageInspector::showLooksLike(store::Project* project, std::int64_t runId, std::int64_t imageId)
{
    m_looksLike->clear();
    auto run = project->run(runId);
    auto image = project->image(imageId);
    auto descriptions = project->descriptions();
    if (!run || !run.value() || !image || !image.value() || !descriptions)
        return;
    const std::string& key = run.value()->modelFingerprint;
    std::vector<std::int64_t> ids;
    for (const auto& d : descriptions.value())
        ids.push_back(d.id);
    if (key != m_bankKey || ids != m_bankDescriptionIds) {
        auto bank = workflow::loadDescriptionBank(*project, key);
        if (!bank)
            return;
        m_bank = std::move(bank).value();
        m_bankKey = key;
        m_bankDescriptionIds = ids;
    }
    auto embedding = project->imageEmbeddings(key, {image.value()->contentHash}, 0);
    if (!embedding || !embedding->missing.empty())
        return;
    const auto nearest = workflow::nearestDescriptions(m_bank, embedding->values, 3);
    if (nearest.empty())
        return;
    QStringList parts;
    for (const auto& n : nearest)
        parts << tr("%1 (%2)").arg(QString::fromStdString(n.text).toHtmlEscaped(),
                                   QString::fromStdString(n.className).toHtmlEscaped());
    m_looksLike->setText(tr("Looks like: %1").arg(parts.join(tr(", "))));
}

void ImageInspector::showPrediction(store::Project* project, std::int64_t runId, const store::PredictionRecord& p,
                                    const QString& imagePath, const std::map<std::int64_t, QString>& classNames)
{
    m_imageId = p.imageId;
    auto name = [&](std::int64_t id) {
        const auto it = classNames.find(id);
        return it == classNames.end() ? tr("(class %1)").arg(id) : it->second;
    };
    const bool labelled = p.trueClassId.has_value();
    const bool right = labelled && *p.trueClassId == p.predictedClassId;
    m_title->setText(labelled ? tr("%1 — labelled %2, predicted %3 %4")
                                    .arg(QFileInfo(imagePath).fileName(), name(*p.trueClassId),
                                         name(p.predictedClassId), right ? tr("(right)") : tr("(wrong)"))
                              : tr("%1 — predicted %2").arg(QFileInfo(imagePath).fileName(), name(p.predictedClassId)));

    auto decoded = clip::decodeImageRgb8(imagePath.toStdString());
    if (decoded) {
        clip::PreprocessConfig config;
        config.imageSize = modelInputSize(project);
        const auto view = clip::preprocessForModel(decoded.value(), config);
        const QImage original = toQImage(decoded.value());
        const qreal dpr = devicePixelRatioF();
        const QSize target = QSize(kPictureSide - 4, kPictureSide - 4) * dpr;
        QPixmap shown = QPixmap::fromImage(original.scaled(target, Qt::KeepAspectRatio, Qt::SmoothTransformation));
        const double scale = double(shown.width()) / original.width();
        {
            QPainter painter(&shown);
            const auto& box = view.cropInInput;
            const QRectF rect(box.x * scale, box.y * scale, box.width * scale, box.height * scale);
            painter.setPen(QPen(QColor(0, 0, 0, 160), 4 * dpr));
            painter.drawRect(rect.adjusted(1, 1, -1, -1));
            painter.setPen(QPen(curveColour(6), 2 * dpr));
            painter.drawRect(rect.adjusted(1, 1, -1, -1));
        }
        shown.setDevicePixelRatio(dpr);
        m_original->setPixmap(shown);
        const QImage modelView = toQImage(view.modelView);
        // Nearest neighbour: the user should see the actual pixels the model gets.
        QPixmap enlarged = QPixmap::fromImage(modelView.scaled(target, Qt::KeepAspectRatio, Qt::FastTransformation));
        enlarged.setDevicePixelRatio(dpr);
        m_modelView->setPixmap(enlarged);
    } else {
        m_original->setText(tr("The image cannot be read:\n%1").arg(QString::fromStdString(decoded.error().message)));
        m_modelView->clear();
    }

    // Names are cut to a width (car models run to 40 characters and would widen the window);
    // the tooltip lists them in full.
    const int nameWidth = m_scores->fontMetrics().averageCharWidth() * 24;
    QStringList fullNames;
    QString html = QStringLiteral("<b>%1</b><table cellspacing='0' cellpadding='2'>").arg(tr("Top predictions"));
    if (p.topK.is_array()) {
        for (const auto& entry : p.topK) {
            if (!entry.is_array() || entry.size() < 2)
                continue;
            const auto id = entry[0].get<std::int64_t>();
            const auto prob = entry[1].get<double>();
            const bool isTrue = labelled && id == *p.trueClassId;
            fullNames << QStringLiteral("%1 %2%").arg(name(id)).arg(prob * 100.0, 0, 'f', 1);
            const QString shown = m_scores->fontMetrics().elidedText(name(id), Qt::ElideRight, nameWidth);
            // nowrap: class names of two or three words stay on one line.
            html += QStringLiteral("<tr><td nowrap>%1%2%3</td><td align='right' nowrap>&nbsp;%4%</td></tr>")
                        .arg(isTrue ? QStringLiteral("<b>") : QString(), shown.toHtmlEscaped(),
                             isTrue ? QStringLiteral("</b>") : QString())
                        .arg(prob * 100.0, 0, 'f', 1);
        }
    }
    html += QStringLiteral("</table>");
    m_scores->setText(html);
    m_scores->setToolTip(fullNames.join(QLatin1Char('\n')));
    m_ood->setText(tr("OOD score (our addition): <b>%1</b>").arg(p.oodScore, 0, 'f', 3));
    m_cosTemplate->setText(tr("Similarity to the template prompt: %1 ⓘ").arg(p.cosTemplate, 0, 'f', 3));
    m_cosAape->setText(tr("Similarity to the AAPE prompt: %1 ⓘ").arg(p.cosAape, 0, 'f', 3));
    m_zeroShot->setText(p.zeroShotClassId ? tr("Zero-shot CLIP says: %1").arg(name(*p.zeroShotClassId).toHtmlEscaped())
                                          : QString());

    showLooksLike(project, runId, p.imageId);
    m_predictedAttention->refresh(project, runId, p.imageId, p.predictedClassId);
    std::vector<std::pair<QString, PromptAttentionModel*>> sections{
        {tr("Predicted class: %1").arg(name(p.predictedClassId)), m_predictedAttention}};
    if (labelled && !right) {
        m_trueAttention->refresh(project, runId, p.imageId, *p.trueClassId);
        sections.emplace_back(tr("True class: %1").arg(name(*p.trueClassId)), m_trueAttention);
    } else {
        m_trueAttention->clear();
    }
    m_chart->setSections(sections);
}

} // namespace aape::ui

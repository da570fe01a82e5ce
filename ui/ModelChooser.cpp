#include "ModelChooser.h"

#include "StudioSettings.h"

#include "aape/clip/ClipModel.h"
#include "aape/util/Log.h"
#include "aape/workflow/Workflow.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrent>

namespace aape::ui {

store::ModelReference modelReferenceFor(const clip::ModelInfo& info)
{
    return workflow::modelReferenceFor(info);
}

QString describeModel(const clip::ModelInfo& info)
{
    QString text = ModelChooser::tr("<b>Format:</b> %1<br><b>Architecture:</b> %2<br><b>Activation:</b> %3 (%4)")
                       .arg(QString::fromLatin1(clip::checkpointFormatName(info.format)),
                            QString::fromStdString(info.architecture()).toHtmlEscaped(),
                            QString::fromLatin1(clip::activationName(info.config.activation)),
                            QString::fromStdString(info.activationSource).toHtmlEscaped());
    if (info.vocabPath.empty())
        text += QStringLiteral("<br>")
                + ModelChooser::tr("<b>Tokenizer:</b> not found next to the checkpoint; put vocab.json and merges.txt "
                                   "(or bpe_simple_vocab_16e6.txt.gz) beside it.");
    for (const std::string& note : info.notes)
        text += QStringLiteral("<br>• ") + QString::fromStdString(note).toHtmlEscaped();
    return text;
}

ModelChooser::ModelChooser(const QString& initialPath, QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Choose CLIP Model"));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("Choose the CLIP checkpoint the project adapts: a Hugging Face model folder "
                                "(config.json and model.safetensors), an OpenAI archive (ViT-B-16.pt) or an "
                                "open_clip file."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto* row = new QHBoxLayout;
    m_pathEdit = new QLineEdit(this);
    m_pathEdit->setPlaceholderText(tr("Folder or file of the checkpoint"));
    m_pathEdit->setClearButtonEnabled(true);
    auto* folderButton = new QPushButton(tr("Folder…"), this);
    folderButton->setToolTip(tr("Pick a Hugging Face model folder"));
    auto* fileButton = new QPushButton(tr("File…"), this);
    fileButton->setToolTip(tr("Pick an OpenAI .pt archive or an open_clip .pt/.bin/.safetensors file"));
    row->addWidget(m_pathEdit, 1);
    row->addWidget(folderButton);
    row->addWidget(fileButton);
    layout->addLayout(row);

    m_result = new QLabel(this);
    m_result->setObjectName(QStringLiteral("modelCheckResult"));
    m_result->setWordWrap(true);
    m_result->setTextFormat(Qt::RichText);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse);
    m_result->setOpenExternalLinks(true); // the log file, in the desktop's text viewer
    m_result->setMinimumHeight(90);
    m_result->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    layout->addWidget(m_result, 1);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    connect(folderButton, &QPushButton::clicked, this, [this] {
        const QString start = m_pathEdit->text().isEmpty() ? StudioSettings::lastFolder() : m_pathEdit->text();
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Choose a Model Folder"), start);
        if (!folder.isEmpty())
            setPath(folder);
    });
    connect(fileButton, &QPushButton::clicked, this, [this] {
        const QString start = m_pathEdit->text().isEmpty() ? StudioSettings::lastFolder() : m_pathEdit->text();
        const QString file =
            QFileDialog::getOpenFileName(this, tr("Choose a Checkpoint File"), start,
                                         tr("CLIP checkpoints (*.pt *.bin *.pth *.safetensors);;All files (*)"));
        if (!file.isEmpty())
            setPath(file);
    });
    connect(m_pathEdit, &QLineEdit::editingFinished, this, [this] {
        if (!m_info || QString::fromStdString(m_info->path) != m_pathEdit->text())
            startCheck();
    });
    connect(&m_watcher, &QFutureWatcher<Result<clip::ModelInfo>>::finished, this, &ModelChooser::showResult);

    resize(620, 300);
    if (!initialPath.isEmpty())
        setPath(initialPath);
    else
        m_result->setText(tr("No model chosen yet."));
}

ModelChooser::~ModelChooser()
{
    // Hiding the dialog during destruction takes the focus from the line edit, which would
    // start a check on a half-destroyed dialog.
    m_pathEdit->disconnect(this);
    m_watcher.disconnect(this);
    m_watcher.waitForFinished();
}

QString ModelChooser::path() const
{
    return m_pathEdit->text();
}

void ModelChooser::setPath(const QString& path)
{
    m_pathEdit->setText(QDir::toNativeSeparators(path));
    startCheck();
}

void ModelChooser::startCheck()
{
    m_info.reset();
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    const QString path = QDir::fromNativeSeparators(m_pathEdit->text().trimmed());
    if (path.isEmpty()) {
        m_result->setText(tr("No model chosen yet."));
        return;
    }
    if (m_watcher.isRunning()) {
        // One check at a time; the newest path is checked when this one ends.
        m_pendingPath = path;
        return;
    }
    m_result->setText(tr("Checking %1…").arg(path.toHtmlEscaped()));
    m_watcher.setFuture(QtConcurrent::run([path] { return clip::inspectCheckpoint(path.toStdString()); }));
}

void ModelChooser::showResult()
{
    if (!m_pendingPath.isEmpty()) {
        m_pendingPath.clear();
        startCheck();
        return;
    }
    const Result<clip::ModelInfo> result = m_watcher.result();
    if (!result) {
        // The sentence for the user here; what the loaders saw (LibTorch's exception text with
        // its stack frames, offsets) goes to the log file, which the dialog links to.
        const Error& error = result.error();
        const std::string logFile = Log::error(error, "choosing the CLIP model");
        QString message = QString::fromStdString(error.message);
        if (!message.isEmpty())
            message[0] = message[0].toUpper();
        if (!message.endsWith(QLatin1Char('.')))
            message += QLatin1Char('.');
        const QString file =
            QFileInfo(QString::fromStdString(error.file.empty() ? m_pathEdit->text().toStdString() : error.file))
                .fileName();
        QString text = QStringLiteral("<b>") + tr("%1 is not a usable CLIP checkpoint.").arg(file.toHtmlEscaped())
                       + QStringLiteral("</b><br>") + message.toHtmlEscaped();
        if (!error.detail.empty() && !logFile.empty())
            text += QStringLiteral("<br><small>")
                    + tr("The technical details are in the <a href=\"%1\">log file</a>.")
                          .arg(QUrl::fromLocalFile(QString::fromStdString(logFile)).toString().toHtmlEscaped())
                    + QStringLiteral("</small>");
        m_result->setText(text);
        Q_EMIT checked(false);
        return;
    }
    m_info = result.value();
    m_result->setText(describeModel(*m_info));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(true);
    Q_EMIT checked(true);
}

std::optional<store::ModelReference> ModelChooser::choose(QWidget* parent, const QString& initialPath)
{
    ModelChooser dialog(initialPath.isEmpty() ? StudioSettings::lastModelPath() : initialPath, parent);
    if (dialog.exec() != QDialog::Accepted || !dialog.modelInfo())
        return std::nullopt;
    const QString path = QString::fromStdString(dialog.modelInfo()->path);
    StudioSettings::setLastModelPath(path);
    StudioSettings::setLastFolder(QFileInfo(path).absolutePath());
    return modelReferenceFor(*dialog.modelInfo());
}

} // namespace aape::ui

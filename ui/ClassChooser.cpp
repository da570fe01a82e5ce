#include "ClassChooser.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QVBoxLayout>

namespace aape::ui {

namespace {
constexpr int kClassIdRole = Qt::UserRole + 1;
} // namespace

ClassChooser::ClassChooser(const Classes& classes, const QString& prompt, QWidget* parent)
    : QDialog(parent)
    , m_model(new QStandardItemModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
{
    setWindowTitle(tr("Choose a Class"));
    for (const auto& [id, name] : classes) {
        auto* item = new QStandardItem(name);
        item->setData(id, kClassIdRole);
        item->setToolTip(name);
        item->setEditable(false);
        m_model->appendRow(item);
    }
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    auto* label = new QLabel(prompt);
    label->setWordWrap(true);
    m_search = new QLineEdit;
    m_search->setObjectName(QStringLiteral("classSearch"));
    m_search->setPlaceholderText(tr("Type part of a class name"));
    m_search->setClearButtonEnabled(true);
    m_search->installEventFilter(this);
    label->setBuddy(m_search);
    m_list = new QListView;
    m_list->setObjectName(QStringLiteral("classList"));
    m_list->setModel(m_proxy);
    m_list->setUniformItemSizes(true);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(label);
    layout->addWidget(m_search);
    layout->addWidget(m_list, 1);
    layout->addWidget(buttons);
    resize(fontMetrics().averageCharWidth() * 50, fontMetrics().height() * 24);

    connect(m_search, &QLineEdit::textChanged, this, [this](const QString& text) {
        m_proxy->setFilterFixedString(text.trimmed());
        selectFirst();
    });
    connect(m_list, &QListView::doubleClicked, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    const auto updateOk = [this, buttons] {
        buttons->button(QDialogButtonBox::Ok)->setEnabled(m_list->currentIndex().isValid());
    };
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this, updateOk);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, updateOk);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, updateOk);
    selectFirst();
    updateOk();
}

void ClassChooser::selectFirst()
{
    if (m_proxy->rowCount() > 0)
        m_list->setCurrentIndex(m_proxy->index(0, 0));
}

std::optional<qint64> ClassChooser::chosenClass() const
{
    const QModelIndex current = m_list->currentIndex();
    if (!current.isValid())
        return std::nullopt;
    return current.data(kClassIdRole).toLongLong();
}

bool ClassChooser::eventFilter(QObject* watched, QEvent* event)
{
    // Up and down in the search field move through the list, so that the hands stay on the keys.
    if (watched == m_search && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent*>(event)->key();
        if (key == Qt::Key_Up || key == Qt::Key_Down || key == Qt::Key_PageUp || key == Qt::Key_PageDown) {
            QCoreApplication::sendEvent(m_list, event);
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

std::optional<qint64> ClassChooser::choose(QWidget* parent, const Classes& classes, const QString& prompt)
{
    ClassChooser dialog(classes, prompt, parent);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return dialog.chosenClass();
}

} // namespace aape::ui

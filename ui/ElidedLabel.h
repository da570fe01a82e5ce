#pragma once
// A one-line label that never asks for more width than a few characters: its text is elided
// to the width it gets, and the full text is its tooltip. For texts of unbounded length (class
// names of a filter) in rows that must not widen the window. GUI thread only.

#include <QLabel>

namespace aape::ui {

class ElidedLabel final : public QLabel {
    Q_OBJECT
public:
    explicit ElidedLabel(QWidget* parent = nullptr);

    void setFullText(const QString& text);
    QString fullText() const { return m_full; }
    // Whether the text is shown cut (for tests and tooltips).
    bool isElided() const { return text() != m_full; }

    QSize minimumSizeHint() const override;
    QSize sizeHint() const override;

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void elide();
    QString m_full;
};

} // namespace aape::ui

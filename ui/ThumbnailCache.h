#pragma once
// Thumbnails of project images, decoded lazily on a private thread pool (most recent request
// first, so that scrolling through 10,000 images decodes what is on screen) and kept in a
// QCache by image id. Create and call from the GUI thread; results arrive by queued signal.

#include <QCache>
#include <QHash>
#include <QImage>
#include <QObject>
#include <QPixmap>
#include <QSet>
#include <QSize>
#include <QThreadPool>

#include <deque>
#include <mutex>

namespace aape::ui {

class ThumbnailCache final : public QObject {
    Q_OBJECT
public:
    // size: the logical box a thumbnail fits in; decoded at that size times the device pixel
    // ratio so that it stays sharp on HiDPI screens.
    explicit ThumbnailCache(QSize size = QSize(128, 128), int maxItems = 3000, QObject* parent = nullptr);
    ~ThumbnailCache() override;

    QSize thumbnailSize() const { return m_size; }

    // The cached thumbnail, or a null pixmap after queuing a decode (thumbnailReady follows).
    QPixmap thumbnail(qint64 imageId, const QString& path);
    bool contains(qint64 imageId) const { return m_cache.contains(imageId); }
    // True when the image could not be decoded (the view shows a "broken" placeholder).
    bool failed(qint64 imageId) const { return m_failed.contains(imageId); }
    void clear();

    // Decodes one image to a thumbnail fitting `pixelSize`; callable from any thread.
    static QImage decodeThumbnail(const QString& path, QSize pixelSize);

Q_SIGNALS:
    void thumbnailReady(qint64 imageId);

private:
    struct Request {
        qint64 imageId;
        QString path;
    };
    void startWorkers();
    void workerLoop();
    void deliver(qint64 imageId, const QImage& image);

    QSize m_size;
    qreal m_dpr = 1.0;
    QCache<qint64, QPixmap> m_cache;
    QSet<qint64> m_failed;
    QThreadPool m_pool;

    std::mutex m_mutex; // guards the members below, shared with the workers
    std::deque<Request> m_queue;
    QSet<qint64> m_queued;
    int m_activeWorkers = 0;
    static constexpr std::size_t kMaxQueued = 400;
};

} // namespace aape::ui

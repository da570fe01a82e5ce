#include "ThumbnailCache.h"

#include "aape/clip/ImagePreprocessor.h"

#include <QGuiApplication>

#include <opencv2/imgproc.hpp>

namespace aape::ui {

ThumbnailCache::ThumbnailCache(QSize size, int maxItems, QObject* parent)
    : QObject(parent)
    , m_size(size)
    , m_cache(maxItems)
{
    m_dpr = qGuiApp ? qGuiApp->devicePixelRatio() : 1.0;
    m_pool.setMaxThreadCount(qMax(1, qMin(QThread::idealThreadCount(), 4)));
}

ThumbnailCache::~ThumbnailCache()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_queue.clear();
        m_queued.clear();
    }
    m_pool.waitForDone();
}

QPixmap ThumbnailCache::thumbnail(qint64 imageId, const QString& path)
{
    if (const QPixmap* pixmap = m_cache.object(imageId))
        return *pixmap;
    if (m_failed.contains(imageId))
        return {};
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_queued.contains(imageId)) {
            // Already waiting: move it to the front, it is on screen now.
            for (auto it = m_queue.begin(); it != m_queue.end(); ++it) {
                if (it->imageId == imageId) {
                    Request request = *it;
                    m_queue.erase(it);
                    m_queue.push_front(request);
                    break;
                }
            }
        } else {
            m_queue.push_front({imageId, path});
            m_queued.insert(imageId);
            // Requests from far behind the current scroll position are dropped; they are
            // asked for again if they come back into view.
            while (m_queue.size() > kMaxQueued) {
                m_queued.remove(m_queue.back().imageId);
                m_queue.pop_back();
            }
        }
    }
    startWorkers();
    return {};
}

void ThumbnailCache::clear()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_queue.clear();
    m_queued.clear();
    m_cache.clear();
    m_failed.clear();
}

void ThumbnailCache::startWorkers()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    while (m_activeWorkers < m_pool.maxThreadCount() && static_cast<int>(m_queue.size()) > m_activeWorkers) {
        ++m_activeWorkers;
        m_pool.start([this] { workerLoop(); });
    }
}

void ThumbnailCache::workerLoop()
{
    const QSize pixelSize = m_size * m_dpr;
    for (;;) {
        Request request;
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            if (m_queue.empty()) {
                --m_activeWorkers;
                return;
            }
            request = m_queue.front();
            m_queue.pop_front();
        }
        QImage image = decodeThumbnail(request.path, pixelSize);
        QMetaObject::invokeMethod(
            this, [this, id = request.imageId, image = std::move(image)] { deliver(id, image); }, Qt::QueuedConnection);
    }
}

void ThumbnailCache::deliver(qint64 imageId, const QImage& image)
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (!m_queued.remove(imageId))
            return; // cleared meanwhile (project closed or reloaded)
    }
    if (image.isNull()) {
        m_failed.insert(imageId);
    } else {
        auto* pixmap = new QPixmap(QPixmap::fromImage(image));
        pixmap->setDevicePixelRatio(m_dpr);
        m_cache.insert(imageId, pixmap);
    }
    Q_EMIT thumbnailReady(imageId);
}

QImage ThumbnailCache::decodeThumbnail(const QString& path, QSize pixelSize)
{
    auto decoded = clip::decodeImageRgb8(path.toStdString());
    if (!decoded || decoded->empty())
        return {};
    cv::Mat rgb = decoded.value();
    // Shrink with area averaging in OpenCV first: cheaper than Qt's smooth scaling on large
    // photos and free of aliasing.
    const double scale = std::min(double(pixelSize.width()) / rgb.cols, double(pixelSize.height()) / rgb.rows);
    if (scale < 1.0) {
        cv::Mat small;
        cv::resize(rgb, small,
                   cv::Size(std::max(1, int(rgb.cols * scale + 0.5)), std::max(1, int(rgb.rows * scale + 0.5))), 0, 0,
                   cv::INTER_AREA);
        rgb = small;
    }
    const QImage view(rgb.data, rgb.cols, rgb.rows, static_cast<qsizetype>(rgb.step), QImage::Format_RGB888);
    QImage image = view.copy();
    if (scale > 1.0)
        image = image.scaled(pixelSize, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    return image;
}

} // namespace aape::ui

#pragma once
// The training step's second CPU thread (see StepWorker below). Created, used and destroyed by
// one trainer run on its calling thread.

#include <ATen/Parallel.h>

#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>

namespace aape::detail {

// A second CPU thread for the trainer: runs one task at a time beside the calling thread.
// The aggregator and the h/g heads have disjoint parameters, so a step splits into two
// independent halves; each thread runs single-threaded kernels, which on small matrices
// (32 × 512 × 512) scales far better than two OpenMP threads inside every operation.
class StepWorker final {
public:
    StepWorker()
        : m_thread([this] { loop(); })
    {}
    StepWorker(const StepWorker&) = delete;
    StepWorker& operator=(const StepWorker&) = delete;
    ~StepWorker()
    {
        {
            std::lock_guard lock(m_mutex);
            m_quit = true;
        }
        m_wake.notify_all();
        m_thread.join();
    }

    void start(std::function<void()> task)
    {
        {
            std::lock_guard lock(m_mutex);
            m_task = std::move(task);
            m_busy = true;
        }
        m_wake.notify_all();
    }

    // Waits for the task given to start(); rethrows what it threw.
    void wait()
    {
        std::unique_lock lock(m_mutex);
        m_done.wait(lock, [this] { return !m_busy; });
        if (auto error = std::exchange(m_error, nullptr))
            std::rethrow_exception(error);
    }

private:
    void loop()
    {
        at::set_num_threads(1); // this thread's OpenMP team: the other core is the caller's
        std::unique_lock lock(m_mutex);
        for (;;) {
            m_wake.wait(lock, [this] { return m_quit || m_busy; });
            if (m_quit)
                return;
            auto task = std::move(m_task);
            lock.unlock();
            std::exception_ptr error;
            try {
                task();
            } catch (...) {
                error = std::current_exception();
            }
            lock.lock();
            m_error = error;
            m_busy = false;
            m_done.notify_all();
        }
    }

    std::mutex m_mutex;
    std::condition_variable m_wake, m_done;
    std::function<void()> m_task;
    std::exception_ptr m_error;
    bool m_busy = false;
    bool m_quit = false;
    std::thread m_thread; // last: starts after the members it uses exist
};

// Restores the calling thread's intra-op thread count when a run ends.
class ThreadCountGuard final {
public:
    explicit ThreadCountGuard(int threads)
        : m_previous(at::get_num_threads())
    {
        at::set_num_threads(threads);
    }
    ThreadCountGuard(const ThreadCountGuard&) = delete;
    ThreadCountGuard& operator=(const ThreadCountGuard&) = delete;
    ~ThreadCountGuard() { at::set_num_threads(m_previous); }

private:
    int m_previous;
};

} // namespace aape::detail

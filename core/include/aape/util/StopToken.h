#pragma once
// Cooperative cancellation for long jobs (import, encode, train): the UI asks, the job polls.
// Any thread may call request() and stopRequested(); share it through std::shared_ptr.

#include <atomic>
#include <memory>

namespace aape {

class StopToken final {
public:
    void request() { m_requested.store(true, std::memory_order_relaxed); }
    bool stopRequested() const { return m_requested.load(std::memory_order_relaxed); }

private:
    std::atomic<bool> m_requested{false};
};

using StopTokenPtr = std::shared_ptr<StopToken>;

// A null token never asks to stop, so callers may pass nothing.
inline bool stopRequested(const StopTokenPtr& token)
{
    return token && token->stopRequested();
}

} // namespace aape

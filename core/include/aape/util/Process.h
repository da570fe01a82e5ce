#pragma once
// Facts about the running process, for benchmarks.

namespace aape {

// Peak resident memory of this process in MiB (VmHWM), or -1 where /proc is unavailable.
double peakResidentMiB();

} // namespace aape

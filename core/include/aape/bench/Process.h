#pragma once
// Facts about the running process, for benchmarks.

namespace aape {

// Peak resident memory of this process in MiB (VmHWM), or -1 where /proc is unavailable.
double peakResidentMiB();

// The kernel set of the process's BLAS (OpenBLAS's core name, e.g. "Cooperlake" or "Haswell":
// OPENBLAS_CORETYPE overrides it, and products run at about half speed with AVX2 kernels
// on a CPU that has AVX-512), or "unknown" when the BLAS is not OpenBLAS.
const char* blasCoreName();

} // namespace aape

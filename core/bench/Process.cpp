#include "aape/bench/Process.h"

#include <fstream>
#include <string>

#if defined(__linux__)
#include <dlfcn.h>
#endif

namespace aape {

double peakResidentMiB()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmHWM:", 0) == 0)
            return std::stod(line.substr(6)) / 1024.0; // the value is in kB
    return -1.0;
}

const char* blasCoreName()
{
#if defined(__linux__)
    using CoreName = char* (*)();
    if (auto* name = reinterpret_cast<CoreName>(dlsym(RTLD_DEFAULT, "openblas_get_corename")))
        if (const char* core = name())
            return core;
#endif
    return "unknown";
}

} // namespace aape

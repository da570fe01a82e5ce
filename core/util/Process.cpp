#include "aape/util/Process.h"

#include <fstream>
#include <string>

namespace aape {

double peakResidentMiB()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmHWM:", 0) == 0)
            return std::stod(line.substr(6)) / 1024.0;  // the value is in kB
    return -1.0;
}

} // namespace aape

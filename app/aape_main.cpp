#include "cli/Cli.h"

#include <iostream>

int main(int argc, char** argv)
{
    return aape::cli::run(argc, argv, std::cout, std::cerr);
}

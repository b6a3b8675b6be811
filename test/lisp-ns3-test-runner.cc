/*
 * lisp-ns3-test-runner.cc - main() of lisp-ns3-tests, the stand-alone build's stand-in for
 * ns-3's test-runner: ctest runs it once per suite as `lisp-ns3-tests --suite=<name>`.
 * (In an ns-3 tree the same TestSuites go into ns-3's own test-runner instead.)
 */
#include "ns3/test.h"

int main(int argc, char **argv)
{
    return ns3::TestRunner::Run(argc, argv);
}

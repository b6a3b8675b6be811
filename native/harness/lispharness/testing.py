"""The frame of every harness test script: arguments, the namespace skip, one Run with
guaranteed teardown, the verdict.

A test body is f(args, run, failures) -> summary line; it appends what went wrong to
failures. The script exits 0 (passed), 1 (a check failed, or the harness could not build
or drive the scenario), 77 (namespaces cannot be created here; the reason is printed)
or 130 (interrupted; the run was torn down).

Only the Python standard library is used.
"""

import argparse
import os
import sys
import traceback

from . import netns


def expect(failures, condition, text):
    if not condition:
        failures.append(text)
    return condition


def lispctl_check(failures, check):
    """Run a check that asks lispctl; a lispctl that fails is a failed check, not the
    end of the test (the other checks still run)."""
    try:
        check()
    except netns.HarnessError as e:
        failures.append(str(e))


def print_logs(test, run, lines=30):
    """The end of every log of the run (daemons, tcpdump, flows), for a failed test."""
    for name in sorted(os.listdir(run.dir)):
        if name.endswith(".log"):
            with open(os.path.join(run.dir, name), encoding="utf-8", errors="replace") as f:
                tail = f.read().splitlines()[-lines:]
            print("---- %s (last %d lines) ----" % (name, len(tail)))
            print("\n".join(tail))
    print("%s: run directory %s%s" % (test, run.dir, " (kept)" if run.keep else " (removed)"))


def main(test, description, body, add_arguments=None, before_run=None):
    parser = argparse.ArgumentParser(description=description)
    if add_arguments:
        add_arguments(parser)
    args = parser.parse_args()
    if before_run:  # skips of its own (a missing ns-3 example), before namespaces
        before_run(args)
    netns.skip_unless_namespaces(test)
    failures = []
    summary = None
    try:
        with netns.Run(test, keep_dir=getattr(args, "keep", None)) as run:
            try:
                summary = body(args, run, failures)
            finally:
                if failures or summary is None:
                    print_logs(test, run)
    except netns.Interrupted as e:
        print("%s: interrupted (%s); everything torn down" % (test, e))
        return 130
    except netns.HarnessError as e:
        failures.append("harness: %s" % e)
    except Exception:  # a bug in the test itself: a failure with its traceback
        failures.append("harness: unexpected error\n%s" % traceback.format_exc())
    for failure in failures:
        print("%s: FAIL %s" % (test, failure))
    if failures:
        return 1
    print("%s: %s" % (test, summary))
    return 0


def run(test, description, body, add_arguments=None, before_run=None):
    sys.exit(main(test, description, body, add_arguments, before_run))

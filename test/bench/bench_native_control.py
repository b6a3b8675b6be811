#!/usr/bin/env python3
"""bench_native_control: the control plane of a native Map-Server/Map-Resolver over real UDP.

lisp-query floods a Map-Server/Map-Resolver on loopback and counts what comes back:

  * Map-Registers/s: Map-Registers signed with HMAC-SHA-1-96 (key-id 1) and with
    HMAC-SHA-256-128 (key-id 2), each for another /32 of the site, with the M bit: the rate
    of verified Map-Notifies (the server verifies one HMAC and signs one per message, the
    tool signs and verifies one each as well);
  * Map-Requests answered/s: ECM'd Map-Requests for registered EIDs (proxy Map-Replies)
    and for EIDs outside every prefix (negative Map-Replies): the rate of Map-Replies.

Two servers, the same floods: the daemon lispd (role ms+mr, log level warn) on 127.0.0.1
port 4342 inside a network namespace of its own (lispd binds the wildcard address of the
LISP ports, which must not meet anything else on the machine; lisp-query runs in the same
namespace), and lisp-test-msmr (the same engines behind a minimal poll loop on one
socket, no namespace needed) for comparison. Without root or namespaces the lispd rows
are skipped with the reason. Each figure is the median of three floods. A benchmark, not
a test: it asserts nothing about speed; it prints a table and appends it to --out as
markdown. Messages the kernel drops when a socket buffer overflows are reported as
"answered %".

usage: bench_native_control.py --query LISP_QUERY [--msmr LISP_TEST_MSMR]
                               [--lispd LISPD --lispctl LISPCTL] [--quick] [--out FILE]
Only the Python standard library is used.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "native", "harness"))
from lispharness import lispd, netns  # noqa: E402

SITES = ["a,1,bench-key-1,10.1.0.0/16,proxy", "b,2,bench-key-2,10.2.0.0/16,proxy"]
CASES = [
    ("Map-Register, key-id 1 (HMAC-SHA-1-96) -> Map-Notify",
     ["register", "-k", "bench-key-1", "--key-id", 1, "--eid", "10.1.0.0/16", "--rloc",
      "192.0.2.1", "--want-notify", "--eid-range", "10.1.0.0/16"]),
    ("Map-Register, key-id 2 (HMAC-SHA-256-128) -> Map-Notify",
     ["register", "-k", "bench-key-2", "--key-id", 2, "--eid", "10.2.0.0/16", "--rloc",
      "192.0.2.2", "--want-notify", "--eid-range", "10.2.0.0/16"]),
    ("ECM Map-Request, registered EID -> proxy Map-Reply",
     ["request", "10.1.0.1", "--eid-range", "10.1.0.0/16"]),
    ("ECM Map-Request, no EID-prefix -> negative Map-Reply",
     ["request", "11.0.0.1", "--eid-range", "11.0.0.0/8"]),
]


def lispd_config(socket):
    """The sites of SITES for lispd (role ms+mr)."""
    lines = ['role = "ms+mr"', 'log-level = "warn"', 'control-socket = %s' % lispd.quote(socket)]
    for site in SITES:
        name, key_id, key, prefix, _proxy = site.split(",")
        lines += ['site %s {' % lispd.quote(name), '    key-id = %s' % key_id,
                  '    key = %s' % lispd.quote(key), '    eid-prefix = { %s }' % lispd.quote(prefix),
                  '    accept-more-specifics = true', '    proxy-reply = true', '}']
    return "\n".join(lines) + "\n"


def flood(argv):
    out = subprocess.run(argv + ["--json"], stdout=subprocess.PIPE, universal_newlines=True,
                         check=False, timeout=600).stdout
    return json.loads(out)


def run_cases(opts, n, prefix, port):
    """The floods against one server; [(case name, replies/s, answered %)]."""
    rows = []
    common = ["-m", "127.0.0.1", "-p", port, "-t", 2, "--flood", n]
    for name, args in CASES:
        argv = prefix + [opts.query] + [str(a) for a in args + common]
        runs = [flood(argv) for _ in range(3)]
        rate = statistics.median(r["reply_rate"] for r in runs)
        answered = statistics.median(100.0 * r["received"] / r["sent"] for r in runs)
        rows.append((name, rate, answered))
        print("%-58s %10.0f/s  answered %5.1f%%" % (name, rate, answered), flush=True)
    return rows


def with_msmr(opts, n):
    args = [opts.msmr, "--bind", "127.0.0.1", "--port", "0"]
    for site in SITES:
        args += ["--site", site]
    server = subprocess.Popen(args, stdout=subprocess.PIPE, universal_newlines=True)
    line = server.stdout.readline().split()
    if len(line) != 2 or line[0] != "port":
        server.kill()
        raise SystemExit("bench_native_control: lisp-test-msmr did not start")
    try:
        return run_cases(opts, n, [], int(line[1]))
    finally:
        server.terminate()
        server.communicate(timeout=10)


class Tools:
    def __init__(self, opts):
        self.lispd, self.lispctl = os.path.abspath(opts.lispd), os.path.abspath(opts.lispctl)


def with_lispd(opts, n):
    with netns.Run("bench-control") as run:
        node = run.node("msmr")
        daemon = lispd.Lispd(Tools(opts), node, lispd_config(run.path("msmr.sock"))).start()
        try:
            return run_cases(opts, n, node.cmd([]), 4342)
        finally:
            status = daemon.stop()
            if status != 0:
                print("bench_native_control: lispd exited with %s:\n%s"
                      % (status, daemon.proc.log()[-2000:]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--query", required=True)
    ap.add_argument("--msmr")
    ap.add_argument("--lispd")
    ap.add_argument("--lispctl")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out")
    opts = ap.parse_args()
    n = 2000 if opts.quick else 50000
    tables = []
    if opts.lispd and opts.lispctl:
        reason = netns.why_no_namespaces()
        title = "lispd (role ms+mr) on 127.0.0.1 in a network namespace"
        print("bench_native_control: %s" % title, flush=True)
        if reason:
            print("bench_native_control: skipped, %s" % reason)
            tables.append((title, None, reason))
        else:
            tables.append((title, with_lispd(opts, n), None))
    if opts.msmr:
        title = "lisp-test-msmr on 127.0.0.1"
        print("bench_native_control: %s" % title, flush=True)
        tables.append((title, with_msmr(opts, n), None))
    if opts.out:
        with open(opts.out, "a", encoding="utf-8") as f:
            for title, rows, reason in tables:
                f.write("\n### Native Map-Server/Map-Resolver over UDP (lisp-query --flood %d, "
                        "%s)\n\n" % (n, title))
                if reason:
                    f.write("Skipped: %s\n" % reason)
                    continue
                f.write("| operation | replies/s | answered |\n|---|---|---|\n")
                for name, rate, answered in rows:
                    f.write("| %s | %.0f | %.1f%% |\n" % (name, rate, answered))
    return 0


if __name__ == "__main__":
    sys.exit(main())

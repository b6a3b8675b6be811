#!/usr/bin/env python3
"""bench_native_control: the control plane of a native Map-Server/Map-Resolver over real UDP.

lisp-query floods a Map-Server/Map-Resolver on loopback and counts what comes back:

  * Map-Registers/s: Map-Registers signed with HMAC-SHA-1-96 (key-id 1) and with
    HMAC-SHA-256-128 (key-id 2), each for another /32 of the site, with the M bit: the rate
    of verified Map-Notifies (the server verifies one HMAC and signs one per message, the
    tool signs and verifies one each as well);
  * Map-Requests answered/s: ECM'd Map-Requests for registered EIDs (proxy Map-Replies)
    and for EIDs outside every prefix (negative Map-Replies): the rate of Map-Replies.

The server is lisp-test-msmr (the ms+mr engines on one socket, lisp_host.h contract); the
daemon lispd is to take its place once it runs the ms+mr role (not wired yet). Each figure is the
median of three floods. A benchmark, not a test: it asserts nothing about speed; it prints
a table and appends it to --out as markdown. Messages the kernel drops when the server's
socket buffer overflows are reported as "answered %".

usage: bench_native_control.py --query LISP_QUERY --msmr LISP_TEST_MSMR [--quick] [--out FILE]
Only the Python standard library is used.
"""

import argparse
import json
import statistics
import subprocess
import sys

SITES = ["a,1,bench-key-1,10.1.0.0/16,proxy", "b,2,bench-key-2,10.2.0.0/16,proxy"]


def start_server(msmr):
    args = [msmr, "--bind", "127.0.0.1", "--port", "0"]
    for site in SITES:
        args += ["--site", site]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, universal_newlines=True)
    line = proc.stdout.readline().split()
    if len(line) != 2 or line[0] != "port":
        proc.kill()
        raise SystemExit("bench_native_control: lisp-test-msmr did not start")
    return proc, int(line[1])


def flood(query, args):
    out = subprocess.run([query] + [str(a) for a in args] + ["--json"], stdout=subprocess.PIPE,
                         universal_newlines=True, check=False, timeout=600).stdout
    return json.loads(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--query", required=True)
    ap.add_argument("--msmr", required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out")
    opts = ap.parse_args()
    n = 2000 if opts.quick else 50000
    server, port = start_server(opts.msmr)
    common = ["-m", "127.0.0.1", "-p", port, "-t", 2, "--flood", n]
    cases = [
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
    rows = []
    try:
        for name, args in cases:
            runs = [flood(opts.query, args + common) for _ in range(3)]
            rate = statistics.median(r["reply_rate"] for r in runs)
            answered = statistics.median(100.0 * r["received"] / r["sent"] for r in runs)
            rows.append((name, rate, answered))
            print("%-58s %10.0f/s  answered %5.1f%%" % (name, rate, answered), flush=True)
    finally:
        server.terminate()
        server.communicate(timeout=10)
    if opts.out:
        with open(opts.out, "a", encoding="utf-8") as f:
            f.write("\n### Native Map-Server/Map-Resolver over UDP (lisp-query --flood %d, "
                    "lisp-test-msmr on 127.0.0.1)\n\n| operation | replies/s | answered |\n"
                    "|---|---|---|\n" % n)
            for name, rate, answered in rows:
                f.write("| %s | %.0f | %.1f%% |\n" % (name, rate, answered))
    return 0


if __name__ == "__main__":
    sys.exit(main())

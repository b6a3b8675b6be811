#!/usr/bin/env python3
"""bench_native_memory: the memory of the daemon lispd per map-cache entry (xTR) and per
registration (Map-Server), measured as the growth of its resident set (VmRSS).

On the two-sites namespace path of the harness (native/harness/lispharness; no captures):

  1. lispd as ms+mr, with the two sites of the scenario and a site "bench" for
     10.16.0.0/12 (key-id 1, more-specifics accepted, answered by the Map-Server:
     proxy-reply); lisp-query --flood registers N /32s of it (--want-notify, so each
     accepted registration is counted). Bytes per registration: the Map-Server's VmRSS
     growth over the Map-Notifies received.
  2. lispd as xtr on xtr0 (miss policy drop, an unbounded map-cache, 1024 resolutions at
     once), warmed by one resolution (the table of pending resolutions is allocated at the
     first one). lisp-test-udpflow on host0-0 sends one datagram to each of the N EIDs,
     round after round, until the map-cache holds them all (`lispctl show map-cache`): each
     first datagram makes an ECM'd Map-Request that the Map-Server answers with a /32
     Map-Reply. Bytes per entry: the xTR's VmRSS growth over the entries; then once more
     after one more round, in which every entry carries a packet (the entries in use).

N is 1,000,000 (100,000 with --quick; --entries sets it, at most 1,048,576). VmRSS counts
the pages the process touched, so it includes the allocator's overhead and free space
it keeps, which is what a user pays. A benchmark, not a test: it asserts nothing about
memory; it prints a table and appends it to --out as markdown. Without root or network
namespaces it says why, writes that into --out, and exits 0.

usage: bench_native_memory.py --lispd LISPD --lispctl LISPCTL --query LISP_QUERY
                              --udpflow LISP_TEST_UDPFLOW [--quick] [--entries N] [--out FILE]
Only the Python standard library is used.
"""

import argparse
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "native", "harness"))
from lispharness import lispd, netns, scenarios, topologies  # noqa: E402

BENCH_PREFIX = "10.16.0.0/12"
FIRST_EID = "10.16.0.0"
BENCH_KEY = "bench-key"
RLOC = "172.16.2.2"  # xtr1's RLOC (no daemon there: only the mappings matter)
FILL_RATE = 20000    # datagrams/s from host0-0 while filling


def ms_config(socket):
    lines = ['role = "ms+mr"', 'log-level = "warn"', 'control-socket = %s' % lispd.quote(socket),
             'registration-ttl = 3600']
    sites = [("site-%d" % s, topologies.SITE_KEY_ID, topologies.SITE_KEY,
              scenarios.site_prefix(s), False) for s in (0, 1)]
    sites.append(("bench", 1, BENCH_KEY, BENCH_PREFIX, True))
    for name, key_id, key, prefix, bench in sites:
        lines += ['site %s {' % lispd.quote(name), '    key-id = %d' % key_id,
                  '    key = %s' % lispd.quote(key), '    eid-prefix = { %s }' % lispd.quote(prefix)]
        if bench:
            lines += ['    accept-more-specifics = true', '    proxy-reply = true']
        lines.append('}')
    return "\n".join(lines) + "\n"


def xtr_config(socket):
    text = lispd.xtr_config(
        "xtr", socket, [(scenarios.site_prefix(0), 0)], "core0", [scenarios.MS_ADDRESS],
        ["10.0.0.0/8"], map_servers=[(scenarios.MS_ADDRESS, topologies.SITE_KEY_ID,
                                      topologies.SITE_KEY)],
        miss_policy="drop", log_level="warn")
    return text + "mapcache-max-entries = 0\nmax-pending = 1024\n"


def rss_kib(daemon):
    """VmRSS of the daemon (ip netns exec replaces itself with lispd: same pid)."""
    with open("/proc/%d/status" % daemon.proc.popen.pid, encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise netns.HarnessError("no VmRSS for lispd")


def mapcache_entries(daemon):
    """The count on lispctl's first line of `show map-cache` ("map-cache: N entries"),
    without reading the rest."""
    proc = subprocess.Popen([daemon.tools.lispctl, "-s", daemon.socket, "-t", "60", "show",
                             "map-cache"], stdout=subprocess.PIPE, universal_newlines=True)
    try:
        first = proc.stdout.readline().split()
    finally:
        proc.kill()
        proc.wait()
    if len(first) < 2 or first[0] != "map-cache:":
        raise netns.HarnessError("lispctl show map-cache: unexpected answer %r" % first)
    return int(first[1])


def settle(daemon):
    """VmRSS once it stops moving (the daemon may still be handling a backlog)."""
    last = rss_kib(daemon)
    for _ in range(20):
        time.sleep(0.5)
        now = rss_kib(daemon)
        if now == last:
            break
        last = now
    return last


def register(opts, ms_node, n):
    argv = ms_node.cmd([opts.query, "register", "-m", "127.0.0.1", "-k", BENCH_KEY, "--key-id",
                        "1", "--eid", BENCH_PREFIX, "--rloc", RLOC, "--want-notify",
                        "--eid-range", BENCH_PREFIX, "-t", "5", "--flood", str(n), "--json"])
    out = subprocess.run(argv, stdout=subprocess.PIPE, universal_newlines=True, check=False,
                         timeout=600).stdout
    return json.loads(out)


def one_round(opts, host, n):
    """One datagram to each of the n EIDs (n / FILL_RATE s and a little more, so that the
    last EIDs get theirs too)."""
    host.run_cmd([opts.udpflow, "send", "--dst", FIRST_EID, "--port", "9", "--size", "4",
                  "--rate", str(FILL_RATE), "--dst-count", str(n),
                  "--seconds", str(n / FILL_RATE + 0.5)], timeout=n / FILL_RATE + 30)
    time.sleep(1.0)  # the last answers


def fill(opts, host, xtr, n):
    """Rounds of one datagram per EID until the map-cache holds n entries (+1: the warm-up
    entry is one of them) or a round adds none; the entries at the end."""
    entries = mapcache_entries(xtr)
    for _ in range(6):
        if entries >= n:
            break
        one_round(opts, host, n)
        before, entries = entries, mapcache_entries(xtr)
        print("  map-cache: %d entries" % entries, flush=True)
        if entries == before:
            break
    return entries


class Tools:
    def __init__(self, opts):
        self.lispd, self.lispctl = os.path.abspath(opts.lispd), os.path.abspath(opts.lispctl)


def measure(opts, run, n):
    topo = topologies.two_sites(run, run.path("pcap"), capture=False)
    tools = Tools(opts)
    ms = lispd.Lispd(tools, topo.nodes["ms-mr"], ms_config(run.path("ms-mr.sock"))).start()
    ms_before = settle(ms)
    reg = register(opts, topo.nodes["ms-mr"], n)
    ms_after = settle(ms)
    print("  Map-Server: %d of %d registrations answered, VmRSS %d -> %d KiB"
          % (reg["received"], reg["sent"], ms_before, ms_after), flush=True)
    xtr = lispd.Lispd(tools, topo.nodes["xtr0"], xtr_config(run.path("xtr0.sock"))).start()
    host = topo.nodes["host0-0"]
    host.run_cmd([opts.udpflow, "send", "--dst", FIRST_EID, "--port", "9", "--size", "4",
                  "--rate", "10", "--seconds", "1"])  # the warm-up resolution
    time.sleep(0.5)
    warm = mapcache_entries(xtr)
    xtr_before = settle(xtr)
    entries = fill(opts, host, xtr, n)
    xtr_filled = settle(xtr)
    one_round(opts, host, n)  # every entry carries a packet
    xtr_used = settle(xtr)
    print("  xTR: %d map-cache entries, VmRSS %d -> %d KiB, %d KiB once each carried a packet"
          % (entries, xtr_before, xtr_filled, xtr_used), flush=True)
    for d in (xtr, ms):
        status = d.stop()
        if status != 0:
            raise netns.HarnessError("lispd exited with %s:\n%s" % (status, d.proc.log()[-2000:]))
    added = max(entries - warm, 1)
    return [("xTR map-cache entry (/32, one locator), resolved", entries, xtr_before,
             xtr_filled, (xtr_filled - xtr_before) * 1024.0 / added),
            ("the same after one more packet to each", entries, xtr_before, xtr_used,
             (xtr_used - xtr_before) * 1024.0 / added),
            ("Map-Server registration (/32, one locator, key-id 1)", reg["received"], ms_before,
             ms_after, (ms_after - ms_before) * 1024.0 / reg["received"] if reg["received"]
             else 0.0)]


def write(opts, text):
    if opts.out:
        with open(opts.out, "a", encoding="utf-8") as f:
            f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lispd", required=True)
    ap.add_argument("--lispctl", required=True)
    ap.add_argument("--query", required=True)
    ap.add_argument("--udpflow", required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--entries", type=int)
    ap.add_argument("--out")
    opts = ap.parse_args()
    n = min(opts.entries or (100000 if opts.quick else 1000000), 1 << 20)
    title = "\n### Native daemon memory: lispd's VmRSS per map-cache entry and per registration\n\n"
    reason = netns.why_no_namespaces()
    if reason:
        print("bench_native_memory: skipped, %s" % reason)
        write(opts, title + "Skipped: %s\n" % reason)
        return 0
    print("bench_native_memory: %d EIDs" % n, flush=True)
    with netns.Run("bench-memory") as run:
        rows = measure(opts, run, n)
    for row in rows:
        print("%-52s %8d  VmRSS %7d -> %7d KiB  %6.0f bytes each" % row, flush=True)
    write(opts, title + "| what | count | VmRSS before | VmRSS after | bytes each |\n"
          "|---|---|---|---|---|\n")
    write(opts, "".join("| %s | %d | %d KiB | %d KiB | %.0f |\n" % row for row in rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())

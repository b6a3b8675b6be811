#!/usr/bin/env python3
"""Wireshark reads the captures of the ns-3 LISP overlay cleanly.

Runs an ns-3 overlay example (examples/lisp-two-sites, examples/lisp-pxtr: both take
--pcap, --pcapDir and --missPolicy) once per miss policy, dissects every pcap it writes
with tshark and the repository's Lua dispatcher, and checks that

  * no frame is malformed or carries an expert info of severity warning or higher;
  * no frame carries one of the LISP dissectors' complaint items, and no LISP control
    frame leaves bytes over ("lisp && data");
  * every IPv4 header, UDP and ICMP checksum is present and good (ns-3 writes real
    checksums because the example sets ChecksumEnabled), outer and inner headers alike;
  * together the captures hold every message of the overlay: Map-Register, Map-Notify,
    ECM'd Map-Request, Map-Reply, and LISP data packets to port 4341 carrying the hosts'
    UDP (and, in lisp-two-sites, ICMP echo) packets.

The captures of one run are merged with mergecap (when present) so that tshark runs once
per run; a frame is then named by its position in the merged file and its capture file.

usage: check_overlay_pcaps.py LISP_PORTS_LUA EXAMPLE [--tshark TSHARK] [--keep DIR]

Exit status: 0 all checks passed, 1 a check failed, 2 the tools could not run,
77 tshark is not installed (ctest SKIP_RETURN_CODE).
Only the Python standard library is used.
"""

import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile

import pcap_checks
import tshark_run
from pcap_checks import FRAME_FIELDS, check_frame

FIELDS = FRAME_FIELDS + ["udp.dstport", "lisp.type"]
# lisp.type values: Map-Reply 2, Map-Register 3, Map-Notify 4, ECM 8 (its inner Map-Request
# is type 1).
WANTED_TYPES = {"1": "Map-Request", "2": "Map-Reply", "3": "Map-Register",
                "4": "Map-Notify", "8": "Encapsulated Control Message"}


def run_example(example, policy, directory):
    cmd = [example, "--pcap", "--pcapDir=" + directory, "--missPolicy=" + policy]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError("%s failed (exit %d):\n%s" % (" ".join(cmd), proc.returncode,
                                                         proc.stderr))
    pcaps = sorted(glob.glob(os.path.join(directory, "*.pcap")))
    if not pcaps:
        raise RuntimeError("%s wrote no pcap file into %s" % (" ".join(cmd), directory))
    return pcaps


def run_tshark(tshark, lua, pcap):
    return tshark_run.dissect(tshark, lua, pcap, FIELDS, allow_empty=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lua")
    parser.add_argument("example")
    parser.add_argument("--tshark", default=shutil.which("tshark"))
    parser.add_argument("--mergecap", default=shutil.which("mergecap"))
    parser.add_argument("--keep", help="write the captures here and keep them")
    args = parser.parse_args()
    if not args.tshark:
        print("check_overlay_pcaps: tshark not found, skipped")
        return 77

    workdir = args.keep or tempfile.mkdtemp(prefix="lisp-overlay-pcaps-")
    failures = []
    seen_types = set()
    data_frames = 0
    frames = 0
    try:
        for policy in ("drop", "queue"):
            directory = os.path.join(workdir, policy)
            pcaps = run_example(args.example, policy, directory)
            merged = pcap_checks.merge(args.mergecap, pcaps, directory)
            for pcap in [merged] if merged else pcaps:
                for layers in run_tshark(args.tshark, args.lua, pcap):
                    frames += 1
                    number = layers.get("frame.number", ["?"])[0]
                    if merged:
                        interface = int(layers.get("frame.interface_id", ["0"])[0])
                        where = "%s frame %s (from %s)" % (
                            os.path.relpath(pcap, workdir), number,
                            os.path.basename(pcaps[interface]) if interface < len(pcaps)
                            else "?")
                    else:
                        where = "%s frame %s" % (os.path.relpath(pcap, workdir), number)
                    protocols = check_frame(failures, where, layers)
                    seen_types.update(layers.get("lisp.type", []))
                    if "lisp-data" in protocols:
                        data_frames += 1
                        if "4341" not in layers.get("udp.dstport", []):
                            failures.append("%s: LISP data not to port 4341" % where)
                        if not any(p in protocols[protocols.index("lisp-data"):]
                                   for p in ("udp", "icmp")):
                            failures.append("%s: LISP data without an inner UDP/ICMP packet"
                                            % where)
    except (RuntimeError, OSError, ValueError) as e:
        print("check_overlay_pcaps: %s" % e)
        return 2
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)

    for lisp_type, name in sorted(WANTED_TYPES.items()):
        if lisp_type not in seen_types:
            failures.append("no %s (lisp.type %s) in any capture" % (name, lisp_type))
    if data_frames == 0:
        failures.append("no LISP data frame in any capture")

    for failure in failures:
        print("check_overlay_pcaps: FAIL %s" % failure)
    if failures:
        return 1
    print("check_overlay_pcaps: %d frames in the captures of both miss policies, %d of them "
          "LISP data; no malformed frame, no warning, every checksum good"
          % (frames, data_frames))
    return 0


if __name__ == "__main__":
    sys.exit(main())

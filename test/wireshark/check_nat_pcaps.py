#!/usr/bin/env python3
"""Wireshark reads the captures on both sides of the ns-3 NATs cleanly.

Runs examples/lisp-nat-behaviour with --pcap once for every preset, and once for a NAT
pair (a symmetric NAT behind a restricted-cone one), dissects every pcap with tshark and
checks that

  * no frame is malformed or carries an expert info of severity warning or higher;
  * every IPv4 header, UDP and ICMP checksum is present and good: the NAT engine updates
    them incrementally, and the example sets ChecksumEnabled so ns-3 writes real ones;
  * every frame is UDP, ICMP or (on the LAN) ARP, every UDP datagram dissects as STUN (the probe's RFC 5389
    Binding messages), and every capture holds Binding Requests and Success Responses
    and the example's ICMP echo requests and replies;
  * the translation shows on the wire: on the outside of the outermost NAT no private
    (10/8) or shared (100.64/10) address appears and every response goes to the address
    and port its MAPPED-ADDRESS names and comes from its RESPONSE-ORIGIN; on the inside of
    each NAT, responses go to a translated destination (not the MAPPED-ADDRESS).

usage: check_nat_pcaps.py LISP_PORTS_LUA EXAMPLE [--tshark TSHARK] [--keep DIR]

Exit status: 0 all checks passed, 1 a check failed, 2 the tools could not run,
77 tshark is not installed (ctest SKIP_RETURN_CODE).
Only the Python standard library is used.
"""

import argparse
import glob
import ipaddress
import os
import shutil
import subprocess
import sys
import tempfile

import pcap_checks
import tshark_run

FIELDS = pcap_checks.FRAME_FIELDS + [
    "ip.src",
    "ip.dst",
    "udp.srcport",
    "udp.dstport",
    "icmp.type",
    "stun.type",
    "stun.att.ipv4",
    "stun.att.port",
]
BINDING_REQUEST = "0x0001"
BINDING_SUCCESS = "0x0101"
NOT_PUBLIC = [ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("100.64.0.0/10")]
# (--preset, --inner) of each run; the presets come from the example's own table (all).
RUNS = [("all", None), ("restricted-cone", "symmetric")]


def run_example(example, preset, inner, directory):
    cmd = [example, "--pcap", "--pcapDir=" + directory, "--preset=" + preset]
    if inner:
        cmd.append("--inner=" + inner)
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError("%s failed (exit %d):\n%s%s" % (" ".join(cmd), proc.returncode,
                                                           proc.stdout, proc.stderr))
    pcaps = sorted(glob.glob(os.path.join(directory, "*.pcap")))
    if not pcaps:
        raise RuntimeError("%s wrote no pcap file into %s" % (" ".join(cmd), directory))
    return pcaps


def check_nat_frame(failures, where, layers, outermost_outside):
    """pcap_checks.check_frame, and what the NAT captures must show; returns the STUN
    message type and "icmp-<type>" of the frame."""
    def values(field):
        return layers.get(field, [])

    protocols = pcap_checks.check_frame(failures, where, layers)
    if "udp" in protocols and "stun" not in protocols:
        failures.append("%s: a UDP datagram that is not STUN (%s)" % (where, protocols))
    if not {"udp", "icmp", "arp"} & set(protocols):
        failures.append("%s: neither UDP, ICMP nor ARP (%s)" % (where, protocols))
    stun_type = values("stun.type")[:1]
    if outermost_outside:
        for address in values("ip.src") + values("ip.dst"):
            if any(ipaddress.ip_address(address) in net for net in NOT_PUBLIC):
                failures.append("%s: private address %s outside the NAT" % (where, address))
    if stun_type == [BINDING_SUCCESS]:
        ips, ports = values("stun.att.ipv4"), values("stun.att.port")
        if len(ips) < 3 or len(ports) < 3:
            failures.append("%s: response without MAPPED-ADDRESS and RESPONSE-ORIGIN" % where)
            return stun_type
        mapped = (ips[0], ports[0])  # MAPPED-ADDRESS, XOR-MAPPED, RESPONSE-ORIGIN, OTHER
        destination = (values("ip.dst")[0], values("udp.dstport")[0])
        if outermost_outside:
            if mapped != destination:
                failures.append("%s: response to %s:%s but MAPPED-ADDRESS %s:%s"
                                % ((where,) + destination + mapped))
            origin = (ips[2], ports[2])
            source = (values("ip.src")[0], values("udp.srcport")[0])
            if origin != source:
                failures.append("%s: response from %s:%s but RESPONSE-ORIGIN %s:%s"
                                % ((where,) + source + origin))
        elif mapped == destination:
            failures.append("%s: inside the NAT, a response to its MAPPED-ADDRESS %s:%s"
                            % ((where,) + mapped))
    return stun_type + ["icmp-%s" % t for t in values("icmp.type")[:1]]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lua")
    parser.add_argument("example")
    parser.add_argument("--tshark", default=shutil.which("tshark"))
    parser.add_argument("--keep", help="write the captures here and keep them")
    args = parser.parse_args()
    if not args.tshark:
        print("check_nat_pcaps: tshark not found, skipped")
        return 77

    workdir = args.keep or tempfile.mkdtemp(prefix="lisp-nat-pcaps-")
    failures = []
    frames = 0
    captures = 0
    try:
        for preset, inner in RUNS:
            directory = os.path.join(workdir, preset + ("+" + inner if inner else ""))
            for pcap in run_example(args.example, preset, inner, directory):
                captures += 1
                name = os.path.relpath(pcap, workdir)
                outermost_outside = pcap.endswith("-nat1-outside.pcap")
                types = set()
                for layers in tshark_run.dissect(args.tshark, args.lua, pcap, FIELDS,
                                                 allow_empty=True):
                    frames += 1
                    where = "%s frame %s" % (name, layers.get("frame.number", ["?"])[0])
                    types.update(check_nat_frame(failures, where, layers, outermost_outside))
                for wanted, what in ((BINDING_REQUEST, "Binding Request"),
                                     (BINDING_SUCCESS, "Binding Success Response"),
                                     ("icmp-8", "ICMP echo request"),
                                     ("icmp-0", "ICMP echo reply")):
                    if wanted not in types:
                        failures.append("%s: no %s" % (name, what))
    except (RuntimeError, OSError, ValueError) as e:
        print("check_nat_pcaps: %s" % e)
        return 2
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)

    for failure in failures:
        print("check_nat_pcaps: FAIL %s" % failure)
    if failures:
        return 1
    print("check_nat_pcaps: %d frames in %d captures on both sides of the NATs; no malformed "
          "frame, no warning, every checksum good, every datagram STUN, ICMP "
          "echo both ways, translation consistent with MAPPED-ADDRESS" % (frames, captures))
    return 0


if __name__ == "__main__":
    sys.exit(main())

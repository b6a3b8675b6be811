#!/usr/bin/env python3
"""native/nat-classify-lispd and native/nat-classify-linux: two independent NAT
classifiers, Debian's `stun` (RFC 3489) and coturn's `turnutils_natdiscovery -m -f`
(RFC 5780), run from a client behind a NAT against turnserver on two addresses
(lispharness/natlab.py), and their verdicts checked against what the NAT is meant to be:

  --nat lispd   lispd's NAT (role nat) with every preset of the engine in turn;
  --nat linux   the kernel's NAT with the nftables rules of the same behaviours
                (masquerade, masquerade fully-random, snat + dnat), which proves the
                classifiers themselves.

Each NAT starts from an empty table. For lispd, every daemon must also exit 0 on SIGTERM
and leave no queue rule behind. A preset whose behaviour changes fails: the expected
verdicts below follow from the preset's definition (lisp_nat.h), not from a recording.

usage: nat_classify.py --nat lispd|linux --lispd PATH --lispctl PATH [--only NAME] [--keep DIR]
Exit status: 0 passed, 1 failed, 77 no namespaces (or no classifier) here.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lispharness import natlab, scenarios, testing  # noqa: E402
from lispharness.netns import SKIP  # noqa: E402
from lispharness.testing import expect  # noqa: E402

EIM = "NAT with Endpoint Independent Mapping!"
APDM = "NAT with Address and Port Dependent Mapping!"
EIF = "NAT with Endpoint Independent Filtering!"
ADF = "NAT with Address Dependent Filtering!"
APDF = "NAT with Address and Port Dependent Filtering!"

# stun's "Primary:" line is "<type>[, preserves ports|, random port], <hairpin>"; its exit
# status is the type (0x02 independent filter, 0x04 address-dependent filter, 0x06 port-
# dependent filter, 0x08 dependent mapping) | 0x01 when ports are preserved | 0x10 when it
# does not hairpin.
IND_IND = "Independent Mapping, Independent Filter"
IND_ADDR = "Independent Mapping, Address Dependent Filter"
IND_PORT = "Independent Mapping, Port Dependent Filter"
DEPENDENT = "Dependent Mapping"
STUN_CODE = {IND_IND: 0x02, IND_ADDR: 0x04, IND_PORT: 0x06, DEPENDENT: 0x08}


def stun_verdict(kind, preserves, hairpin):
    line = "%s%s, %s" % (kind, ", preserves ports" if preserves else ", random port",
                         "will hairpin" if hairpin else "no hairpin")
    return line, STUN_CODE[kind] | (0x01 if preserves else 0) | (0 if hairpin else 0x10)


# What each NAT is (lisp_nat.h presets; docs/native.md for the Linux rules):
# name -> (natdiscovery mapping, natdiscovery filtering, stun kind, ports preserved,
#          hairpins)
# stun's hairpin test sends from its socket to that socket's own mapped endpoint. Our
# NAT hairpins with the sender's external endpoint as source (RFC 4787 REQ-9): under
# endpoint-independent mapping that is the very mapping, which has just "sent" to that
# endpoint, so its filter lets it in; under symmetric mapping the packet gets a new
# mapping, whose endpoint the target mapping (address-and-port-dependent filtering) never
# sent to: filtered, "no hairpin", as the RFC behaviours imply.
LISPD = {
    "full-cone": (EIM, EIF, IND_IND, True, True),
    "restricted-cone": (EIM, ADF, IND_ADDR, True, True),
    "port-restricted-cone": (EIM, APDF, IND_PORT, True, True),
    "symmetric": (APDM, APDF, DEPENDENT, False, False),
    "linux-masquerade": (EIM, APDF, IND_PORT, True, True),
    "carrier-grade": (EIM, EIF, IND_IND, False, True),
}
# The kernel hairpins nothing without extra rules: a packet from the inside to the public
# address is delivered to the NAT host itself.
LINUX = {
    "masquerade": (EIM, APDF, IND_PORT, True, False),
    "masquerade-fully-random": (APDM, APDF, DEPENDENT, False, False),
    "snat-dnat": (EIM, EIF, IND_IND, True, False),
}


def classify(lab, name, want, failures):
    mapping, filtering, kind, preserves, hairpin = want
    got_m, got_f, out = lab.natdiscovery()
    ok = expect(failures, got_m == mapping and got_f == filtering,
                "%s: turnutils_natdiscovery says %r / %r, expected %r / %r"
                % (name, got_m, got_f, mapping, filtering))
    line, code = stun_verdict(kind, preserves, hairpin)
    got_line, got_code, stun_out = lab.stun()
    ok = expect(failures, got_line == line and got_code == code,
                "%s: stun says %r (exit %#x), expected %r (exit %#x)"
                % (name, got_line, got_code, line, code)) and ok
    if not ok:
        print("---- %s: turnutils_natdiscovery ----\n%s\n---- stun ----\n%s"
              % (name, out, stun_out))
    print("%s: natdiscovery %s / %s; stun %s (exit %#x)" % (name, got_m, got_f, got_line,
                                                           got_code))


def body(args, run, failures):
    tools = scenarios.Tools.from_args(args) if args.nat == "lispd" else None
    table = LISPD if args.nat == "lispd" else LINUX
    names = [args.only] if args.only else list(table)
    lab = natlab.NatLab(run, tools)
    lab.start_turnserver()
    for name in names:
        if args.nat == "lispd":
            lab.start_lispd(name)
        else:
            lab.start_linux(name)
        classify(lab, name, table[name], failures)
        status = lab.stop_nat()
        if args.nat == "lispd":
            expect(failures, status == 0, "%s: lispd exited %s on SIGTERM" % (name, status))
            rules = lab.nat.run_cmd(["iptables-save", "-t", "raw"], check=False).stdout
            rules += lab.nat.run_cmd(["nft", "list", "ruleset"], check=False).stdout
            expect(failures, "LISPD_NAT" not in rules and "lispd_nat" not in rules,
                   "%s: lispd left its queue rules behind:\n%s" % (name, rules))
    lab.close()
    return "%d %s NAT%s classified as named by both classifiers" % (
        len(names), args.nat, "s" if len(names) > 1 else "")


def add_arguments(parser):
    parser.add_argument("--nat", choices=("lispd", "linux"), required=True)
    parser.add_argument("--lispd", help="the lispd executable (--nat lispd)")
    parser.add_argument("--lispctl", help="the lispctl executable (--nat lispd)")
    parser.add_argument("--only", help="one preset (lispd) or rule set (linux)")
    parser.add_argument("--keep", help="keep the run (configs, logs) in this directory")


def before_run(args):
    missing = natlab.tool_missing(["turnserver", "turnutils_natdiscovery", "stun", "nft",
                                   "conntrack"])
    if missing:
        print("%s: SKIP %s is not installed (scripts/install-deps.sh)" % (test_name(args),
                                                                          missing))
        sys.exit(SKIP)
    table = LISPD if args.nat == "lispd" else LINUX
    if args.only and args.only not in table:
        sys.exit("%s: --only %s: not one of %s" % (test_name(args), args.only,
                                                   ", ".join(table)))


def test_name(args):
    return "native/nat-classify-%s" % args.nat


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    known, _ = parser.parse_known_args()
    testing.run(test_name(known), __doc__.splitlines()[0], body, add_arguments, before_run)

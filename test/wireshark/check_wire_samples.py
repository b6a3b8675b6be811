#!/usr/bin/env python3
"""Wireshark as the independent oracle for the bytes of our LISP codec.

Runs examples/lisp-wire-samples (one packet of every LISP message kind, plus a
manifest of the field values a dissector must show), dissects the pcap once
with tshark and checks that

  * every manifest value equals what tshark shows (a field that occurs several
    times in a frame is compared as an ordered list);
  * no frame is malformed, carries an expert info of severity warning or
    higher, or one of the LISP dissector's "unexpected/expected/invalid
    field" and "not dissected yet" items;
  * no LISP control frame leaves bytes over ("lisp && data");
  * every UDP checksum, IPv4 header checksum and ICMP checksum is good;
  * the outer UDP payload is exactly the encoded message (@lisp_len).

Known limitations of the Wireshark 4.0 LISP dissector are handled explicitly,
each by its own check (see KNOWN LIMITATIONS below), never by ignoring a class
of problems.

usage: check_wire_samples.py LISP_PORTS_LUA SAMPLER [--tshark TSHARK] [--keep DIR]

  LISP_PORTS_LUA  the repository's wireshark/lisp-ports.lua (dispatches UDP
                  port 4342 to "lisp" and 4341 to "lisp-data")
  SAMPLER         the built lisp-wire-samples executable

Exit status: 0 all checks passed, 1 a check failed, 2 the tools could not run,
77 tshark is not installed (ctest SKIP_RETURN_CODE).
Only the Python standard library is used.
"""

import argparse
import collections
import os
import shutil
import subprocess
import sys
import tempfile

import tshark_run
from tshark_run import LISP_COMPLAINTS, SEVERITY_WARN

# Fields every check below reads, in addition to the manifest's fields.
CHECK_FIELDS = [
    "frame.number",
    "frame.protocols",
    "_ws.malformed",
    "_ws.expert.message",
    "_ws.expert.severity",
    "data.len",
    "data.data",
    "udp.payload",
    "udp.length",
    "udp.checksum.status",
    "ip.checksum.status",
    "icmp.checksum.status",
] + LISP_COMPLAINTS

# KNOWN LIMITATIONS of Wireshark 4.0's LISP dissector (packet-lisp.c):
#
# 1. Map-Notify-Ack (type 5, RFC 9301) is not in its type table: the frame is
#    "Unknown LISP Control Packet (5)", lisp.type is 5 and the whole UDP payload
#    becomes a "data" item. We check exactly that, and that the data is as long
#    as the message we encoded (@lisp_len), so the frame still proves that the
#    outer framing carries the whole message. The sampler makes the ack repeat
#    the body of a Map-Notify that Wireshark does dissect (@body_as_frame), so
#    we also compare the bytes: everything but the type and the HMAC must match.
MAP_NOTIFY_ACK = "5"
#
# 2. The hostname form of the Info-Request (AFI 17 and a NUL-terminated name
#    where draft-ermagan has AFI 0; lispers.net sends it,
#    draft-farinacci-lisp-lispers-net-nat) is reported as an error and the name
#    is left over as "data". The dissector adds one lisp.expected_field item,
#    whose expert info (severity error) reads HOSTNAME_EXPERT. We check that
#    this one item and this one expert, with exactly this text, are the only
#    ones on such a frame, and that the left-over data is exactly the name from
#    the manifest (@hostname) and its NUL.
HOSTNAME_AFI = "17"
HOSTNAME_COMPLAINT = "lisp.expected_field"
HOSTNAME_EXPERT = "Expecting NULL AFI (0), found 17, incorrect packet!"
#
# 3. ECM: Wireshark names only the S and D bits and shows every other bit of
#    the first word as lisp.ecm.res. The positions of E, M and the
#    NAT-traversal R and N bits are held against this table (OOR and the
#    lispers.net/Wireshark placement: R and N follow S, D, E, M and one
#    reserved bit), not against our C constants; the sampler names the bits it
#    set in @ecm_flags.
ECM_BITS = {"S": 0x08000000, "D": 0x04000000, "E": 0x02000000, "M": 0x01000000,
            "R": 0x00400000, "N": 0x00200000}


class Frame:
    """One frame: what the manifest expects and what tshark shows."""

    def __init__(self, number, expected, meta, shown_by_number):
        self.number = number
        self.expected = expected  # field -> [values] (tshark fields)
        self.meta = meta  # "@name" -> value
        self.shown_by_number = shown_by_number  # every frame, for cross-frame checks
        self.shown = shown_by_number.get(number, {})  # field -> [values] as tshark printed them

    def kind(self):
        return self.meta.get("@kind", "?")

    def values(self, field):
        return self.shown.get(field, [])

    def protocols(self):
        chain = self.values("frame.protocols")
        return chain[0].split(":") if chain else []

    def is_map_notify_ack(self):
        return self.expected.get("lisp.type") == [MAP_NOTIFY_ACK]

    def is_ecm(self):
        return "@ecm_flags" in self.meta

    def is_hostname_info_request(self):
        return HOSTNAME_AFI in self.expected.get("lisp.info.afi", [])


class Report:
    """Collects mismatches; each one names the frame, the sample and the field."""

    def __init__(self):
        self.failures = []
        self.values_asserted = 0
        self.lists_asserted = 0

    def fail(self, frame, what):
        where = "frame %s (%s)" % (frame.number, frame.kind()) if frame else "capture"
        self.failures.append("%s: %s" % (where, what))

    def expect_equal(self, frame, field, expected, shown):
        self.lists_asserted += 1
        self.values_asserted += len(expected)
        if expected != shown:
            self.fail(frame, "%s: expected %s, tshark shows %s" % (field, expected, shown))


# --------------------------------------------------------------------------
# Running the tools
# --------------------------------------------------------------------------


def run_sampler(sampler, workdir):
    pcap = os.path.join(workdir, "lisp-wire-samples.pcap")
    manifest = os.path.join(workdir, "lisp-wire-samples.tsv")
    proc = subprocess.run([sampler, "--out", pcap, "--manifest", manifest],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError("%s failed (exit %d):\n%s" % (sampler, proc.returncode, proc.stderr))
    return pcap, manifest


def parse_manifest(path):
    """frame number -> (expected field lists, meta) in file order."""
    frames = collections.OrderedDict()
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 3:
                raise RuntimeError("%s:%d: expected frame<TAB>field<TAB>value" % (path, lineno))
            number, field, value = parts
            expected, meta = frames.setdefault(number, (collections.OrderedDict(), {}))
            if field.startswith("@"):
                meta[field] = value
            else:
                expected.setdefault(field, []).append(value)
    return frames


def run_tshark(tshark, lua, pcap, fields):
    """Dissect the pcap once (tshark_run.dissect); frame number -> {field: [values]}."""
    shown = collections.OrderedDict()
    for layers in tshark_run.dissect(tshark, lua, pcap, fields):
        shown[layers["frame.number"][0]] = layers
    return shown


# --------------------------------------------------------------------------
# Checks: one function per property, each reporting into `report`
# --------------------------------------------------------------------------


def check_frame_count(report, manifest, shown):
    if not manifest:
        report.fail(None, "the sampler wrote an empty manifest")
    if list(manifest) != list(shown):
        report.fail(None, "manifest has frames %s, tshark decoded frames %s"
                    % (list(manifest), list(shown)))


def check_manifest_fields(report, frame):
    for field, expected in frame.expected.items():
        report.expect_equal(frame, field, expected, frame.values(field))


def check_not_malformed(report, frame):
    if "_ws.malformed" in frame.shown:
        report.fail(frame, "tshark marks the frame as malformed")


def check_experts(report, frame):
    """No expert info of severity >= warning; the hostname Info-Request must
    carry exactly the one known expert (limitation 2)."""
    messages = frame.values("_ws.expert.message")
    severities = [int(v, 0) for v in frame.values("_ws.expert.severity")]
    serious = [m for m, s in zip(messages, severities) if s >= SEVERITY_WARN]
    if frame.is_hostname_info_request():
        if messages != [HOSTNAME_EXPERT]:
            report.fail(frame, "expected exactly the expert %r (known limitation), tshark shows %s"
                        % (HOSTNAME_EXPERT, messages))
        return
    if serious:
        report.fail(frame, "expert infos of severity warning or higher: %s" % serious)


def check_no_lisp_complaints(report, frame):
    """None of the LISP dissectors' complaint items; the hostname Info-Request
    must carry exactly one lisp.expected_field (limitation 2)."""
    complaints = [f for f in LISP_COMPLAINTS for _ in frame.values(f)]
    if frame.is_hostname_info_request():
        if complaints != [HOSTNAME_COMPLAINT]:
            report.fail(frame, "expected exactly one %s (known limitation), tshark adds %s"
                        % (HOSTNAME_COMPLAINT, complaints))
        return
    for field in complaints:
        report.fail(frame, "the dissector adds %s" % field)


def check_no_leftover_bytes(report, frame):
    """`lisp && data`: bytes the LISP dissector did not account for. The two
    known limitations leave data of an exactly known size."""
    protocols = frame.protocols()
    if "lisp" not in protocols or "data" not in protocols:
        if frame.is_map_notify_ack() or frame.is_hostname_info_request():
            report.fail(frame, "known limitation no longer shows (protocols %s): "
                        "update check_wire_samples.py" % ":".join(protocols))
        return
    data_len = frame.values("data.len")
    if frame.is_map_notify_ack():
        check_map_notify_ack(report, frame, protocols, data_len)
    elif frame.is_hostname_info_request():
        check_hostname_leftover(report, frame, data_len)
    else:
        report.fail(frame, "%s byte(s) left over after the LISP message (lisp && data)" % data_len)


def check_map_notify_ack(report, frame, protocols, data_len):
    """Limitation 1: type 5 is only 'Unknown LISP Control Packet (5)'."""
    report.expect_equal(frame, "lisp.type", [MAP_NOTIFY_ACK], frame.values("lisp.type"))
    if protocols[-2:] != ["lisp", "data"]:
        report.fail(frame, "Map-Notify-Ack: expected the payload as data after lisp, got %s"
                    % ":".join(protocols))
    report.expect_equal(frame, "data.len (whole Map-Notify-Ack)", [frame.meta.get("@lisp_len")],
                        data_len)
    check_ack_body(report, frame)


def check_ack_body(report, frame):
    """The ack repeats the body of the Map-Notify in frame @body_as_frame:
    word, nonce, key-id, auth length and everything after the auth data match,
    except the type nibble (4 -> 5)."""
    notify_frame = frame.meta.get("@body_as_frame")
    notify = frame.shown_by_number.get(notify_frame, {}).get("udp.payload", [])
    ack = frame.values("data.data")
    if not notify_frame or not notify or len(ack) != 1:
        report.fail(frame, "cannot compare the Map-Notify-Ack with Map-Notify frame %s"
                    % notify_frame)
        return
    ack, notify = bytes.fromhex(ack[0]), bytes.fromhex(notify[0])
    report.lists_asserted += 1
    report.values_asserted += 1
    if len(ack) < 16 or len(ack) != len(notify):
        report.fail(frame, "Map-Notify-Ack is %d bytes, Map-Notify (frame %s) %d"
                    % (len(ack), notify_frame, len(notify)))
        return
    auth_end = 16 + int.from_bytes(ack[14:16], "big")
    expected = (bytes([(notify[0] & 0x0F) | 0x50]) + notify[1:16]  # type 5, same word..auth length
                + ack[16:auth_end]  # the ack's own HMAC
                + notify[auth_end:])  # same records, xTR-ID and site-ID
    if notify[0] >> 4 != 4 or ack != expected:
        first = next(i for i in range(len(ack)) if ack[i] != expected[i]) if ack != expected else 0
        report.fail(frame, "Map-Notify-Ack differs from Map-Notify (frame %s) at byte %d beyond "
                    "type and authentication data: ...%s... vs ...%s..."
                    % (notify_frame, first, ack[first:first + 8].hex(),
                       expected[first:first + 8].hex()))


def check_hostname_leftover(report, frame, data_len):
    """Limitation 2: the AFI 17 name of an Info-Request is left as data."""
    name = frame.meta.get("@hostname")
    if name is None:
        report.fail(frame, "manifest lacks @hostname for an AFI 17 Info-Request")
        return
    expected = (name.encode("utf-8") + b"\0").hex()
    report.expect_equal(frame, "data.data (hostname and NUL)", [expected],
                        frame.values("data.data"))


def check_checksums(report, frame):
    """Every UDP checksum, IPv4 header checksum and ICMP checksum verifies (1 = good)."""
    udp = frame.values("udp.checksum.status")
    if not udp:
        report.fail(frame, "no UDP checksum status (is udp.check_checksum on?)")
    for field in ("udp.checksum.status", "ip.checksum.status", "icmp.checksum.status"):
        for i, status in enumerate(frame.values(field)):
            if status != "1":
                report.fail(frame, "%s[%d] is %s, not 1 (good)" % (field, i, status))


def check_ecm_flags(report, frame):
    """Limitation 3: the ECM bits Wireshark lumps into lisp.ecm.res sit where
    ECM_BITS says."""
    if not frame.is_ecm():
        return
    names = frame.meta["@ecm_flags"].split()
    names = [] if names == ["none"] else names
    unknown = [n for n in names if n not in ECM_BITS]
    if unknown:
        report.fail(frame, "@ecm_flags names unknown bits %s" % unknown)
        return
    reserved = sum(ECM_BITS[n] for n in names if n not in ("S", "D"))
    report.expect_equal(frame, "lisp.ecm.res (E/M/R/N positions)", ["0x%08x" % reserved],
                        frame.values("lisp.ecm.res"))
    report.expect_equal(frame, "lisp.ecm.flags.sec (S position)", ["1" if "S" in names else "0"],
                        frame.values("lisp.ecm.flags.sec"))
    report.expect_equal(frame, "lisp.ecm.flags.ddt (D position)", ["1" if "D" in names else "0"],
                        frame.values("lisp.ecm.flags.ddt"))


def check_outer_length(report, frame):
    """The outer UDP datagram carries exactly the encoded message."""
    lengths = frame.values("udp.length")
    shown = [str(int(lengths[0]) - 8)] if lengths else []
    report.expect_equal(frame, "udp.length - 8 (outer payload)", [frame.meta.get("@lisp_len")],
                        shown)


CHECKS = [
    check_manifest_fields,
    check_not_malformed,
    check_experts,
    check_no_lisp_complaints,
    check_no_leftover_bytes,
    check_checksums,
    check_ecm_flags,
    check_outer_length,
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("lua", help="path to the repository's wireshark/lisp-ports.lua")
    parser.add_argument("sampler", help="path to the lisp-wire-samples executable")
    parser.add_argument("--tshark", default="tshark", help="tshark to run (default: from PATH)")
    parser.add_argument("--keep", metavar="DIR",
                        help="write the pcap and manifest to DIR and keep them")
    args = parser.parse_args()

    tshark = shutil.which(args.tshark)
    if not tshark:
        print("SKIP: tshark not found", file=sys.stderr)
        return 77
    for path in (args.lua, args.sampler):
        if not os.path.exists(path):
            print("error: %s does not exist" % path, file=sys.stderr)
            return 2

    workdir = args.keep or tempfile.mkdtemp(prefix="lisp-wire-samples-")
    try:
        if args.keep:
            os.makedirs(workdir, exist_ok=True)
        try:
            pcap, manifest_path = run_sampler(os.path.abspath(args.sampler), workdir)
            manifest = parse_manifest(manifest_path)
            fields = list(CHECK_FIELDS)
            for expected, _ in manifest.values():
                fields += [f for f in expected if f not in fields]
            shown = run_tshark(tshark, os.path.abspath(args.lua), pcap, fields)
        except (OSError, RuntimeError, ValueError) as err:
            print("error: %s" % err, file=sys.stderr)
            return 2

        report = Report()
        check_frame_count(report, manifest, shown)
        for number, (expected, meta) in manifest.items():
            frame = Frame(number, expected, meta, shown)
            for check in CHECKS:
                check(report, frame)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)

    for failure in report.failures:
        print("FAIL " + failure)
    print("%d frames checked, %d field lists (%d values) asserted against tshark, %d failure(s)"
          % (len(manifest), report.lists_asserted, report.values_asserted, len(report.failures)))
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())

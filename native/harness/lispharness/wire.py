"""What the captures of a run say: every frame checked, every LISP message decoded.

dissect() merges the pcaps of a run (mergecap), runs tshark once with the repository's
Lua dispatcher (wireshark/lisp-ports.lua, so a LISP datagram is decoded by its port on
either side) and udp.check_checksum on, applies the shared per-frame checks of
test/wireshark/pcap_checks.py to EVERY frame (malformed, expert infos >= warning, LISP
dissector complaints, leftover bytes, IPv4/UDP/ICMP checksums, where the outer UDP header
of an IPv4 LISP data packet may carry a zero checksum as RFC 9300 recommends; any ICMP
error is a failure too), and returns the LISP
control messages and LISP data frames it saw, each with the capture it came from.

The same decoding serves the ns-3 captures (sim-vs-wire comparison, sequence.py).
Only the Python standard library is used.
"""

import os
import shutil
import sys

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
sys.path.insert(0, os.path.join(REPO, "test", "wireshark"))
import pcap_checks  # noqa: E402  (test/wireshark, shared with check_overlay_pcaps.py)
import tshark_run  # noqa: E402

LUA = os.path.join(REPO, "wireshark", "lisp-ports.lua")

TYPE_NAMES = {"1": "Map-Request", "2": "Map-Reply", "3": "Map-Register", "4": "Map-Notify",
              "6": "Map-Referral", "7": "Info", "8": "ECM"}
# Flag bits by field, named as in the RFCs' diagrams.
FLAG_FIELDS = {
    "lisp.mreq.flags.auth": "A", "lisp.mreq.flags.mrp": "M", "lisp.mreq.flags.probe": "P",
    "lisp.mreq.flags.smr": "S", "lisp.mreq.flags.pitr": "p", "lisp.mreq.flags.smri": "s",
    "lisp.mrep.flags.probe": "P", "lisp.mrep.flags.enlr": "E", "lisp.mrep.flags.sec": "S",
    "lisp.mreg.flags.pmr": "P", "lisp.mreg.flags.sec": "S", "lisp.mreg.flags.xtrid": "I",
    "lisp.mreg.flags.rtr": "R", "lisp.mreg.flags.wmn": "M",
    "lisp.mnot.flags.xtrid": "I", "lisp.mnot.flags.rtr": "R",
    "lisp.ecm.flags.sec": "S", "lisp.ecm.flags.ddt": "D",
}
MESSAGE_FIELDS = [
    "frame.time_epoch", "ip.src", "ip.dst", "udp.srcport", "udp.dstport",
    "lisp.type", "lisp.records", "lisp.keyid", "lisp.authlen",
    "lisp.mapping.eid.ipv4", "lisp.mapping.eid.masklen", "lisp.mapping.loccnt",
    "lisp.mapping.act", "lisp.mapping.ttl", "lisp.loc.locator", "lisp.lcaf.iid",
    "lisp.mreq.record.prefix.ipv4", "lisp.mreq.record.prefix.length",
    "lisp.mreq.itr_rloc_ipv4", "lisp.mreq.srceid.ipv4",
    "lisp-data.flags.iid", "lisp-data.iid", "icmp.type",
] + sorted(FLAG_FIELDS)
# Authentication data length by key-id: HMAC-SHA-1-96 and HMAC-SHA-256-128 carry the full
# 20- and 32-byte digests, as OOR, lispers.net and lig do (the interoperable encoding).
AUTH_LENGTH = {1: 20, 2: 32}


# No ICMP error belongs in a healthy run (a dead daemon, a missing route, a closed port).
ICMP_ERRORS = {3: "destination unreachable", 4: "source quench", 5: "redirect",
               11: "time exceeded", 12: "parameter problem"}


class Message:
    """One LISP control message as a frame showed it (ECM: the outer header and the
    message inside; every other field is the inner message's)."""

    def __init__(self, layers, capture):
        def values(field):
            return layers.get(field, [])

        self.capture = capture
        self.time = float(values("frame.time_epoch")[0]) if values("frame.time_epoch") else 0.0
        self.src, self.dst = values("ip.src")[0], values("ip.dst")[0]
        self.types = [TYPE_NAMES.get(t, "type-" + t) for t in values("lisp.type")]
        self.kind = "/".join(self.types)
        self.flags = "".join(sorted(FLAG_FIELDS[f] for f in FLAG_FIELDS
                                    if "1" in values(f) or "True" in values(f)))
        self.records = int(values("lisp.records")[0]) if values("lisp.records") else 0
        self.key_id = int(values("lisp.keyid")[0], 0) if values("lisp.keyid") else None
        self.auth_length = int(values("lisp.authlen")[0], 0) if values("lisp.authlen") else None
        self.eids = ["%s/%s" % p for p in zip(values("lisp.mapping.eid.ipv4"),
                                                values("lisp.mapping.eid.masklen"))]
        self.eids += ["%s/%s" % p for p in zip(values("lisp.mreq.record.prefix.ipv4"),
                                                 values("lisp.mreq.record.prefix.length"))]
        self.locator_counts = [int(c) for c in values("lisp.mapping.loccnt")]
        self.actions = values("lisp.mapping.act")
        self.ttls = values("lisp.mapping.ttl")
        self.locators = values("lisp.loc.locator")
        self.iids = values("lisp.lcaf.iid")
        self.itr_rlocs = values("lisp.mreq.itr_rloc_ipv4")
        self.source_eid = values("lisp.mreq.srceid.ipv4")

    def is_(self, kind):
        return self.kind == kind

    def __repr__(self):
        return "%s %s->%s records %d %s locators %s" % (self.kind, self.src, self.dst,
                                                         self.records, self.eids, self.locators)


class DataFrame:
    """One LISP data packet (to or from port 4341)."""

    def __init__(self, layers, protocols, capture):
        def values(field):
            return layers.get(field, [])

        self.capture = capture
        self.src, self.dst = values("ip.src")[0], values("ip.dst")[0]
        self.inner = (values("ip.src")[-1], values("ip.dst")[-1])  # the EID packet
        self.dport = int(values("udp.dstport")[0])
        self.sport = int(values("udp.srcport")[0])
        self.i_bit = "1" in values("lisp-data.flags.iid") or "True" in values("lisp-data.flags.iid")
        self.iid = int(values("lisp-data.iid")[0], 0) if values("lisp-data.iid") else None
        after = protocols[protocols.index("lisp-data") + 1:]
        self.payload = "icmp" if "icmp" in after else "udp" if "udp" in after else ":".join(after)


class Dissection:
    def __init__(self):
        self.failures = []
        self.frames = 0
        self.messages = []
        self.data = []
        self.plain = []  # other IPv4 frames: (capture, source, destination, protocols)


def dissect(pcaps, workdir, tshark=None, mergecap=None):
    """Check every frame of the pcaps and decode their LISP messages (see module doc)."""
    tshark = tshark or shutil.which("tshark")
    mergecap = mergecap or shutil.which("mergecap")
    if not tshark:
        raise RuntimeError("tshark is not installed (scripts/install-deps.sh installs it)")
    result = Dissection()
    pcaps = [p for p in pcaps if os.path.getsize(p) > 0]
    if not pcaps:
        result.failures.append("no capture holds a packet")
        return result
    merged = pcap_checks.merge(mergecap, pcaps, workdir)
    fields = pcap_checks.FRAME_FIELDS + [f for f in MESSAGE_FIELDS
                                         if f not in pcap_checks.FRAME_FIELDS]
    for source in [merged] if merged else pcaps:
        for layers in tshark_run.dissect(tshark, LUA, source, fields, allow_empty=True):
            result.frames += 1
            if merged:
                index = int(layers.get("frame.interface_id", ["0"])[0])
            else:
                index = pcaps.index(source)
            capture = os.path.basename(pcaps[index]) if index < len(pcaps) else "?"
            where = "%s frame %s (from %s)" % ("merged" if merged else capture,
                                               layers.get("frame.number", ["?"])[0], capture)
            protocols = pcap_checks.check_frame(result.failures, where, layers,
                                                zero_lisp_data_checksum=True)
            icmp = layers.get("icmp.type", [])
            if icmp and int(icmp[0]) in ICMP_ERRORS:
                result.failures.append("%s: ICMP %s from %s to %s" % (
                    where, ICMP_ERRORS[int(icmp[0])], layers["ip.src"][0], layers["ip.dst"][0]))
            if "lisp" in protocols and "icmp" in protocols[:protocols.index("lisp")]:
                result.failures.append("%s: an ICMP error quotes a LISP control packet "
                                       "(a node did not listen)" % where)
            elif "lisp" in protocols:
                result.messages.append(Message(layers, capture))
            elif "lisp-data" in protocols:
                frame = DataFrame(layers, protocols, capture)
                if 4341 not in (frame.dport, frame.sport):
                    result.failures.append("%s: LISP data outside port 4341" % where)
                result.data.append(frame)
            elif "ip" in protocols:
                result.plain.append((capture, layers["ip.src"][0], layers["ip.dst"][0],
                                     protocols))
    return result


def check_map_register(message, key_id):
    """What is wrong with a Map-Register's authentication fields, as a list."""
    problems = []
    if message.key_id != key_id:
        problems.append("key-id %s, expected %d" % (message.key_id, key_id))
    if message.auth_length != AUTH_LENGTH.get(key_id):
        problems.append("authentication length %s for key-id %d, expected %s"
                        % (message.auth_length, key_id, AUTH_LENGTH.get(key_id)))
    return problems

"""Per-frame checks of overlay captures, shared by check_overlay_pcaps.py (ns-3 captures)
and the namespace harness (native/harness/lispharness/wire.py, real captures).

check_frame() flags what no capture of ours may contain: a malformed frame, an expert info
of severity warning or higher, a LISP dissector complaint, a LISP control frame with bytes
left over, and any IPv4 header, UDP or ICMP checksum that is not good (outer and inner
headers alike). merge() turns the pcaps of one run into one pcapng so that tshark starts
once. Only the Python standard library is used.
"""

import os
import subprocess

from tshark_run import LISP_COMPLAINTS, SEVERITY_WARN

# The fields check_frame() reads; callers add their own.
FRAME_FIELDS = [
    "frame.number",
    "frame.interface_id",
    "frame.protocols",
    "_ws.malformed",
    "_ws.expert.message",
    "_ws.expert.severity",
    "data.len",
    "ip.checksum.status",
    "udp.checksum.status",
    "icmp.checksum.status",
] + LISP_COMPLAINTS
CHECKSUM_GOOD = "1"
CHECKSUM_NOT_PRESENT = "3"  # udp.checksum.status of a zero UDP checksum


def merge(mergecap, pcaps, directory):
    """One pcapng holding every capture (interface i = pcaps[i]), or None without mergecap.
    -I none: mergecap's default merges identical interface descriptions (every tcpdump
    capture of an Ethernet link looks the same), which would lose which file a frame is from."""
    if not mergecap:
        return None
    merged = os.path.join(directory, "merged.pcapng")
    proc = subprocess.run([mergecap, "-I", "none", "-w", merged] + pcaps, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError("mergecap failed (exit %d):\n%s" % (proc.returncode, proc.stderr))
    return merged


def protocols_of(layers):
    """The frame's protocol stack, e.g. ["eth", "ip", "udp", "lisp_ports", "lisp"]."""
    values = layers.get("frame.protocols", [])
    return values[0].split(":") if values else []


def check_frame(failures, where, layers, zero_lisp_data_checksum=False):
    """Append to failures what is wrong with one frame; returns its protocol stack.

    zero_lisp_data_checksum: the outer UDP header of a LISP data packet over IPv4 may carry
    no checksum (zero), as RFC 9300 section 5.3 says an ITR SHOULD send it; lispd does,
    ns-3 computes it. Every other UDP checksum must be present and good."""
    def values(field):
        return layers.get(field, [])

    protocols = protocols_of(layers)
    if "_ws.malformed" in layers:
        failures.append("%s: malformed" % where)
    serious = [m for m, s in zip(values("_ws.expert.message"), values("_ws.expert.severity"))
               if int(s, 0) >= SEVERITY_WARN]
    if serious:
        failures.append("%s: expert infos of severity warning or higher: %s" % (where, serious))
    for field in LISP_COMPLAINTS:
        if field in layers:
            failures.append("%s: the LISP dissector complains (%s)" % (where, field))
    if "lisp" in protocols and "data" in protocols:
        failures.append("%s: LISP control frame with %s bytes left over"
                        % (where, values("data.len")))
    for field, layer in (("ip.checksum.status", "ip"), ("udp.checksum.status", "udp"),
                         ("icmp.checksum.status", "icmp")):
        statuses = values(field)
        if protocols.count(layer) != len(statuses):
            failures.append("%s: %d %s headers but %d checksum statuses"
                            % (where, protocols.count(layer), layer, len(statuses)))
        if (zero_lisp_data_checksum and layer == "udp" and "lisp-data" in protocols
                and protocols.index("ip") < protocols.index("udp") and statuses
                and statuses[0] == CHECKSUM_NOT_PRESENT):
            statuses = statuses[1:]  # the outer UDP header of IPv4 LISP data: zero allowed
        if any(s != CHECKSUM_GOOD for s in statuses):
            failures.append("%s: %s %s (1 is good)" % (where, field, statuses))
    return protocols

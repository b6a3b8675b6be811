"""Running tshark with the repository's Lua dispatcher, shared by the Wireshark checks
(check_wire_samples.py, check_overlay_pcaps.py).

dissect() runs tshark once on a pcap with wireshark/lisp-ports.lua and the preferences
below and returns, per frame, the fields asked for. Only the Python standard library is
used.
"""

import json
import subprocess

# tshark preferences: heuristics first so the Lua dispatcher sees every UDP
# datagram, and checksum validation on so the *.checksum.status fields exist.
TSHARK_PREFS = [
    "udp.try_heuristic_first:TRUE",
    "udp.check_checksum:TRUE",
    "ip.check_checksum:TRUE",
]

# _ws.expert.severity values (epan/proto.h): PI_CHAT 0x200000, PI_NOTE 0x400000,
# PI_WARN 0x600000, PI_ERROR 0x800000.
SEVERITY_WARN = 0x600000

# Items the LISP dissectors add when they disagree with the bytes.
LISP_COMPLAINTS = [
    "lisp.unexpected_field",
    "lisp.expected_field",
    "lisp.invalid_field",
    "lisp.undecoded",
    "lisp-data.flags.en_invalid",
    "lisp-data.flags.nv_invalid",
]


def dissect(tshark, lua, pcap, fields, allow_empty=False):
    """Dissect the pcap once; a list, in frame order, of {field: [values]}.

    -T json with -e prints every occurrence of a field as a list in wire order;
    --no-duplicate-keys keeps tshark from ever splitting a field into two keys.
    Raises RuntimeError when tshark fails, ValueError when its output is not JSON (empty
    output counts as no frame when allow_empty).
    """
    cmd = [tshark, "-n", "-r", pcap, "-X", "lua_script:" + lua]
    for pref in TSHARK_PREFS:
        cmd += ["-o", pref]
    cmd += ["-T", "json", "--no-duplicate-keys"]
    for field in fields:
        cmd += ["-e", field]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, check=False)
    # tshark reports a Lua script it cannot load on stderr and carries on without it.
    complaints = [line for line in proc.stderr.splitlines() if line.startswith("tshark:")]
    if proc.returncode != 0 or complaints:
        raise RuntimeError("tshark failed (exit %d): %s\n%s"
                           % (proc.returncode, " ".join(cmd), proc.stderr))
    output = proc.stdout or "[]" if allow_empty else proc.stdout
    return [packet["_source"]["layers"] for packet in json.loads(output)]

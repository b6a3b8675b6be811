"""The sequence of LISP control messages of a run, in a form that two runs of the same
scenario can be compared in: the ns-3 example and the namespace run.

Each message becomes one line: sender and receiver role, kind (ECM/Map-Request for an
encapsulated Map-Request), flags, record count, EID prefixes, locator count, action and
TTL per record, locators and ITR-RLOCs as role names, source EID, key-id and
authentication length.
Addresses become role names through the address plan; nonces and times are left out.

Normalisations (both sides get the same ones):
  * A message is taken once, from a capture on a link of its sender (the sender's own
    device pcap in ns-3, the sender's access link natively): the same message seen on
    several links is one message.
  * Messages are grouped by channel (sender -> receiver), in time order within each
    channel. Channels are independent: whether xtr0 or xtr1 registers first is timing
    (ns-3 starts both at t = 0; natively the daemons start a few milliseconds apart), the
    order within one channel is causal.

Only the Python standard library is used.
"""

import itertools


def role(roles, address):
    return roles.get(address, address)


def line(message, roles):
    parts = ["%s -> %s" % (role(roles, message.src), role(roles, message.dst)),
             message.kind, "flags[%s]" % message.flags, "records %d" % message.records]
    if message.eids:
        parts.append("eids " + ",".join(message.eids))
    if message.iids:
        parts.append("iids " + ",".join(message.iids))
    if message.locator_counts:
        parts.append("loc-counts " + ",".join(str(c) for c in message.locator_counts))
    if message.actions:
        parts.append("actions " + ",".join(message.actions))
    if message.ttls:
        parts.append("ttls " + ",".join(message.ttls))
    if message.locators:
        parts.append("locators " + ",".join(role(roles, a) for a in message.locators))
    if message.itr_rlocs:
        parts.append("itr-rlocs " + ",".join(role(roles, a) for a in message.itr_rlocs))
    if message.source_eid:
        parts.append("source-eid " + ",".join(role(roles, a) for a in message.source_eid))
    if message.key_id is not None:
        parts.append("key-id %d auth %d" % (message.key_id, message.auth_length or 0))
    return " ".join(parts)


def control_sequence(messages, roles, nodes_of_capture):
    """Lines of the messages, each taken once from a capture on its sender's link,
    grouped by channel (see module doc). nodes_of_capture maps a capture's file name to
    the role names of the nodes on that link (or of the device's node)."""
    taken = [m for m in sorted(messages, key=lambda m: m.time)
             if role(roles, m.src) in nodes_of_capture.get(m.capture, ())]
    channel = {}
    for m in taken:
        channel.setdefault((role(roles, m.src), role(roles, m.dst)), []).append(line(m, roles))
    return [text for key in sorted(channel) for text in channel[key]]


def side_by_side(left, right, left_title, right_title):
    """The two sequences in two columns, differing rows marked with '!'."""
    width = max([len(left_title)] + [len(x) for x in left]) + 2
    rows = ["  %-*s| %s" % (width, left_title, right_title), "  " + "-" * (width + 2 +
                                                                         len(right_title))]
    for a, b in itertools.zip_longest(left, right, fillvalue=""):
        rows.append("%s %-*s| %s" % (" " if a == b else "!", width, a, b))
    return "\n".join(rows)

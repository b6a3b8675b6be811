"""A bounded flood of random and malformed IPv4 packets, sent as raw frames (AF_PACKET) to
a neighbour's MAC address, so that nothing of the sender's own stack shapes them: valid
UDP, TCP and ICMP with random addresses and ports, truncated L4 headers, ICMP errors
quoting garbage, fragments, IPv4 options, unknown protocols and plain random bytes. The
IPv4 header checksum is right except in the "random bytes" kind (a receiving kernel drops
a bad one before any hook; the rest is for the program under test).

Run inside a namespace:
  python3 flood.py --ifname IF --mac MAC --count N --seed S --src-net 10.0.0 --dst-net 192.0.2

Only the Python standard library is used.
"""

import argparse
import random
import socket
import struct
import sys

ETH_P_IP = 0x0800


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4(rng, src, dst, proto, payload, frag=0, options=b"", total=None):
    ihl = 5 + len(options) // 4
    length = total if total is not None else 20 + len(options) + len(payload)
    header = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, length, rng.getrandbits(16), frag,
                         rng.randint(1, 64), proto, 0, socket.inet_aton(src),
                         socket.inet_aton(dst)) + options
    header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
    return header + payload


def l4(rng, proto):
    """A random UDP, TCP or ICMP header and payload (checksums not computed: the NAT
    updates them, never verifies them)."""
    body = rng.randbytes(rng.randint(0, 64))
    if proto == 17:
        return struct.pack("!HHHH", rng.getrandbits(16), rng.getrandbits(16), 8 + len(body),
                           rng.getrandbits(16)) + body
    if proto == 6:
        return struct.pack("!HHIIBBHHH", rng.getrandbits(16), rng.getrandbits(16),
                           rng.getrandbits(32), rng.getrandbits(32), 0x50, rng.getrandbits(8),
                           rng.getrandbits(16), rng.getrandbits(16), 0) + body
    icmp_type = rng.choice([0, 3, 4, 5, 8, 11, 12, 13, 14, rng.getrandbits(8)])
    return struct.pack("!BBHHH", icmp_type, rng.getrandbits(8), rng.getrandbits(16),
                       rng.getrandbits(16), rng.getrandbits(16)) + body


def packet(rng, src_net, dst_net):
    """One packet of a random kind."""
    src = src_net if src_net.count(".") == 3 else "%s.%d" % (src_net, rng.randint(1, 254))
    dst = dst_net if dst_net.count(".") == 3 else "%s.%d" % (dst_net, rng.randint(1, 254))
    proto = rng.choice([17, 6, 1])
    kind = rng.randrange(8)
    if kind <= 2:  # valid
        return ipv4(rng, src, dst, proto, l4(rng, proto))
    if kind == 3:  # the L4 header cut short
        return ipv4(rng, src, dst, proto, l4(rng, proto)[:rng.randint(0, 7)])
    if kind == 4:  # an ICMP error quoting a random, maybe truncated, packet
        inner = ipv4(rng, dst, src, rng.choice([17, 6, 1, 47]), l4(rng, proto))
        inner = inner[:rng.randint(0, len(inner))]
        return ipv4(rng, src, dst, 1, struct.pack("!BBHI", rng.choice([3, 4, 11, 12]),
                                                  rng.getrandbits(8), 0, 0) + inner)
    if kind == 5:  # a fragment: first (MF), middle or last
        frag = rng.choice([0x2000, 0x2000 | rng.randint(1, 100), rng.randint(1, 100)])
        return ipv4(rng, src, dst, proto, l4(rng, proto), frag=frag)
    if kind == 6:  # options (NOPs, or an end-of-list and garbage)
        words = rng.randint(1, 10)
        options = b"\x01" * (4 * words) if rng.random() < 0.5 else \
            b"\x00" + rng.randbytes(4 * words - 1)
        return ipv4(rng, src, dst, proto, l4(rng, proto), options=options)
    if rng.random() < 0.5:  # an unknown protocol
        return ipv4(rng, src, dst, rng.getrandbits(8), rng.randbytes(rng.randint(0, 40)))
    return rng.randbytes(rng.randint(1, 80))  # anything at all


def flood(ifname, mac, count, seed, src_net, dst_net):
    rng = random.Random(seed)
    addr = (ifname, ETH_P_IP, 0, 0, bytes.fromhex(mac.replace(":", "")))
    with socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(ETH_P_IP)) as s:
        sent = 0
        for _ in range(count):
            try:
                s.sendto(packet(rng, src_net, dst_net), addr)
                sent += 1
            except OSError:  # a packet the device refuses (too short): not sent
                pass
    return sent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ifname", required=True)
    parser.add_argument("--mac", required=True, help="the neighbour's MAC address")
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--src-net", required=True,
                        help="first three octets of the sources (random last), or one address")
    parser.add_argument("--dst-net", required=True,
                        help="first three octets of the destinations, or one address")
    args = parser.parse_args()
    print("sent %d" % flood(args.ifname, args.mac, args.count, args.seed, args.src_net,
                            args.dst_net))
    return 0


if __name__ == "__main__":
    sys.exit(main())

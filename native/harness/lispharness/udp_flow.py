#!/usr/bin/env python3
"""A counted UDP flow between two namespaces (run inside them with `ip netns exec`).

  udp_flow.py sink --bind ADDR --port P [--echo] [--idle S] [--max-time S]
      Prints "ready" once bound, then counts datagrams (echoing each one back with --echo)
      until none came for --idle seconds after the first, or --max-time passed; prints
      one JSON line {"received": N, "sequence": [numbers in arrival order]}.
  udp_flow.py send --dst ADDR --port P --count N [--interval S] [--size B] [--echo]
      Sends N datagrams of B bytes, each starting with its sequence number, every S
      seconds; with --echo also counts the echoes (waiting up to 2 s after the last send).
      Prints one JSON line {"sent": N, "echoed": E}.

Only the Python standard library is used.
"""

import argparse
import json
import select
import socket
import struct
import sys
import time

SEQ = struct.Struct("!I")


def sink(args):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((args.bind, args.port))
    print("ready", flush=True)
    sequence = []
    start = time.monotonic()
    last = None
    while True:
        now = time.monotonic()
        if now - start > args.max_time:
            break
        wait = args.max_time - (now - start)
        if last is not None:
            wait = min(wait, args.idle - (now - last))
            if wait <= 0:
                break
        ready, _, _ = select.select([sock], [], [], wait)
        if not ready:
            continue
        data, peer = sock.recvfrom(65535)
        last = time.monotonic()
        sequence.append(SEQ.unpack_from(data)[0] if len(data) >= SEQ.size else -1)
        if args.echo:
            sock.sendto(data, peer)
    print(json.dumps({"received": len(sequence), "sequence": sequence}), flush=True)
    return 0


def send(args):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.connect((args.dst, args.port))
    payload = bytes(max(args.size - SEQ.size, 0))
    echoed = 0
    next_send = time.monotonic()
    for seq in range(args.count):
        sock.send(SEQ.pack(seq) + payload)
        next_send += args.interval
        last = seq + 1 == args.count
        echoed += wait_until(sock, next_send + (2.0 if last and args.echo else 0.0),
                             args.echo, args.count - echoed if last else None)
    print(json.dumps({"sent": args.count, "echoed": echoed}), flush=True)
    return 0


def wait_until(sock, until, echo, enough):
    """Wait until the time `until`, counting echoes; return early once `enough` came."""
    got = 0
    while enough is None or got < enough:
        wait = until - time.monotonic()
        if wait <= 0:
            break
        ready, _, _ = select.select([sock] if echo else [], [], [], wait)
        if ready:
            try:
                sock.recv(65535)
                got += 1
            except ConnectionRefusedError:  # an ICMP port unreachable, not an echo
                pass
    return got


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    p = sub.add_parser("sink")
    p.add_argument("--bind", default="0.0.0.0")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--echo", action="store_true")
    p.add_argument("--idle", type=float, default=3.0)
    p.add_argument("--max-time", type=float, default=60.0)
    p = sub.add_parser("send")
    p.add_argument("--dst", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--interval", type=float, default=0.01)
    p.add_argument("--size", type=int, default=200)
    p.add_argument("--echo", action="store_true")
    args = parser.parse_args()
    return sink(args) if args.mode == "sink" else send(args)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env bash
# Install the Debian 12 packages this project needs to build, test and run its demo.
# Only missing packages are installed, and apt-get runs only if one is missing, so the
# script is quick to re-run (make deps, make test and CI call it every time).
set -euo pipefail

packages=(
    build-essential cmake pkg-config python3   # toolchain; python3 runs test scripts
    libssl-dev                                 # libcrypto: HMAC of the engines
    libpcap-dev                                # examples write pcap files
    libcmocka-dev                              # unit tests
    ns3 libns3-dev libgsl-dev                  # ns-3 3.37; its CMake export links libgsl
    libsqlite3-dev                             # ... and libsqlite3.so (via ns3::libstats)
    tshark                                     # Wireshark checks of the generated captures
    clang libclang-rt-14-dev                   # libFuzzer
    libconfuse-dev libmnl-dev                  # native daemon: config files, netlink
    libnetfilter-queue-dev                     # native NAT daemon: packets from NFQUEUE
    iproute2 iputils-ping tcpdump ethtool      # namespace harness: topologies, traffic,
    nftables conntrack iptables                #   captures, Linux NAT beside ours; lispd nat
                                               #   falls back to iptables-restore for NFQUEUE
    coturn stun-client                         # independent NAT classifiers
    iperf3                                     # bench_native_nat: a UDP flow through the NAT
)

missing=()
for package in "${packages[@]}"; do
    if [ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" != "install ok installed" ]; then
        missing+=("$package")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#packages[@]} packages are installed"
    exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo=()
if [ "$(id -u)" -ne 0 ]; then
    sudo=(sudo)
fi
"${sudo[@]}" apt-get update
# noninteractive: tshark's debconf question (may non-root users capture?) keeps its default
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"

# Thin wrapper around scripts/install-deps.sh, CMake and CTest (README.md).
#   make deps    install the missing Debian 12 packages
#   make build   configure and build in build/ (warnings are errors)
#   make test    deps + build + every ctest test
#   make demo    deps + build + run the two-sites scenario (summary and pcaps in build/demo)
#   make native-demo  deps + lispd + lispctl, then the two-sites topology in network
#                     namespaces: ping across, map-caches, pcaps in build/native-demo (root)
#   make fuzz    deps + build + run every fuzzer for FUZZ_SECONDS (default 60)
#   make bench   deps + build + run every benchmark; tables also go to build/bench/results.md
#   make test-ns3-intree  the module in Debian 12's ns-3.37 source tree (CMake, assertions on)
#   make test-ns3-newer   ... in Debian 13's ns-3 source tree (ns-3.43)
#   make test-ns3-waf     ... in Debian 11's ns-3 source tree through wscript (ns-3.31)
#                         (scripts/test-ns3-tree.sh; trees cached in ~/.cache/lisp-ns3)
#   make clean   remove build/

BUILD_DIR := build
JOBS := 2
FUZZ_SECONDS ?= 60

# The targets run one after another even under make -j: deps must finish before the build.
.NOTPARALLEL:
.PHONY: deps build test demo native-demo fuzz bench clean test-ns3-intree test-ns3-newer test-ns3-waf

deps:
	scripts/install-deps.sh

build:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLISP_WERROR=ON
	cmake --build $(BUILD_DIR) -j$(JOBS)

test: deps build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j$(JOBS)

demo: deps build
	mkdir -p $(BUILD_DIR)/demo
	$(BUILD_DIR)/examples/lisp-wire-samples --out $(BUILD_DIR)/demo/lisp-wire-samples.pcap > $(BUILD_DIR)/demo/lisp-wire-samples.txt
	$(BUILD_DIR)/examples/lisp-two-sites --pcap --pcapDir=$(BUILD_DIR)/demo/two-sites | tee $(BUILD_DIR)/demo/two-sites-summary.txt
	@echo
	@echo "Flagship scenario (two LISP sites, MS/MR, routed core):"
	@echo "  summary: $(BUILD_DIR)/demo/two-sites-summary.txt"
	@echo "  pcaps:   $(BUILD_DIR)/demo/two-sites/ (one per device)"
	@echo "  open:    wireshark -X lua_script:wireshark/lisp-ports.lua -o udp.try_heuristic_first:TRUE $(BUILD_DIR)/demo/two-sites/<file>.pcap"
	@echo "One packet of every LISP message kind: $(BUILD_DIR)/demo/lisp-wire-samples.pcap"

native-demo: deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLISP_WERROR=ON
	cmake --build $(BUILD_DIR) -j$(JOBS) --target native-demo

fuzz: deps build
	FUZZ_SECONDS=$(FUZZ_SECONDS) cmake --build $(BUILD_DIR) --target fuzz

# BENCH_ARGS=--quick for a short run.
bench: deps build
	rm -f $(BUILD_DIR)/bench/results.md
	set -e; for b in $(BUILD_DIR)/bench/bench_*; do $$b $(BENCH_ARGS) --out $(BUILD_DIR)/bench/results.md; done
	@echo "Tables written to $(BUILD_DIR)/bench/results.md"

# Real ns-3 source trees from Debian's archive (apt-get source ns3), built once per version
# with ns-3's assertions on, then every lisp-* suite through test.py and every example.
test-ns3-intree:
	scripts/test-ns3-tree.sh intree

test-ns3-newer:
	scripts/test-ns3-tree.sh newer

test-ns3-waf:
	scripts/test-ns3-tree.sh waf

clean:
	rm -rf $(BUILD_DIR)

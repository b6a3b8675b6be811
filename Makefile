# Thin wrapper around scripts/install-deps.sh, CMake and CTest (README.md).
#   make deps    install the missing Debian 12 packages
#   make build   configure and build in build/ (warnings are errors)
#   make test    deps + build + every ctest test
#   make demo    deps + build + write build/demo/lisp-wire-samples.pcap
#   make fuzz    deps + build + run every fuzzer for FUZZ_SECONDS (default 60)
#   make clean   remove build/

BUILD_DIR := build
JOBS := 2
FUZZ_SECONDS ?= 60

# The targets run one after another even under make -j: deps must finish before the build.
.NOTPARALLEL:
.PHONY: deps build test demo fuzz clean

deps:
	scripts/install-deps.sh

build:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLISP_WERROR=ON
	cmake --build $(BUILD_DIR) -j$(JOBS)

test: deps build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j$(JOBS)

demo: deps build
	mkdir -p $(BUILD_DIR)/demo
	$(BUILD_DIR)/examples/lisp-wire-samples --out $(BUILD_DIR)/demo/lisp-wire-samples.pcap

fuzz: deps build
	FUZZ_SECONDS=$(FUZZ_SECONDS) cmake --build $(BUILD_DIR) --target fuzz

clean:
	rm -rf $(BUILD_DIR)

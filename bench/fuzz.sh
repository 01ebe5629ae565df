#!/usr/bin/env bash
# Coverage-free fuzzing (src/fuzzing.rs): each harness runs for FUZZ_SECONDS (default 600)
# on inputs proptest generates (text, and real documents mutated byte by byte), one after
# the other; a crash prints the input. Prints each harness's count of inputs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup
export FUZZ_SECONDS="${1:-600}"
cargo test --release --lib fuzzing:: -- --nocapture --test-threads=1 2>&1 \
  | grep -oE "fuzz [a-z ]+: .*|test result.*|panicked.*|crashed.*"

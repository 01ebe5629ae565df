#!/usr/bin/env bash
# The crash campaign: the CI's crash test (tests/api/crash.rs) with 100 trials (or $1),
# seeded by $2 (hex; default 5eed). Each trial kills the server with SIGKILL at a random
# moment of a mixed workload, restarts it, checks every acknowledged write and runs
# `passerelle check`. Prints one line per trial and the test's verdict.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup
export PASSERELLE_TEST_PYTHON="${PASSERELLE_TEST_PYTHON:-$CARGO_TARGET_DIR/test-venv/bin/python}"
export PASSERELLE_CRASH_TRIALS="${1:-100}"
export PASSERELLE_CRASH_SEED="${2:-5eed}"
cargo test --release --test api crash:: -- --nocapture 2>&1 | grep -E "trial|test result|panicked"

#!/usr/bin/env bash
# Runs berth's tests: unit tests of the engine, protocol and client, and the
# end-to-end tests that start real sessions and drive real clients on PTYs
# (they need tmux, vim, less and top: .ci/run installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests
swift test --skip-build

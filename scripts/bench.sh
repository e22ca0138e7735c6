#!/usr/bin/env bash
# Benchmarks, separate from the tests: builds berth for release and measures
#  1. the engine alone (MB/s for plain ASCII, dense colour and mixed UTF-8),
#  2. berth beside tmux, screen and dtach with ../shared/tools/muxbench.py
#     (throughput attached and detached, keystroke latency, memory, start-up).
# Quote ratios from one run: the machines are shared and noisy.
# Usage: scripts/bench.sh [engine|mux|all] [muxbench options...]
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
[ $# -gt 0 ] && shift
binary=$(./scripts/build-release.sh 2>/dev/null | tail -n 1)
swift build -c release --product EngineBench >/dev/null
if [ "$what" = engine ] || [ "$what" = all ]; then
  echo "== engine (release, one core)"
  .build/release/EngineBench
fi
if [ "$what" = mux ] || [ "$what" = all ]; then
  muxbench=${MUXBENCH:-../shared/tools/muxbench.py}
  [ -f "$muxbench" ] || { echo "bench: $muxbench not found (set MUXBENCH)" >&2; exit 1; }
  echo "== berth beside its peers"
  BERTH="$binary" python3 "$muxbench" --mux berth,tmux,screen,dtach,direct "$@"
fi

#!/usr/bin/env bash
# Benchmarks, separate from the tests: builds berth for release and measures
#  1. the engine alone (MB/s for plain ASCII, dense colour and mixed UTF-8),
#  2. berth beside tmux, screen and dtach with ../shared/tools/muxbench.py
#     (throughput attached and detached, keystroke latency, memory, start-up),
#     then the PTY ceiling (scripts/pty-ceiling.py: what the kernel lets any
#     multiplexer read) and berth's figures against the targets
#     (scripts/bench-targets.py),
#  3. what a `--tail -f` follower and a log cost a flood, and what a stopped
#     follower costs the server's memory (scripts/follow-bench.py),
#  4. what saving a session for --resurrect costs the server, the save
#     file's size against the history, and how often a flood saves
#     (scripts/save-bench.py).
# Quote ratios from one run: the machines are shared and noisy.
# Usage: scripts/bench.sh [engine|mux|follow|save|all] [muxbench options...]
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
  # The run's JSON (muxbench's --json, else a file of our own) feeds the
  # check against the issues' targets.
  json="" prev="" ceiling_args=()
  for arg in "$@"; do
    [ "$prev" = --json ] && json=$arg
    case $prev in --mb | --scenario) ceiling_args+=("$prev" "$arg") ;; esac
    case $arg in
      --json=*) json=${arg#--json=} ;;
      --mb=* | --scenario=*) ceiling_args+=("$arg") ;;
    esac
    prev=$arg
  done
  if [ -z "$json" ]; then
    json=$(mktemp /tmp/berth-bench.XXXXXX.json)
    set -- "$@" --json "$json"
  fi
  echo "== berth beside its peers"
  BERTH="$binary" python3 "$muxbench" --mux berth,tmux,screen,dtach,direct "$@"
  # What the kernel's PTY lets any multiplexer read, measured right after.
  echo "== the PTY ceiling: cat on a PTY read by a bare loop"
  python3 scripts/pty-ceiling.py "$muxbench" "${ceiling_args[@]}" --json "$json.ceiling"
  echo "== berth against the targets (ratios within this run)"
  python3 scripts/bench-targets.py "$json" "$json.ceiling"
fi
if [ "$what" = follow ] || [ "$what" = all ]; then
  muxbench=${MUXBENCH:-../shared/tools/muxbench.py}
  echo "== following and logging"
  python3 scripts/follow-bench.py "$binary" "$muxbench"
fi
if [ "$what" = save ] || [ "$what" = all ]; then
  echo "== saving for --resurrect"
  python3 scripts/save-bench.py "$binary"
fi

#!/usr/bin/env bash
# Runs berth's tests: unit tests of the engine, protocol and client; the
# end-to-end tests that start real sessions and drive real clients on PTYs;
# then the differential cases, which run programs straight in tmux and
# through berth and compare the screens cell by cell (../shared/tools/vdiff.py
# with its public cases and Tests/Differential/*.py). They need tmux,
# vim, less, man, python3, vttest, htop and top (procps): .ci/run installs them.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests
swift test --skip-build

vdiff=${VDIFF:-../shared/tools/vdiff.py}
if [ ! -f "$vdiff" ]; then
  echo "differential tests skipped: $vdiff not found (set VDIFF)" >&2
  exit 0
fi
export BERTH="$PWD/.build/debug/berth"
# vdiff's own cases run in one process, which can stop on a race between
# one case's tmux servers and the next (see Tests/Differential/run.py): a
# second try tells that apart from a real difference.
python3 "$vdiff" --mux berth || python3 "$vdiff" --mux berth
# Ours run one vdiff process per case.
python3 Tests/Differential/run.py "$vdiff" Tests/Differential/cases.py
# vdiff's panes take RGB colour; COLORTERM tells berth's client so.
COLORTERM=truecolor python3 Tests/Differential/run.py "$vdiff" Tests/Differential/client-cases.py
# Extended keys (modifyOtherKeys) through tmux's extended-keys.
python3 Tests/Differential/run.py "$vdiff" Tests/Differential/keys-cases.py
# Without COLORTERM: the client learns that vdiff's panes take RGB from
# their tmux's answer to XTVERSION (Tests/Differential/detect-cases.py).
env -u COLORTERM python3 Tests/Differential/run.py "$vdiff" Tests/Differential/detect-cases.py
# screen's features: windows, regions, copy mode, lists and status lines
# leave each window's screen exactly as its program drew it.
python3 Tests/Differential/run.py "$vdiff" Tests/Differential/screen-cases.py

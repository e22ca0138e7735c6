#!/usr/bin/env bash
# Coverage-guided fuzzing of the terminal engine and the wire protocol with
# libFuzzer (swiftc -sanitize=fuzzer,address).
#
#   scripts/fuzz.sh [engine|protocol|all] [seconds]    (default: all 300)
#
# Builds .build-fuzz/engine-fuzz and .build-fuzz/protocol-fuzz from
# Sources/BerthTerminal, Sources/BerthProtocol and Fuzz/*.swift, seeds
# fuzz-corpus/<target>/ with real byte streams (kept between runs, so the
# corpus grows), and runs each target in one job for the given time. Exits
# non-zero if a target crashed, hung or ran out of memory; the input is left
# as fuzz-corpus/<target>-artifacts/crash-* (or timeout-*, oom-*). Reproduce:
#   .build-fuzz/engine-fuzz fuzz-corpus/engine-artifacts/crash-...
# Extra libFuzzer flags can be given in FUZZ_FLAGS (e.g. "-max_len=16384").
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-all}
seconds=${2:-300}
case $what in
  engine | protocol) targets=("$what") ;;
  all) targets=(engine protocol) ;;
  *)
    echo "usage: $0 [engine|protocol|all] [seconds]" >&2
    exit 2
    ;;
esac
[[ $seconds =~ ^[0-9]+$ ]] || { echo "seconds must be a number: $seconds" >&2; exit 2; }

out=.build-fuzz
mkdir -p "$out"
# Release code (traps on overflow and bounds stay in), instrumented for
# coverage and checked by AddressSanitizer; debug info for the stacks.
flags=(-O -wmo -g -swift-version 6 -sanitize=fuzzer,address -parse-as-library)

# Rebuilds `output` from `inputs` when any of them (or this script) is newer.
stale() {
  local output=$1
  shift
  [ -e "$output" ] || return 0
  local f
  for f in "$@" "$0"; do [ "$f" -nt "$output" ] && return 0; done
  return 1
}

# A static library and module of one source directory. BerthTerminal gets
# -enable-testing so the engine target can check the grid's own invariants.
library() {
  local name=$1
  shift
  local sources=(Sources/"$name"/*.swift)
  if stale "$out/lib$name.a" "${sources[@]}"; then
    echo "building $name (instrumented)"
    swiftc "${flags[@]}" "$@" -module-name "$name" -I "$out" \
      -emit-module -emit-module-path "$out/$name.swiftmodule" \
      -emit-library -static -o "$out/lib$name.a" "${sources[@]}"
  fi
}

# A fuzz executable: Fuzz/<Entry>.swift linked with libFuzzer and libraries.
fuzzer() {
  local target=$1 entry=$2
  shift 2
  local deps=() lib
  for lib in "$@"; do deps+=("$out/lib$lib.a"); done
  if stale "$out/$target-fuzz" "Fuzz/$entry.swift" "${deps[@]}"; then
    echo "building $target-fuzz"
    swiftc "${flags[@]}" -module-name "$entry" -I "$out" "Fuzz/$entry.swift" \
      -use-ld=lld -L "$out" $(printf -- '-l%s ' "$@") -o "$out/$target-fuzz"
  fi
}

# --- Seeds -----------------------------------------------------------------

# Bytes from a string of hex digits.
unhex() {
  local h=$1 esc=""
  while [ -n "$h" ]; do
    esc+="\\x${h:0:2}"
    h=${h:2}
  done
  printf '%b' "$esc"
}
hexof() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'; }
u8() { printf '%02x' $(($1 & 255)); }
u16() { printf '%02x%02x' $(($1 & 255)) $(($1 >> 8 & 255)); }
u32() { printf '%02x%02x%02x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }
str() {
  local h
  h=$(hexof "$1")
  u32 $((${#h} / 2))
  printf '%s' "$h"
}
# A frame, in hex: type, three zero bytes, payload length, payload.
frame() {
  u8 "$1"
  printf '000000'
  u32 $((${#2} / 2))
  printf '%s' "$2"
}

seed_engine() {
  local dir=fuzz-corpus/engine n=0
  mkdir -p "$dir"
  # Header: columns, rows, history, flags, seed (see Fuzz/EngineFuzz.swift).
  local headers=(
    '\x4f\x17\x0a\x00\x01\x02\x03\x04' # 80x24, history 10, fed whole
    '\x13\x05\x04\x84\x05\x06\x07\x08' # 20x6, fed in small pieces, versions checked
    '\x02\x02\x02\x0a\x09\x0a\x0b\x0c' # 3x3, byte by byte, one resize
    '\x27\x0b\x1e\x5f\x0d\x0e\x0f\x10' # 40x12, larger pieces, resizes and limits
    '\x00\x00\x01\xfe\x11\x12\x13\x14' # 1x1, everything
  )
  local streams=(
    # Text, wrapping, scrolling into history.
    'hello world\r\nline two\r\n\tTab\there\r\n'"$(printf 'line %d\\r\\n' $(seq 1 40))"
    # Cursor movement and erasing.
    '\e[H\e[2J\e[5;10Hx\e[A\e[B\e[3C\e[2D\e[E\e[F\e[10G\e[3d\e[K\e[1K\e[2K\e[J\e[1J\e[3J\e[s\e[u'
    # Editing: insert/delete characters and lines, erase characters, REP.
    'abcdefghij\e[1;3H\e[2@\e[3P\e[4X\e[2L\e[3M\e[5bxy\e[4h12\e[4l'
    # Scroll regions, index, reverse index, scroll up and down, origin mode.
    '\e[2;5r\e[5;1H\n\n\n\eM\eM\eD\eE\e[2S\e[3T\e[?6h\e[1;1Hin\e[?6l\e[r'
    # SGR of every kind: 16, 256 and RGB colours, colon forms, attributes.
    '\e[1;2;3;4;5;7;8;9mA\e[22;23;24;25;27;28;29mB\e[31;42mC\e[91;102mD\e[38;5;196;48;5;21mE\e[38;2;1;2;3;48;2;4;5;6mF\e[38:2::7:8:9mG\e[4:3mH\e[58;5;3mI\e[0m\e[m\e[;1m'
    # Modes: alternate screens, autowrap, cursor, mouse, paste, focus, sync.
    '\e[?1049hALT\e[?1049l\e[?47hA\e[?47l\e[?1047h\e[?1047l\e[?1048h\e[?1048l\e[?7l0123456789012345678901234567890123456789012345678901234567890123456789012345678901234\e[?7h\e[?25l\e[?25h\e[?1h\e=\e[?1l\e>\e[?1000h\e[?1002h\e[?1003h\e[?1006h\e[?1005h\e[?1015h\e[?1000l\e[?2004h\e[?1004h\e[?2026h\e[?2026l\e[?12h\e[20h\e[20l'
    # Charsets, shifts and line drawing.
    '\e(0lqqk\r\nx  x\r\nmqqj\e(B\e)0\x0eabc\x0f\e*B\e+A\en\eo\e(A#\e(B'
    # OSC: titles with BEL and ST, clipboard, colours, title stack.
    '\e]0;icon and title\a\e]2;title\e\\\e]1;icon\a\e]52;c;aGVsbG8=\a\e]4;1;rgb:ff/00/00\a\e]10;?\a\e[22;0t\e]2;pushed\a\e[23;0t\e]8;;http://x\e\\link\e]8;;\e\\'
    # DCS, APC, PM, SOS strings; DECRQSS; sixel-like data.
    '\eP$qm\e\\\eP$q r\e\\\eP$qr\e\\\ePq#0;2;0;0;0~~@@\e\\\e_apc\e\\\e^pm\e\\\eXsos\e\\\eP1$r0m\e\\'
    # Queries that reply: DA, DSR, DECRQM, window ops, DECREQTPARM.
    '\e[c\e[>c\e[=c\e[5n\e[6n\e[?6n\e[?1049$p\e[4$p\e[?2026$p\e[18t\e[14t\e[x\e[>0q\e[?u'
    # Tabs and controls: HTS, TBC, CHT, CBT, BS, VT, FF, BEL, NUL, DEL.
    '\e[3g\e[5G\eH\e[1G\tX\e[2I\e[3Z\e[0g\b\b\v\f\a\x00\x7f\r\n'
    # Save/restore, DECALN, RIS, DECSCUSR, soft reset, DECSTR.
    '\e7\e[10;10H\e8\e#8\e[3 q\e[0 q\e[!p\e[?5h\e[?5l\ec after reset'
    # UTF-8: wide, combining, ZWJ emoji, modifiers, variation selectors.
    'e\xcc\x81 \xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd \xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7 \xe2\x9d\xa4\xef\xb8\x8f a\xcc\x81\xcc\x82\xcc\x83\xcc\x84 \xef\xbc\xa1\xef\xbc\xa2\xef\xbc\xa3\xef\xbc\xa4\xef\xbc\xa5\xef\xbc\xa6\xef\xbc\xa7\xef\xbc\xa8\xef\xbc\xa9\xef\xbc\xaa\xef\xbc\xab\xef\xbc\xac'
    # Invalid UTF-8, C1 controls in 8 bits, surrogates, overlongs, CAN/SUB.
    '\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80\xff\xfe\x9b1m\x9d2;c1\x9c\xc2\x9b31m\xe4\xb8\e[m\x18\e[1\x1a\e[2;3\x18m'
    # Parameters at the limits.
    '\e[99999;99999H\e[65535@\e[4294967296P\e[0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0m\e[::::m\e[?;?h\e[1;2;3;4;5;6;7;8;9;10;11;12;13;14;15;16;17;18;19;20r'
    # A shell session: prompt, ls colours, a vim-like full-screen redraw.
    '\e]0;user@host: ~\a\e[01;32muser@host\e[00m:\e[01;34m~\e[00m$ ls\r\n\e[0m\e[01;34mdir\e[0m  file\r\n$ vim\r\n\e[?1049h\e[22;0;0t\e[1;24r\e[?12h\e[?12l\e[27m\e[23m\e[29m\e[m\e[H\e[2J\e[?25l\e[24;1H"f" 0L, 0B\e[2;1H\e[94m~                   \e[3;1H~\e[m\e[1;1H\e[?25h\e[?1049l\e[23;0;0t'
  )
  local h s
  for h in "${headers[@]}"; do
    for s in "${streams[@]}"; do
      printf '%b%b' "$h" "$s" >"$dir/seed-$n"
      n=$((n + 1))
    done
  done
  # Everything at once, small screen, pieces.
  { printf '\x1d\x07\x05\x94\x21\x22\x23\x24'; for s in "${streams[@]}"; do printf '%b' "$s"; done; } \
    >"$dir/seed-all"
}

seed_protocol() {
  local dir=fuzz-corpus/protocol
  mkdir -p "$dir"
  local magic version cell_run
  magic=$(hexof BRTH)
  version=$(u16 1)
  # One row of a screen update: y, width, then runs (fg, bg, attributes,
  # length, cells): "A", a wide 日, "e" with two marks, a lone right half.
  cell_run=$(u16 1)$(u16 6)
  cell_run+=$(u32 0)$(u32 0)$(u16 0)$(u16 3)"41"fe"e697a5"
  cell_run+=$(u32 0x01000001)$(u32 0x02102030)$(u16 0x0109)$(u16 3)ff$(u8 $((1 << 6 | 2)))"65""cc81""cc82"fd"20"
  local messages=(
    "$(frame 1 "$magic$version$(u16 80)$(u16 24)$(str xterm-256color)$(u32 256)")"
    "$(frame 2 "0100")"
    "$(frame 2 "0001")"
    "$(frame 3 "$(hexof 'ls -l')0d1b5b411bff00")"
    "$(frame 3 "")"
    "$(frame 4 "$(u16 132)$(u16 43)")"
    "$(frame 5 "$(u32 2)$(str stuff)$(str 'echo hi\n')")"
    "$(frame 5 "$(u32 3)$(str hardcopy)$(str -h)$(str '/tmp/x y')")"
    "$(frame 6 "")" "$(frame 7 "")" "$(frame 8 "")"
    "$(frame 64 "$magic$version$(u32 4242)$(str 4242.web)")"
    "$(frame 65 "$(u16 6)$(u16 2)$(u16 1)$(u16 1)$(u8 7)$(u8 2)$(u32 0x1105)$(str 'a title')$(u16 1)$cell_run")"
    "$(frame 65 "$(u16 80)$(u16 24)$(u16 0)$(u16 0)$(u8 1)$(u8 0)$(u32 0)$(u16 0)")"
    "$(frame 66 "")"
    "$(frame 67 "$(str 'window 1 changed')")"
    "$(frame 68 "$(u8 3)$(u32 143)$(str '[1.x terminated: killed by SIGTERM (143)]')")"
    "$(frame 69 "$(u32 7)$(str 7.a)$(u32 1800000000)$(u32 0)$(u32 2)$(u32 1)")"
    "$(frame 70 "$(u32 1)$(str "unknown command 'x'")")"
    "$(frame 71 "$(str 'malformed message')")"
  )
  local n=0 m all=""
  for m in "${messages[@]}"; do
    unhex "$m" >"$dir/seed-$n"
    all+=$m
    n=$((n + 1))
  done
  unhex "$all" >"$dir/seed-stream"
  # Malformed: a bad header, an oversized length, a frame cut short.
  printf 'GET / HTTP/1.1\r\n\r\n' >"$dir/seed-http"
  unhex "0300000000000001" >"$dir/seed-oversized"
  unhex "${messages[0]:0:30}" >"$dir/seed-cut"
  # Program output, for the engine-to-client path.
  printf '\e[31mred\e[m \xe4\xb8\xad e\xcc\x81 \e]2;t\a\e[?1049h' >"$dir/seed-output"
}

# --- Run -------------------------------------------------------------------

library BerthTerminal -enable-testing
library BerthProtocol
fuzzer engine EngineFuzz BerthTerminal
fuzzer protocol ProtocolFuzz BerthProtocol BerthTerminal

# Swift's own crash backtracer would run (slowly, and it can stall under
# libFuzzer's signal handlers) on every fatalError; libFuzzer prints the stack.
export SWIFT_BACKTRACE=enable=no

status=0
for t in "${targets[@]}"; do
  corpus=fuzz-corpus/$t
  artifacts=fuzz-corpus/$t-artifacts
  mkdir -p "$corpus" "$artifacts"
  before=$(ls "$corpus" | wc -l)
  seed_"$t"
  dict=()
  [ -f "Fuzz/$t.dict" ] && dict=(-dict="Fuzz/$t.dict")
  log=$out/$t-fuzz.log
  echo "fuzzing $t for ${seconds}s (corpus $corpus: $before files before seeding; log $log)"
  set +e
  # shellcheck disable=SC2086
  "$out/$t-fuzz" "$corpus" "${dict[@]}" -max_total_time="$seconds" -rss_limit_mb=2048 \
    -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" ${FUZZ_FLAGS:-} 2>&1 | tee "$log" | grep --line-buffered -E '^#[0-9]+.*(pulse|DONE)|ERROR|==ERROR|Fatal error|invariant broken|SUMMARY|Test unit written|stat::'
  rc=${PIPESTATUS[0]}
  set -e
  after=$(ls "$corpus" | wc -l)
  last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
  echo "$t: corpus $after files; last status: ${last:-none}"
  if [ "$rc" -ne 0 ]; then
    echo "$t: FAILED (libFuzzer exit $rc); input in $artifacts/:" >&2
    ls -t "$artifacts" | head -n 3 >&2
    status=1
  else
    echo "$t: no crash, hang or leak in ${seconds}s"
  fi
done
exit $status

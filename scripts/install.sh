#!/usr/bin/env bash
# Sets berth up on a Debian machine with Swift: the system packages it
# builds against, a release build, and the binary and man page on the PATH
# (PREFIX, default /usr/local).
set -euo pipefail
cd "$(dirname "$0")/.."
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
if command -v apt-get >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq libncurses-dev ncurses-base pkg-config >/dev/null
fi
binary=$(./scripts/build-release.sh | tail -n 1)
prefix=${PREFIX:-/usr/local}
$sudo install -D -m 755 "$binary" "$prefix/bin/berth"
$sudo install -D -m 644 man/berth.1 "$prefix/share/man/man1/berth.1"
# The user unit for the declared sessions (berth --up at login or boot),
# where every user's `systemctl --user` finds it, naming this berth.
sed "s#/usr/local/bin/berth#$prefix/bin/berth#g" contrib/systemd/berth.service \
  | $sudo install -D -m 644 /dev/stdin "$prefix/lib/systemd/user/berth.service"
echo "installed $prefix/bin/berth, $prefix/share/man/man1/berth.1 and $prefix/lib/systemd/user/berth.service"

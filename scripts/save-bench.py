#!/usr/bin/env python3
"""What saving a session for `berth --resurrect` costs (issue 23's budget).

1. A session with 3 windows of 10,000 lines of history each is saved (a
   window retitled): the server's own CPU time for it (/proc/PID/schedstat,
   target under 50 ms), and the writer child's, which does the encoding.
2. The save file's size against the memory the history takes in the
   server (its anonymous memory before the lines and after; target: the
   file at most 2x that).
3. A flood of output for --flood-seconds: how many saves it causes (target:
   at most one a minute).

Usage: scripts/save-bench.py BERTH [--flood-seconds N]
"""
import argparse
import os
import subprocess
import tempfile
import time


def wait_for(condition, timeout=120.0, what='a condition'):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise SystemExit(f'save-bench: timed out waiting for {what}')


def anon_kib(pid):
    with open(f'/proc/{pid}/smaps_rollup') as f:
        for line in f:
            if line.startswith('Pss_Anon:'):
                return int(line.split()[1])
    return 0


def own_cpu_ns(pid):
    with open(f'/proc/{pid}/schedstat') as f:
        return int(f.read().split()[0])


def children_cpu_ms(pid):
    with open(f'/proc/{pid}/stat') as f:
        fields = f.read().rsplit(')', 1)[1].split()
    ticks = int(fields[13]) + int(fields[14])  # cutime, cstime
    return ticks * 1000 / os.sysconf('SC_CLK_TCK')


def main():
    p = argparse.ArgumentParser()
    p.add_argument('berth')
    p.add_argument('--flood-seconds', type=float, default=65.0)
    a = p.parse_args()
    tmp = tempfile.mkdtemp(prefix='berth-save-')
    env = dict(os.environ, BERTHDIR=os.path.join(tmp, 'sockets'), HOME=tmp,
               XDG_STATE_HOME=os.path.join(tmp, 'state'))
    os.makedirs(env['BERTHDIR'], mode=0o700)
    save = os.path.join(env['XDG_STATE_HOME'], 'berth', 'saves', 'bench.save')
    go = os.path.join(tmp, 'go')

    def berth(*args):
        return subprocess.run([a.berth, *args], env=env, capture_output=True, text=True)

    def mtime():
        try:
            return os.stat(save).st_mtime_ns
        except FileNotFoundError:
            return None

    # Each window prints its 10,000 lines once the test says so, then waits.
    lines = (f'while [ ! -e {go} ]; do sleep 0.05; done; '
             'seq 1 10000 | sed "s/^/history line number /"; echo printed; exec sleep 100000')
    # 10,000 lines each, whatever /etc/screenrc says (Debian's: 1024).
    rc = os.path.join(tmp, 'berthrc')
    with open(rc, 'w') as f:
        f.write('defscrollback 10000\n')
    berth('-c', rc, '-dmS', 'bench', 'sh', '-c', lines)
    for _ in range(2):
        berth('-S', 'bench', '-X', 'screen', 'sh', '-c', lines)
    entry = [e for e in os.listdir(env['BERTHDIR']) if e.endswith('.bench')][0]
    server = int(entry.split('.')[0])
    try:
        wait_for(lambda: mtime() is not None, what='the first save')
        time.sleep(3)  # the saves of the windows opening, done
        before = anon_kib(server)
        open(go, 'w').close()
        for w in range(3):
            wait_for(lambda: 'printed' in berth('--tail', '-n', '3', f'bench:{w}').stdout,
                     what=f'window {w} to print its lines')
            kept = len(berth('--tail', '-n', '20000', f'bench:{w}').stdout.splitlines())
            if kept < 10001:
                raise SystemExit(f'save-bench: window {w} keeps {kept} lines, not 10,000')
        history = max(1, anon_kib(server) - before)
        time.sleep(2.5)  # past the interval between saves of changes
        cpu, child, saved = own_cpu_ns(server), children_cpu_ms(server), mtime()
        asked = time.monotonic()
        berth('-S', 'bench', '-p', '0', '-X', 'title', 'retitled')
        wait_for(lambda: mtime() != saved, what='the save after a retitle')
        written_ms = (time.monotonic() - asked) * 1000
        time.sleep(0.5)  # the writer reaped
        server_ms = (own_cpu_ns(server) - cpu) / 1e6
        child_ms = children_cpu_ms(server) - child
        size = os.stat(save).st_size // 1024
        print(f'  save of 3 windows x 10,000 lines: server {server_ms:.1f} ms of CPU '
              f'(target under 50 ms); the writer child {child_ms:.0f} ms of CPU (10 ms ticks), '
              f'the file in place {written_ms:.0f} ms after the command')
        print(f'  save file {size} KiB; the history in the server {history} KiB: '
              f'{size / history:.2f}x (target 2x at most)')

        # A flood in window 0 for the given time: saves counted by the file's time.
        berth('-S', 'bench', '-X', 'screen', 'sh', '-c',
              'while :; do seq 1 100000; done')
        time.sleep(2.5)
        seen, saves = mtime(), 0
        end = time.monotonic() + a.flood_seconds
        while time.monotonic() < end:
            now = mtime()
            if now != seen:
                saves += 1
                seen = now
            time.sleep(0.1)
        print(f'  {a.flood_seconds:.0f} s of flood: {saves} saves '
              f'(target at most one a minute: {int(a.flood_seconds // 60) + 1} or fewer)')
    finally:
        berth('-S', 'bench', '-X', 'quit')
        subprocess.run(['rm', '-rf', tmp])


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
"""What following and logging cost a window (issue 21's budget).

1. A flood of muxbench's mixed file (same generator and seed) through a
   detached session: MB/s (1e6 bytes) of `cat FILE` in its window, alone and
   with one `berth --tail -f` follower and a log on; median of --reps runs,
   alternating, and the ratio (target: 0.9x or more).
2. A follower stopped (SIGSTOP) during a flood of --flood-mb MiB: how much
   the server's resident memory grows (its peak, VmHWM, against its size
   before the flood; target: at most 1 MiB).

Usage: scripts/follow-bench.py BERTH MUXBENCH.py [--mb N] [--reps N] [--flood-mb N]
"""
import argparse
import importlib.util
import os
import signal
import statistics
import subprocess
import tempfile
import time


def wait_for(condition, timeout=120.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    raise SystemExit('follow-bench: timed out')


class Session:
    """A detached session whose program waits for a line, then runs `flood`."""

    def __init__(self, berth, tmp, name, flood, log=False):
        self.berth, self.name = berth, name
        self.env = dict(os.environ, BERTHDIR=os.path.join(tmp, 'sockets'), HOME=tmp)
        os.makedirs(self.env['BERTHDIR'], mode=0o700, exist_ok=True)
        self.times = os.path.join(tmp, name + '.times')
        script = (f'echo ready; read x; s=$(date +%s.%N); {flood}; e=$(date +%s.%N); '
                  f'echo "$s $e" > {self.times}; echo flood-done; read y')
        args = ['-dmS', name]
        if log:
            args = ['-L', '-Logfile', os.path.join(tmp, name + '.log')] + args
        self.run(*args, 'sh', '-c', script)
        wait_for(lambda: self.server_pid() is not None)
        wait_for(lambda: 'ready' in self.tail())

    def run(self, *args):
        return subprocess.run([self.berth, *args], env=self.env, capture_output=True,
                              text=True, check=True).stdout

    def tail(self, *args):
        return self.run('--tail', *args, self.name)

    def server_pid(self):
        for entry in os.listdir(self.env['BERTHDIR']):
            pid, _, name = entry.partition('.')
            if name == self.name:
                return int(pid)
        return None

    def follower(self):
        p = subprocess.Popen([self.berth, '--tail', '-f', '-n', '1', self.name], env=self.env,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert p.stdout.readline().strip() == b'ready'
        return p

    @staticmethod
    def drain(p):
        """Reads (and drops) what a follower prints, as a terminal would: by
        cat, which costs the machine about what a terminal's reader does (a
        Python thread would take a core's share of its own)."""
        return subprocess.Popen(['cat'], stdin=p.stdout, stdout=subprocess.DEVNULL)

    def go(self):
        self.run('-S', self.name, '-X', 'stuff', '\n')

    def seconds(self):
        # The shell creates the file before it writes it.
        wait_for(lambda: os.path.exists(self.times) and len(open(self.times).read().split()) == 2)
        start, end = map(float, open(self.times).read().split())
        return end - start

    def quit(self):
        self.run('-S', self.name, '-X', 'quit')


def cpu_seconds(pid, thread=None):
    """User and system time a process (or one of its threads) has used so far."""
    path = f'/proc/{pid}/task/{thread}/stat' if thread else f'/proc/{pid}/stat'
    with open(path) as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def memory_kib(pid, field):
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            if line.startswith(field + ':'):
                return int(line.split()[1])
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('berth')
    p.add_argument('muxbench')
    p.add_argument('--mb', type=int, default=64)
    p.add_argument('--reps', type=int, default=5)
    p.add_argument('--flood-mb', type=int, default=1024)
    p.add_argument('--parts', action='store_true', help='also a follower alone and a log alone')
    a = p.parse_args()
    spec = importlib.util.spec_from_file_location('muxbench', a.muxbench)
    muxbench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(muxbench)
    with tempfile.TemporaryDirectory(prefix='berth-follow.') as tmp:
        path = os.path.join(tmp, 'mixed')
        size = muxbench.gen_file('mixed', path, a.mb << 20)
        kinds = {'alone': (False, False), 'followed and logged': (True, True)}
        if a.parts:
            kinds.update({'followed': (True, False), 'logged': (False, True)})
        rates = {kind: [] for kind in kinds}
        cpu = {kind: [] for kind in kinds}
        for rep in range(a.reps):
            for k, (kind, (followed, logged)) in enumerate(kinds.items()):
                s = Session(a.berth, tmp, f'b{rep}k{k}',
                            f'cat {path}', log=logged)
                follower = s.follower() if followed else None
                reader = s.drain(follower) if follower else None
                server = s.server_pid()
                start = (cpu_seconds(server), cpu_seconds(follower.pid) if follower else 0,
                         cpu_seconds(server, server))
                s.go()
                rates[kind].append(size / s.seconds() / 1e6)
                # CPU per GB moved: what contention on a busy host cannot blur.
                gb = size / 1e9
                cpu[kind].append(((cpu_seconds(server) - start[0]) / gb,
                                  (cpu_seconds(follower.pid) - start[1]) / gb if follower else 0,
                                  (cpu_seconds(server, server) - start[2]) / gb))
                s.quit()
                if follower:
                    follower.wait()
                    reader.wait()
        alone = statistics.median(rates['alone'])
        for kind in rates:
            rate = statistics.median(rates[kind])
            server = statistics.median(c[0] for c in cpu[kind])
            follower = statistics.median(c[1] for c in cpu[kind])
            loop = statistics.median(c[2] for c in cpu[kind])
            target = ' (target 0.90x or more)' if kind == 'followed and logged' else ''
            print(f'  flood {kind}: {rate:.0f} MB/s = {rate / alone:.2f}x{target};'
                  f' CPU per GB: server {server:.1f} s (its loop {loop:.1f} s), follower {follower:.1f} s')
        os.unlink(path)

        # The window's history fills first (its 10,000 lines are the
        # server's to keep, follower or not); then the flood is measured,
        # the server's size sampled as it goes.
        lines = f'yes {"0123456789" * 9}'
        warm = f'{lines} | head -n 20000; echo warm; read w'
        s = Session(a.berth, tmp, 'stopped', f'{warm}; {lines} | head -c {a.flood_mb << 20}')
        follower = s.follower()
        follower.send_signal(signal.SIGSTOP)
        pid = s.server_pid()
        s.go()
        wait_for(lambda: 'warm' in s.tail('-n', '1'))
        before = memory_kib(pid, 'VmRSS')
        peak = before
        s.go()
        while not os.path.exists(s.times):
            peak = max(peak, memory_kib(pid, 'VmRSS'))
            time.sleep(0.01)
        took = s.seconds()
        follower.send_signal(signal.SIGCONT)
        follower.kill()
        follower.wait()
        s.quit()
        print(f'  {a.flood_mb} MiB flood ({a.flood_mb * 1.048576 / took:.0f} MB/s) with a stopped'
              f' follower: server memory {before} KiB before, at most {peak} KiB during,'
              f' grew {(peak - before) / 1024:.2f} MiB (target 1 MiB at most)')

if __name__ == '__main__':
    main()

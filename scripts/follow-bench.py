#!/usr/bin/env python3
"""What following and logging cost a window (issue 21's budget).

1. A flood of muxbench's mixed file (same generator and seed) through a
   detached session: MB/s (1e6 bytes) of `cat FILE` in its window, alone and
   with one `berth --tail -f` follower and a log on; median of --reps runs,
   alternating, and the ratio (target: 0.9x or more).
2. A follower stopped (SIGSTOP) during a flood of --flood-mb MiB: how much
   the server's resident memory grows (its peak, VmHWM, against its size
   before the flood; target: at most 1 MiB).

Each configuration's line of CPU time (medians): the flood's wall time;
the server's loop (its main thread: CPU per GB, page faults per GB, and
how long it was ready to run but waited for a CPU); the log writer's
thread; the program (the shell and its cat); the follower and the cat
that drains it; the kernel's workers (a PTY's input is handed over in
them); all of these against the cores' time, and how busy the machine
was (others' work included).

Usage: scripts/follow-bench.py BERTH MUXBENCH.py [--mb N] [--reps N] [--flood-mb N]
         [--parts] [--against OTHER_BERTH] [--no-stopped]
"""
import argparse
import importlib.util
import os
import signal
import statistics
import subprocess
import tempfile
import time


def wait_for(condition, timeout=120.0, poll=0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(poll)
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

    def seconds(self, poll=0.02):
        # The shell creates the file before it writes it.
        wait_for(lambda: os.path.exists(self.times) and len(open(self.times).read().split()) == 2,
                 poll=poll)
        start, end = map(float, open(self.times).read().split())
        return end - start

    def quit(self):
        self.run('-S', self.name, '-X', 'quit')


TICK = os.sysconf('SC_CLK_TCK')


def stat_fields(path):
    """The fields of a /proc stat file after the command's name."""
    with open(path) as f:
        return f.read().rsplit(')', 1)[1].split()


def cpu_seconds(pid, thread=None, children=False):
    """User and system time a process (or one of its threads) has used so
    far; `children`: with that of its children it waited for."""
    path = f'/proc/{pid}/task/{thread}/stat' if thread else f'/proc/{pid}/stat'
    try:
        fields = stat_fields(path)
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])
    if children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / TICK


def run_queue_wait(pid, thread):
    """Seconds one thread was ready to run but waited for a CPU
    (/proc/PID/task/TID/schedstat's second field): contention, measured."""
    try:
        with open(f'/proc/{pid}/task/{thread}/schedstat') as f:
            return int(f.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


def page_faults(pid, thread):
    """Minor page faults of one thread: a buffer allocated (and let go)
    for each chunk of output shows here, a reused one does not."""
    try:
        return int(stat_fields(f'/proc/{pid}/task/{thread}/stat')[7])
    except (OSError, IndexError, ValueError):
        return 0


def children_of(pid):
    found = []
    for entry in os.listdir('/proc'):
        if entry.isdigit():
            try:
                if int(stat_fields(f'/proc/{entry}/stat')[1]) == pid:
                    found.append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    return found


def kernel_workers():
    """The kernel's worker threads: a PTY hands what the program writes to
    the reading side in one of them (flush_to_ldisc), on no process's bill."""
    found = []
    for entry in os.listdir('/proc'):
        if entry.isdigit():
            try:
                with open(f'/proc/{entry}/comm') as f:
                    if f.read().startswith('kworker'):
                        found.append(int(entry))
            except OSError:
                pass
    return found


def machine_ticks():
    """Busy and all ticks of every CPU of the machine (/proc/stat): what
    other users take shows here, not in the session's own figures."""
    with open('/proc/stat') as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


class Accounts:
    """CPU time of everything a flood runs on, taken before and after it:
    the server's main thread (its poll loop) and its other threads (the
    log writer), the window's program (the shell, with the cat it waited
    for), the follower client and the cat that drains it, the machine."""

    def __init__(self, server, program, follower=None, reader=None):
        self.server, self.program = server, program
        self.follower, self.reader = follower, reader
        self.workers = kernel_workers()
        self.start = self.take()

    def take(self):
        s = self.server
        threads = [int(t) for t in os.listdir(f'/proc/{s}/task')]
        main = cpu_seconds(s, s)
        return {
            'wall': time.monotonic(),
            'main': main,
            'faults': page_faults(s, s),
            'waited': run_queue_wait(s, s),
            'log': sum(cpu_seconds(s, t) for t in threads if t != s),
            'program': sum(cpu_seconds(p, children=True) for p in self.program),
            'follower': cpu_seconds(self.follower) if self.follower else 0.0,
            'drain': cpu_seconds(self.reader) if self.reader else 0.0,
            'kworkers': sum(cpu_seconds(p) for p in self.workers),
            'machine': machine_ticks(),
        }

    def stop(self):
        end = self.take()
        used = {k: end[k] - self.start[k] for k in end if k != 'machine'}
        busy = end['machine'][0] - self.start['machine'][0]
        total = end['machine'][1] - self.start['machine'][1]
        used['machine'] = busy / total if total else 0.0
        used['ours'] = sum(used[k] for k in ('main', 'log', 'program', 'follower', 'drain',
                                             'kworkers'))
        return used


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
    p.add_argument('--against', metavar='BERTH',
                   help='another build, run alternating with the first (A/B in one run)')
    p.add_argument('--no-stopped', action='store_true', help='skip the stopped follower')
    a = p.parse_args()
    spec = importlib.util.spec_from_file_location('muxbench', a.muxbench)
    muxbench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(muxbench)
    builds = {'A': a.berth, 'B': a.against} if a.against else {'': a.berth}
    with tempfile.TemporaryDirectory(prefix='berth-follow.') as tmp:
        path = os.path.join(tmp, 'mixed')
        size = muxbench.gen_file('mixed', path, a.mb << 20)
        kinds = {'alone': (False, False), 'followed and logged': (True, True)}
        if a.parts:
            kinds = {'alone': (False, False), 'followed': (True, False),
                     'logged': (False, True), 'followed and logged': (True, True)}
        runs = [(build, kind) for build in builds for kind in kinds]
        rates = {run: [] for run in runs}
        used = {run: [] for run in runs}
        for rep in range(a.reps):
            for k, (build, kind) in enumerate(runs):
                followed, logged = kinds[kind]
                s = Session(builds[build], tmp, f'b{rep}k{k}', f'cat {path}', log=logged)
                follower = s.follower() if followed else None
                reader = s.drain(follower) if follower else None
                server = s.server_pid()
                accounts = Accounts(server, children_of(server), follower and follower.pid,
                                    reader and reader.pid)
                s.go()
                rates[(build, kind)].append(size / s.seconds(poll=0.002) / 1e6)
                used[(build, kind)].append(accounts.stop())
                s.quit()
                if follower:
                    follower.wait()
                    reader.wait()
        gb = size / 1e9
        cores = os.cpu_count()
        print(f'  {a.mb} MiB of mixed output, {a.reps} runs each, alternating; medians;'
              f' {cores} cores')
        for build in builds:
            alone = statistics.median(rates[(build, 'alone')])
            for kind in kinds:
                run = (build, kind)
                rate = statistics.median(rates[run])
                target = ' (target 0.90x or more)' if kind == 'followed and logged' else ''
                name = f'{build}: ' if build else ''
                print(f'  {name}flood {kind}: {rate:.0f} MB/s = {rate / alone:.2f}x{target}')
                m = {k: statistics.median(u[k] for u in used[run]) for k in used[run][0]}
                load = statistics.median(u['ours'] / (cores * u['wall']) for u in used[run])
                print(f'      CPU s: wall {m["wall"]:.2f}, server loop {m["main"]:.2f}'
                      f' ({m["main"] / gb:.2f}/GB, {m["faults"] / (gb * 1000):.0f}k page faults/GB,'
                      f' waited {m["waited"]:.2f} for a CPU),'
                      f' log thread {m["log"]:.2f},'
                      f' program {m["program"]:.2f}, follower {m["follower"]:.2f}'
                      f' + its cat {m["drain"]:.2f}, kernel workers {m["kworkers"]:.2f};'
                      f' all / ({cores} x wall) {load:.2f},'
                      f' machine busy {m["machine"]:.2f}')
        if a.against:
            for kind in kinds:
                ratio = (statistics.median(rates[('B', kind)])
                         / statistics.median(rates[('A', kind)]))
                loop = (statistics.median(u['main'] for u in used[('B', kind)])
                        / statistics.median(u['main'] for u in used[('A', kind)]))
                print(f'  B/A {kind}: speed {ratio:.2f}x, server loop CPU {loop:.2f}x')
        os.unlink(path)
        if a.no_stopped:
            return

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

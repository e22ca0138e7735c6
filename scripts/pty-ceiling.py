#!/usr/bin/env python3
"""The most any multiplexer can read through a PTY on this machine.

`cat` writes muxbench's test file (same generator, same seed) to the slave
of a PTY whose master a bare loop reads and throws away: MB/s (1e6 bytes),
median of --reps runs. A multiplexer's server reads every byte its program
writes through a PTY master, so no multiplexer's throughput can beat this
figure; it bounds the "Nx tmux" targets on this machine.

Usage: scripts/pty-ceiling.py MUXBENCH.py [--mb N] [--reps N] [--scenario A,B] [--json OUT]
"""
import argparse
import importlib.util
import json
import os
import pty
import statistics
import tempfile
import time


def read_all(path):
    """MB/s of `cat path` read from a PTY master, nothing done with the bytes."""
    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.execvp('cat', ['cat', path])
        finally:
            os._exit(127)
    total, start = 0, time.perf_counter()
    try:
        while True:
            try:
                data = os.read(fd, 1 << 18)
            except OSError:  # EIO: cat is gone and the slave closed
                break
            if not data:
                break
            total += len(data)
        seconds = time.perf_counter() - start
    finally:
        os.close(fd)
        os.waitpid(pid, 0)
    return total / seconds / 1e6


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('muxbench')
    p.add_argument('--mb', type=int, default=64)
    p.add_argument('--reps', type=int, default=3)
    p.add_argument('--scenario', default='mixed,scroll,color')
    p.add_argument('--json')
    a = p.parse_args()
    spec = importlib.util.spec_from_file_location('muxbench', a.muxbench)
    muxbench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(muxbench)
    figures = {}
    with tempfile.TemporaryDirectory(prefix='berth-ceiling.') as tmp:
        for kind in a.scenario.split(','):
            path = os.path.join(tmp, kind)
            muxbench.gen_file(kind, path, a.mb << 20)
            figures[kind] = statistics.median(read_all(path) for _ in range(a.reps))
            print(f'  PTY ceiling {kind}: {figures[kind]:.0f} MB/s')
            os.unlink(path)
    if a.json:
        with open(a.json, 'w') as f:
            json.dump(figures, f)


if __name__ == '__main__':
    main()

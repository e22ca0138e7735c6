#!/usr/bin/env python3
"""Prints berth's figures from one muxbench JSON run against the targets of
the client and hardening issues, as ratios within that run.

Usage: scripts/bench-targets.py RUN.json [CEILING.json]

CEILING.json (from scripts/pty-ceiling.py) adds, to each "Nx tmux" target,
the most any multiplexer could reach: the PTY ceiling as a multiple of tmux.
"""
import json
import sys


def main(path, ceiling_path=None):
    with open(path) as f:
        results = {r['name']: r for r in json.load(f)['results']}
    ceilings = {}
    if ceiling_path:
        with open(ceiling_path) as f:
            ceilings = json.load(f)
    berth = results.get('berth')
    if not berth:
        sys.exit(f'bench-targets: no berth figures in {path}')

    def figure(mux, *keys):
        value = results.get(mux, {})
        for key in keys:
            if not isinstance(value, dict) or key not in value:
                return None
            value = value[key]
        return value

    rows = []

    def check(target, measured, ok):
        rows.append((target, measured, 'met' if ok else 'NOT MET'))

    for scenario in ('mixed', 'scroll', 'color'):
        att = figure('berth', 'throughput', f'{scenario}/att', 'median')
        det = figure('berth', 'throughput', f'{scenario}/det', 'median')
        direct = figure('direct', 'throughput', f'{scenario}/att', 'median')
        tmux = figure('tmux', 'throughput', f'{scenario}/att', 'median')
        dtach = figure('dtach', 'throughput', f'{scenario}/det', 'median')
        if att is None:
            continue
        if direct:
            r = att / direct
            check(f'{scenario} attached >= 0.85x direct', f'{att:.0f}/{direct:.0f} = {r:.2f}x', r >= 0.85)
        if tmux:
            r = att / tmux
            bounds = [f'direct {direct / tmux:.1f}x'] if direct else []
            if scenario in ceilings:
                bounds.append(f'PTY ceiling {ceilings[scenario]:.0f} = {ceilings[scenario] / tmux:.1f}x')
            bound = f' ({", ".join(bounds)})' if bounds else ''
            check(f'{scenario} attached >= 3x tmux', f'{att:.0f}/{tmux:.0f} = {r:.1f}x{bound}', r >= 3)
        if det is not None and dtach:
            r = det / dtach
            check(f'{scenario} detached >= 0.8x dtach', f'{det:.0f}/{dtach:.0f} = {r:.2f}x', r >= 0.8)

    for peer in ('tmux', 'dtach'):
        for q in ('p50', 'p99'):
            ours, theirs = figure('berth', 'latency', q), figure(peer, 'latency', q)
            if ours is not None and theirs is not None:
                check(f'latency {q} <= {peer}', f'{ours:.0f} vs {theirs:.0f} us', ours <= theirs)

    pss, screen_pss = figure('berth', 'memory', 'pss_per_session_kib'), figure('screen', 'memory', 'pss_per_session_kib')
    if pss is not None and screen_pss is not None:
        check('PSS per idle session <= screen', f'{pss:.0f} vs {screen_pss:.0f} KiB', pss <= screen_pss)
    start = figure('berth', 'startup', 'median_ms')
    if start is not None:
        check('create + list <= 8 ms median', f'{start:.1f} ms', start <= 8)

    width = max(len(r[0]) for r in rows) if rows else 0
    for target, measured, verdict in rows:
        print(f'{target:<{width}}  {measured:<50}  {verdict}')


if __name__ == '__main__':
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__.strip())
    main(*sys.argv[1:])

#!/usr/bin/env python3
"""Prints berth's figures from one muxbench JSON run against the targets of
the client issue (4: attached >= 2x tmux and >= 0.7x direct, latency not
above tmux's) and the hardening issue (6: the rest), as ratios within that
run. Each line names its issue.

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
            for issue, least in ((4, 0.7), (6, 0.85)):
                check(f'[{issue}] {scenario} attached >= {least}x direct', f'{att:.0f}/{direct:.0f} = {r:.2f}x', r >= least)
        if tmux:
            r = att / tmux
            bounds = [f'direct {direct / tmux:.2f}x'] if direct else []
            if scenario in ceilings:
                bounds.append(f'PTY ceiling {ceilings[scenario]:.0f} = {ceilings[scenario] / tmux:.2f}x')
            bound = f' ({", ".join(bounds)})' if bounds else ''
            for issue, least in ((4, 2), (6, 3)):
                check(f'[{issue}] {scenario} attached >= {least}x tmux', f'{att:.1f}/{tmux:.1f} = {r:.2f}x{bound}', r >= least)
        if det is not None and dtach:
            r = det / dtach
            check(f'[6] {scenario} detached >= 0.8x dtach', f'{det:.0f}/{dtach:.0f} = {r:.2f}x', r >= 0.8)

    for peer, issues in (('tmux', '4, 6'), ('dtach', '6')):
        for q in ('p50', 'p99'):
            ours, theirs = figure('berth', 'latency', q), figure(peer, 'latency', q)
            if ours is not None and theirs is not None:
                check(f'[{issues}] latency {q} <= {peer}', f'{ours:.0f} vs {theirs:.0f} us', ours <= theirs)

    pss, screen_pss = figure('berth', 'memory', 'pss_per_session_kib'), figure('screen', 'memory', 'pss_per_session_kib')
    if pss is not None and screen_pss is not None:
        check('[6] PSS per idle session <= screen', f'{pss:.0f} vs {screen_pss:.0f} KiB', pss <= screen_pss)
    start = figure('berth', 'startup', 'median_ms')
    if start is not None:
        check('[6] create + list <= 8 ms median', f'{start:.1f} ms', start <= 8)

    width = max(len(r[0]) for r in rows) if rows else 0
    for target, measured, verdict in rows:
        print(f'{target:<{width}}  {measured:<58}  {verdict}')


if __name__ == '__main__':
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__.strip())
    main(*sys.argv[1:])

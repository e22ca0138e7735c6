#!/usr/bin/env python3
"""Runs a vdiff case file one case per vdiff process.

vdiff names its private tmux servers after its own pid and ends them with
kill-server, which returns before the server has gone; the next case's
new-session on the same socket then often meets the dying server ("server
exited unexpectedly") and vdiff stops there. A process per case gives every
case sockets of its own. Usage: run.py VDIFF CASES [vdiff options...]
Prints vdiff's lines for each case and a final 'N passed, N failed' line.
"""
import os, subprocess, sys, time

vdiff, cases, extra = sys.argv[1], sys.argv[2], sys.argv[3:]
sys.path.insert(0, os.path.dirname(os.path.abspath(vdiff)))
import vdiff as tool  # noqa: E402  (only for Case, to read the names)

ns = {"Case": tool.Case}
exec(open(cases).read(), ns)
names = [c.name for c in ns["CASES"]]
only = [a.split("=", 1)[1] for a in extra if a.startswith("--only=")]
if only:
    keep = set(only[0].split(","))
    names = [n for n in names if n in keep]
    extra = [a for a in extra if not a.startswith("--only=")]

passed, failed, start = 0, [], time.time()
for name in names:
    run = subprocess.run([sys.executable, vdiff, "--mux", "berth", "--cases", cases,
                          "--only", name] + extra, capture_output=True, text=True)
    lines = [l for l in run.stdout.splitlines() if not l.endswith(" failed")]
    print("\n".join(lines) + (run.stderr and "\n" + run.stderr.rstrip()), flush=True)
    if run.returncode == 0:
        passed += 1
    else:
        failed.append(name)
if failed:
    print("failed: " + ",".join(failed))
print(f"({os.path.basename(cases)}: {time.time() - start:.0f} s)")
print(f"{passed} passed, {len(failed)} failed")
sys.exit(1 if failed else 0)

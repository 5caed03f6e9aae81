#!/usr/bin/env python3
"""End to end, one thread against two: `cdpspec validate --jobs 1` and `--jobs 2` on a 1 GB
NDJSON file in the page cache, whole process, taking turns.

Usage: python3 benches/jobs.py [BINARY] [ROUNDS]
  BINARY  defaults to target/release/cdpspec (cargo build --release -p cdpspec-cli)
  ROUNDS  defaults to 3; the medians count

The file is target/bench/jobs-1g.ndjson: the 200,000-call corpora that `cargo bench -p cdpspec
--bench throughput` writes (six times the valid one, then the 10% invalid one), written when missing.
For each run it prints wall time, CPU time (user + system, from wait4) and the share of the
machine's time that other processes and the host took (from /proc/stat), then the medians, the
wall-time ratio (one thread / two) and how much more CPU two threads spend in all.
"""

import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "target", "bench")
VALID = os.path.join(BENCH, "corpus-200k.ndjson")
INVALID = os.path.join(BENCH, "corpus-200k-10pct.ndjson")
FILE = os.path.join(BENCH, "jobs-1g.ndjson")


def corpus():
    """The 1 GB file, written from the benchmark corpora when missing."""
    if os.path.exists(FILE):
        return FILE
    for path in (VALID, INVALID):
        if not os.path.exists(path):
            sys.exit(f"missing {path}: run `cargo bench -p cdpspec --bench throughput` once to write the corpora")
    with open(FILE + ".tmp", "wb") as out:
        for path in [VALID] * 6 + [INVALID]:
            with open(path, "rb") as part:
                while chunk := part.read(1 << 20):
                    out.write(chunk)
    os.replace(FILE + ".tmp", FILE)
    return FILE


def cpu_ticks():
    """(busy, total) jiffies of the whole machine, steal included in busy."""
    fields = [int(x) for x in open("/proc/stat").readline().split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def run(binary, jobs, path):
    """One run: (wall s, cpu s, share of the machine others took while it ran)."""
    busy0, total0 = cpu_ticks()
    start = time.perf_counter()
    with open(os.devnull, "wb") as null:
        proc = subprocess.Popen([binary, "validate", "--jobs", str(jobs), "--format", "json", path], stdout=null, stderr=null)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    busy1, total1 = cpu_ticks()
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"{binary} --jobs {jobs} exited {code}")
    cpu = usage.ru_utime + usage.ru_stime
    hz = os.sysconf("SC_CLK_TCK")
    others = max(0.0, (busy1 - busy0) / hz - cpu) / max(1e-9, (total1 - total0) / hz)
    return wall, cpu, others


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "release", "cdpspec")
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    path = corpus()
    size = os.path.getsize(path)
    # Into the page cache.
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass
    print(f"{path}: {size / 1e9:.2f} GB; {rounds} rounds, taking turns")
    results = {1: [], 2: []}
    for round_ in range(1, rounds + 1):
        for jobs in (1, 2):
            wall, cpu, others = run(binary, jobs, path)
            results[jobs].append((wall, cpu))
            print(f"round {round_}, --jobs {jobs}: {wall:.2f} s wall, {cpu:.2f} s CPU, others took {others * 100:.0f}% of the machine")
    wall1 = statistics.median(w for w, _ in results[1])
    wall2 = statistics.median(w for w, _ in results[2])
    cpu1 = statistics.median(c for _, c in results[1])
    cpu2 = statistics.median(c for _, c in results[2])
    print(f"median --jobs 1: {wall1:.2f} s wall ({size / 1e6 / wall1:.0f} MB/s), {cpu1:.2f} s CPU")
    print(f"median --jobs 2: {wall2:.2f} s wall ({size / 1e6 / wall2:.0f} MB/s), {cpu2:.2f} s CPU")
    print(f"wall time, --jobs 1 / --jobs 2: {wall1 / wall2:.2f} (target >= 1.85)")
    print(f"CPU time, --jobs 2 / --jobs 1: {cpu2 / cpu1:.3f}")


if __name__ == "__main__":
    main()

"""Writes to stdout one track call whose one property is a string of N GiB of `a`, on one line,
then a valid call and a call without identity: the input of BENCHMARKS.md's "memory on a giant
line". Usage: python3 benches/giant_line.py 3 | cdpspec validate --format json -
"""

import sys

gib = float(sys.argv[1])
out = sys.stdout.buffer
out.write(b'{"type":"track","userId":"u","event":"E","properties":{"x":"')
chunk = b"a" * (1 << 20)
for _ in range(int(gib * 1024)):
    out.write(chunk)
out.write(b'"}}\n{"type":"track","userId":"u","event":"E"}\n{"type":"track","event":"E"}\n')
out.flush()

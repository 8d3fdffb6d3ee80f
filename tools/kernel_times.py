#!/usr/bin/env python3
"""Per-kernel device time from `ncu --csv --metrics gpu__time_duration.sum` output (stdin):
one line per kernel name with its launches, total and mean microseconds, largest first."""
import collections
import csv
import sys

rows = [r for r in csv.reader(line for line in sys.stdin if line.startswith('"'))]
if not rows:
    sys.exit("kernel_times: no ncu CSV rows on stdin")
head, body = rows[0], rows[1:]
name_col, value_col, unit_col = head.index("Kernel Name"), head.index("Metric Value"), \
    head.index("Metric Unit")
scale = {"ns": 1e-3, "usecond": 1.0, "us": 1.0, "msecond": 1e3, "ms": 1e3, "nsecond": 1e-3}
total = collections.defaultdict(float)
count = collections.Counter()
for r in body:
    name = r[name_col].split("(")[0].replace("gaus::", "").replace("<unnamed>::", "")
    total[name] += float(r[value_col].replace(",", "")) * scale.get(r[unit_col], 1.0)
    count[name] += 1
grand = sum(total.values())
for name, us in sorted(total.items(), key=lambda kv: -kv[1]):
    print(f"{us:10.1f} us {count[name]:4d}x {us / count[name]:9.1f} us  {name}")
print(f"{grand:10.1f} us total")

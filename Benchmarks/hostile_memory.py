#!/usr/bin/env python3
"""Peak memory of `vigil check` on hostile files of one size (default 1 GiB), one shape at a time.

Usage: Benchmarks/hostile_memory.py VIGIL_BINARY CONFIG [--mib 1024] [--folder .build/hostile]

Each shape is written, checked with `vigil check --partner P FILE` (the same streaming parser the
daemon runs on a claimed file), measured (peak RSS from wait4's ru_maxrss), and deleted. The
bound stated in docs/security.md is checked: every shape must stay at or under 256 MB.
"""
import argparse
import os
import subprocess
import sys
import time

BOUND_MB = 256
CHUNK = 8 << 20


def write(path, size, header, row_maker):
    """Writes header then rows from row_maker(i) until the file reaches size bytes."""
    with open(path, "wb") as f:
        f.write(header)
        written = len(header)
        i = 0
        while written < size:
            block = bytearray()
            while len(block) < CHUNK and written + len(block) < size:
                block += row_maker(i)
                i += 1
            f.write(block)
            written += len(block)


def shapes(size):
    episode_header = b"episode_id,child_ref,reported_at,returned_at,in_care,age,sex,locality,source\n"

    def distinct_children(i):
        # Every child reference distinct: the distinct-id sets grow with every row.
        return b"E%d,CHILD-%012d,2012-%02d-%02dT10:00:00,,%s,14,F,North,police\n" % (
            i, i, 1 + i % 12, 1 + i % 28, b"Y" if i % 5 == 0 else b"N")

    def bad_dates(i):
        return b"E%d,C%d,not-a-date-%d,,Y,14,F,North,police\n" % (i, i % 1000, i)

    def aggregate(i):
        day = 1 + (i // 2) % 28
        month = 1 + (i // 56) % 12
        year = 1900 + (i // 672) % 100
        return b"cp.plans,%04d-%02d-%02d,%d,%s\n" % (year, month, day, i % 97, b"neglect" if i % 2 else b"physical")

    def aggregate_invalid(i):
        return b"no.such.indicator.%d,2013-13,x%d\n" % (i % 5000, i)

    def open_plans(i):
        # Every plan open, one child each: one `active` interval held per row.
        return b"C%d,20%02d-%02d-%02d,,%s,N\n" % (i, 10 + i % 3, 1 + i % 12, 1 + i % 28, b"neglect" if i % 2 else b"physical")

    def unknown_indicators(i):
        # Every row a different short unknown indicator: each was once compared with every id.
        return b"missing.incid%07d,2013-04,1\n" % i

    def json_rows(i):
        return b'{"indicator": "missing.incidents", "period": "2013-04", "value": %d},' % i

    return [
        ("record extract, every child distinct", "police", episode_header, distinct_children),
        # Rows ending in CR alone: one segment (a lone CR is never a cut), so one lane reads every
        # row and the other only receives the ids it keeps (found in review: held twice the limit).
        ("record extract, every child distinct, CR ends", "police", episode_header,
         lambda i: distinct_children(i)[:-1] + b"\r"),
        ("record extract, every row a bad date", "police", episode_header, bad_dates),
        ("headerless record extract", "police", b"", distinct_children),
        ("plan records, every plan open", "childrens-services", b"child_ref,plan_start,plan_end,category,previous_plan\n", open_plans),
        ("aggregate, valid rows", "childrens-services", b"indicator,period,value,category\n", aggregate),
        ("aggregate, every row invalid", "health", b"indicator,period,value\n", aggregate_invalid),
        ("aggregate, distinct unknown indicators", "health", b"indicator,period,value\n", unknown_indicators),
        ("JSON, one long array", "police", b'{"observations": [', json_rows),
        # Within the 16 MiB a JSON feed may have: values as small as JSON allows ([0] is two).
        ("JSON, 16 MiB of tiny values", "health", b"[", lambda i: b"[0]," * 1024, (16 << 20) - 4096),
        ("nothing but line ends", "police", b"", lambda i: b"\n" * 4096),
        # Review helper-31: a blank record per CR byte outlasted the watchdog (400 MB in ~27 s).
        ("nothing but CR bytes, after a header", "police", b"indicator,period,value\n", lambda i: b"\r" * 4096),
        ("one field of the whole file", "police", b"indicator,period,value\nmissing.incidents,2013-04,", lambda i: b"9" * 4096),
    ]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("vigil")
    parser.add_argument("config")
    parser.add_argument("--mib", type=int, default=1024)
    parser.add_argument("--folder", default=".build/hostile")
    parser.add_argument("--only", help="run only the shapes whose name contains this text")
    args = parser.parse_args()
    os.makedirs(args.folder, exist_ok=True)
    size = args.mib << 20
    print(f"{'shape':42} {'size':>9} {'peak RSS':>9} {'time':>7}  verdict")
    worst = 0.0
    for name, partner, header, maker, *fixed in shapes(size):
        if args.only and args.only not in name:
            continue
        path = os.path.join(args.folder, "hostile.csv")
        shape_size = fixed[0] if fixed else size
        write(path, shape_size, header, maker)
        started = time.time()
        proc = subprocess.Popen(
            [args.vigil, "check", "--config", args.config, "--partner", partner, path],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        output = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.time() - started
        rss_mb = usage.ru_maxrss / 1024
        worst = max(worst, rss_mb)
        verdict = output.decode("utf-8", "replace").split("\n", 1)[0][:60]
        print(f"{name:42} {shape_size / 2**20:7.0f}MB {rss_mb:7.1f}MB {elapsed:6.1f}s  {verdict}")
        os.remove(path)
    print(f"worst peak RSS {worst:.1f} MB; bound {BOUND_MB} MB: {'met' if worst <= BOUND_MB else 'NOT met'}")
    sys.exit(0 if worst <= BOUND_MB else 1)


if __name__ == "__main__":
    main()

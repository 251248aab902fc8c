#!/usr/bin/env python3
"""Cost follows the change: the time and peak memory of `vigil evaluate --store S` for a one-row
file that touches `missing.incidents`, into an empty store and into a store that already holds
OBS observations of `cp.plans` (daily snapshots with categories) the file does not touch. Each is
the median of REPEAT whole-process runs, each with a new month's value (so none is a duplicate).
Reports both and their ratio (issue 13's target: within 2x), and `vigil alerts` on the grown store.
Usage: Benchmarks/store_growth.py VIGIL CONFIG [--observations 72000] [--repeat 5]"""
import argparse, datetime, os, statistics, subprocess, tempfile, time

parser = argparse.ArgumentParser()
parser.add_argument("vigil")
parser.add_argument("config")
parser.add_argument("--observations", type=int, default=72000)
parser.add_argument("--repeat", type=int, default=5)
args = parser.parse_args()
work = tempfile.mkdtemp(prefix="vigil-growth-")


def run(argv):
    """Runs a command; returns (seconds, that child's peak RSS in MB, from wait4)."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit("failed (%d): %s\n%s" % (code, " ".join(argv), child.stderr.read().decode()))
    return elapsed, usage.ru_maxrss / 1024


def one_row_files(tag):
    files = []
    for i in range(args.repeat):
        path = os.path.join(work, "%s-%d.csv" % (tag, i))
        with open(path, "w") as f:
            f.write("indicator,period,value\nmissing.incidents,2013-%02d,%d\n" % (i + 1, 10 + i))
        files.append(path)
    return files


def measure(store, tag):
    times, peaks = [], []
    for path in one_row_files(tag):
        t, rss = run([args.vigil, "evaluate", "--config", args.config, "--store", store, "--partner", "police",
                      "--at", "2013-12-31", path])
        times.append(t)
        peaks.append(rss)
    return statistics.median(times), max(peaks)


empty = os.path.join(work, "empty.sqlite")
t_empty, rss_empty = measure(empty, "empty")

grown = os.path.join(work, "grown.sqlite")
categories = ["", "neglect", "physical", "sexual", "emotional", "multiple"]
days = args.observations // len(categories)
first = datetime.date(2013, 3, 31) - datetime.timedelta(days=days - 1)
# Files of at most 180,000 rows (an aggregate file may hold 500,000), each checked accepted.
load = 0.0
per_file = 30000
for start in range(0, days, per_file):
    snapshot = os.path.join(work, "cp-plans-%d.csv" % start)
    with open(snapshot, "w") as f:
        f.write("indicator,period,value,category\n")
        for d in range(start, min(days, start + per_file)):
            day = first + datetime.timedelta(days=d)
            for i, category in enumerate(categories):
                f.write("cp.plans,%s,%d,%s\n" % (day.isoformat(), 200 + (d % 50) - 20 * i if i else 240 + d % 50, category))
    argv = [args.vigil, "evaluate", "--config", args.config, "--store", grown, "--partner", "childrens-services",
            "--at", "2013-12-31", snapshot]
    started = time.perf_counter()
    result = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    load += time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit("a snapshot file was not accepted:\n" + result.stderr.decode()[:2000])
t_grown, rss_grown = measure(grown, "grown")
t_alerts, rss_alerts = run([args.vigil, "alerts", "--config", args.config, "--store", grown])

print("| store | one-row file (median of %d) | peak RSS |" % args.repeat)
print("| --- | ---: | ---: |")
print("| empty | %.3f s | %.0f MB |" % (t_empty, rss_empty))
print("| %d observations of cp.plans (loaded in %.1f s) | %.3f s | %.0f MB |" % (days * len(categories), load, t_grown, rss_grown))
print("| ratio | %.2f x | |" % (t_grown / t_empty))
print("`vigil alerts` on the grown store: %.3f s" % t_alerts)

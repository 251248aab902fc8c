#!/usr/bin/env python3
"""Cost follows the change: the time and peak memory of `vigil evaluate --store S` for a one-row
file that touches `missing.incidents`, into an empty store and into a store that already holds
OBS observations of `cp.plans` (daily snapshots with categories) the file does not touch. Each is
the median of REPEAT whole-process runs, each with a new month's value (so none is a duplicate).
Reports both and their ratio (issue 13's target: within 2x), and `vigil alerts` and `vigil digest`
on the grown store.

--synthetic INDICATORS: grow the store instead with INDICATORS monthly indicators of a board's
size (a configuration copied from CONFIG, whose catalogue gains them, each broken down by a
27-value dimension: 28 series) over --months months (default 120: ten years), loaded through
`vigil evaluate` in files of 30,000 rows. 300 indicators give 1,008,000 observations.
Usage: Benchmarks/store_growth.py VIGIL CONFIG [--observations 72000 | --synthetic 300 [--months 120]]
       [--repeat 5]"""
import argparse, datetime, os, statistics, subprocess, tempfile, time

parser = argparse.ArgumentParser()
parser.add_argument("vigil")
parser.add_argument("config")
parser.add_argument("--observations", type=int, default=72000)
parser.add_argument("--repeat", type=int, default=5)
parser.add_argument("--synthetic", type=int, default=0)
parser.add_argument("--months", type=int, default=120)
args = parser.parse_args()
work = tempfile.mkdtemp(prefix="vigil-growth-")

if args.synthetic:
    import shutil, yaml
    source = os.path.dirname(os.path.abspath(args.config))
    etc = os.path.join(work, "etc")
    shutil.copytree(source, etc, ignore=shutil.ignore_patterns("examples"))
    catalogue_path = os.path.join(etc, "catalogue.yaml")
    catalogue = yaml.safe_load(open(catalogue_path))
    catalogue["dimensions"]["bench_band"] = {"title": "Band", "values": ["b%02d" % i for i in range(27)]}
    for n in range(args.synthetic):
        catalogue["indicators"].append({
            "id": "bench.series_%03d" % n, "title": "Synthetic series %d" % n, "unit": "count",
            "periodicity": "month", "polarity": "neutral", "partners": ["police"], "priorities": [6],
            "dimensions": ["bench_band"]})
    with open(catalogue_path, "w") as f:
        yaml.safe_dump(catalogue, f, sort_keys=False)
    # Deliberately unwatched: a board's indicators without rules cost the store, not the rules.
    with open(os.path.join(etc, "rules.d", "zz-bench-not-watched.yaml"), "w") as f:
        f.write("not_watched:\n" + "".join("  bench.series_%03d: synthetic benchmark series\n" % n
                                           for n in range(args.synthetic)))
    args.config = os.path.join(etc, os.path.basename(args.config))
    # A board's store of this size is one partner's here: its bound (default 250,000) is raised.
    with open(args.config, "a") as f:
        f.write("\nmax_values_per_partner: 100000000\n")


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
days = 0 if args.synthetic else args.observations // len(categories)
first = datetime.date(2013, 3, 31) - datetime.timedelta(days=days - 1)
# Files of at most 180,000 rows (an aggregate file may hold 500,000), each checked accepted.
load = 0.0
per_file = 30000


def load_file(path, partner, at="2013-12-31"):
    global load
    argv = [args.vigil, "evaluate", "--config", args.config, "--store", grown, "--partner", partner, "--at", at, path]
    started = time.perf_counter()
    result = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    load += time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit("a file was not accepted:\n" + result.stderr.decode()[:2000])


observations = days * len(categories)
if args.synthetic:
    # Month by month, as a board's returns arrive, each file evaluated at the end of its last
    # month (so no feed is ever overdue while the store grows).
    rows, part = [], 0
    bands = [""] + ["b%02d" % i for i in range(27)]
    for m in range(args.months):
        index = 2013 * 12 + 11 - (args.months - 1) + m  # the last month is December 2013
        year, month = index // 12, index % 12 + 1
        for n in range(args.synthetic):
            for b, band in enumerate(bands):
                rows.append("bench.series_%03d,%d-%02d,%d,%s\n" % (n, year, month, 50 + (n + m + b) % 40, band))
        if len(rows) >= per_file or m == args.months - 1:
            path = os.path.join(work, "bench-%d.csv" % part)
            with open(path, "w") as f:
                f.write("indicator,period,value,bench_band\n" + "".join(rows))
            end = datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)
            load_file(path, "police", at=end.isoformat())
            rows, part = [], part + 1
    observations = args.synthetic * args.months * len(bands)
for start in range(0, days, per_file):
    snapshot = os.path.join(work, "cp-plans-%d.csv" % start)
    with open(snapshot, "w") as f:
        f.write("indicator,period,value,category\n")
        for d in range(start, min(days, start + per_file)):
            day = first + datetime.timedelta(days=d)
            for i, category in enumerate(categories):
                f.write("cp.plans,%s,%d,%s\n" % (day.isoformat(), 200 + (d % 50) - 20 * i if i else 240 + d % 50, category))
    load_file(snapshot, "childrens-services")
t_grown, rss_grown = measure(grown, "grown")
t_alerts, rss_alerts = run([args.vigil, "alerts", "--config", args.config, "--store", grown])
t_digest, rss_digest = run([args.vigil, "digest", "--config", args.config, "--store", grown, "--at", "2013-12-31",
                            "--format", "markdown", "--output", os.path.join(work, "digest.md")])

print("| store | one-row file (median of %d) | peak RSS |" % args.repeat)
print("| --- | ---: | ---: |")
print("| empty | %.3f s | %.0f MB |" % (t_empty, rss_empty))
what = "synthetic monthly series" if args.synthetic else "cp.plans"
print("| %d observations of %s (loaded in %.1f s) | %.3f s | %.0f MB |" % (observations, what, load, t_grown, rss_grown))
print("| ratio | %.2f x | |" % (t_grown / t_empty))
print("`vigil alerts` on the grown store: %.3f s (%.0f MB); `vigil digest`: %.3f s (%.0f MB)"
      % (t_alerts, rss_alerts, t_digest, rss_digest))

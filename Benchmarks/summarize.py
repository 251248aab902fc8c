#!/usr/bin/env python3
"""One table of a `Benchmarks/run`: reads the run's output (its JSON blocks and the store-growth
tables) and prints every measure as a Markdown table row: Vigil, what it is compared with in the
same run, the ratio, peak RSS, and the drop-to-journal percentiles by the store's size.

Usage: Benchmarks/summarize.py RUN_LOG   (Benchmarks/run writes .build/bench/run.log)
"""
import json
import re
import sys


def blocks(text):
    """The JSON objects in the log, in order (each printed with indent=2 or on one line)."""
    decoder = json.JSONDecoder()
    i = 0
    while True:
        i = text.find("{", i)
        if i < 0:
            return
        try:
            value, end = decoder.raw_decode(text, i)
        except ValueError:
            i += 1
            continue
        if isinstance(value, dict):
            yield value
        i = end


def main():
    text = open(sys.argv[1]).read()
    rows = []
    for b in blocks(text):
        if "ratio_vigil_to_duckdb" in b:
            pandas = f", pandas {b['pandas_seconds']} s ({b['ratio_vigil_to_pandas']} ×)" if b.get("pandas_seconds") else ""
            agree = "identical" if b["results_agree_with_duckdb"] and b.get("results_agree_with_pandas") is not False else "DIFFER"
            rows.append((f"{b['rows']:,}-row extract ({b['megabytes']} MB)", f"{b['vigil_seconds']} s",
                         f"DuckDB {b['duckdb_seconds']} s ({b['ratio_vigil_to_duckdb']} ×){pandas}; tables {agree}",
                         f"{b['vigil_peak_rss_mb']} MB"))
        elif "p99_ms" in b and "shape" in b:
            rows.append((f"drop to journal, {b['shape']} file ({b['drops']} drops)", f"p50 {b['p50_ms']} ms, p99 {b['p99_ms']} ms",
                         "", ""))
            for q in b.get("by_store", []):
                rows.append((f"  … drops {q['drops']} ({q['values_stored_before']:,} values stored before)",
                             f"p50 {q['p50_ms']} ms, p99 {q['p99_ms']} ms", "", ""))
        elif "median_ms" in b and "rules" in b:
            rows.append((f"engine: {b['rules']} rules over {b['months']} months, in-process", f"median {b['median_ms']} ms",
                         f"min {b['min_ms']} ms", ""))
        elif "revising_median_ms" in b:
            rows.append((f"parser: the {b['revising_rows']:,}-row revising file / the {b['monthly_rows']}-value monthly file, in-process",
                         f"median {b['revising_median_ms']} / {b['monthly_median_ms']} ms",
                         f"min {b['revising_min_ms']} / {b['monthly_min_ms']} ms", ""))
    # store_growth.py prints Markdown tables: an empty store, a grown one, the ratio, then a line
    # with `vigil alerts` and `vigil digest` on the grown store.
    pattern = re.compile(
        r"\| empty \| ([\d.]+) s \| (\d+) MB \|\n\| (\d+) observations of ([^(|]+?) \(loaded in [\d.]+ s\) \| ([\d.]+) s \| (\d+) MB \|\n"
        r"\| ratio \| ([\d.]+) x \| \|\n`vigil alerts` on the grown store: ([\d.]+) s \((\d+) MB\); `vigil digest`: ([\d.]+) s \((\d+) MB\)")
    for m in pattern.finditer(text):
        empty, rss_empty, n, what, grown, rss_grown, ratio, alerts, rss_alerts, digest, rss_digest = m.groups()
        rows.append((f"one-row file into {int(n):,} observations of {what.strip()}", f"{grown} s ({rss_grown} MB)",
                     f"empty store {empty} s ({ratio} ×)", f"{rss_grown} MB"))
        rows.append((f"`vigil alerts` / `vigil digest` on that store", f"{alerts} s / {digest} s", "", f"{rss_alerts} / {rss_digest} MB"))
    print("| measure | Vigil | compared in the same run | peak RSS |")
    print("| --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    if not rows:
        sys.exit("no measurements found in " + sys.argv[1])


if __name__ == "__main__":
    main()

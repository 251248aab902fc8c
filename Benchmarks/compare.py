#!/usr/bin/env python3
"""Vigil against DuckDB and pandas on the same synthetic extract, measured in the same run.

Each tool runs as its own process (start-up included), computes the same tables from
the police missing-episodes extract, and the results must agree exactly:
  monthly incidents, distinct individuals, in-care incidents and individuals, and children by
  number of episodes per financial year (1..9, 10_plus).
Usage: compare.py VIGIL_BENCH CONFIG EXTRACT [--repeat N]
"""
import json, subprocess, sys, time, os, tempfile, statistics

DUCK = r'''
import duckdb, sys, time
path, out = sys.argv[1], sys.argv[2]
con = duckdb.connect()
con.execute(f"""CREATE TEMP TABLE e AS SELECT child_ref, CAST(reported_at AS VARCHAR) AS r, in_care
  FROM read_csv('{path}', header=true, all_varchar=true)""")
rows = []
for m, inc, ind, cinc, cind in con.execute("""SELECT substr(r,1,7) m, count(*), count(DISTINCT child_ref),
  count(*) FILTER (WHERE in_care='Y'), count(DISTINCT child_ref) FILTER (WHERE in_care='Y') FROM e GROUP BY m""").fetchall():
    rows.append(f"missing.incidents,{m},,{inc}"); rows.append(f"missing.individuals,{m},,{ind}")
    if cinc: rows.append(f"missing.incidents_in_care,{m},,{cinc}"); rows.append(f"missing.individuals_in_care,{m},,{cind}")
for fy, bucket, n in con.execute("""WITH p AS (SELECT CASE WHEN CAST(substr(r,6,2) AS INT) >= 4 THEN CAST(substr(r,1,4) AS INT)
  ELSE CAST(substr(r,1,4) AS INT) - 1 END AS fy, child_ref, count(*) c FROM e GROUP BY 1, 2)
  SELECT fy, CASE WHEN c >= 10 THEN '10_plus' ELSE CAST(c AS VARCHAR) END b, count(*) FROM p GROUP BY 1, 2""").fetchall():
    rows.append(f"missing.individuals_by_incident_count,{fy}/{(fy + 1) % 100:02d},incident_count={bucket},{n}")
for fy, n in con.execute("""SELECT fy, count(*) FROM (SELECT DISTINCT CASE WHEN CAST(substr(r,6,2) AS INT) >= 4
  THEN CAST(substr(r,1,4) AS INT) ELSE CAST(substr(r,1,4) AS INT) - 1 END fy, child_ref FROM e) GROUP BY fy""").fetchall():
    rows.append(f"missing.individuals_by_incident_count,{fy}/{(fy + 1) % 100:02d},,{n}")
open(out, "w").write("\n".join(sorted(rows)) + "\n")
'''

PANDAS = r'''
import pandas as pd, sys
path, out = sys.argv[1], sys.argv[2]
e = pd.read_csv(path, usecols=["child_ref", "reported_at", "in_care"], dtype=str)
e["m"] = e["reported_at"].str.slice(0, 7)
y = e["reported_at"].str.slice(0, 4).astype(int); mo = e["reported_at"].str.slice(5, 7).astype(int)
e["fy"] = y.where(mo >= 4, y - 1)
rows = []
g = e.groupby("m")
care = e[e["in_care"] == "Y"].groupby("m")
ci, cd = care.size(), care["child_ref"].nunique()
for m, inc in g.size().items():
    rows.append(f"missing.incidents,{m},,{inc}")
for m, ind in g["child_ref"].nunique().items():
    rows.append(f"missing.individuals,{m},,{ind}")
for m, n in ci.items(): rows.append(f"missing.incidents_in_care,{m},,{n}")
for m, n in cd.items(): rows.append(f"missing.individuals_in_care,{m},,{n}")
per = e.groupby(["fy", "child_ref"]).size().reset_index(name="c")
per["b"] = per["c"].map(lambda c: "10_plus" if c >= 10 else str(c))
for (fy, b), n in per.groupby(["fy", "b"]).size().items():
    rows.append(f"missing.individuals_by_incident_count,{fy}/{(fy + 1) % 100:02d},incident_count={b},{n}")
for fy, n in per.groupby("fy").size().items():
    rows.append(f"missing.individuals_by_incident_count,{fy}/{(fy + 1) % 100:02d},,{n}")
open(out, "w").write("\n".join(sorted(rows)) + "\n")
'''

def timed(cmd):
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{cmd[0]} failed:\n{done.stderr}")
    return elapsed, done.stdout

def vigil_table(path):
    lines = [l for l in open(path).read().splitlines()[1:] if l]
    # Zero buckets are explicit in Vigil's output; the SQL tools only list non-empty groups.
    return sorted(l for l in lines if not (l.startswith("missing.individuals_by_incident_count") and l.endswith(",0")))

def main():
    bench, config, extract = sys.argv[1:4]
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 3
    tmp = tempfile.mkdtemp()
    size_mb = os.path.getsize(extract) / 1e6
    results = {"vigil": [], "duckdb": [], "pandas": []}
    measured = None
    for _ in range(repeat):
        t, out = timed([bench, "ingest", "--config", config, "--table", f"{tmp}/vigil.csv", extract])
        results["vigil"].append(t); measured = json.loads(out)
        t, _ = timed([sys.executable, "-c", DUCK, extract, f"{tmp}/duck.csv"]); results["duckdb"].append(t)
        if "--no-pandas" not in sys.argv:
            t, _ = timed([sys.executable, "-c", PANDAS, extract, f"{tmp}/pandas.csv"]); results["pandas"].append(t)
    vigil = vigil_table(f"{tmp}/vigil.csv")
    duck = sorted(l for l in open(f"{tmp}/duck.csv").read().splitlines() if l)
    agree_duck = vigil == duck
    agree_pandas = None
    if results["pandas"]:
        pandas = sorted(l for l in open(f"{tmp}/pandas.csv").read().splitlines() if l)
        agree_pandas = vigil == pandas
    best = {k: min(v) for k, v in results.items() if v}
    report = {
        "extract": extract, "rows": measured["rows"], "megabytes": round(size_mb, 1),
        "vigil_seconds": round(best["vigil"], 3), "duckdb_seconds": round(best["duckdb"], 3),
        "pandas_seconds": round(best.get("pandas", 0), 3) or None,
        "vigil_rows_per_second": round(measured["rows"] / best["vigil"]),
        "vigil_mb_per_second": round(size_mb / best["vigil"], 1),
        "vigil_peak_rss_mb": round(measured["peak_rss_mb"], 1),
        "ratio_vigil_to_duckdb": round(best["vigil"] / best["duckdb"], 3),
        "ratio_vigil_to_pandas": round(best["vigil"] / best["pandas"], 3) if "pandas" in best else None,
        "results_agree_with_duckdb": agree_duck, "results_agree_with_pandas": agree_pandas,
        "table_rows": len(vigil),
    }
    print(json.dumps(report, indent=2))
    if not agree_duck or agree_pandas is False:
        diff = sorted(set(vigil) ^ set(duck))[:10]
        sys.exit(f"results disagree; first differences: {diff}")

if __name__ == "__main__":
    main()

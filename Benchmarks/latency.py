#!/usr/bin/env python3
"""Drop-to-journal latency of vigild (p50, p99 over N drops) for two shapes of file:
  revising: 1,000 monthly values of one indicator, every drop revising the same values;
  monthly:  a typical month from children's services, every drop a new month: 44 values of 6
            indicators (CAF registrations, admissions, placement stability, children looked
            after, disabled children on plans, and children on plans with all five breakdowns).

Starts vigild on a temporary deployment (the repository's catalogue and rules), drops N files
the documented way (write .name.part, rename in), and reads the journal (`journalctl -f -o json`)
for each file's accepted entry: latency = entry's __REALTIME_TIMESTAMP - the rename's wall time.
Needs a running journald. Usage: latency.py VIGILD REPO [--drops N] [--shape revising|monthly] [--gap-ms MS]
Environment: VIGIL_BENCH_LOG (vigild's log level, default error; `info` logs each file's parse_ms
and store_ms), VIGIL_BENCH_KEEP=1 (keep the temporary deployment, e.g. to inspect its store).
"""
import calendar, hashlib, json, os, shutil, subprocess, sys, tempfile, threading, time
import yaml

def monthly_file(dims, i):
    """Month i (from January 2000) of a typical children's services return (`dims`: the
    catalogue's dimensions, read once: PyYAML took about 40 ms a file, a pause before each drop
    that let vigild finish the previous file's receipt and alert files first)."""
    year, month = 2000 + i // 12, i % 12 + 1
    day = calendar.monthrange(year, month)[1]
    snapshot = f"{year}-{month:02d}-{day:02d}"
    head = ["indicator,period,value,age_band,gender,category,ethnicity,ethnic_group"]
    rows = [f"caf.registered,{year}-{month:02d},{40 + i % 13},,,,,",
            f"lac.admissions,{year}-{month:02d},{9 + i % 7},,,,,",
            f"lac.placement_stability_pct,{year}-{month:02d},{70 + i % 9},,,,,",
            f"lac.children,{snapshot},{180 + i % 11},,,,,",
            f"cp.plans_disabled,{snapshot},{5 + i % 3},,,,,",
            f"cp.plans,{snapshot},{150 + i % 17},,,,,"]
    columns = ["age_band", "gender", "category", "ethnicity", "ethnic_group"]
    for k, dim in enumerate(columns):
        for j, value in enumerate(dims[dim]["values"]):
            cells = [""] * 5
            cells[k] = value
            rows.append(f"cp.plans,{snapshot},{(i + j) % 30}," + ",".join(cells))
    return head + rows

def main():
    vigild, repo = sys.argv[1], sys.argv[2]
    drops = int(sys.argv[sys.argv.index("--drops") + 1]) if "--drops" in sys.argv else 200
    shape = sys.argv[sys.argv.index("--shape") + 1] if "--shape" in sys.argv else "revising"
    # Milliseconds to wait after each file's journal entry before the next drop (0: back to back,
    # so each file may also wait for the previous one's receipts and alert files).
    gap = float(sys.argv[sys.argv.index("--gap-ms") + 1]) / 1000 if "--gap-ms" in sys.argv else 0.0
    root = tempfile.mkdtemp(prefix="vigil-latency-")
    etc = os.path.join(root, "etc")
    os.makedirs(etc)
    shutil.copy(os.path.join(repo, "config/catalogue.yaml"), etc)
    shutil.copytree(os.path.join(repo, "config/rules.d"), os.path.join(etc, "rules.d"))
    with open(os.path.join(etc, "vigil.yaml"), "w") as f:
        f.write("catalogue: catalogue.yaml\nrules: [rules.d/*.yaml]\n"
                "paths: {state: ../state, drop: ../drop, receipts: ../receipts, alerts: ../alerts, digests: ../digests}\n"
                "partners: [police, childrens-services]\n")
    tag = f"bench{os.getpid()}"
    journal = subprocess.Popen(["journalctl", "-f", "-o", "json", "-n", "0", "SYSLOG_IDENTIFIER=vigild",
                                "MESSAGE_ID=9fb4dda767c043b18bca1d85148f2eea"], stdout=subprocess.PIPE, text=True)
    seen = {}
    # The reader wakes the dropper when an entry arrives (no polling loop competing with vigild
    # for the two cores).
    arrived = threading.Condition()
    def read():
        for line in journal.stdout:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            # The time vigild sent the entry (set by libsystemd), not when journald got round to it.
            stamp = entry.get("_SOURCE_REALTIME_TIMESTAMP") or entry["__REALTIME_TIMESTAMP"]
            with arrived:
                # By the file's SHA-256: the journal names a file only when its name is made of
                # the catalogue's words (FileNameVocabulary), and these names are not.
                seen[entry.get("VIGIL_FILE_SHA256")] = int(stamp) / 1e6
                arrived.notify_all()
    threading.Thread(target=read, daemon=True).start()
    env = dict(os.environ, SWIFT_BACKTRACE="enable=no")
    daemon = subprocess.Popen([vigild, "--config", os.path.join(etc, "vigil.yaml"), "--log-level", os.environ.get("VIGIL_BENCH_LOG", "error")], env=env)
    folder = os.path.join(root, "drop", "childrens-services")
    for _ in range(100):
        if os.path.isdir(folder):
            break
        time.sleep(0.05)
    time.sleep(float(os.environ.get('VIGIL_BENCH_WARMUP', '0.5')))
    dims = yaml.safe_load(open(os.path.join(repo, "config/catalogue.yaml")))["dimensions"]
    dropped = {}
    for i in range(drops):
        name = f"{tag}-{shape}-{i:04d}.csv"
        if shape == "monthly":
            lines = monthly_file(dims, i)
        else:
            lines = [f"# drop {i}", "indicator,period,value"]
            for k in range(1000):
                year, month = 1930 + k // 12, k % 12 + 1
                lines.append(f"lac.admissions,{year}-{month:02d},{(k * 7 + i) % 19}")
        part = os.path.join(folder, "." + name + ".part")
        text = "\n".join(lines) + "\n"
        with open(part, "w") as f:
            f.write(text)
        digest = hashlib.sha256(text.encode()).hexdigest()
        dropped[digest] = time.time()
        os.rename(part, os.path.join(folder, name))
        with arrived:
            arrived.wait_for(lambda: digest in seen, timeout=10)
        time.sleep(gap)
    daemon.terminate(); daemon.wait(); journal.terminate()
    ordered = [((seen[n] - t) * 1000, n) for n, t in dropped.items() if n in seen]
    if "--verbose" in sys.argv:
        print("slowest:", sorted(ordered, reverse=True)[:6], file=sys.stderr)
    latencies = sorted(l for l, _ in ordered)
    if len(latencies) < drops:
        sys.exit(f"only {len(latencies)} of {drops} drops reached the journal")
    def pct(values, q):
        values = sorted(values)
        return values[min(len(values) - 1, int(q * len(values)))]
    p = lambda q: pct(latencies, q)
    # By the store's size: the drops in four quarters, with the values stored before the quarter's
    # first file (a monthly file adds 44; the revising file revises the same 1,000).
    order = sorted(dropped, key=lambda n: dropped[n])
    quarter = max(1, -(-drops // 4))
    by_store = []
    for start in range(0, drops, quarter):
        names = [n for n in order[start:start + quarter] if n in seen]
        if not names:
            continue
        values = [(seen[n] - dropped[n]) * 1000 for n in names]
        before = start * (len(lines) - 1) if shape == "monthly" else (len(lines) - 1 if start else 0)
        by_store.append({"drops": f"{start + 1}-{start + len(names)}", "values_stored_before": before,
                         "p50_ms": round(pct(values, 0.50), 2), "p99_ms": round(pct(values, 0.99), 2)})
    print(json.dumps({"drops": drops, "shape": shape, "rows_per_file": len(lines) - 1, "gap_ms": gap * 1000, "p50_ms": round(p(0.50), 2), "p99_ms": round(p(0.99), 2),
                      "max_ms": round(latencies[-1], 2), "by_store": by_store}, indent=2))
    if not os.environ.get("VIGIL_BENCH_KEEP"): shutil.rmtree(root, ignore_errors=True)

if __name__ == "__main__":
    main()

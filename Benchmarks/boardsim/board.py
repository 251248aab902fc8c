"""One board: planted events, its series drawn from the specs, the files its partners drop, and
one `vigil evaluate` of them."""

import collections
import csv
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

from .assumptions import (
    MONTHS, AT, BURN_IN, PARTNERS, POPULATION, BUSINESS, STOCKS, STABLE_REDRAW, RATE_OF, SUM_OF, STEP)
from .variates import binomial, poisson, Noise
from .periods import ymd, period_text, parse_period


class Events:
    """Planted events KIND:INDICATOR:FROM: shiftP (x 1+P/100 from FROM on), dropP (x 1-P/100),
    spikeM (x M for FROM's period), climbP (to x 1+P/100 over six periods), pointsP (a
    percentage's true share + P points)."""

    def __init__(self, texts):
        self.items = []
        for t in texts:
            kind, ind, start = t.split(":")
            m = re.fullmatch(r"(shift|drop|spike|climb|points)(-?[\d.]+)?", kind)
            if not m:
                sys.exit(f"unknown event kind '{kind}'")
            size = float(m[2]) if m[2] else {"shift": 50, "drop": 50, "spike": 2, "climb": 25, "points": -10}[m[1]]
            periodicity, end = parse_period(start)
            first = end - STEP.get(periodicity, 1) + 1          # the month FROM begins
            self.items.append({"text": t, "kind": m[1], "size": size, "indicator": ind, "start": first})

    def factor(self, ind, m, step, additive=False):
        """The true level's multiplier (or a percentage's added share) for the period ending in
        month m of a series whose periods are `step` months."""
        out = 0.0 if additive else 1.0
        for e in self.items:
            if e["indicator"] != ind or (e["kind"] == "points") != additive:
                continue
            j, j0 = m // step, e["start"] // step
            if j < j0 or (e["kind"] == "spike" and j > j0):
                continue
            if e["kind"] == "points":
                out += e["size"] / 100
            else:
                out *= {"shift": 1 + e["size"] / 100, "drop": 1 - e["size"] / 100, "spike": e["size"],
                        "climb": 1 + e["size"] / 100 * min(1.0, (j - j0 + 1) / 6)}[e["kind"]]
        return out


def draw_attrs(rng, n, spec):
    """Breakdown values of n children (or cases): each draws a value of every dimension from the
    shares; a dimension that subtotals another takes its group (the ethnic group of the
    ethnicity, CAF's unborn age band of the unborn gender). {dimension: [n values]}."""
    attrs = {}
    for d in spec["dims"]:
        if d not in spec["subtotals"]:
            vals = spec["dims"][d]
            attrs[d] = rng.choices(vals, [spec["shares"][d][v] for v in vals], k=n) if n else []
    for d, (of, groups) in spec["subtotals"].items():
        member = {v: g for g, vs in groups.items() for v in vs}
        free = [v for v in spec["dims"][d] if v not in groups]
        w = [spec["shares"][d][v] for v in free]
        attrs[d] = [member[x] if x in member else rng.choices(free, w)[0] for x in attrs[of]]
    return attrs


def count_rows(spec, n, attrs):
    """{breakdown: count}: the total under (), each row under (dimension, value)."""
    rows = {(): n}
    for d, vals in spec["dims"].items():
        counts = collections.Counter(attrs[d])
        rows.update({(d, v): counts.get(v, 0) for v in vals})
    return rows


def draw_rows(rng, n, spec):
    """A total of n split over every dimension (each dimension's rows sum to the total)."""
    return count_rows(spec, n, draw_attrs(rng, n, spec))


def ends(spec, start=0):
    """Month indices at which the spec's periods end, from month `start`."""
    return [m for m in range(start, MONTHS) if (m + 1) % spec["step"] == 0]


def simulate_stock(rng, spec, noise, events):
    """Snapshots of a stock of children, each carrying its breakdown values (and, for the
    placement stability cohort, whether its placement is stable): each step every child leaves
    with the turnover probability and arrivals (Poisson or over-dispersed) keep the expected stock
    at the level, so the stock is Poisson at its level and its steps share most of their children.
    A planted event moves the level; arrivals (or extra departures) follow it."""
    tau, step, ind, dims = STOCKS[spec["id"]], spec["step"], spec["id"], list(spec["dims"])
    pct, level = spec.get("pct"), spec["level"]

    def arrive(k, p):
        attrs = draw_attrs(rng, k, spec)
        return [(rng.random() < p,) + tuple(attrs[d][i] for d in dims) for i in range(k)]

    children = arrive(poisson(rng, level), spec.get("stable_p", 0))
    out, prev, p_prev = {}, level, spec.get("stable_p", 0)
    for m in list(range(-20 * step, 0, step)) + ends(spec):
        target = level * (events.factor(ind, m, step) if m >= 0 else 1)
        q, a = tau, target - (1 - tau) * prev
        if a < 0:
            q, a = 1 - target / prev, 0.0
        prev = target
        children = [c for c in children if rng.random() >= q]
        p = spec.get("stable_p", 0)
        if pct and m >= 0:
            p = min(1.0, max(0.0, p * events.factor(pct, m, step) + events.factor(pct, m, step, additive=True)))
        if pct and p != p_prev:   # the share moves now: just enough children change status
            flip = (1 - p / p_prev) if p < p_prev else (p - p_prev) / (1 - p_prev)
            children = [((not c[0],) + c[1:]) if c[0] == (p < p_prev) and rng.random() < flip else c
                        for c in children]
        p_prev = p
        if pct:
            children = [((rng.random() < p,) + c[1:]) if rng.random() < STABLE_REDRAW else c for c in children]
        children += arrive(noise.draw(a), p)
        if m >= 0:
            attrs = {d: [c[1 + i] for c in children] for i, d in enumerate(dims)}
            out[m] = count_rows(spec, len(children), attrs)
            out[m]["stable"] = sum(c[0] for c in children)
    return out


def simulate_board(specs, args, seed):
    """Every supplied series of one board: {indicator: {end month: {breakdown: value}}}.

    Each series draws from its own stream, seeded by the board's seed and the indicator's id,
    so a change to one series (a new model, a derived percentage) leaves every other series's
    draws as they were and two packs compare on the same boards (review helper-55: one shared
    stream re-drew the whole board for a change to one series)."""
    events, data = Events(args.event), {}
    pct_of = {s["cohort"]: i for i, s in specs.items() if s.get("cohort") in STOCKS}
    order = ["stock", "count", "population", "sum", "part", "percent", "rate"]
    for ind, spec in sorted(specs.items(), key=lambda kv: (order.index(kv[1]["model"]), kv[0])):
        rng = random.Random(f"{seed}:{ind}")
        noise, model = Noise(rng, args.noise, args.phi, args.ar), spec["model"]
        series = data[ind] = {}
        if model == "stock":
            if ind in pct_of:
                pct = specs[pct_of[ind]]
                spec["pct"], spec["stable_p"] = pct["id"], pct["level"]
            series.update(simulate_stock(rng, spec, noise, events))
        elif model == "population":
            for m in ends(spec):
                series[m] = {(): round(POPULATION * args.scale)}
        elif model in ("count", "sum", "part"):
            start = -BURN_IN if spec["periodicity"] == "month" else 0
            lows = spec["low_months"]
            season = 12 / (12 - 0.2 * len(lows)) if lows else 1
            for m in ends(spec, start):
                f = events.factor(ind, m, spec["step"]) if m >= 0 else 1
                if model == "sum":
                    n = sum(data[SUM_OF[ind]][k][()] for k in range(m - 11, m + 1))
                elif model == "part":
                    n = binomial(rng, data[spec["parent"]][m][()], min(1.0, spec["share"] * f))
                else:
                    mu = spec["level"] * f * season * (0.8 if ymd(m)[1] in lows else 1)
                    n = round(mu) if args.fixed_business and ind in BUSINESS else noise.draw(mu)
                series[m] = draw_rows(rng, n, spec)
        elif model == "percent":
            src = spec["cohort"]
            for m in ends(spec):
                if src in STOCKS:       # its cohort's children carry their stability
                    n, k = data[src][m][()], data[src][m]["stable"]
                    series[m] = {(): "z" if n == 0 else round(100 * k / n, 1)}
                    continue
                n = data[src][m][()] if isinstance(src, str) else round(src)
                p = spec["level"] * events.factor(ind, m, spec["step"])
                p = min(1.0, max(0.0, p + events.factor(ind, m, spec["step"], additive=True)))
                if spec["dims"]:
                    rows = draw_rows(rng, n, spec)
                    series[m] = {k: round(100 * v / n, 1) for k, v in rows.items() if k != () and n}
                else:
                    series[m] = {(): "z" if n == 0 else round(100 * binomial(rng, n, p) / n, 1)}
        elif model == "rate":
            src, months = RATE_OF[ind]
            pop = POPULATION * args.scale
            for m in ends(spec):
                n = sum(data[src][k][()] for k in range(m - months + 1, m + 1))
                series[m] = {(): round(10000 * n / pop, 1)}
    return data


def write_files(specs, data, root, label):
    """One CSV per partner per month with something due, under <root>/<YYYY-MM>/<partner>/;
    returns the paths in date order (months, then partners by name, as a folder sorts)."""
    paths = []
    for m in range(MONTHS):
        y, mo = ymd(m)
        for partner in sorted(PARTNERS):
            inds = [s for s in specs.values() if s["partner"] == partner and m in data[s["id"]]
                    and s.get("write", True)]
            if not inds:
                continue
            dims = list(dict.fromkeys(d for s in inds for d in s["dims"]))
            folder = os.path.join(root, f"{y}-{mo:02d}", partner)
            os.makedirs(folder, exist_ok=True)
            path = os.path.join(folder, f"{partner}-{y}-{mo:02d}.csv")
            with open(path, "w", newline="") as f:
                f.write(f"# Simulated {partner} return, {y}-{mo:02d} ({label})\n")
                w = csv.writer(f, lineterminator="\n")
                w.writerow(["indicator", "period", "value"] + dims)
                for s in inds:
                    text = period_text(s["periodicity"], m)
                    for key, v in data[s["id"]][m].items():
                        if key == "stable" or (key == () and s["unit"] == "percent" and s["dims"]):
                            continue
                        cells = ["" if not key or key[0] != d else key[1] for d in dims]
                        w.writerow([s["id"], text, v] + cells)
            paths.append(path)
    return paths


def run_board(job):
    """Simulate, write and evaluate one board; returns its firing events and rejections."""
    specs, args, i = job
    t0 = time.time()
    root = os.path.join(args.keep, f"board-{i:03d}") if args.keep else tempfile.mkdtemp(prefix="board_sim-")
    try:
        data = simulate_board(specs, args, args.seed + i)
        paths = write_files(specs, data, root, f"board_sim.py board {i}, seed {args.seed + i}")
        cmd = [args.vigil, "evaluate", "--ephemeral", "--format", "json", "--config", args.config, "--at", AT]
        proc = subprocess.run(cmd + ([root] if args.by_folder else paths), capture_output=True, text=True)
    finally:
        # Removed whatever happened (review helper-47: a failed evaluate left the folder behind).
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    if proc.returncode not in (0, 1):
        sys.exit(f"vigil evaluate failed ({proc.returncode}): {proc.stderr[:2000]}")
    errs = proc.stderr.splitlines()
    rejected = [j for j, l in enumerate(errs) if l.startswith("REJECTED ")]
    events = [json.loads(l) for l in proc.stdout.splitlines() if l.startswith("{")]
    keep = ("event", "rule", "indicator", "period", "severity", "breakdown")
    return {"board": i, "files": len(paths), "seconds": time.time() - t0,
            "rejected": len(rejected), "first_error": "\n".join(errs[rejected[0]:rejected[0] + 2]) if rejected else None,
            "events": [{k: e[k] for k in keep} for e in events if e["event"] in ("firing", "retracted")]}

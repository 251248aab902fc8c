#!/usr/bin/env python3
"""Whole-board alert simulator: synthetic partner feeds through the real `vigil evaluate`.

Every partner's returns are simulated for six financial years (April 2009 to March 2015) at
Peterborough's 2012/13 levels (the bundled example data) times --scale, with Poisson or
over-dispersed noise, written as the files partners drop (one file per partner per month in
which something falls due, in date order), and fed to one `vigil evaluate --ephemeral` per
board. The first two years are warm-up; alerts that fire for periods in FY 2011/12-2014/15 are
counted, per rule and severity, as alarms a board-year. With nothing planted they are false
alarms; with --event, the share of boards in which each rule watching the indicator fired within
--within periods of the event is reported too. Python 3 standard library only.

What is read from Vigil rather than written here: which indicators each partner sends, their
periodicities and breakdown rows (`vigil template`), units, cohorts (`of_count`), derived
indicators, seasonality and subtotal dimensions (the catalogue), and levels (the example data).
The assumptions this script adds are the tables below, each with its reason; Benchmarks/README.md
has the command, timings and limits.

    nice -n 10 python3 Benchmarks/board_sim.py --vigil /tmp/review46/vigil --boards 20
"""

import argparse
import calendar
import collections
import concurrent.futures
import csv
import glob
import hashlib
import json
import math
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIRST_YEAR, YEARS, WARMUP = 2009, 6, 2          # FY 2009/10 .. 2014/15, two of warm-up
MONTHS = 12 * YEARS                             # month index 0 = April 2009
COUNTED = range(FIRST_YEAR + WARMUP, FIRST_YEAR + YEARS)   # FY start years counted
AT = "2015-04-30"                               # after the last period; nothing yet overdue
BURN_IN = 12                                    # monthly series start a year early (rolling sums)
PARTNERS = ["police", "childrens-services", "health", "probation", "education",
            "community-safety", "board"]

# --- Assumptions: levels and models the example data does not give -------------------------
DEFAULT_COUNT = 10.0     # a count the example data does not give: 10 a period
POPULATION = 10000 * 320 / 65.4   # under-18s (48,930): 320 new plans were 65.4 per 10,000, the
                                  # one rate the report gives with its full-period count
LEVELS = {   # indicator: level at 1 x (total a period), replacing the example data's
    "lac.admissions": 11,         # the board's target (the report gives one month, 13); at 13 the
                                  # target rules would fire on the report's level, not on noise
    "cp.new_plans": 261,          # 53.4 per 10,000, the statistical neighbours' rate: the report's
                                  # 320 (65.4) is 22% above it, the replay's finding 1, not noise
    "population.births": 3000,    # catalogue description: "3,000 births per year"
    "lac.placement_stability_cohort": 100,   # not in the report; helper-36's 100 children
    "missing.individuals_by_incident_count": 170,   # 127 children in nine months (catalogue)
}
SHARES = {   # indicator: {dimension: {value: share}} where the example data gives no rows
    "missing.individuals_by_incident_count": {"incident_count": dict(
        [(str(k), 0.5 ** k) for k in range(1, 10)] + [("10_plus", 0.5 ** 9)])},
    "da.offenders_pct": {"gender": {"male": 0.87, "female": 0.13},   # catalogue description
                         "ethnicity": {"white_british": 0.70, "white_other": 0.15,
                                       "pakistani": 0.04}},           # the rest share 11%
}
PART_SHARE = {"marac.repeat_cases": 0.34}   # inside SafeLives' 28-40% (the report's 23.6% is a
                                            # finding); helper-36's boards
PERCENT_LEVEL = {   # percentages the example data does not give (school and probation returns
    "population.white_british_pct": 80, "population.child_poverty_pct": 25.3,  # catalogue
    "education.persistent_absence_pct": 10, "education.pupils_eal_pct": 30,
    "education.s175_audits_returned_pct": 98, "probation.child_checks_pct": 96,
}
COHORT = {   # percentage: the count it is of, an indicator or a number at 1 x (the catalogue's
             # of_count wins; a number here is then that count's level if the report has none)
    "training.learning_impact_pct": "training.participants",
    "population.child_poverty_pct": "population.under18",
    "population.white_british_pct": "population.under18",
    "s11.indicator_outcomes_pct": 300,        # 12 returns of about 25 standards
    "da.offenders_pct": 800,                  # about the individual victims (820)
    "education.persistent_absence_pct": 25000, "education.pupils_eal_pct": 25000,   # pupils
    "education.s175_audits_returned_pct": 70,  # schools
    "probation.child_checks_pct": 100,         # new cases a month (probation.new_cases's level)
}
BUSINESS = {     # the board's own business: scheduled, not a rate of events (--fixed-business)
    "board.meetings", "qeg.multi_agency_audits", "s11.returns", "training.courses",
    "training.sessions", "training.validation_panel_meetings", "training.courses_validated",
    "training.organisations_validated"}
NOT_SCALED = BUSINESS | {   # nor do England, the audit's standards and the city's schools
    "cp.plans_england", "s11.indicator_outcomes_pct", "education.s175_audits_returned_pct"}
STOCKS = {   # snapshot counts of children who stay: turnover a step (quarter; month for cohort)
    "cp.plans": 0.30, "cp.plans_disabled": 0.30,    # plans last about nine months
    "lac.children": 0.12,                           # care lasts about two years
    "lac.placement_stability_cohort": 0.03,         # under-16s in care 2.5 years or more
}
STABLE_REDRAW = 0.05     # a cohort child's stability is re-drawn 5% of months (moves, reviews)
RATE_OF = {"lac.rate_per_10k": ("lac.children", 1), "cp.new_plans_rate_per_10k":
           ("cp.new_plans", 1), "lac.admissions_rate_rolling12": ("lac.admissions", 12)}
SUM_OF = {"caf.registered_annual": "caf.registered"}   # the year's CAFs are its months'
STEP = {"month": 1, "quarter": 3, "financial_half_year": 6, "financial_year": 12}


# --- Random variates (exact) ------------------------------------------------------------------
def binomial(rng, n, p):
    """Binomial(n, p), exact: Bernoulli trials below 40, else Knuth's beta splitting."""
    if n <= 0 or p <= 0:
        return 0
    if p >= 1:
        return n
    if n < 40:
        return sum(rng.random() < p for _ in range(n))
    a = 1 + n // 2
    x = rng.betavariate(a, n + 1 - a)
    if x >= p:
        return binomial(rng, a - 1, p / x)
    return a + binomial(rng, n - a, (p - x) / (1 - x))


def poisson(rng, mu):
    """Poisson(mu), exact: inversion below 30, else Ahrens-Dieter's gamma reduction."""
    if mu <= 0:
        return 0
    if mu < 30:
        x, p = 0, math.exp(-mu)
        s, u = p, rng.random()
        while u > s and x < 1000:
            x += 1
            p *= mu / x
            s += p
        return x
    m = int(mu * 7 / 8)
    g = rng.gammavariate(m, 1.0)
    if g < mu:
        return m + poisson(rng, mu - g)
    return binomial(rng, m - 1, mu / g)


class Noise:
    """A count's noise: Poisson, or gamma-Poisson with variance phi x mean; --ar correlates the
    latent log-level from one period to the next (lognormal with the gamma's variance)."""

    def __init__(self, rng, kind, phi, ar):
        self.rng, self.kind, self.phi, self.ar, self.z = rng, kind, phi, ar, None

    def draw(self, mu):
        """One period's count around mean mu."""
        if self.kind == "poisson" or mu <= 0:
            return poisson(self.rng, mu)
        k = mu / (self.phi - 1)
        if self.ar == 0:
            return poisson(self.rng, mu * self.rng.gammavariate(k, 1 / k))
        s2 = math.log1p(1 / k)
        e = self.rng.gauss(0, 1)
        self.z = e if self.z is None else self.ar * self.z + math.sqrt(1 - self.ar ** 2) * e
        return poisson(self.rng, mu * math.exp(math.sqrt(s2) * self.z - s2 / 2))


# --- Periods ----------------------------------------------------------------------------------
def ymd(m):
    """Calendar (year, month) of month index m (0 = April 2009)."""
    return FIRST_YEAR + (m + 3) // 12, (m + 3) % 12 + 1


def period_text(periodicity, m):
    """The feed's text for the period of this periodicity that ends in month m."""
    y, mo = ymd(m)
    fy = FIRST_YEAR + m // 12
    if periodicity == "month":
        return f"{y}-{mo:02d}"
    if periodicity == "quarter":
        return f"{y}-Q{(mo - 1) // 3 + 1}"
    if periodicity == "financial_year":
        return f"{fy}/{(fy + 1) % 100:02d}"
    if periodicity == "financial_half_year":
        return f"{fy}/{(fy + 1) % 100:02d}-H{1 if mo == 9 else 2}"
    return f"{y}-{mo:02d}-{calendar.monthrange(y, mo)[1]:02d}"


def parse_period(text):
    """(periodicity, month index of the period's end) of a feed's period text."""
    if re.fullmatch(r"\d{4}-\d\d", text):
        y, mo = map(int, text.split("-"))
        return "month", (y - FIRST_YEAR) * 12 + mo - 4
    if re.fullmatch(r"\d{4}-Q[1-4]", text):
        return "quarter", (int(text[:4]) - FIRST_YEAR) * 12 + 3 * int(text[-1]) - 4
    if re.fullmatch(r"\d{4}/\d\d", text):
        return "financial_year", (int(text[:4]) - FIRST_YEAR) * 12 + 11
    if re.fullmatch(r"\d{4}/\d\d-H[12]", text):
        return "financial_half_year", (int(text[:4]) - FIRST_YEAR) * 12 + (5 if text[-1] == "1" else 11)
    y, mo, _ = map(int, text.split("-"))
    return "snapshot", (y - FIRST_YEAR) * 12 + mo - 4


# --- What Vigil says: configuration, catalogue, templates, example data ----------------------
def read_catalogue(config):
    """Units, of_count, derivations, seasonal lows and subtotal dimensions, read from the
    catalogue's text (this project's style of YAML; no YAML library)."""
    text = open(config).read()
    cat_path = os.path.join(os.path.dirname(config), re.search(r"^catalogue:\s*(\S+)", text, re.M)[1])
    cat = {"unit": {}, "of_count": {}, "derived": {}, "low_months": {}, "subtotals": {}}
    section, ind, dim = None, None, None
    for line in open(cat_path):
        if re.match(r"^\w", line):
            section = line.split(":")[0]
        elif section == "dimensions" and (m := re.match(r"^  (\w+):\s*$", line)):
            dim = m[1]
        elif section == "dimensions" and (m := re.search(r"subtotals: \{of: (\w+), groups: \{(.*)\}\}", line)):
            groups = {g: v.split(", ") for g, v in re.findall(r"(\w+): \[([^\]]*)\]", m[2])}
            cat["subtotals"][dim] = (m[1], groups)
        elif section == "dimensions" and (m := re.match(r"^      of: (\w+)", line)):
            cat["subtotals"][dim] = (m[1], {})
        elif section == "dimensions" and (m := re.match(r"^        (\w+): \[([^\]]*)\]", line)):
            cat["subtotals"][dim][1][m[1]] = m[2].split(", ")
        elif section == "indicators" and (m := re.match(r"^  - id: (\S+)", line)):
            ind = m[1]
        elif section == "indicators" and (m := re.match(r"^    (unit|of_count): (\S+)", line)):
            cat[m[1]][ind] = m[2]
        elif section == "indicators" and (m := re.match(r"^      expected_low_months: \[([^\]]*)\]", line)):
            cat["low_months"][ind] = [int(x) for x in m[1].split(",")]
        elif section == "indicators" and (m := re.match(
                r"^      (kind|numerator|denominator|input|population|minuend|subtrahend): (\S+)", line)):
            cat["derived"].setdefault(ind, {})[m[1]] = m[2]
    return cat


def read_templates(vigil, config):
    """Per supplied indicator: partner, periodicity and breakdown rows, from `vigil template`
    for March 2013 (a month that ends a quarter, a half-year and a financial year)."""
    specs = {}
    for partner in PARTNERS:
        out = subprocess.run([vigil, "template", "--config", config, "--partner", partner,
                              "--period", "2013-03"], check=True, capture_output=True, text=True).stdout
        rows = list(csv.reader(l for l in out.splitlines() if l and not l.startswith("#")))
        header = rows[0]
        for row in rows[1:]:
            ind, period = row[0], row[1]
            spec = specs.setdefault(ind, {"id": ind, "partner": partner, "dims": {},
                                          "periodicity": parse_period(period)[0]})
            cells = [(header[i], v) for i, v in enumerate(row) if i > 2 and v]
            if len(cells) == 1:      # a breakdown row (the template's first row is the total)
                spec["dims"].setdefault(cells[0][0], []).append(cells[0][1])
    return specs


def read_examples(config, specs):
    """Mean of the example data's values per indicator and breakdown row, each converted to the
    indicator's periodicity if given for another (a count's year is 12 months, a half-year 6)."""
    values = collections.defaultdict(list)
    root = os.path.join(os.path.dirname(config), "examples", "peterborough-2012-13")
    for path in sorted(glob.glob(os.path.join(root, "*", "*.csv"))):
        rows = list(csv.reader(l for l in open(path) if l.strip() and not l.startswith("#")))
        header = [h.strip() for h in rows[0]]
        for row in rows[1:]:
            rec = dict(zip(header, row))
            spec = specs.get(rec["indicator"])
            cells = [(h, rec[h]) for h in header[3:] if rec.get(h)]
            if spec is None or len(cells) > 1 or not re.fullmatch(r"[\d.]+", rec["value"]):
                continue
            kind, _ = parse_period(rec["period"])
            factor = 1.0
            if kind != spec["periodicity"]:
                if kind not in STEP or spec["periodicity"] not in STEP or spec.get("unit") != "count":
                    continue
                factor = STEP[spec["periodicity"]] / STEP[kind]
            values[(spec["id"], cells[0] if cells else None)].append(float(rec["value"]) * factor)
    return {k: statistics.mean(v) for k, v in values.items()}


def build_specs(vigil, config, scale, no_cohort, overrides):
    """Everything a board is drawn from: per indicator its model, level and breakdown shares."""
    cat = read_catalogue(config)
    specs = read_templates(vigil, config)
    for ind, spec in specs.items():
        spec["unit"] = cat["unit"][ind]
    means = read_examples(config, specs)
    parts = {d["numerator"]: d["denominator"] for d in cat["derived"].values() if d.get("kind") == "percent"}
    cohort_level = {cat["of_count"][p]: n for p, n in COHORT.items()
                    if p in cat["of_count"] and not isinstance(n, str)}
    for ind, spec in specs.items():
        if ind in RATE_OF:
            spec["model"] = "rate"
        elif ind == "population.under18":
            spec["model"] = "population"
        elif ind in STOCKS:
            spec["model"] = "stock"
        elif spec["unit"] == "percent":
            spec["model"] = "percent"
        elif ind in parts:
            spec["model"], spec["parent"] = "part", parts[ind]
        elif ind in SUM_OF:
            spec["model"] = "sum"
        else:
            spec["model"] = "count"
        if spec["periodicity"] == "snapshot":   # stocks at quarter ends, context each 31 March
            spec["snap_step"] = 3 if spec["partner"] == "childrens-services" else 12
        spec["step"] = STEP.get(spec["periodicity"], spec.get("snap_step"))
        given_total = means.get((ind, None))
        rows = {d: {v: means.get((ind, (d, v))) for v in vals} for d, vals in spec["dims"].items()}
        row_sums = [sum(x for x in r.values() if x is not None) for r in rows.values()]
        total = overrides.get(ind, LEVELS.get(ind, given_total))
        total = cohort_level.get(ind) if total is None else total
        if total is None:
            total = max(row_sums) if any(row_sums) else DEFAULT_COUNT
        spec["shares"] = {}
        for d, r in rows.items():
            given = {v: x for v, x in r.items() if x is not None}
            default = SHARES.get(ind, {}).get(d)
            if default:
                rest = [v for v in r if v not in default]
                left = max(0.0, 1 - sum(default.values()))
                shares = {v: default.get(v, left / len(rest) if rest else 0) for v in r}
            elif not given:
                shares = {v: 1.0 for v in r}                 # no rows given: equal shares
            else:
                missing = [v for v in r if v not in given]
                left = (given_total or 0) - sum(given.values())
                shares = {v: given.get(v, left / len(missing) if missing and left > 0 else 0.0) for v in r}
            norm = sum(shares.values()) or 1
            spec["shares"][d] = {v: s / norm for v, s in shares.items()}
        if spec["model"] == "percent":
            spec["level"] = overrides.get(ind, PERCENT_LEVEL.get(ind, given_total or 50)) / 100
            src = cat["of_count"].get(ind, COHORT.get(ind, 100))
            spec["cohort"] = src if isinstance(src, str) else src * (1 if ind in NOT_SCALED else scale)
        elif spec["model"] == "part":
            parent = means.get((spec["parent"], None))
            spec["share"] = PART_SHARE.get(ind, total / parent if parent else 0.1)
        else:
            spec["level"] = total * (1 if ind in NOT_SCALED else scale)
        spec["low_months"] = cat["low_months"].get(ind, [])
        spec["subtotals"] = {d: cat["subtotals"][d] for d in spec["dims"]
                             if d in cat["subtotals"] and cat["subtotals"][d][0] in spec["dims"]}
    given = {k for k, _ in means}
    for pct, count in cat["of_count"].items():   # --no-cohort: a percentage as the report gives it
        if count in specs and specs.get(pct, {}).get("unit") == "percent":
            specs[count]["write"] = not (no_cohort and pct in given and count not in given)
    return specs, cat


# --- One board's data ------------------------------------------------------------------------
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
    """Every supplied series of one board: {indicator: {end month: {breakdown: value}}}."""
    rng = random.Random(seed)
    events, data = Events(args.event), {}
    pct_of = {s["cohort"]: i for i, s in specs.items() if s.get("cohort") in STOCKS}
    order = ["stock", "count", "population", "sum", "part", "percent", "rate"]
    for ind, spec in sorted(specs.items(), key=lambda kv: (order.index(kv[1]["model"]), kv[0])):
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


# --- Counting --------------------------------------------------------------------------------
def config_files(config):
    """The configuration files a run reads: vigil.yaml, the catalogue and the rule files."""
    text = open(config).read()
    base = os.path.dirname(config)
    rules = [p for g in re.findall(r"^\s*-\s*(rules\.d/\S+)", text, re.M) for p in sorted(glob.glob(os.path.join(base, g)))]
    return [config, os.path.join(base, re.search(r"^catalogue:\s*(\S+)", text, re.M)[1])] + rules


def series_count(config, specs):
    """Series each rule judges: a breakdown selector "*" judges every row of its dimension, a
    breakdown_sum every dimension; other rules the total (read from the rule files' text)."""
    out = {}
    for path in config_files(config)[2:]:
        for block in re.split(r"\n  - id: ", open(path).read())[1:]:
            rid = block.split()[0]
            ind = re.search(r"indicator: (\S+)", block)
            spec = specs.get(ind[1]) if ind else None
            star = re.search(r"breakdown: \{(\w+): \"\*\"\}", block)
            if spec and star and "breakdown_sum" not in block:
                out[rid] = len(spec["dims"].get(star[1], [])) or 1
            elif spec and "check: breakdown_sum" in block:
                out[rid] = len(spec["dims"]) or 1
            else:
                out[rid] = 1
    return out


def related(specs, cat, ind):
    """The indicator and everything computed from it, by Vigil (derived) or by this script."""
    out, todo = set(), [ind]
    while todo:
        x = todo.pop()
        out.add(x)
        kids = [d for d, spec in cat["derived"].items() if x in spec.values()]
        kids += [r for r, (src, _) in RATE_OF.items() if src == x] + [s for s, src in SUM_OF.items() if src == x]
        kids += [s for s, spec in specs.items() if spec.get("parent") == x]
        todo += [k for k in kids if k not in out]
    return out


def period_step(specs, cat, ind):
    """Months in one period of an indicator's series (derived ones take their input's)."""
    if ind in specs:
        return specs[ind]["step"]
    d = cat["derived"].get(ind, {})
    if d.get("kind") == "period_sum":
        return 12
    inputs = [v for k, v in d.items() if k != "kind" and (v in specs or v in cat["derived"])]
    return min((period_step(specs, cat, v) for v in inputs), default=12)


def summarise(results, specs, cat, args):
    """Alarms a board-year per rule and severity, totals, and detection of planted events."""
    boards, years = len(results), len(COUNTED)
    per = collections.defaultdict(lambda: [0] * boards)
    retracted = [0] * boards
    warn, info = [0] * boards, [0] * boards
    for b, r in enumerate(results):
        for e in r["events"]:
            _, m = parse_period(e["period"])
            if FIRST_YEAR + m // 12 not in COUNTED:
                continue
            if e["event"] == "retracted":
                retracted[b] += 1
                continue
            per[(e["rule"], e["severity"])][b] += 1
            (info if e["severity"] == "info" else warn)[b] += 1
    nseries = series_count(args.config, specs)

    def stat(counts):
        rates = [c / years for c in counts]
        se = statistics.stdev(rates) / math.sqrt(boards) if boards > 1 else float("nan")
        return round(statistics.mean(rates), 4), round(se, 4)

    rules = []
    for (rule, sev), counts in per.items():
        mean, se = stat(counts)
        rules.append({"rule": rule, "severity": sev, "per_board_year": mean, "se": se,
                      "series": nseries.get(rule, 1), "per_series_year": round(mean / nseries.get(rule, 1), 4)})
    rules.sort(key=lambda r: (-r["per_board_year"], r["rule"]))
    detection = []
    for ev in Events(args.event).items:
        watch = related(specs, cat, ev["indicator"])
        delays = collections.defaultdict(list)
        for r in results:
            best = {}
            for e in r["events"]:
                if e["event"] != "firing" or e["indicator"] not in watch:
                    continue
                step = period_step(specs, cat, e["indicator"])
                d = parse_period(e["period"])[1] // step - ev["start"] // step
                if 0 <= d <= args.within:
                    best[e["rule"]] = min(d, best.get(e["rule"], d))
            for rule, d in best.items():
                delays[rule].append(d)
            if best:
                delays["(any rule)"].append(min(best.values()))
        detection.append({"event": ev["text"], "rules": {
            rule: {"caught": round(len(d) / boards, 3), "median_delay": statistics.median(d)}
            for rule, d in sorted(delays.items())}})
    return {"boards": boards, "years_counted": years, "rules": rules,
            "warnings": stat(warn), "notices": stat(info), "retracted": stat(retracted),
            "rejected_files": sum(r["rejected"] for r in results),
            "first_error": next((r["first_error"] for r in results if r["first_error"]), None),
            "files_per_board": results[0]["files"] if results else 0,
            "seconds_per_board": round(statistics.mean(r["seconds"] for r in results), 1) if results else 0,
            "detection": detection}


def markdown(s, args):
    """The summary as Markdown for stdout."""
    out = [f"Vigil board simulation: {s['boards']} boards, scale {args.scale}, noise {args.noise}"
           + (f" (phi {args.phi})" if args.noise == "od" else "") + (f", AR {args.ar}" if args.ar else "")
           + f", seed {args.seed}{', no cohort' if args.no_cohort else ''}"
           + f"{', fixed business' if args.fixed_business else ''}, configuration {s['config_sha256'][:12]}; alarms for periods in FY "
           f"{COUNTED[0]}/{(COUNTED[0] + 1) % 100:02d}-{COUNTED[-1]}/{(COUNTED[-1] + 1) % 100:02d}", "",
           "| rule | severity | series | fired a board-year | se | a series-year |", "| --- | --- | --- | --- | --- | --- |"]
    for r in s["rules"]:
        out.append(f"| `{r['rule']}` | {r['severity']} | {r['series']} | {r['per_board_year']:.3f} | "
                   f"{r['se']:.3f} | {r['per_series_year']:.3f} |")
    out += ["", f"Warnings (warning or critical) a board-year: {s['warnings'][0]:.2f} (se {s['warnings'][1]:.2f}); "
            f"notices (info): {s['notices'][0]:.2f} (se {s['notices'][1]:.2f}); retractions: {s['retracted'][0]:.2f}.",
            f"Files rejected: {s['rejected_files']} ({s['files_per_board']} files a board, "
            f"{s['seconds_per_board']} s a board)."]
    if s["first_error"]:
        out.append("First error:\n    " + s["first_error"].replace("\n", "\n    "))
    for d in s["detection"]:
        out += ["", f"Planted `{d['event']}`: boards with a firing within {args.within} periods (median delay)", "",
                "| rule | caught | median delay |", "| --- | --- | --- |"]
        out += [f"| `{rule}` | {v['caught']:.0%} | {v['median_delay']:g} |" for rule, v in d["rules"].items()]
    return "\n".join(out)


def main():
    """Parse the command line, run the boards (in parallel with --jobs) and report."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--vigil", default=os.path.join(REPO, ".build/release/vigil"), help="the vigil binary")
    p.add_argument("--config", default=os.path.join(REPO, "config/vigil.yaml"), help="vigil.yaml")
    p.add_argument("--boards", type=int, default=10, help="boards to simulate (default 10)")
    p.add_argument("--scale", type=float, default=1.0, help="count levels x this (1/3, 1, 5)")
    p.add_argument("--noise", choices=["poisson", "od"], default="poisson")
    p.add_argument("--phi", type=float, default=2.0, help="variance / mean with --noise od")
    p.add_argument("--ar", type=float, default=0.0, help="AR(1) of a count's latent log-level (needs --noise od)")
    p.add_argument("--seed", type=int, default=1, help="board i uses seed + i")
    p.add_argument("--jobs", type=int, default=1, help="boards run in parallel processes")
    p.add_argument("--keep", help="keep each board's files under DIR/board-NNN")
    p.add_argument("--json", help="write every number to this file")
    p.add_argument("--event", action="append", default=[], help="KIND:INDICATOR:FROM, e.g. shift50:missing.incidents:2013-04")
    p.add_argument("--within", type=int, default=3, help="periods after an event's start a firing counts")
    p.add_argument("--no-cohort", action="store_true", help="leave out the cohort of a percentage "
                   "the report gives without one (placement stability)")
    p.add_argument("--level", action="append", default=[], help="IND=VALUE: an indicator's level at 1 x "
                   "(a count a period, or a percentage)")
    p.add_argument("--fixed-business", action="store_true", help="send the board's own business "
                   "(meetings, audits, courses, sessions, returns) at its level, without noise")
    p.add_argument("--by-folder", action="store_true", help="pass the board's folder, not its files")
    p.add_argument("--max-warnings", type=float, help="exit 1 when warnings a board-year exceed this (CI)")
    p.add_argument("--max-notices", type=float, help="exit 1 when notices a board-year exceed this (CI)")
    args = p.parse_args()
    args.config = os.path.abspath(args.config)
    if args.noise == "od" and args.phi <= 1:
        p.error("--phi must be above 1")
    if args.ar and args.noise != "od":
        p.error("--ar correlates the over-dispersed latent level: use it with --noise od")
    overrides = {k: float(v) for k, v in (x.split("=") for x in args.level)}
    specs, cat = build_specs(args.vigil, args.config, args.scale, args.no_cohort, overrides)
    for e in Events(args.event).items:
        if e["indicator"] not in specs or specs[e["indicator"]]["model"] in ("rate", "population", "sum"):
            p.error(f"cannot plant an event on {e['indicator']}: not a series this script draws")
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
    results, t0 = [], time.time()
    with concurrent.futures.ProcessPoolExecutor(max_workers=args.jobs) as pool:
        for r in pool.map(run_board, [(specs, args, i) for i in range(args.boards)]):
            results.append(r)
            print(f"board {r['board'] + 1}/{args.boards}: {r['files']} files, {r['rejected']} rejected, "
                  f"{sum(e['event'] == 'firing' for e in r['events'])} firings, {r['seconds']:.1f} s "
                  f"({time.time() - t0:.0f} s in all)", file=sys.stderr)
    summary = summarise(results, specs, cat, args)
    digest = hashlib.sha256(b"".join(open(f, "rb").read() for f in config_files(args.config))).hexdigest()
    summary["config_sha256"] = digest   # the pack measured: the rules are read at run time
    print(markdown(summary, args))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"parameters": {k: v for k, v in vars(args).items()}, "at": AT, **summary}, f, indent=1)
    failed = []
    if summary["rejected_files"]:
        failed.append(f"{summary['rejected_files']} file(s) rejected: the generator wrote something invalid")
    for key, limit in (("warnings", args.max_warnings), ("notices", args.max_notices)):
        if limit is not None and summary[key][0] > limit:
            failed.append(f"{summary[key][0]:.2f} {key} a board-year, over the budget of {limit:g}")
    for reason in failed:
        print(f"FAIL: {reason}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""What Vigil says a board sends (templates, catalogue, example data) as the specs a board is
drawn from."""

import collections
import csv
import glob
import os
import re
import statistics
import subprocess

from .assumptions import (
    PARTNERS, DEFAULT_COUNT, LEVELS, SHARES, PART_SHARE, PERCENT_LEVEL, COHORT, NOT_SCALED, STOCKS, RATE_OF, SUM_OF, STEP)
from .periods import parse_period


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

"""Counting: alarms a board-year per rule and severity, detection of planted events, Markdown."""

import collections
import glob
import math
import os
import re
import statistics

from .assumptions import FIRST_YEAR, COUNTED, RATE_OF, SUM_OF
from .periods import parse_period
from .board import Events


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
        # In the planted series' periods, to the end of the firing's period: a year's total that
        # fires on an April onset is 11 months late, not on time (review helper-49: counted in the
        # firing rule's own periods it read as caught in its month).
        step = period_step(specs, cat, ev["indicator"])
        for r in results:
            best = {}
            for e in r["events"]:
                if e["event"] != "firing" or e["indicator"] not in watch:
                    continue
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

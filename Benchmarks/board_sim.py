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
The assumptions this script adds are the tables in boardsim/assumptions.py, each with its
reason; Benchmarks/README.md has the command, timings and limits. The parts: boardsim/variates.py
(random variates, noise), periods.py, specs.py (what Vigil says a board sends), board.py (one
board drawn, written and evaluated) and summary.py (counting and the report).

    nice -n 10 python3 Benchmarks/board_sim.py --vigil /tmp/review46/vigil --boards 20
"""

import argparse
import concurrent.futures
import hashlib
import json
import os
import sys
import time

from boardsim.assumptions import REPO, AT
from boardsim.specs import build_specs
from boardsim.board import Events, run_board
from boardsim.summary import config_files, summarise, markdown


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

"""What a simulated board is drawn from that Vigil does not say: its years, partners, and the
levels and models the example data does not give, each with its reason."""

import os


REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))   # the repository
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

#!/usr/bin/env python3
"""Where the missing-children spike rules lose detection at 50 a month, over-dispersed (φ = 2).

A replica of the shipped `spike` rule (docs/rules.md: EARS C1 over the 7 months before, sd at least
the square root of φ × mean × (1 + 1/n), φ from the 24 months before, z ≥ 3.09 and the negative
binomial tail P(X ≥ v) ≤ 0.002), judged on a month drawn at twice the mean (detection) and at the
mean (false alarms), against the same test told the true φ, and told the true mean and φ.
Counts are gamma-Poisson (negative binomial) with variance φ × mean, as `vigil-bench alert-quality`
draws them. Usage: python3 Benchmarks/spike_limits.py [--draws N] [--seed S]  (needs numpy, scipy)
"""
import sys
import numpy as np
from scipy.stats import nbinom, poisson

def tail(v, mean, phi):
    """P(X >= v) for a count with this mean and variance phi x mean."""
    if phi > 1 + 1e-9:
        size = mean / (phi - 1)
        return nbinom.sf(v - 1, size, size / (size + mean))
    return poisson.sf(v - 1, mean)

def fires(v, baseline, history, known_phi=None, known_mean=None, periods=7, k=3.09, p=0.002):
    base = baseline[-periods:]
    mean = known_mean if known_mean is not None else base.mean()
    phi = known_phi if known_phi is not None else max(1.0, history.var(ddof=1) / history.mean())
    if known_mean is None:
        phi *= 1 + 1 / periods  # the baseline mean's own error (`baseline_error: true`)
    sd = max(base.std(ddof=1), np.sqrt(phi * mean)) if known_mean is None else np.sqrt(phi * mean)
    return (v - mean) / sd >= k - 1e-9 and tail(v, mean, phi) <= p + 1e-9

def main():
    draws = int(sys.argv[sys.argv.index("--draws") + 1]) if "--draws" in sys.argv else 20000
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 2013
    rng = np.random.default_rng(seed)
    mean, phi = 50.0, 2.0
    count = lambda m, n: rng.poisson(rng.gamma(m / (phi - 1), phi - 1, size=n))
    variants = {
        "as shipped": {},
        "phi known": {"known_phi": phi},
        "mean and phi known": {"known_phi": phi, "known_mean": mean},
    }
    caught = dict.fromkeys(variants, 0)
    alarms = dict.fromkeys(variants, 0)
    for _ in range(draws):
        history = count(mean, 24)
        spiked, ordinary = count(2 * mean, 1)[0], count(mean, 1)[0]
        for name, given in variants.items():
            caught[name] += fires(spiked, history, history, **given)
            alarms[name] += fires(ordinary, history, history, **given)
    print("| the spike test | spikes ×2 caught | false alarms / year |")
    print("| --- | --- | --- |")
    for name in variants:
        print(f"| {name} | {caught[name] / draws:.1%} | {12 * alarms[name] / draws:.3f} |")

if __name__ == "__main__":
    main()

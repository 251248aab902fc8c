"""Exact random variates and a count's noise (Poisson, or over-dispersed with an optional AR(1)
latent level)."""

import math


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

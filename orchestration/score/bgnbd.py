"""BG/NBD probability alive (Fader, Hardie & Lee 2005, "Counting your customers the easy way").

While alive a customer buys at a Poisson rate lambda ~ Gamma(r, alpha); after each repeat
purchase they drop out with probability p ~ Beta(a, b). Each customer is summarised by x (repeat
purchase days), t_x (time of the last purchase since the first) and T (age since the first), in
one time unit (weeks here).

Why a closed-form fit with SciPy rather than a library (checked 2026-11 with `pip download
--no-deps` and dry-run resolutions from PyPI): PyMC-Marketing 0.19.2's CLV module needs pymc 5
and pytensor, 32 packages new to requirements.lock (numba, llvmlite, matplotlib, arviz, h5py...),
and pytensor wants a C compiler at run time; btyd 0.1a1 is an alpha pinning pymc<5, hence the
archived aesara, 39 new packages. lifetimes 0.11.3 adds only autograd and dill and, tried in a
scratch venv, still reproduces the CDNOW estimates on pandas 3.1 and numpy 2.4, but it has had
no release since July 2020 and warns at import of an option pandas 4 removes. The likelihood,
P(alive) and the conditional expectation are closed forms: numpy and scipy, already pinned, fit
them in milliseconds with nothing new to install.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import minimize
from scipy.special import betaln, digamma, expit, gammaln, hyp2f1

# log-parameters are kept in this box so that no step of the optimiser overflows exp()
LOG_PARAMETER_BOUNDS = (np.log(1e-8), np.log(1e8))


@dataclass(frozen=True)
class BgNbdParameters:
    """Fitted BG/NBD parameters and the log-likelihood of the data they were fitted on."""

    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float


class PurchaseSummary(NamedTuple):
    """One entry per customer with at least one purchase on or before the as-of date."""

    customer_id: NDArray
    frequency: NDArray[np.int64]  # x: purchase days after the first
    recency: NDArray[np.float64]  # t_x: last purchase day minus the first, in units
    age: NDArray[np.float64]  # T: as-of date minus the first purchase day, in units


def _as_arrays(x: ArrayLike, t_x: ArrayLike, T: ArrayLike) -> tuple[NDArray, NDArray, NDArray]:
    x, t_x, T = np.broadcast_arrays(np.asarray(x, dtype=np.float64),
                                    np.asarray(t_x, dtype=np.float64),
                                    np.asarray(T, dtype=np.float64))
    return x, t_x, T


def _log_terms(r: float, alpha: float, a: float, b: float,
               x: NDArray, t_x: NDArray, T: NDArray) -> tuple[NDArray, NDArray, NDArray]:
    """ln A1, ln A2 and ln A3 of the likelihood A1 * (A2 + [x > 0] A3), FHL eq. (6)."""
    repeat = x > 0
    x_repeat = np.where(repeat, x, 1.0)  # A3 only exists for x > 0: keep betaln's arguments valid
    log_a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    log_a2 = betaln(a, b + x) - betaln(a, b) - (r + x) * np.log(alpha + T)
    log_a3 = np.where(
        repeat,
        betaln(a + 1, b + x_repeat - 1) - betaln(a, b) - (r + x) * np.log(alpha + t_x),
        -np.inf,
    )
    return log_a1, log_a2, log_a3


def log_likelihood(r: float, alpha: float, a: float, b: float,
                   x: ArrayLike, t_x: ArrayLike, T: ArrayLike) -> NDArray[np.float64]:
    """Each customer's log-likelihood under BG/NBD(r, alpha, a, b)."""
    x, t_x, T = _as_arrays(x, t_x, T)
    log_a1, log_a2, log_a3 = _log_terms(r, alpha, a, b, x, t_x, T)
    return log_a1 + np.logaddexp(log_a2, log_a3)


def _negative_log_likelihood(log_params: NDArray, x: NDArray, t_x: NDArray, T: NDArray,
                             weight: NDArray) -> tuple[float, NDArray]:
    """The weighted negative log-likelihood per customer and its gradient in log-parameters."""
    r, alpha, a, b = np.exp(log_params)
    log_a1, log_a2, log_a3 = _log_terms(r, alpha, a, b, x, t_x, T)
    log_a23 = np.logaddexp(log_a2, log_a3)
    share2 = np.exp(log_a2 - log_a23)  # A2 / (A2 + A3)
    share3 = 1.0 - share2
    repeat = x > 0
    x_repeat = np.where(repeat, x, 1.0)

    psi_ab, psi_abx = digamma(a + b), digamma(a + b + x)
    d_r = (digamma(r + x) - digamma(r) + np.log(alpha)
           - share2 * np.log(alpha + T) - share3 * np.log(alpha + t_x))
    d_alpha = r / alpha - (r + x) * (share2 / (alpha + T) + share3 / (alpha + t_x))
    d_a = (share2 * (psi_ab - psi_abx)
           + share3 * np.where(repeat, digamma(a + 1) - digamma(a) + psi_ab - psi_abx, 0.0))
    d_b = (share2 * (digamma(b + x) - digamma(b) + psi_ab - psi_abx)
           + share3 * np.where(repeat, digamma(b + x_repeat - 1) - digamma(b) + psi_ab - psi_abx,
                               0.0))

    total = weight.sum()
    value = -np.dot(weight, log_a1 + log_a23) / total
    # chain rule to log-parameters: d/d(log p) = p * d/dp
    gradient = -np.array([r * np.dot(weight, d_r), alpha * np.dot(weight, d_alpha),
                          a * np.dot(weight, d_a), b * np.dot(weight, d_b)]) / total
    return float(value), gradient


def fit(frequency: ArrayLike, recency: ArrayLike, age: ArrayLike, *,
        initial: tuple[float, float, float, float] | None = None) -> BgNbdParameters:
    """Maximum-likelihood BG/NBD parameters for customers (x = frequency, t_x = recency,
    T = age), all times in one unit. `initial` is (r, alpha, a, b); by default r = a = b = 1 and
    alpha makes the mean rate r / alpha the observed repeat purchases per unit of age."""
    x, t_x, T = _as_arrays(frequency, recency, age)
    x, t_x, T = x.ravel(), t_x.ravel(), T.ravel()
    if x.size == 0:
        raise ValueError("no customers to fit")
    if np.any(x < 0) or np.any(t_x < 0) or np.any(t_x > T) or np.any((x > 0) & (t_x <= 0)):
        raise ValueError("expected x >= 0, 0 <= t_x <= T, and t_x > 0 where x > 0")

    # Customers with the same history contribute the same term: fit on the distinct rows,
    # weighted by their count (CDNOW's 23,570 customers have 8,685 distinct rows).
    rows, weight = np.unique(np.column_stack([x, t_x, T]), axis=0, return_counts=True)
    x, t_x, T = rows[:, 0], rows[:, 1], rows[:, 2]
    weight = weight.astype(np.float64)

    if initial is None:
        repeat_rate = max(np.dot(weight, x), 1.0) / max(np.dot(weight, T), 1e-12)
        initial = (1.0, 1.0 / repeat_rate, 1.0, 1.0)
    start = np.clip(np.log(np.asarray(initial, dtype=np.float64)), *LOG_PARAMETER_BOUNDS)
    result = minimize(_negative_log_likelihood, start, args=(x, t_x, T, weight), jac=True,
                      method="L-BFGS-B", bounds=[LOG_PARAMETER_BOUNDS] * 4,
                      options={"maxiter": 1000, "ftol": 1e-15, "gtol": 1e-9})
    # L-BFGS-B may stop on a failed line search at the optimum itself: judge by the gradient
    # per customer (the objective is a mean), leaving out a parameter held at its bound.
    # Without dropout heterogeneity, a and b run off together along a flat ridge where the
    # likelihood's rounding stops the line search with gradients near 1e-4 (the demo data's
    # month-ends): what is left to gain there is below 1e-6 per customer.
    at_bound = (np.isclose(result.x, LOG_PARAMETER_BOUNDS[0]) & (result.jac > 0)) | (
        np.isclose(result.x, LOG_PARAMETER_BOUNDS[1]) & (result.jac < 0))
    if not result.success and np.max(np.abs(np.where(at_bound, 0.0, result.jac))) > 1e-3:
        raise RuntimeError(f"BG/NBD fit did not converge: {result.message}")
    r, alpha, a, b = np.exp(result.x)
    return BgNbdParameters(r=float(r), alpha=float(alpha), a=float(a), b=float(b),
                           log_likelihood=float(-result.fun * weight.sum()))


def _log_death_odds(params: BgNbdParameters, x: NDArray, t_x: NDArray, T: NDArray) -> NDArray:
    """ln of a / (b + x - 1) * ((alpha + T) / (alpha + t_x))^(r + x), -inf where x = 0."""
    repeat = x > 0
    x_repeat = np.where(repeat, x, 1.0)
    log_odds = (np.log(params.a) - np.log(params.b + x_repeat - 1)
                + (params.r + x) * (np.log(params.alpha + T) - np.log(params.alpha + t_x)))
    return np.where(repeat, log_odds, -np.inf)


def p_alive(params: BgNbdParameters, x: ArrayLike, t_x: ArrayLike,
            T: ArrayLike) -> NDArray[np.float64]:
    """P(alive at T | x, t_x, T), FHL eq. (11); 1 for customers with no repeat purchase."""
    x, t_x, T = _as_arrays(x, t_x, T)
    return expit(-_log_death_odds(params, x, t_x, T))


def expected_purchases(params: BgNbdParameters, t: ArrayLike, x: ArrayLike, t_x: ArrayLike,
                       T: ArrayLike) -> NDArray[np.float64]:
    """E[purchases in (T, T + t] | x, t_x, T], FHL eq. (10).

    The paper's ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z), z = t/(alpha+T+t),
    equals by Euler's transformation (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z). Each form
    fails where the other holds: the paper's series diverges like (1-z)^(a-1-r-x) for large
    x, Euler's underflows times overflows (0 x inf) for large a and b (a flat ridge, where
    the demo data fits). Euler's is used where finite, else the paper's; where neither is
    (or at a = 1 exactly) the result is NaN, never a made-up 0.
    """
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    x, t_x, T = _as_arrays(x, t_x, T)
    t = np.asarray(t, dtype=np.float64)
    z = t / (alpha + T + t)
    with np.errstate(all="ignore"):
        euler = np.exp((a - 1) * np.log1p(-z)) * hyp2f1(a + b - 1 - r, a - 1, a + b + x - 1, z)
        paper = np.exp((r + x) * np.log1p(-z)) * hyp2f1(r + x, b + x, a + b + x - 1, z)
        survival_term = np.where(np.isfinite(euler), euler, paper)
        alive_expected = (a + b + x - 1) / (a - 1) * (1 - survival_term)
        expected = alive_expected * expit(-_log_death_odds(params, x, t_x, T))
    return np.where(np.isfinite(expected), np.clip(expected, 0.0, None), np.nan)


def simulate(params: BgNbdParameters, customers: int, T: ArrayLike,
             rng: np.random.Generator) -> tuple[NDArray, NDArray, NDArray]:
    """(x, t_x, T) for `customers` drawn from BG/NBD(params), observed T units after their first
    purchase (a scalar or one age per customer)."""
    T = np.broadcast_to(np.asarray(T, dtype=np.float64), (customers,)).copy()
    rate = rng.gamma(params.r, 1.0 / params.alpha, customers)
    dropout = rng.beta(params.a, params.b, customers)
    # repeat purchases the customer would make before dropping out, given unlimited time
    lifetime_purchases = rng.geometric(dropout)
    arrivals = rng.poisson(rate * T)
    x = np.minimum(lifetime_purchases, arrivals)
    # given n Poisson arrivals in [0, T], the x-th is T times the x-th of n sorted uniforms,
    # distributed as T * Beta(x, n - x + 1)
    t_x = np.where(x > 0, T * rng.beta(np.maximum(x, 1), arrivals - x + 1), 0.0)
    return x, t_x, T


def purchase_summary(customer_ids: ArrayLike, purchase_dates: ArrayLike, as_of: str | np.datetime64,
                     unit_days: float = 7.0) -> PurchaseSummary:
    """x, t_x and T at `as_of` from one row per purchase (customer id, date). Several purchases
    on one day count as one purchase day, as in the CDNOW literature; purchases after the as-of
    date are ignored, and so are customers with none on or before it."""
    dates = np.asarray(purchase_dates, dtype="datetime64[D]")
    ids = np.asarray(customer_ids)
    as_of_day = np.datetime64(as_of, "D")
    seen = dates <= as_of_day
    customer_id, codes = np.unique(ids[seen], return_inverse=True)
    days = dates[seen].astype(np.int64)
    # distinct (customer, day) pairs, sorted by customer then day
    purchase_days = np.unique(np.column_stack([codes.ravel(), days]), axis=0)
    _, first_index, count = np.unique(purchase_days[:, 0], return_index=True, return_counts=True)
    first_day = purchase_days[first_index, 1]
    last_day = purchase_days[first_index + count - 1, 1]
    return PurchaseSummary(
        customer_id=customer_id,
        frequency=(count - 1).astype(np.int64),
        recency=(last_day - first_day) / unit_days,
        age=(as_of_day.astype(np.int64) - first_day) / unit_days,
    )

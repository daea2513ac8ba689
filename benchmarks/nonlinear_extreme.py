"""Digits correct along refuting curves of tanh networks at t = 10^k: float64, torch and the package.

Two curves of tanh networks with biases, squared loss, where ‖∇f‖ and ‖∇²f‖_F
grow without bound:

* ``line R`` — seed 001's fixed line (App. B): every hidden layer has weights 0
  and biases c = 1/2, the last layer weights t·M with M = (3/10, 2/5, 1/7, −59/70)
  (its row sums to 0) and bias 0. Every output is t·Σ_j M_j tanh(c) = 0 exactly, while
  ‖∇f‖ ~ t and ‖∇²f‖_F ~ t² (critical exponent 2: every ρ < 2 is refuted). In
  float64 the output is t times a rounding error of ~10⁻¹⁷: from t ≈ 10¹⁷ on, the
  residuals and with them every derivative are wrong.
* ``Theorem G′`` — the curve of :func:`dlnsmooth.networks.theorem_g.theorem_g_curve`
  with biases (depth L = 5, so every ρ < 2 is refuted): outputs 0, ‖∇f‖ ~ t³ and ‖∇²f‖_F ~ t⁶; in float64
  ‖∇²f‖_F² ~ t¹² overflows for k ≥ 26.

For each t = 10^k the table gives the correct significant digits of ‖∇f‖ and
‖∇²f‖_F computed by the engine's float64 backend (numpy), by ``torch.func``
(grad, hessian) in float64 when torch is installed, and the package's numeric
table (ball arithmetic, adaptive precision: the printed decimal strings hold
only guaranteed digits), against a reference computed independently — SymPy's
own derivatives of the network's expression, evaluated with mpmath at a
precision that grows with k and confirmed at twice that precision. "error ≤ 1
ulp" means every printed digit is correct; a float result of exactly 0, inf or
NaN counts as 0 digits.

    python -m benchmarks.nonlinear_extreme [--smoke] [--json FILE]
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import mpmath as mp
import numpy as np
import sympy as sp

from dlnsmooth.curves import Curve, Restriction, curve_parameter
from dlnsmooth.evidence import numeric_table
from dlnsmooth.networks.data import Dataset
from dlnsmooth.networks.engine import FLOAT64
from dlnsmooth.networks.feedforward import FeedforwardObjective, feedforward
from dlnsmooth.networks.theorem_g import theorem_g_curve

from ._common import arguments, print_table, sympy_feedforward_loss, torch_feedforward_loss, torch_or_none, write_json
from .extreme_points import correct_digits, ulp_error

EXPONENTS = [1, 5, 10, 14, 16, 17, 18, 20, 25, 26, 28, 30]
SMOKE_EXPONENTS = [1, 20, 30]
DIGITS = 15
#: digits to which the reference must be confirmed (more than the package ever prints, 60)
REFERENCE_DIGITS = 75
BIAS_C = sp.Rational(1, 2)
ROW_M = (sp.Rational(3, 10), sp.Rational(2, 5), sp.Rational(1, 7), sp.Rational(-59, 70))


@dataclass
class Setup:
    """A network, a curve through its parameters and the independent SymPy reference."""

    name: str
    objective: FeedforwardObjective
    curve: Curve
    reference: Callable[[int], tuple[mp.mpf, mp.mpf]]


def line_r(widths: tuple[int, ...], n_obs: int) -> tuple[FeedforwardObjective, Curve]:
    """Seed 001's fixed line R: hidden weights 0, hidden biases c, last layer t·M (rows sum to 0), bias 0."""
    if widths[-2] != len(ROW_M) or widths[-1] != 1:
        raise ValueError(f"line R here needs a last hidden width {len(ROW_M)} and one output")
    objective = feedforward(widths, "tanh", Dataset.random(n_obs, widths[0], 0, "real"), "squared", bias=True)
    t = curve_parameter("t")
    coordinates: list[sp.Expr] = []
    L = objective.depth
    for block in objective.architecture.blocks:
        if block.layer < L:
            coordinates += [sp.Integer(0) if block.kind == "weight" else BIAS_C] * block.size
        else:
            coordinates += [t * m for m in ROW_M] if block.kind == "weight" else [sp.Integer(0)] * block.size
    return objective, Curve(objective.variables, coordinates, t, name="line R (seed 001): hidden 0 / c, last t·M")


def theorem_g_prime(widths: tuple[int, ...], n_obs: int) -> tuple[FeedforwardObjective, Curve]:
    objective = feedforward(widths, "tanh", Dataset.random(n_obs, widths[0], 0, "real"), "squared", bias=True)
    return objective, theorem_g_curve(objective)


def sympy_reference(objective: FeedforwardObjective, curve: Curve) -> Callable[[int], tuple[mp.mpf, mp.mpf]]:
    """k ↦ (‖∇f‖, ‖∇²f‖_F) at t = 10^k from SymPy's derivatives of the plain expression (no engine),
    evaluated with mpmath at a precision growing with k and confirmed at twice it."""
    symbols = list(objective.variables)
    f = sympy_feedforward_loss(objective.architecture, objective.output_loss, objective.data.inputs,
                               objective.data.label_vectors, symbols)
    gradient = [sp.diff(f, v) for v in symbols]
    hessian = [sp.diff(g, w) for i, g in enumerate(gradient) for w in symbols[i:]]
    weights = [1 if w == 0 else 2 for i in range(len(symbols)) for w in range(len(symbols) - i)]
    compiled = sp.lambdify(symbols, gradient + hessian, modules="mpmath")
    t = curve.parameter
    n = len(symbols)

    def at(k: int, dps: int) -> tuple[mp.mpf, mp.mpf]:
        with mp.workdps(dps):
            point = [_mpf(c.xreplace({t: sp.Integer(10) ** k})) for c in curve.coordinates]
            values = compiled(*point)
            grad = mp.sqrt(mp.fsum(v * v for v in values[:n]))
            hess = mp.sqrt(mp.fsum(w * v * v for w, v in zip(weights, values[n:])))
            return grad, hess

    def reference(k: int) -> tuple[mp.mpf, mp.mpf]:
        dps = 100 + 4 * k
        low, high = at(k, dps), at(k, 2 * dps)
        with mp.workdps(2 * dps):
            for a, b in zip(low, high):
                if abs(a - b) > abs(b) * mp.mpf(10) ** -REFERENCE_DIGITS:
                    raise AssertionError(f"the SymPy reference is not confirmed at t = 1e{k}")
        return high

    return reference


def _mpf(value: sp.Expr) -> mp.mpf:
    r = sp.Rational(value)
    return mp.mpf(int(r.p)) / int(r.q)


def float64_norms(objective: FeedforwardObjective, point: list[float]) -> tuple[float, float]:
    with np.errstate(all="ignore"):  # float64 fails here; the table shows how
        state = objective.state(point, FLOAT64)
        return math.sqrt(state.grad_norm_sq()), math.sqrt(state.hess_frobenius_sq())


def torch_norms(torch, objective: FeedforwardObjective, point: list[float]) -> tuple[float, float]:
    f = torch_feedforward_loss(torch, objective.architecture, objective.output_loss, objective.data.inputs,
                               objective.data.label_vectors)
    theta = torch.tensor(point, dtype=torch.float64)
    g = torch.func.grad(f)(theta)
    H = torch.func.hessian(f)(theta)
    return float(torch.linalg.vector_norm(g)), float(torch.linalg.matrix_norm(H))


def float_point(curve: Curve, k: int) -> list[float]:
    """The curve point at t = 10^k as float64 numbers (what a float64 user would type)."""
    t = curve.parameter
    return [float(Fraction(str(sp.Rational(c.xreplace({t: sp.Integer(10) ** k}))))) for c in curve.coordinates]


def measure(setup: Setup, exponents: list[int], torch) -> list[dict]:
    restriction = Restriction(setup.objective, setup.curve)
    table = numeric_table(restriction, sp.Integer(0), decades=max(exponents), digits=DIGITS)
    rows_by_k = {r.exponent: r for r in table.rows}
    records = []
    for k in exponents:
        refs = setup.reference(k)
        point = float_point(setup.curve, k)
        f64 = float64_norms(setup.objective, point)
        tor = torch_norms(torch, setup.objective, point) if torch is not None else (None, None)
        row = rows_by_k[k]
        measured = [ulp_error(s, ref) for s, ref in zip(row.texts(60)[:2], refs)]
        ulps = [e for _, e in measured]
        records.append({
            "curve": setup.name, "k": k, "reference": [mp.nstr(r, 12) for r in refs],
            "float64": [repr(v) for v in f64], "float64_digits": [correct_digits(v, r) for v, r in zip(f64, refs)],
            "torch": [repr(v) for v in tor],
            "torch_digits": [correct_digits(v, r) for v, r in zip(tor, refs)] if torch is not None else None,
            "package_printed_digits": [n for n, _ in measured], "package_error_ulps": ulps,
            "package_dps": row.hess_norm.dps, "confirmed": row.confirmed(DIGITS),
            "all_printed_correct": all(e is not None and e <= 1 for e in ulps),
        })
    return records


def print_records(records: list[dict]) -> None:
    for title, i in (("‖∇f‖ (Euclidean)", 0), ("‖∇²f‖_F (Frobenius)", 1)):
        print(f"\n{records[0]['curve']} — {title}: correct significant digits at t = 10^k")
        rows = []
        for r in records:
            ulp = r["package_error_ulps"][i]
            shown = "—" if ulp is None else f"{ulp:.2f}"
            rows.append((f"1e{r['k']}", r["reference"][i], f"{r['float64_digits'][i]} ({r['float64'][i]})",
                         "—" if r["torch_digits"] is None else f"{r['torch_digits'][i]} ({r['torch'][i]})",
                         f"{r['package_printed_digits'][i]} printed, error {shown} ulp"
                         f"{'' if ulp is not None and ulp <= 1 else ' WRONG'}", r["package_dps"]))
        print_table(("t", "reference", "float64 (numpy)", "torch f64", "package", "dps"), rows)


def setups(smoke: bool) -> list[Setup]:
    shapes = [("line R", line_r, (1, 4, 1), 2), ("Theorem G′ (biases)", theorem_g_prime, (1, 1, 1, 1), 2)] if smoke \
        else [("line R", line_r, (1, 2, 4, 1), 4), ("Theorem G′ (biases)", theorem_g_prime, (1, 2, 2, 1, 1, 1), 3)]
    out = []
    for name, build, widths, n_obs in shapes:
        objective, curve = build(widths, n_obs)
        label = f"{name}, widths {'-'.join(map(str, widths))}, N = {n_obs}, P = {objective.n}"
        out.append(Setup(label, objective, curve, sympy_reference(objective, curve)))
    return out


def main() -> int:
    args = arguments(__doc__.splitlines()[0])
    torch = torch_or_none()
    exponents = SMOKE_EXPONENTS if args.smoke else EXPONENTS
    records: list[dict] = []
    for setup in setups(args.smoke):
        mine = measure(setup, exponents, torch)
        print_records(mine)
        records += mine
    wrong = [(r["curve"], r["k"]) for r in records if not (r["all_printed_correct"] and r["confirmed"])]
    float_wrong = [(r["curve"], r["k"]) for r in records if min(r["float64_digits"]) == 0]
    torch_wrong = [r for r in records if r["torch_digits"] is not None and min(r["torch_digits"]) == 0]
    print(f"\nfloat64 (numpy) has no correct digit (in ‖∇f‖ or ‖∇²f‖_F) at {len(float_wrong)} of {len(records)} "
          "points" + (f" (first: {float_wrong[0][0]}, t = 1e{float_wrong[0][1]})" if float_wrong else "")
          + ("" if torch is None else f"; torch float64 at {len(torch_wrong)}"))
    print("package: every printed digit correct at every point" if not wrong
          else f"PACKAGE WRONG OR UNCONFIRMED at {wrong}")
    write_json(args.json, {"benchmark": "nonlinear_extreme", "digits": DIGITS, "rows": records})
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())

"""Proposition 7: the R⁴ deep linear network is not ρ-order Lipschitz for any ρ ≥ 0.

Problem
    f(x) = log(1 + exp(−y z x4 x3 x2 x1)), one observation (z, y), z ≠ 0,
    y ∈ {−1, +1}: a deep linear network with three hidden layers of width one.
Method
    Refutation recipe (Props 5 + 1): along x_k = (0, 0, k, k), ∇f ≡ 0 exactly
    and ‖∇²f‖_F = |z| k²/√2 → ∞, so ‖∇²f‖/(1 + ‖∇f‖^ρ) → ∞ for every ρ.
    Each instance is a certificate (exact restriction, symbolic limit, numeric
    table in ball arithmetic, digits guaranteed by the radius). The closed forms of the statement —
    ∂²f/∂x1∂x2 = −y z k²/2 and ‖∇²f‖_F = |z|k²/√2 (in general
    √2 |ℓ′(0; y) z| k²) — are compared exactly with the computed restriction.
    Also: other (z, y), the squared and exponential losses, several
    observations, and a negative control whose premise Σ ℓ′(0; y_i) z_i = 0
    fails, which must *not* be refuted by this curve.
Guarantee
    A proof along the curve for each instance checked (symbolic limit),
    corroborated by the numeric table; the general statement for all (z, y)
    follows from the closed form, which is checked for the listed instances.
    The locally-Lipschitz half (explicit L(r)) is not computed by this script.
Reference
    Patel & Varner, arXiv 2409.13672, Proposition 7; SPEC §2.
Example
    ``python -m proofs.prop7_deep_linear`` or ``dlnsmooth verify prop7``.
"""

from __future__ import annotations

import sys
import time

import sympy as sp

from dlnsmooth.certificate import Certificate, certify_curve
from dlnsmooth.curves import Restriction
from dlnsmooth.networks.data import Dataset
from dlnsmooth.networks.deep_linear import DeepLinearObjective, prop7_curve, prop7_objective
from dlnsmooth.report import ClaimReport

from ._runner import run_main

NAME = "prop7"
TITLE = "Proposition 7 — the R⁴ deep linear network"

#: (z, y, loss) instances beyond the main example
INSTANCES = [
    (2, -1, "logistic"),
    (sp.Rational(-3, 2), 1, "logistic"),
    (sp.Rational(1, 3), -1, "logistic"),
    (1, 1, "squared"),
    (-2, sp.Rational(1, 2), "squared"),
    (1, 1, "exponential"),
    (3, -1, "exponential"),
]
#: several observations with Σ ℓ′(0; y_i) z_i ≠ 0
SEVERAL = [(1, 1), (2, 1), (-1, -1)]
#: negative control: Σ ℓ′(0; y_i) z_i = 0 for the logistic loss
CONTROL = [(1, 1), (2, -1), (-1, -1)]


def _expected_hessian_sq(objective: DeepLinearObjective, k: sp.Symbol) -> sp.Expr:
    """‖∇²f(x_k)‖_F² = 2 (Σ_i ℓ′(0; y_i) z_i)² k⁴: only the (x1, x2) entries survive."""
    g = sum(objective.loss.derivative_at_zero(y) * x[0] for x, y in zip(objective.data.inputs, objective.data.targets))
    return 2 * g**2 * k**4


def _certify(objective: DeepLinearObjective, progress, decades: int) -> tuple[Certificate, Restriction]:
    curve = prop7_curve(objective)
    certificate = certify_curve(objective, curve, every_rho=True, progress=progress, decades=decades,
                                claim="∇f is neither ρ-order nor ρ-integrated Lipschitz for any ρ ≥ 0")
    return certificate, Restriction(objective, curve)


def verify(*, progress: bool | None = False, decades: int = 30) -> ClaimReport:
    """Run every check of Proposition 7 and return the report."""
    start = time.perf_counter()
    report = ClaimReport(
        name=NAME,
        title=TITLE,
        claim="for the R⁴ deep linear network loss, ∇f is neither ρ-order nor ρ-integrated Lipschitz, for any ρ ≥ 0",
        statement="f(x) = log(1 + exp(−y z x4 x3 x2 x1)); along x_k = (0, 0, k, k): ∇f(x_k) = 0, "
                  "‖∇²f(x_k)‖_F = |z| k²/√2 → ∞, hence ‖∇²f‖/(1 + ‖∇f‖^ρ) → ∞ ∀ρ ≥ 0",
        method="refutation recipe (Props 5 + 1) with a curve certificate: exact restriction, "
               "symbolic limit (SymPy Gruntz), numeric table (ball arithmetic, guaranteed digits)",
        evidence_kind="certificate (symbolic limit + numeric table) for each instance",
    )

    # -- the main example: z = 1, y = 1, logistic ---------------------------------------------
    f = prop7_objective(1, 1, "logistic")
    certificate, restriction = _certify(f, progress, decades)
    k = restriction.parameter
    report.certificates.append(certificate)
    report.add_check("∇f = 0 exactly along (0, 0, k, k)", restriction.gradient_vanishes,
                     f"restricted gradient = {[sp.sstr(g) for g in restriction.gradient]}")
    mixed = sp.simplify(restriction.hessian[0, 1])
    report.add_check("∂²f/∂x1∂x2 = −y z k²/2 at x_k", sp.simplify(mixed - (-k**2 / 2)) == 0,
                     f"computed {sp.sstr(mixed)}, statement −y z k²/2 = {sp.sstr(-k**2 / 2)}")
    hess_norm = sp.sqrt(restriction.hess_sq)
    claimed = sp.Abs(1) * k**2 / sp.sqrt(2)
    report.add_check("‖∇²f(x_k)‖_F = |z| k²/√2", sp.simplify(hess_norm - claimed) == 0,
                     f"computed √({sp.sstr(restriction.hess_sq)}) = {sp.sstr(hess_norm)}")
    report.add_check("certificate: ‖∇²f‖/(1 + ‖∇f‖^ρ) → ∞ for every ρ (z = 1, y = 1)",
                     _passed(certificate, "refuted"), f"verdict {certificate.verdict}: {certificate.reason}")
    report.sections.append(("The R⁴ example, z = 1, y = 1, logistic loss", certificate.report().splitlines()))

    # -- other observations and losses --------------------------------------------------------
    rows = [f"{'z':>6} {'y':>5} {'loss':<12} {'‖∇²f(x_k)‖_F (computed)':<28} {'expected':<24} verdict"]
    for z, y, loss in INSTANCES:
        g = prop7_objective(z, y, loss)
        cert, restr = _certify(g, progress, decades)
        report.certificates.append(cert)
        expected = _expected_hessian_sq(g, k)
        matches = sp.simplify(restr.hess_sq - expected) == 0 and restr.gradient_vanishes
        report.add_check(f"z = {z}, y = {y}, {loss}: closed form and certificate",
                         _passed(cert, "refuted") and matches,
                         f"‖∇²f‖_F² = {sp.sstr(restr.hess_sq)} (expected {sp.sstr(expected)}), verdict {cert.verdict}")
        rows.append(f"{sp.sstr(z):>6} {sp.sstr(y):>5} {loss:<12} {sp.sstr(sp.sqrt(restr.hess_sq)):<28} "
                    f"{sp.sstr(sp.sqrt(expected)):<24} {cert.verdict}")
    report.sections.append(("Other (z, y) and losses: ‖∇²f‖_F along (0, 0, k, k) = √2 |ℓ′(0; y) z| k²", rows))

    # -- several observations, and the negative control ---------------------------------------
    lines = []
    for label, pairs, want in (("several observations", SEVERAL, "refuted"),
                               ("negative control (Σ ℓ′(0; y_i) z_i = 0)", CONTROL, "not refuted")):
        g = DeepLinearObjective((1, 1, 1, 1, 1), Dataset.from_pairs(pairs), "logistic", names="x")
        cert, restr = _certify(g, progress, decades)
        report.certificates.append(cert)
        s = sum(g.loss.derivative_at_zero(y) * x[0] for x, y in zip(g.data.inputs, g.data.targets))
        report.add_check(f"{label}: verdict must be '{want}'", _passed(cert, want),
                         f"Σ ℓ′(0; y_i) z_i = {sp.sstr(s)}, ‖∇²f‖_F² = {sp.sstr(restr.hess_sq)}, "
                         f"verdict {cert.verdict}")
        lines.append(f"{label}: data {g.data.describe()}; Σ ℓ′(0; y_i) z_i = {sp.sstr(s)}; "
                     f"‖∇²f(x_k)‖_F² = {sp.sstr(restr.hess_sq)} → verdict {cert.verdict}")
    report.sections.append(("Several observations", lines))
    report.sections.append(("Not covered here", [
        "the locally-Lipschitz half of Proposition 7 (an explicit, guaranteed L(r) on [−r, r]⁴) "
        "is not computed by this script"]))
    report.seconds = time.perf_counter() - start
    return report


def _passed(certificate: Certificate, wanted: str) -> bool | None:
    if certificate.verdict == wanted:
        return True
    if certificate.verdict == "undecided":
        return None
    return False


def main(argv=None) -> int:
    return run_main(verify, TITLE, argv)


if __name__ == "__main__":
    sys.exit(main())

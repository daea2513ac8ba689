"""Theorem G (SPEC §3): deep linear networks of depth L ≥ 3 are never ρ-order Lipschitz.

Premise: ``g = Σ_i ℓ′(0; y_i) x_i ≠ 0``. Curve: ``W_1 = 0``, ``W_2 = 0``,
``W_l = t E_l`` for l ≥ 3 (E_l all ones, so ``W_L ⋯ W_3 ≠ 0``). Every gradient
block contains W_1 or W_2, so ∇f = 0 along the curve, while the (W_1, W_2)
Hessian block is ``(A, B) ↦ (W_L ⋯ W_3) B A g``, of norm ∝ t^(L−2) → ∞.

:func:`certify_theorem_g` checks the premise exactly, then runs the curve
certificate (every ρ) — the verdict comes from the computation along the
curve, not from the theorem. When the premise fails, the Hessian vanishes
along the curve and the certificate says ``not refuted``: this curve proves
nothing for such data. The growth exponent of ‖∇²f‖_F is compared with the
theorem's L − 2.
"""

from __future__ import annotations

import sympy as sp

from ..certificate import Certificate, certify_curve
from ..curves import Curve, curve_parameter
from ..errors import ShapeError
from ..evidence import Premise, SymbolicIdentity
from .deep_linear import DeepLinearObjective

__all__ = ["theorem_g_curve", "theorem_g_premise", "certify_theorem_g"]


def theorem_g_curve(objective: DeepLinearObjective, parameter: str = "t") -> Curve:
    """W_1 = W_2 = 0 and W_l = t·(all ones) for l ≥ 3."""
    if not isinstance(objective, DeepLinearObjective):
        raise TypeError("the Theorem G curve is defined for deep linear network objectives")
    if objective.depth < 3:
        raise ShapeError(
            f"Theorem G needs at least 3 weight matrices (widths with at least 4 entries); got L = {objective.depth}"
        )
    t = curve_parameter(parameter)
    coordinates = {}
    for l, W in enumerate(objective.weight_symbols, 1):
        for row in W:
            for s in row:
                coordinates[s] = sp.Integer(0) if l <= 2 else t
    return Curve(objective.variables, coordinates, t, name=f"Theorem G: W1 = W2 = 0, W_l = {t.name}·ones (l ≥ 3)")


def theorem_g_premise(objective: DeepLinearObjective) -> list[sp.Expr]:
    """g = Σ_i ℓ′(0; y_i) x_i, exactly."""
    data = objective.data
    g = [sp.Integer(0)] * data.dim
    for x, y in zip(data.inputs, data.targets):
        d = objective.loss.derivative_at_zero(y)
        g = [gi + d * xi for gi, xi in zip(g, x)]
    return [sp.simplify(gi) for gi in g]  # exact; nsimplify could replace a rational by a radical


def certify_theorem_g(objective: DeepLinearObjective, **options) -> Certificate:
    """Certify Theorem G's conclusion for this network along its curve (options go to
    :func:`~dlnsmooth.certificate.certify_curve`)."""
    curve = theorem_g_curve(objective)
    g = theorem_g_premise(objective)
    holds = any(gi != 0 for gi in g)
    premise = Premise(
        "premise g = Σ_i ℓ′(0; y_i) x_i ≠ 0",
        sp.Matrix(g).T if len(g) > 1 else g[0],
        holds,
        "" if holds else "the premise fails: along this curve the Hessian vanishes, so the curve proves nothing",
    )
    claim = "∇f is neither ρ-order nor ρ-integrated Lipschitz for any ρ ≥ 0 (Theorem G)"
    certificate = certify_curve(objective, curve, every_rho=True, claim=claim, extra_evidence=[premise], **options)
    expected = sp.Integer(objective.depth - 2)
    b = certificate.growth.hess_exponent
    if holds and certificate.growth.source == "symbolic":
        agrees = sp.simplify(b - expected) == 0
        certificate.evidence.append(SymbolicIdentity("growth exponent of ‖∇²f‖_F along the curve vs Theorem G's L − 2",
                                                     b, expected, bool(agrees), "symbolic limit of log‖∇²f‖_F / log t"))
        if not agrees and certificate.verdict == "refuted":
            certificate.verdict = "undecided"
            certificate.reason = (f"the curve refutes every ρ, but the Hessian grows like t^{b}, not t^{expected} "
                                  "as Theorem G predicts: the computation and the theorem disagree")
    if not holds:
        certificate.notes.append("premise Σ_i ℓ′(0; y_i) x_i = 0 fails: the automatic Theorem G curve proves nothing "
                                 "for these data (another curve might)")
        if certificate.verdict == "refuted":  # cannot happen with a vanishing Hessian; guard against regressions
            certificate.verdict = "undecided"
            certificate.reason = "the premise fails yet the curve seemed to refute: inconsistent, reported as undecided"
    return certificate

"""Seed 001's cross-entropy network (1, 3, 3, 2) is not (L0, L1)-smooth: the line R refutes ρ = 1, ρ* = 2.

Problem
    f(θ) = −Σ_s Σ_j [y_s]_j log softmax(u(x_s; θ))_j (the seed's Definition 7) for the tanh network of widths
    (1, 3, 3, 2) with biases (26 parameters) on 10 points x ~ U[−1, 1] (seeded, rounded to 2 decimals), labels
    (1, 0) for the first 8 and (0, 1) for the last 2 (:func:`dlnsmooth.experiments.cooper_line.ce_data`).
    Claim: ∇f is not (L0, L1)-smooth (not ρ-order or ρ-integrated Lipschitz for ρ = 1); more precisely the
    line R refutes every ρ < 2 and no ρ ≥ 2.
Method
    Along R (hidden W = 0, b = 1; W_3 = t·M, M = ((−2, 1, 1), (1, 1, −2)), rows summing to zero; b_3 = 0) every
    output is 0, so softmax = (1/2, 1/2) and, with a = tanh(1), s = 1 − a², c̄ = Σ_s ((1/2, 1/2) − y_s) =
    (−3, 3), H̄ = 10·(I/2 − 11ᵀ/4) (this script differentiates the cross-entropy itself): ‖∇f‖² = g₂t² + g₀
    with g₂ = s²‖Mᵀc̄‖²(1 + 3a²), g₀ = ‖c̄‖²(1 + 3a²), and ‖∇²f‖_F² = h₄t⁴ + O(t³) with
    h₄ = s⁴‖MᵀH̄M‖_F²(1 + 3a²)². Curve certificates (:func:`dlnsmooth.certificate.certify_curve`: the exact
    restriction over Q[t, tanh(1)], SymPy limits, a table in ball arithmetic) at ρ = 1 (refuted), for every ρ
    (γ = 1, η = 2, ρ* = 2 from the exact degrees), at ρ = 2 (not refuted; the ratio tends to
    k = ‖MᵀH̄M‖_F/‖Mᵀc̄‖² exactly) and ρ = 3 (not refuted). With balanced labels (5 and 5: residuals summing
    to zero) ∇f ≡ 0 on R and every ρ is refuted (ρ* = ∞). Negative control: M with two equal rows
    ((1, −1, 0) twice) keeps both outputs equal, so the softmax never moves and every Gauss–Newton and
    second-order term cancels: ‖∇f‖ and ‖∇²f‖_F stay constant and the curve must refute nothing.
Guarantee
    A proof (Props 5 and 1) that this network's loss is not (L0, L1)-smooth, for these data: the symbolic limit
    of the exact restriction, corroborated by the guaranteed digits of the table; the closed forms are
    identities checked exactly for these data.
References
    Seed 001 §3.1, App. A.3, B; SPEC §4.1.
Example
    ``python -m proofs.cooper_line_ce [--json]`` or ``dlnsmooth verify cooper-line-ce``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import sympy as sp

from dlnsmooth.experiments.cooper_line import LineNetwork, balanced_labels, ce_network
from dlnsmooth.report import ClaimReport

from ._runner import run_main
from .library import LineClaimResult, LineControl, line_claim, render_line_claim

__all__ = ["NAME", "TITLE", "DECADES", "M_EQUAL_ROWS", "reference_loss", "compute", "render", "verify", "main"]

NAME = "cooper-line-ce"
TITLE = "Seed 001's cross-entropy network (1, 3, 3, 2): the line R refutes (L0, L1)-smoothness (ρ* = 2)"
#: a last layer with two equal rows summing to zero: the outputs stay equal, the softmax never moves
M_EQUAL_ROWS = ((1, -1, 0), (1, -1, 0))
#: decades of each certificate's numeric table
DECADES = 8


def reference_loss(u: list, y: list) -> sp.Expr:
    """The seed's cross-entropy of one observation, −Σ_j y_j log(e^{u_j}/Σ_k e^{u_k}), written here independently
    of the package."""
    denominator = sp.Add(*[sp.exp(v) for v in u])
    return -sp.Add(*[b * sp.log(sp.exp(a) / denominator) for a, b in zip(u, y)])


def compute(*, decades: int = DECADES) -> LineClaimResult:
    """Certificates along R (and its variants) for the cross-entropy network, with every check's outcome."""
    network = ce_network()
    control = LineControl("M with two equal rows (the softmax never moves): every ρ not refuted, no ρ*",
                          network.with_matrix(M_EQUAL_ROWS), None, "not refuted", None)
    return line_claim(network, network.with_data(balanced_labels(network.data)), reference_loss, [control],
                      decades=decades)


def _claim(network: LineNetwork) -> ClaimReport:
    return ClaimReport(
        name=NAME, title=TITLE,
        claim="the softmax cross-entropy of the tanh network (1, 3, 3, 2) with biases on 10 points drawn as seed "
              "001 §3.1 describes (8 of class 1) is not (L0, L1)-smooth: ∇f is neither ρ-order nor ρ-integrated "
              "Lipschitz for ρ = 1",
        statement=f"along R ({network.line_text}): ‖∇f‖ ~ t, ‖∇²f‖_F ~ t², so ρ* = 2 and every ρ < 2 is refuted; "
                  "with balanced labels ∇f ≡ 0 and every ρ is refuted",
        method="curve certificates (exact restriction over Q[t, tanh(1)], SymPy limits, numeric table in ball "
               "arithmetic) compared with closed forms derived from a loss differentiated here; controls at ρ = 2, 3 "
               "and along a line on which the softmax never moves",
        evidence_kind="certificate (symbolic limit of the exact restriction + confirmed ball-arithmetic table); "
                      "closed forms verified symbolically")


def render(result: LineClaimResult) -> ClaimReport:
    """The claim report of a computed :class:`~proofs.library.LineClaimResult`."""
    return render_line_claim(result, _claim(result.network))


def verify(*, progress: bool | None = False, decades: int = DECADES) -> ClaimReport:
    """Run every check and return the report (compute, then render)."""
    return render(compute(decades=decades))


def main(argv: Sequence[str] | None = None) -> int:
    return run_main(verify, TITLE, argv)


if __name__ == "__main__":
    sys.exit(main())

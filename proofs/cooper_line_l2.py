"""Seed 001's L2 network (1, 4, 7, 1) is not (L0, L1)-smooth: the line R refutes ρ = 1, critical exponent 2.

Problem
    f(θ) = Σ_s (u(x_s; θ) − y_s)² (the seed's Definition 6, no ½) for the tanh network of widths (1, 4, 7, 1)
    with biases (51 parameters) on 20 points x, y ~ U[−1, 1] (seeded, rounded to 2 decimals;
    :func:`dlnsmooth.experiments.cooper_line.l2_data`). Claim: ∇f is not (L0, L1)-smooth (not ρ-order or
    ρ-integrated Lipschitz for ρ = 1); more precisely the line R refutes every ρ < 2 and no ρ ≥ 2.
Method
    Along R (hidden W = 0, b = 1; W_3 = t·M, M = (−6, 1, 1, 1, 1, 1, 1), rows summing to zero; b_3 = 0) every
    output is 0, so with a = tanh(1), s = 1 − a², c̄ = Σ_s −2y_s, H̄ = 2·20 (this script differentiates
    (u − y)² itself): ‖∇f‖² = g₂t² + g₀ with g₂ = s²‖Mᵀc̄‖²(1 + 4a²), g₀ = ‖c̄‖²(1 + 7a²), and
    ‖∇²f‖_F² = h₄t⁴ + O(t³) with h₄ = s⁴‖MᵀH̄M‖_F²(1 + 4a²)². Curve certificates
    (:func:`dlnsmooth.certificate.certify_curve`: the exact restriction over Q[t, tanh(1)], SymPy limits, a
    table in ball arithmetic) at ρ = 1 (refuted), for every ρ (γ = 1, η = 2, ρ* = 2 from the exact
    degrees), at ρ = 2 (not refuted; the ratio tends to k = ‖MᵀH̄M‖_F/‖Mᵀc̄‖² exactly) and ρ = 3 (not
    refuted). With centred labels (residuals summing to zero) ∇f ≡ 0 on R and every ρ is refuted (ρ* = ∞).
    Negative control: with M = all ones (rows not summing to zero) the outputs grow like t, ‖∇f‖ ~ t²,
    ‖∇²f‖_F ~ t², ρ* = 1 and ρ = 1 must not be refuted.
Guarantee
    A proof (Props 5 and 1) that this network's loss is not (L0, L1)-smooth, for these data: the symbolic limit
    of the exact restriction, corroborated by the guaranteed digits of the table; the closed forms are
    identities checked exactly for these data.
References
    Seed 001 §3.1, App. A.3, B; SPEC §4.1.
Example
    ``python -m proofs.cooper_line_l2 [--json]`` or ``dlnsmooth verify cooper-line-l2``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import sympy as sp

from dlnsmooth.experiments.cooper_line import M_L2_ROW_SUMS, LineNetwork, centred_labels, l2_network
from dlnsmooth.report import ClaimReport

from ._runner import run_main
from .library import LineClaimResult, LineControl, line_claim, render_line_claim

__all__ = ["NAME", "TITLE", "DECADES", "reference_loss", "compute", "render", "verify", "main"]

NAME = "cooper-line-l2"
TITLE = "Seed 001's L2 network (1, 4, 7, 1): the line R refutes (L0, L1)-smoothness (ρ* = 2)"
#: decades of each certificate's numeric table
DECADES = 8


def reference_loss(u: list, y: list) -> sp.Expr:
    """The seed's L2 loss of one observation, Σ_j (u_j − y_j)², written here independently of the package."""
    return sp.Add(*[(a - b) ** 2 for a, b in zip(u, y)])


def compute(*, decades: int = DECADES) -> LineClaimResult:
    """Certificates along R (and its variants) for the L2 network, with every check's outcome."""
    network = l2_network()
    control = LineControl("M = all ones (rows not summing to zero): ρ = 1 not refuted, ρ* = 1",
                          network.with_matrix(M_L2_ROW_SUMS), 1, "not refuted", sp.Integer(1))
    return line_claim(network, network.with_data(centred_labels(network.data)), reference_loss, [control],
                      decades=decades)


def _claim(network: LineNetwork) -> ClaimReport:
    return ClaimReport(
        name=NAME, title=TITLE,
        claim="the loss Σ_s (u(x_s) − y_s)² of the tanh network (1, 4, 7, 1) with biases on 20 points drawn as seed "
              "001 §3.1 describes is not (L0, L1)-smooth: ∇f is neither ρ-order nor ρ-integrated Lipschitz for ρ = 1",
        statement=f"along R ({network.line_text}): ‖∇f‖ ~ t, ‖∇²f‖_F ~ t², so ρ* = 2 and every ρ < 2 is refuted; "
                  "with residuals summing to zero ∇f ≡ 0 and every ρ is refuted",
        method="curve certificates (exact restriction over Q[t, tanh(1)], SymPy limits, numeric table in ball "
               "arithmetic) compared with closed forms derived from a loss differentiated here; controls at ρ = 2, 3 "
               "and along a line whose outputs grow",
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

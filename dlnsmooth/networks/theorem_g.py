"""Theorem G and G′ (SPEC §3): networks of depth L ≥ 3 along the curve W_1 = W_2 = 0, W_l = t·E_l.

**Theorem G** (deep linear networks, scalar output). Premise:
``g = Σ_i ℓ′(0; y_i) x_i ≠ 0``. Curve: ``W_1 = 0``, ``W_2 = 0``, ``W_l = t E_l``
for l ≥ 3 (E_l all ones, so ``W_L ⋯ W_3 ≠ 0``). Every gradient block contains
W_1 or W_2, so ∇f = 0 along the curve, while the (W_1, W_2) Hessian block is
``(A, B) ↦ (W_L ⋯ W_3) B A g``, of norm ∝ t^(L−2) → ∞.

**Theorem G′** (feed-forward networks ``z_l = M_l a_{l−1} + b_l``, ``a_l = σ(z_l)``
for l < L, output ``u = z_L ∈ R^m``). The same curve with every bias 0 and
``E_L = e_j 1ᵀ`` (the ones in the row of one output j; all ones when m = 1).
With σ(0) = 0 every pre-activation and output is 0 on the curve. Write
``c_i = ∇_u ℓ(0; y_i)``, ``G = Σ_i c_i x_iᵀ`` (m × n_0), ``c̄ = Σ_i c_i`` and
``H̄ = Σ_i ∇²_u ℓ(0; y_i)``; ``s = σ′(0)`` and ``c = n_3 ⋯ n_{L−1}``.

* Without biases (premise σ(0) = 0, σ′(0) ≠ 0 and ``g = G_j ≠ 0``, the row of
  G at output j): ∇f ≡ 0 and the only non-zero Hessian block is Theorem G's
  (W_1, W_2) block times ``s^(L−1)``:
  ``‖∇²f‖_F² = 2 n_1 n_2 c² s^(2(L−1)) ‖g‖² t^(2(L−2))``, so every ρ is refuted.
  The output j is the first whose row of G is non-zero: an all-ones E_L would
  give 1ᵀG, which vanishes for softmax cross-entropy (1ᵀc_i = 0).
* With biases (premise σ(0) = 0, σ′(0) ≠ 0 and ``H̄_jj ≠ 0``): ∇u is the same
  for every input, ∂u/∂b_l = s^(L−l) t^(L−l) E_L⋯E_{l+1} (l ≥ 2), ∂u/∂b_1 = 0,
  ∂u/∂W = 0; so ∇f = ∇uᵀ c̄ and ∇²f ⊇ ∇uᵀ H̄ ∇u. The (b_2, b_2) block
  ``s^(2(L−2)) c² H̄_jj t^(2(L−2)) 1 1ᵀ`` dominates every other Hessian entry
  (the rest is O(t^(2L−5))), so ‖∇²f‖_F ~ t^(2(L−2)). If ``c̄_j ≠ 0``,
  ‖∇f‖ ~ |c̄_j| c s^(L−2) √n_2 t^(L−2) and the critical exponent is 2 (every
  ρ < 2 refuted, nothing said for ρ ≥ 2); if ``c̄_j = 0``, ∇f is the constant
  (0, …, 0, ∂f/∂b_L = c̄) and every ρ is refuted. The output j prefers
  ``c̄_j = 0`` (the stronger conclusion) when some output with ``H̄_jj ≠ 0`` has it.

:func:`certify_theorem_g` checks the premise exactly (``premise`` evidence),
then runs the curve certificate — the verdict comes from the computation along
the curve, not from the theorem — and compares the computed growth exponent
of ‖∇²f‖_F (and, for feed-forward networks, the critical exponent) with the
derived one. A disagreement makes the verdict ``undecided`` (for deep linear
networks, a refutation that disagrees with L − 2). When the premise
fails, the certificate reports what the curve shows and never attributes a
refutation to the theorem; with σ(0) = 0 and g = 0 (no biases) the Hessian
vanishes on the curve, so a refutation there would be inconsistent and is
reported as ``undecided``.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import prod

import sympy as sp
from flint import fmpq

from ..certificate import Certificate, certify_curve
from ..curves import Curve, curve_parameter
from ..errors import NotRational, ShapeError
from ..evidence import Premise, SymbolicIdentity
from .deep_linear import DeepLinearObjective
from .feedforward import FeedforwardObjective

__all__ = ["TheoremGFacts", "theorem_g_curve", "theorem_g_premise", "theorem_g_facts", "certify_theorem_g"]

Matrix = tuple[tuple[sp.Expr, ...], ...]


def _check_depth(objective) -> None:
    if objective.depth < 3:
        raise ShapeError(
            f"Theorem G needs at least 3 weight matrices (widths with at least 4 entries); got L = {objective.depth}"
        )


# -- the exact facts the theorem rests on ---------------------------------------------------------------
@dataclass(frozen=True)
class TheoremGFacts:
    """The exact quantities of Theorem G′ for one feed-forward network and its data (module docstring):
    σ(0), σ′(0), σ″(0); G = Σ_i ∇ℓ(0; y_i) x_iᵀ, c̄ = Σ_i ∇ℓ(0; y_i), H̄ = Σ_i ∇²ℓ(0; y_i); the output
    j whose row of E_L holds the ones, and why it was chosen; and what the theorem then predicts."""

    depth: int
    widths: tuple[int, ...]
    bias: bool
    activation: str
    at_zero: tuple[sp.Expr, sp.Expr, sp.Expr]
    data_term: Matrix
    gradient_sum: tuple[sp.Expr, ...]
    hessian_sum: Matrix
    output: int
    output_reason: str

    @property
    def activation_ready(self) -> bool:
        """σ(0) = 0 and σ′(0) ≠ 0."""
        s0, s1, _ = self.at_zero
        return s0 == 0 and s1 != 0

    @property
    def g(self) -> tuple[sp.Expr, ...]:
        """Row j of G: g = Σ_i ∂ℓ/∂u_j(0; y_i) x_i (Theorem G's g when m = 1)."""
        return self.data_term[self.output]

    @property
    def data_ready(self) -> bool:
        """g ≠ 0 (the data premise without biases)."""
        return any(v != 0 for v in self.g)

    @property
    def curvature(self) -> sp.Expr:
        """H̄_jj = Σ_i ∂²ℓ/∂u_j²(0; y_i) (the premise with biases)."""
        return self.hessian_sum[self.output][self.output]

    @property
    def gradient_term(self) -> sp.Expr:
        """c̄_j = Σ_i ∂ℓ/∂u_j(0; y_i): with biases, 0 means ∇f stays bounded on the curve."""
        return self.gradient_sum[self.output]

    @property
    def holds(self) -> bool:
        """The premise of the applicable statement (without biases: σ ready and g ≠ 0; with: σ ready
        and H̄_jj ≠ 0)."""
        return self.activation_ready and (self.curvature != 0 if self.bias else self.data_ready)

    @property
    def hess_exponent(self) -> int:
        """The derived growth exponent of ‖∇²f‖_F: L − 2 without biases, 2(L − 2) with."""
        return 2 * (self.depth - 2) if self.bias else self.depth - 2

    @property
    def critical_exponent(self) -> sp.Expr:
        """The derived ρ*: ∞ when ∇f stays bounded (no biases, or c̄_j = 0), else 2."""
        return sp.oo if not self.bias or self.gradient_term == 0 else sp.Integer(2)

    @property
    def suffix_constant(self) -> int:
        """c = n_3 ⋯ n_{L−1} (1 for L = 3): E_L ⋯ E_3 = c e_j 1ᵀ."""
        return prod(self.widths[3:self.depth])

    def prediction(self) -> str:
        """What the theorem says along the curve, in words."""
        L = self.depth
        if not self.bias:
            return (f"∇f ≡ 0 and ‖∇²f‖_F ~ t^{L - 2}: every ρ refuted")
        if self.gradient_term == 0:
            return f"‖∇f‖ bounded and ‖∇²f‖_F ~ t^{2 * (L - 2)}: every ρ refuted"
        return f"‖∇f‖ ~ t^{L - 2} and ‖∇²f‖_F ~ t^{2 * (L - 2)}: critical exponent 2 (every ρ < 2 refuted)"


def _to_fmpq(value: sp.Expr) -> fmpq:
    q = sp.Rational(value)
    return fmpq(int(q.p), int(q.q))


def _to_rational(value: fmpq) -> sp.Rational:
    return sp.Rational(int(value.p), int(value.q))


def _label_terms(loss, y: tuple, m: int) -> tuple[list, list[list]]:
    """∇_u ℓ(0; y) and ∇²_u ℓ(0; y): exact rationals (fmpq) when they are rational, else SymPy expressions."""
    try:
        _, grad, hess = loss.derivatives("exact", [fmpq(0)] * m, [_to_fmpq(v) for v in y])
        return list(grad), [list(row) for row in hess]
    except NotRational:
        _, _, hess = loss.derivatives("sympy", [sp.Integer(0)] * m, list(y))
        return list(loss.gradient_at_zero(y)), [[sp.simplify(e) for e in row] for row in hess]


def _data_terms(objective: FeedforwardObjective) -> tuple[Matrix, tuple[sp.Expr, ...], Matrix]:
    """G = Σ_i ∇ℓ(0; y_i) x_iᵀ, c̄ = Σ_i ∇ℓ(0; y_i) and H̄ = Σ_i ∇²ℓ(0; y_i), exactly (one loss evaluation per
    distinct label; sums in rational arithmetic when every term is rational)."""
    loss, m, n0 = objective.output_loss, objective.architecture.output_dim, objective.architecture.input_dim
    cache: dict[tuple, tuple[list, list[list]]] = {}
    terms = []
    for y in objective.data.label_vectors:
        key = tuple(y)
        if key not in cache:
            cache[key] = _label_terms(loss, key, m)
        terms.append(cache[key])
    exact = all(isinstance(v, fmpq) for grad, hess in cache.values() for v in [*grad, *(e for r in hess for e in r)])
    convert, back = (_to_fmpq, _to_rational) if exact else (sp.sympify, sp.simplify)
    zero = convert(sp.Integer(0))
    G = [[zero] * n0 for _ in range(m)]
    cbar, Hbar = [zero] * m, [[zero] * m for _ in range(m)]
    for x, (grad, hess) in zip(objective.data.inputs, terms):
        xs = [convert(v) for v in x]
        for j in range(m):
            c = grad[j]
            if c != 0:
                cbar[j] = cbar[j] + c
                G[j] = [g + c * v for g, v in zip(G[j], xs)]
            Hbar[j] = [h + e for h, e in zip(Hbar[j], hess[j])]
    return (tuple(tuple(back(v) for v in row) for row in G), tuple(back(v) for v in cbar),
            tuple(tuple(back(v) for v in row) for row in Hbar))


def _choose_output(bias: bool, G: Matrix, cbar: tuple, Hbar: Matrix) -> tuple[int, str]:
    """The output j whose row of E_L holds the ones (module docstring), and why."""
    m = len(cbar)
    if m == 1:
        return 0, "scalar output: W_L = t·(all ones)"
    if not bias:
        for j in range(m):
            if any(v != 0 for v in G[j]):
                return j, (f"output {j + 1}: the first whose row of G = Σ_i ∇ℓ(0; y_i) x_iᵀ is non-zero (all-ones "
                           "E_L would give 1ᵀG, zero for softmax cross-entropy)")
        return 0, "G = 0: no output has a non-zero row of G; the ones are put in row 1"
    for j in range(m):
        if cbar[j] == 0 and Hbar[j][j] != 0:
            return j, (f"output {j + 1}: Σ_i ∂ℓ/∂u_{j + 1}(0; y_i) = 0 and Σ_i ∂²ℓ/∂u_{j + 1}²(0; y_i) ≠ 0 "
                       "(∇f stays bounded along the curve)")
    for j in range(m):
        if Hbar[j][j] != 0:
            return j, f"output {j + 1}: the first with Σ_i ∂²ℓ/∂u_{j + 1}²(0; y_i) ≠ 0"
    return 0, "Σ_i ∇²ℓ(0; y_i) has a zero diagonal: the ones are put in row 1"


def theorem_g_facts(objective: FeedforwardObjective) -> TheoremGFacts:
    """The exact facts of Theorem G′ for a feed-forward objective (see :class:`TheoremGFacts`)."""
    if not isinstance(objective, FeedforwardObjective):
        raise TypeError("Theorem G′'s facts are defined for feed-forward network objectives")
    _check_depth(objective)
    architecture = objective.architecture
    G, cbar, Hbar = _data_terms(objective)
    output, reason = _choose_output(objective.bias, G, cbar, Hbar)
    return TheoremGFacts(objective.depth, tuple(architecture.widths), objective.bias, objective.activation.name,
                         tuple(objective.activation.at_zero), G, cbar, Hbar, output, reason)


# -- the curve and the premise ------------------------------------------------------------------------------
def theorem_g_curve(objective: DeepLinearObjective | FeedforwardObjective, parameter: str = "t",
                    output: int | None = None) -> Curve:
    """W_1 = W_2 = 0, W_l = t·(all ones) for 3 ≤ l < L; W_L = t·(all ones) for deep linear networks and
    t·e_j 1ᵀ for feed-forward networks (j = ``output``, 0-based, default the one of
    :func:`theorem_g_facts`); every bias 0."""
    if isinstance(objective, DeepLinearObjective):
        return _deep_linear_curve(objective, parameter)
    if not isinstance(objective, FeedforwardObjective):
        raise TypeError("the Theorem G curve is defined for deep linear and feed-forward network objectives")
    _check_depth(objective)
    architecture = objective.architecture
    m = architecture.output_dim
    j = theorem_g_facts(objective).output if output is None else output
    if not (isinstance(j, int) and 0 <= j < m):
        raise ShapeError(f"output must be an index 0 … {m - 1} of the network's outputs, got {j!r}")
    t = curve_parameter(parameter)
    zero = sp.Integer(0)
    coordinates: list[sp.Expr] = []
    L = architecture.depth
    for block in architecture.blocks:
        rows, cols = block.shape
        if block.kind == "bias" or block.layer <= 2:
            coordinates.extend([zero] * block.size)
        elif block.layer < L:
            coordinates.extend([t] * block.size)
        else:
            coordinates.extend(t if r == j else zero for r in range(rows) for _ in range(cols))
    where = "all ones" if m == 1 else f"ones in row {j + 1}"
    name = (f"Theorem G′: W1 = W2 = 0, W_l = {t.name}·ones (3 ≤ l < L), W_L = {t.name}·({where})"
            + (", biases 0" if architecture.bias else ""))
    return Curve(objective.variables, coordinates, t, name=name)


def _deep_linear_curve(objective: DeepLinearObjective, parameter: str) -> Curve:
    _check_depth(objective)
    t = curve_parameter(parameter)
    coordinates = {}
    for l, W in enumerate(objective.weight_symbols, 1):
        for row in W:
            for s in row:
                coordinates[s] = sp.Integer(0) if l <= 2 else t
    return Curve(objective.variables, coordinates, t, name=f"Theorem G: W1 = W2 = 0, W_l = {t.name}·ones (l ≥ 3)")


def theorem_g_premise(objective: DeepLinearObjective | FeedforwardObjective) -> list[sp.Expr]:
    """g = Σ_i ℓ′(0; y_i) x_i, exactly; for a feed-forward network the row of G at the chosen output j,
    Σ_i ∂ℓ/∂u_j(0; y_i) x_i."""
    if isinstance(objective, DeepLinearObjective):
        data = objective.data
        g = [sp.Integer(0)] * data.dim
        for x, y in zip(data.inputs, data.targets):
            d = objective.loss.derivative_at_zero(y)
            g = [gi + d * xi for gi, xi in zip(g, x)]
        return [sp.simplify(gi) for gi in g]  # exact; nsimplify could replace a rational by a radical
    return list(theorem_g_facts(objective).g)


def _vector(values) -> sp.Expr:
    values = list(values)
    return sp.Matrix(values).T if len(values) > 1 else values[0]


# -- certification ---------------------------------------------------------------------------------------
def certify_theorem_g(objective: DeepLinearObjective | FeedforwardObjective, *, rho: object = None,
                      **options) -> Certificate:
    """Certify Theorem G's (or G′'s) conclusion for this network along its curve: for every ρ at once, or
    at ``rho`` when given (the other options go to :func:`~dlnsmooth.certificate.certify_curve`)."""
    if isinstance(objective, DeepLinearObjective):
        return _certify_deep_linear(objective, rho, options)
    if isinstance(objective, FeedforwardObjective):
        return _certify_feedforward(objective, rho, options)
    raise TypeError("Theorem G is defined for deep linear and feed-forward network objectives")


def _target(rho: object) -> dict:
    return {"every_rho": True} if rho is None else {"rho": rho}


def _certify_deep_linear(objective: DeepLinearObjective, rho: object, options: dict) -> Certificate:
    curve = theorem_g_curve(objective)
    g = theorem_g_premise(objective)
    holds = any(gi != 0 for gi in g)
    premise = Premise(
        "premise g = Σ_i ℓ′(0; y_i) x_i ≠ 0", _vector(g), holds,
        "" if holds else "the premise fails: along this curve the Hessian vanishes, so the curve proves nothing",
    )
    claim = ("∇f is neither ρ-order nor ρ-integrated Lipschitz for any ρ ≥ 0 (Theorem G)" if rho is None else None)
    certificate = certify_curve(objective, curve, claim=claim, extra_evidence=[premise], **_target(rho), **options)
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
        _refutation_impossible(certificate)
    return certificate


def _refutation_impossible(certificate: Certificate) -> None:
    """The Hessian vanishes identically on the curve: a refutation would contradict the derivation."""
    if certificate.verdict == "refuted":
        certificate.verdict = "undecided"
        certificate.reason = "the premise fails yet the curve seemed to refute: inconsistent, reported as undecided"


def _premises(facts: TheoremGFacts, g: list[sp.Expr]) -> list[Premise]:
    """The premise evidence: the activation, then the data (no biases: g) or the curvature (biases)."""
    s0, s1, _ = facts.at_zero
    out = [Premise(f"premise σ(0) = 0 and σ′(0) ≠ 0 ({facts.activation}: (σ(0), σ′(0)))", sp.Matrix([[s0, s1]]),
                   facts.activation_ready,
                   "" if facts.activation_ready else "Theorem G′ does not apply: the outputs need not vanish on its "
                   "curve; the verdict below is only what the curve shows")]
    j = facts.output + 1
    if not facts.bias:
        ready = any(v != 0 for v in g)
        out.append(Premise(f"premise g = Σ_i ∂ℓ/∂u_{j}(0; y_i) x_i ≠ 0 ({facts.output_reason})", _vector(g), ready,
                           "" if ready else "the premise fails: along this curve the Hessian vanishes, so the curve "
                           "proves nothing"))
        return out
    out.append(Premise(f"premise Σ_i ∂²ℓ/∂u_{j}²(0; y_i) ≠ 0 ({facts.output_reason})", facts.curvature,
                       facts.curvature != 0,
                       "" if facts.curvature != 0 else "the (b2, b2) Hessian block need not grow"))
    bounded = facts.gradient_term == 0
    out.append(Premise(f"premise of the every-ρ case: Σ_i ∂ℓ/∂u_{j}(0; y_i) = 0 (∇f stays bounded)",
                       facts.gradient_term, bounded,
                       "" if bounded else f"so ‖∇f‖ ~ t^{facts.depth - 2} while ‖∇²f‖_F ~ t^{facts.hess_exponent}: "
                       "the derived critical exponent is 2"))
    return out


def _claim(facts: TheoremGFacts, rho: object) -> str:
    which = "any ρ ≥ 0" if rho is None else f"ρ = {sp.sstr(sp.sympify(rho))}"
    if not facts.holds:
        return f"∇f is neither ρ-order nor ρ-integrated Lipschitz for {which} (along Theorem G′'s curve; premise fails)"
    if facts.bias and facts.critical_exponent != sp.oo and rho is None:
        return ("∇f is neither ρ-order nor ρ-integrated Lipschitz for any ρ ≥ 0 (along Theorem G′'s curve with "
                "biases, where the derivation gives ρ* = 2, so that only ρ < 2 can be refuted)")
    return f"∇f is neither ρ-order nor ρ-integrated Lipschitz for {which} (Theorem G′{' with biases' if facts.bias else ''})"


def _certify_feedforward(objective: FeedforwardObjective, rho: object, options: dict) -> Certificate:
    facts = theorem_g_facts(objective)
    g = theorem_g_premise(objective)
    curve = theorem_g_curve(objective, output=facts.output)
    certificate = certify_curve(objective, curve, claim=_claim(facts, rho), extra_evidence=_premises(facts, g),
                                **_target(rho), **options)
    if facts.holds:
        _compare_growth(certificate, facts)
    elif not facts.activation_ready:
        s0, s1, _ = facts.at_zero
        certificate.notes.append(f"the {facts.activation} activation has σ(0) = {sp.sstr(s0)}, σ′(0) = {sp.sstr(s1)}: "
                                 "Theorem G′ does not apply, and the verdict is only what this curve shows")
    elif not facts.bias and not any(v != 0 for v in g):
        certificate.notes.append("premise g = 0 fails: along the Theorem G′ curve the Hessian vanishes, so the curve "
                                 "proves nothing for these data (another curve might)")
        _refutation_impossible(certificate)
    else:
        certificate.notes.append("premise Σ_i ∂²ℓ/∂u_j²(0; y_i) ≠ 0 fails: the derivation predicts nothing; the verdict "
                                 "is only what this curve shows")
    return certificate


def _compare_growth(certificate: Certificate, facts: TheoremGFacts) -> None:
    """The computed growth exponent of ‖∇²f‖_F and critical exponent against the derived ones; a
    disagreement makes the verdict undecided."""
    growth = certificate.growth
    if growth.source != "symbolic" or growth.hess_exponent is None:
        certificate.notes.append("the symbolic growth exponents are unavailable: not compared with Theorem G′")
        return
    hess = sp.Integer(facts.hess_exponent)
    hess_agrees = sp.simplify(growth.hess_exponent - hess) == 0
    certificate.evidence.append(SymbolicIdentity(
        f"growth exponent of ‖∇²f‖_F along the curve vs Theorem G′'s {'2(L − 2)' if facts.bias else 'L − 2'}",
        growth.hess_exponent, hess, bool(hess_agrees), "symbolic limit of log‖∇²f‖_F / log t"))
    critical = certificate.critical_exponent
    critical_agrees = critical is not None and (critical == facts.critical_exponent)
    certificate.evidence.append(SymbolicIdentity(
        "critical exponent ρ* along the curve vs Theorem G′'s", critical if critical is not None else sp.nan,
        facts.critical_exponent, bool(critical_agrees), "symbolic limits (growth-exponents)"))
    if not (hess_agrees and critical_agrees):
        computed = "undetermined" if critical is None else sp.sstr(critical)
        certificate.verdict = "undecided"
        certificate.reason = (f"the computation gives ‖∇²f‖_F ~ t^{sp.sstr(growth.hess_exponent)} and ρ* = {computed}, "
                              f"but Theorem G′ derives t^{facts.hess_exponent} and ρ* = "
                              f"{sp.sstr(facts.critical_exponent)} ({facts.prediction()}): the computation and the "
                              "theorem disagree")

"""Shared Hypothesis strategies for the property-based tests, one section per property suite."""


# =====================================================================================
# Objectives, vector fields, pairs, ρ and constants (tests/test_properties_conditions.py)
# =====================================================================================
# Everything is drawn from small integers so that failures shrink to readable
# counterexamples: coefficients and coordinates are p/q with |p| ≤ 3 and q ∈ {1, 2, 4},
# ρ = p/q with q ≤ 6, constants p/q ≥ 0. Integers shrink towards 0 and `sampled_from`
# towards its first element, so the simplest instance is f = x, D = ∇f, x1 = 0, ρ = 0.

import sympy as _sp
from hypothesis import strategies as _st

from dlnsmooth.networks.deep_linear import deep_linear as _deep_linear
from dlnsmooth.objective import Objective as _Objective
from dlnsmooth.objective import VectorField as _VectorField
from dlnsmooth.parsing import declare_variables as _declare_variables

_VARIABLE_NAMES = ("x", "y", "z", "w")


def cond_small_rationals(max_abs: int = 3, denominators=(1, 2, 4), nonzero: bool = False):
    """p/q with |p| ≤ max_abs, q from ``denominators`` (shrinks to 0, or to 1 when nonzero)."""
    numerators = _st.integers(-max_abs, max_abs)
    if nonzero:
        numerators = _st.integers(1, max_abs) | _st.integers(-max_abs, -1)
    return _st.builds(lambda p, q: _sp.Rational(p, q), numerators, _st.sampled_from(denominators))


def cond_rhos(max_rho: int = 3):
    """ρ ∈ [0, max_rho]: 0 first (the a^0 = 1 convention), then the usual suspects, then any p/q, q ≤ 6."""
    special = _st.sampled_from([_sp.Integer(0), _sp.Integer(1), _sp.Rational(1, 2), _sp.Rational(2, 3),
                                _sp.Integer(2), _sp.Integer(max_rho)])
    fractions = _st.integers(1, 6).flatmap(
        lambda q: _st.integers(0, max_rho * q).map(lambda p: _sp.Rational(p, q)))
    return special | fractions


def cond_rho_pairs(max_rho: int = 3):
    """(ρ1, ρ2) with 0 ≤ ρ1 ≤ ρ2 ≤ max_rho."""
    return _st.tuples(cond_rhos(max_rho), cond_rhos(max_rho)).map(lambda r: (min(r), max(r)))


def cond_constants():
    """C ≥ 0: 0 first, then p/q with 0 ≤ p ≤ 20, q ∈ {1, 2, 4, 10}."""
    return _st.just(_sp.Integer(0)) | _st.builds(
        lambda p, q: _sp.Rational(p, q), _st.integers(0, 20), _st.sampled_from([1, 2, 4, 10]))


@_st.composite
def _polynomial(draw, variables, max_degree: int = 4, max_terms: int = 3):
    """Σ c·monomial, each monomial a product of 1..max_degree of the variables (with repeats)."""
    monomial = _st.integers(1, max_degree).flatmap(
        lambda degree: _st.lists(_st.sampled_from(variables), min_size=degree, max_size=degree).map(lambda f: _sp.Mul(*f)))
    monomials = draw(_st.lists(monomial, min_size=1, max_size=max_terms, unique=True))  # distinct: no cancellation
    return _sp.Add(*[draw(cond_small_rationals(nonzero=True)) * m for m in monomials])


def _variables(n: int):
    return _declare_variables(",".join(_VARIABLE_NAMES[:n]))


@_st.composite
def cond_polynomial_objectives(draw, max_vars: int = 4, max_degree: int = 4):
    """Random polynomials of degree ≤ max_degree in 1..max_vars variables."""
    xs = _variables(draw(_st.integers(1, max_vars)))
    return _Objective(draw(_polynomial(xs, max_degree)), xs)


@_st.composite
def cond_exp_log_objectives(draw, max_vars: int = 4):
    """log(1 + exp(L)) for a random linear form L = a·x + b or multilinear form c·x_i x_j …,
    or log(exp(L1) + exp(L2)) (log-sum-exp of two linear forms)."""
    xs = _variables(draw(_st.integers(1, max_vars)))

    def linear():
        return _st.builds(lambda a, b: _sp.Add(*[c * v for c, v in zip(a, xs)]) + b,
                          _st.lists(cond_small_rationals(), min_size=len(xs), max_size=len(xs)),
                          cond_small_rationals())

    def multilinear():
        return _st.builds(lambda c, vs: c * _sp.Mul(*vs), cond_small_rationals(nonzero=True),
                          _st.lists(_st.sampled_from(xs), min_size=1, max_size=len(xs), unique=True))

    kind = draw(_st.sampled_from(["softplus-linear", "softplus-multilinear", "logsumexp"]))
    if kind == "softplus-linear":
        expr = _sp.log(1 + _sp.exp(draw(linear())))
    elif kind == "softplus-multilinear":
        expr = _sp.log(1 + _sp.exp(draw(multilinear())))
    else:
        expr = _sp.log(_sp.exp(draw(linear())) + _sp.exp(draw(linear())))
    return _Objective(expr, xs)


@_st.composite
def cond_deep_linear_objectives(draw, max_weights: int = 6):
    """Deep linear network losses: input width 1–2, 1–2 hidden layers of width 1–2, output 1,
    1–2 observations with integer inputs in [−2, 2], logistic (labels ±1) or squared loss."""
    n0 = draw(_st.integers(1, 2))
    hidden = draw(_st.lists(_st.integers(1, 2), min_size=1, max_size=2))
    widths = [n0, *hidden, 1]
    if sum(a * b for a, b in zip(widths, widths[1:])) > max_weights:
        widths = [n0, 1, 1]
    loss = draw(_st.sampled_from(["logistic", "squared"]))
    labels = _st.sampled_from([1, -1]) if loss == "logistic" else _st.integers(-2, 2)
    # inputs x ≠ 0: with x = 0 (and y = 0 for the squared loss) f would be constant
    inputs = _st.lists(_st.integers(-2, 2), min_size=n0, max_size=n0).map(lambda x: x if any(x) else [1] + x[1:])
    data = draw(_st.lists(_st.tuples(inputs, labels), min_size=1, max_size=2))
    return _deep_linear(widths, [(list(x), y) for x, y in data], loss)


def cond_objectives(max_vars: int = 4):
    """f from the three families (polynomials first: they shrink best)."""
    return (cond_polynomial_objectives(max_vars) | cond_exp_log_objectives(max_vars)
            | cond_deep_linear_objectives())


@_st.composite
def cond_polynomial_fields(draw, max_vars: int = 3, max_degree: int = 3):
    """Continuous maps D : Rⁿ → Rⁿ that need not be gradients (e.g. the rotation (−y, x))."""
    xs = _variables(draw(_st.integers(1, max_vars)))
    return _VectorField([draw(_polynomial(xs, max_degree, max_terms=2)) for _ in xs], xs)


def cond_fields(max_vars: int = 4):
    """D = ∇f for f from the families, or a polynomial vector field."""
    return cond_objectives(max_vars).map(lambda f: f.gradient_field) | cond_polynomial_fields()


@_st.composite
def cond_pairs(draw, n: int, max_coord: int = 3):
    """(x1, x2), x1 ≠ x2, exact rationals: nearly equal (x2 = x1 + 10^-k d, k = 2..6), at unit
    scale, or far apart (x2 = x1 + s d, s = 4..50); d is a non-zero integer direction."""
    coordinate = cond_small_rationals(max_coord)
    x1 = draw(_st.lists(coordinate, min_size=n, max_size=n))
    direction = draw(_st.lists(_st.integers(-2, 2), min_size=n, max_size=n))
    if not any(direction):
        direction[draw(_st.integers(0, n - 1))] = 1
    kind = draw(_st.sampled_from(["unit", "near", "far"]))
    if kind == "near":
        scale = _sp.Rational(1, 10 ** draw(_st.integers(2, 6)))
    elif kind == "far":
        scale = _sp.Integer(draw(_st.integers(4, 50)))
    else:
        scale = _sp.Integer(1)
    return x1, [a + scale * d for a, d in zip(x1, direction)]


# =====================================================================================
# Instances of the condition properties (tests/test_properties_conditions.py)
# =====================================================================================
def _show(x) -> str:
    return "[" + ", ".join(str(v) for v in x) + "]"

class PairInstance:
    """A map D, a pair (x1, x2), an exponent and constants — printed readably when it fails."""

    def __init__(self, D: _VectorField, x1, x2, rho: _sp.Rational, C0: _sp.Rational, C1: _sp.Rational):
        self.D, self.x1, self.x2, self.rho, self.C0, self.C1 = D, tuple(x1), tuple(x2), rho, C0, C1

    def __repr__(self) -> str:
        components = ", ".join(_sp.sstr(c) for c in self.D.components)
        variables = ", ".join(v.name for v in self.D.variables)
        return (f"PairInstance(D({variables}) = ({components}), x1={_show(self.x1)}, x2={_show(self.x2)}, "
                f"rho={self.rho}, C0={self.C0}, C1={self.C1})")

@_st.composite
def pair_instances(draw, rhos=None, max_vars: int = 4):
    D = draw(cond_fields(max_vars))
    x1, x2 = draw(cond_pairs(D.n))
    rho = draw(rhos if rhos is not None else cond_rhos())
    return PairInstance(D, tuple(x1), tuple(x2), rho, draw(cond_constants()), draw(cond_constants()))

def nonnegative_reals():
    """a ≥ 0 exactly: 0, p/q, tiny 1/10^k and huge p·10^k."""
    fraction = _st.builds(lambda p, q: _sp.Rational(p, q), _st.integers(0, 20), _st.integers(1, 10))
    tiny = _st.integers(1, 30).map(lambda k: _sp.Rational(1, 10**k))
    huge = _st.builds(lambda p, k: _sp.Integer(p) * 10**k, _st.integers(1, 9), _st.integers(1, 30))
    return _st.just(_sp.Integer(0)) | fraction | tiny | huge

@_st.composite
def ordering_instances(draw):
    rho1, rho2 = draw(cond_rho_pairs())
    return draw(pair_instances(rhos=_st.just(rho1))), rho2

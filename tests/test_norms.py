"""dlnsmooth.norms: the vector and matrix norms of SPEC §0.

Precision convention of this file: a norm is computed inside ``mp.workdps(D)``
(D = 50 unless stated) and compared with the exact value evaluated at D + 30
digits. Each norm costs a handful of correctly rounded operations (squares, an
fsum, a square root) or a converged eigen/singular value iteration, so an error
of a few units in the last place is expected; we require D − 5 correct digits
(relative), a bar a float-based or truncated computation could not meet.
"""

from __future__ import annotations

from fractions import Fraction

import mpmath as mp
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from dlnsmooth.errors import ShapeError
from dlnsmooth.norms import (
    NORM_SYMBOLS,
    Norm,
    frobenius_norm,
    matrix_norm,
    spectral_norm,
    symbolic_squared_norm,
    vector_norm,
)

DPS = 50


def _agrees(value, exact, digits):
    """``value`` matches ``exact`` (a callable evaluated at high precision) to ``digits``
    significant digits; an exact zero must be matched absolutely to 10^-digits.
    Pass non-integer targets as callables so that they are built at high precision."""
    with mp.workdps(digits + 30):
        target = exact() if callable(exact) else mp.mpf(exact)
        return abs(value - target) <= mp.mpf(10) ** (-digits) * max(abs(target), 1)


# --- Norm names ------------------------------------------------------------------------


def test_norm_parse_accepts_names_and_members():
    assert Norm.parse("euclidean") is Norm.EUCLIDEAN
    assert Norm.parse("frobenius") is Norm.FROBENIUS
    assert Norm.parse("spectral") is Norm.SPECTRAL
    assert Norm.parse(Norm.SPECTRAL) is Norm.SPECTRAL
    # Norm is a str enum: its value round-trips through JSON/CLI strings
    assert Norm.parse(Norm.FROBENIUS.value) is Norm.FROBENIUS


@pytest.mark.parametrize("bad", ["l2", "operator", "", "Frobenius2", "2"])
def test_norm_parse_rejects_unknown_names_and_lists_the_valid_ones(bad):
    with pytest.raises(ValueError, match="unknown norm") as info:
        Norm.parse(bad)
    message = str(info.value)
    assert all(n.value in message for n in Norm)
    assert repr(bad) in message


def test_every_norm_has_a_report_symbol():
    assert set(NORM_SYMBOLS) == set(Norm)
    assert NORM_SYMBOLS[Norm.SPECTRAL] == "‖·‖₂"
    assert NORM_SYMBOLS[Norm.FROBENIUS] == "‖·‖_F"


# --- vector norm -----------------------------------------------------------------------


def test_vector_norm_exact_cases():
    with mp.workdps(DPS):
        assert vector_norm([3, 4]) == 5
        assert vector_norm([mp.mpf(-12), 5]) == 13
        assert vector_norm([0, 0, 0]) == 0
        assert vector_norm([]) == 0
        assert vector_norm([mp.mpf(-7)]) == 7
        assert isinstance(vector_norm([3, 4]), mp.mpf)


def test_vector_norm_keeps_the_working_precision():
    # ‖(1, 1)‖ = √2 and ‖(1/3, 2/3, 2/3)‖ = 1 must come out at 50 digits, not ~16.
    with mp.workdps(DPS):
        root2 = vector_norm([1, 1])
        one = vector_norm([mp.mpf(1) / 3, mp.mpf(2) / 3, mp.mpf(2) / 3])
    assert _agrees(root2, lambda: mp.sqrt(2), DPS - 5)
    assert _agrees(one, 1, DPS - 5)
    with mp.workdps(100):
        root2_100 = vector_norm([1, 1])
    assert _agrees(root2_100, lambda: mp.sqrt(2), 95)


def test_vector_norm_of_huge_and_tiny_entries_does_not_overflow():
    # mpmath has an unbounded exponent: ‖(3·10^400, 4·10^400)‖ = 5·10^400
    with mp.workdps(DPS):
        big = vector_norm([mp.mpf("3e400"), mp.mpf("4e400")])
        tiny = vector_norm([mp.mpf("3e-400"), mp.mpf("4e-400")])
    assert _agrees(big, lambda: mp.mpf("5e400"), DPS - 5)
    with mp.workdps(DPS + 30):
        assert abs(tiny / mp.mpf("5e-400") - 1) < mp.mpf(10) ** (5 - DPS)


# --- Frobenius norm --------------------------------------------------------------------


def test_frobenius_norm_exact_and_irrational_values():
    with mp.workdps(DPS):
        assert frobenius_norm([[1, 2], [2, 4]]) == 5  # √(1+4+4+16)
        assert frobenius_norm([[0, 0], [0, 0]]) == 0
        assert frobenius_norm([[-7]]) == 7
        h = frobenius_norm([[2, 3], [3, 2]])
        m = frobenius_norm(mp.matrix([[1, 1], [1, 1]]))  # mpmath matrices are accepted too
    assert _agrees(h, lambda: mp.sqrt(26), DPS - 5)
    assert _agrees(m, 2, DPS - 5)


def test_non_square_matrices_are_shape_errors():
    with pytest.raises(ShapeError, match="square"):
        frobenius_norm([[1, 2, 3], [4, 5, 6]])
    with pytest.raises(ShapeError, match="square"):
        spectral_norm([[1, 2], [3]])
    with pytest.raises(ShapeError):
        matrix_norm([[1, 2]], "spectral")


# --- spectral norm ---------------------------------------------------------------------


def test_spectral_norm_of_symmetric_matrix_is_largest_absolute_eigenvalue():
    with mp.workdps(DPS):
        a = spectral_norm([[2, 1], [1, 2]])  # eigenvalues 1, 3
        b = spectral_norm([[1, 2], [2, -5]])  # eigenvalues −2 ± √13: the negative one is largest in modulus
        c = spectral_norm([[2, 3], [3, 2]])  # eigenvalues 5, −1
        d = spectral_norm([[-4, 0, 0], [0, 1, 0], [0, 0, 3]])
    assert _agrees(a, 3, 45)  # exactly 3 to 45 digits (brief)
    assert _agrees(b, lambda: 2 + mp.sqrt(13), DPS - 5)
    assert _agrees(c, 5, DPS - 5)
    assert _agrees(d, 4, DPS - 5)


def test_spectral_norm_of_non_symmetric_matrix_is_largest_singular_value():
    with mp.workdps(DPS):
        # [[1,2],[0,1]]: AᵀA has eigenvalues 3 ± 2√2, so σ_max = √(3+2√2) = 1 + √2,
        # while the largest |eigenvalue| is only 1.
        shear = spectral_norm([[1, 2], [0, 1]])
        # nilpotent: both eigenvalues are 0, the operator norm is 1
        nil = spectral_norm([[0, 1], [0, 0]])
        # rank one u vᵀ with u = (1, 2), v = (3, 4): ‖u‖‖v‖ = 5√5
        rank1 = spectral_norm([[3, 4], [6, 8]])
    assert _agrees(shear, lambda: 1 + mp.sqrt(2), DPS - 5)
    assert _agrees(nil, 1, DPS - 5)
    assert _agrees(rank1, lambda: 5 * mp.sqrt(5), DPS - 5)


def test_spectral_norm_small_and_zero_cases():
    with mp.workdps(DPS):
        assert spectral_norm([[mp.mpf(-3)]]) == 3
        assert spectral_norm([[mp.mpf("2.5")]]) == mp.mpf("2.5")
        assert spectral_norm([[0, 0, 0], [0, 0, 0], [0, 0, 0]]) == 0
        assert spectral_norm([]) == 0
        from_mp_matrix = spectral_norm(mp.matrix([[0, 2], [2, 0]]))  # mp.matrix input, eigenvalues ±2
    assert _agrees(from_mp_matrix, 2, DPS - 5)


def test_spectral_norm_is_scale_invariant_at_extreme_magnitudes():
    # the symmetry test is relative to the largest entry, so a symmetric matrix of
    # size 10^300 is still recognised and its norm is 3·10^300
    with mp.workdps(DPS):
        s = mp.mpf("1e300")
        big = spectral_norm([[2 * s, s], [s, 2 * s]])
    assert _agrees(big, lambda: mp.mpf("3e300"), DPS - 5)


# --- matrix_norm by name ---------------------------------------------------------------


def test_matrix_norm_by_name():
    H = [[2, 3], [3, 2]]
    with mp.workdps(DPS):
        default = matrix_norm(H)
        fro = matrix_norm(H, "frobenius")
        spec = matrix_norm(H, Norm.SPECTRAL)
    assert default == fro  # Frobenius is the default
    assert _agrees(fro, lambda: mp.sqrt(26), DPS - 5)
    assert _agrees(spec, 5, DPS - 5)


def test_matrix_norm_rejects_euclidean_and_unknown_names():
    with pytest.raises(ValueError, match="frobenius' or 'spectral"):
        matrix_norm([[1]], "euclidean")
    with pytest.raises(ValueError, match="unknown norm"):
        matrix_norm([[1]], "nuclear")


# --- ‖H‖_F/√n ≤ ‖H‖₂ ≤ ‖H‖_F ------------------------------------------------------------

EXAMPLES = [
    [[2, 1], [1, 2]],
    [[1, 2], [0, 1]],
    [[0, 1], [0, 0]],
    [[1, 0], [0, 1]],  # identity: the lower bound is attained (‖I‖_F/√n = 1 = ‖I‖₂)
    [[3, 4], [6, 8]],  # rank one: the upper bound is attained (‖H‖₂ = ‖H‖_F)
    [[1, -2, 3], [-2, 5, 0], [3, 0, -1]],
    [[1, 2, 3], [4, 5, 6], [7, 8, 10]],
    [[Fraction(1, 3), 0, 0, 0], [0, Fraction(1, 7), 1, 0], [0, 0, 2, 0], [5, 0, 0, -1]],
]


def _check_equivalence(H):
    n = len(H)
    with mp.workdps(DPS):
        rows = [[mp.mpf(v.numerator) / v.denominator if isinstance(v, Fraction) else mp.mpf(v) for v in r]
                for r in H]
        fro = frobenius_norm(rows)
        spec = spectral_norm(rows)
    # attained bounds are exact equalities up to rounding: allow 10^(5−DPS) relatively
    with mp.workdps(DPS + 30):
        slack = mp.mpf(10) ** (5 - DPS) * fro
        assert fro / mp.sqrt(n) <= spec + slack
        assert spec <= fro + slack
    return fro, spec


@pytest.mark.parametrize("H", EXAMPLES)
def test_frobenius_spectral_equivalence_on_examples(H):
    _check_equivalence(H)


def test_equivalence_bounds_are_attained():
    fro, spec = _check_equivalence([[1, 0], [0, 1]])
    assert _agrees(spec, 1, DPS - 5) and _agrees(fro, lambda: mp.sqrt(2), DPS - 5)
    fro, spec = _check_equivalence([[3, 4], [6, 8]])
    assert _agrees(spec, lambda: 5 * mp.sqrt(5), DPS - 5) and _agrees(fro, lambda: 5 * mp.sqrt(5), DPS - 5)


@given(st.integers(1, 4).flatmap(
    lambda n: st.lists(st.lists(st.integers(-9, 9), min_size=n, max_size=n), min_size=n, max_size=n)))
def test_frobenius_spectral_equivalence_property(H):
    _check_equivalence(H)


@given(st.integers(1, 4).flatmap(
    lambda n: st.lists(st.lists(st.integers(-9, 9), min_size=n, max_size=n), min_size=n, max_size=n)))
def test_spectral_norm_matches_sympy_exact_singular_value(H):
    # ‖H‖₂² is the largest eigenvalue of HᵀH, computed exactly by SymPy (real roots of
    # the characteristic polynomial) and evaluated at DPS + 30 digits.
    M = sp.Matrix(H)
    gram = M.T * M
    lam = sp.symbols("lam")
    roots = sp.Poly(gram.charpoly(lam).as_expr(), lam).real_roots()
    top = max(roots, key=lambda r: sp.N(r, 40)) if roots else sp.Integer(0)
    with mp.workdps(DPS):
        spec = spectral_norm([[mp.mpf(v) for v in row] for row in H])
    # the exact value is converted inside _agrees, at DPS + 30 digits (not at the global 15)
    assert _agrees(spec, lambda: mp.mpf(sp.N(sp.sqrt(top), DPS + 30)), DPS - 5)


# --- symbolic squared norm -------------------------------------------------------------


def test_symbolic_squared_norm_of_vector_and_matrix():
    x, y = sp.symbols("x y", real=True)
    assert sp.expand(symbolic_squared_norm([x, 2 * y, 0]) - (x**2 + 4 * y**2)) == 0
    H = sp.Matrix([[12 * x**2, 1], [1, sp.exp(y)]])
    squared = symbolic_squared_norm(H)
    assert sp.simplify(squared - (144 * x**4 + 2 + sp.exp(2 * y))) == 0
    # no square roots: the squared norm stays a polynomial / exp-log expression
    assert all(p.exp.is_integer for p in squared.atoms(sp.Pow))
    assert symbolic_squared_norm([]) == 0
    assert symbolic_squared_norm([sp.Integer(0), sp.Integer(0)]) == 0
    # consistency with the numeric Frobenius norm at a point (x, y) = (1, 0): √(144 + 2 + 1)
    with mp.workdps(DPS):
        numeric = frobenius_norm([[12, 1], [1, 1]])
    assert _agrees(numeric, lambda: mp.sqrt(mp.mpf(squared.subs({x: 1, y: 0}))), DPS - 5)

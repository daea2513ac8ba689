"""dlnsmooth.networks.losses: ℓ(u; y), its exact derivatives in u, label checks and lookup."""

import mpmath as mp
import pytest
import sympy as sp

from dlnsmooth.errors import DataError, DlnsmoothError
from dlnsmooth.networks.losses import LOSSES, Loss, U, Y, get_loss

LOGISTIC, SQUARED, EXPONENTIAL = LOSSES["logistic"], LOSSES["squared"], LOSSES["exponential"]

#: the closed forms (ℓ, ℓ′, ℓ″) of the module docstring, written independently of the package
CLOSED_FORMS = {
    "logistic": (sp.log(1 + sp.exp(-Y * U)),
                 -Y / (1 + sp.exp(Y * U)),
                 Y**2 * sp.exp(Y * U) / (1 + sp.exp(Y * U)) ** 2),
    "squared": ((U - Y) ** 2 / 2, U - Y, sp.Integer(1)),
    "exponential": (sp.exp(-Y * U), -Y * sp.exp(-Y * U), Y**2 * sp.exp(-Y * U)),
}


def _is_zero(expression: sp.Expr) -> bool:
    return sp.simplify(sp.sympify(expression).rewrite(sp.exp)) == 0


def test_the_documented_losses_are_registered():
    assert set(LOSSES) == {"logistic", "squared", "exponential"}
    assert {name: loss.labels for name, loss in LOSSES.items()} == {
        "logistic": "sign", "squared": "real", "exponential": "sign"}
    for name, loss in LOSSES.items():
        assert isinstance(loss, Loss) and loss.name == name
    assert U.is_real and Y.is_real and U.name == "u" and Y.name == "y"


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_derivatives_equal_sympy_diff_of_the_loss(name):
    """Covers every registered loss, including any added later."""
    loss = LOSSES[name]
    assert _is_zero(loss.first - sp.diff(loss.expr, U))
    assert _is_zero(loss.second - sp.diff(loss.expr, U, 2))
    assert _is_zero(loss.second - sp.diff(loss.first, U))
    # the same at numbers, exactly substituted
    for u, y in [(0, 1), (sp.Rational(1, 3), -1), (-2, 1), (sp.Rational(7, 5), sp.Rational(-1, 2))]:
        assert _is_zero(loss.d1(u, y) - sp.diff(loss.expr, U).subs({U: u, Y: y}))
        assert _is_zero(loss.d2(u, y) - sp.diff(loss.expr, U, 2).subs({U: u, Y: y}))


@pytest.mark.parametrize("name", sorted(CLOSED_FORMS))
def test_loss_and_derivatives_match_the_closed_forms(name):
    loss = LOSSES[name]
    value, first, second = CLOSED_FORMS[name]
    assert _is_zero(loss.expr - value)
    assert _is_zero(loss.first - first)
    assert _is_zero(loss.second - second)
    assert _is_zero(loss(sp.Symbol("a") + 1, 3) - value.subs({U: sp.Symbol("a") + 1, Y: 3}))


@pytest.mark.parametrize(
    ("loss", "u", "y", "expected"),
    [
        # logistic at u = 0: ℓ = log 2, ℓ′ = −y/2, ℓ″ = y²/4
        (LOGISTIC, 0, 1, (sp.log(2), sp.Rational(-1, 2), sp.Rational(1, 4))),
        (LOGISTIC, 0, -1, (sp.log(2), sp.Rational(1, 2), sp.Rational(1, 4))),
        # logistic at u = log 3, y = 1: exp(−u) = 1/3
        (LOGISTIC, sp.log(3), 1, (sp.log(sp.Rational(4, 3)), sp.Rational(-1, 4), sp.Rational(3, 16))),
        # ... and with y = −1: ℓ = log 4, ℓ′ = 3/4, ℓ″ = 3/16
        (LOGISTIC, sp.log(3), -1, (sp.log(4), sp.Rational(3, 4), sp.Rational(3, 16))),
        (SQUARED, 3, sp.Rational(1, 2), (sp.Rational(25, 8), sp.Rational(5, 2), 1)),
        (SQUARED, sp.Rational(-1, 3), 2, (sp.Rational(49, 18), sp.Rational(-7, 3), 1)),
        (SQUARED, 0, 0, (0, 0, 1)),
        (EXPONENTIAL, 0, 1, (1, -1, 1)),
        (EXPONENTIAL, sp.log(2), 1, (sp.Rational(1, 2), sp.Rational(-1, 2), sp.Rational(1, 2))),
        (EXPONENTIAL, sp.log(2), -1, (2, 2, 2)),
    ],
)
def test_values_at_points_are_exact(loss, u, y, expected):
    got = (loss(u, y), loss.d1(u, y), loss.d2(u, y))
    for value, want in zip(got, expected):
        assert _is_zero(value - want), (loss.name, u, y, value, want)


@pytest.mark.parametrize(
    ("loss", "y", "expected"),
    [
        (LOGISTIC, 1, sp.Rational(-1, 2)),
        (LOGISTIC, -1, sp.Rational(1, 2)),
        (SQUARED, 1, -1),
        (SQUARED, sp.Rational(3, 2), sp.Rational(-3, 2)),
        (SQUARED, 0, 0),
        (EXPONENTIAL, 1, -1),
        (EXPONENTIAL, -1, 1),
    ],
)
def test_derivative_at_zero_is_exact(loss, y, expected):
    """ℓ′(0; y), the quantity in Theorem G's premise, as an exact rational."""
    got = loss.derivative_at_zero(y)
    assert got == expected and got.is_Rational


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_compiled_fields_match_the_closed_forms(name):
    loss = LOSSES[name]
    value, first, second = (sp.lambdify((U, Y), e, modules="mpmath") for e in CLOSED_FORMS[name])
    with mp.workdps(50):
        for u, y in [(mp.mpf("0.3"), 1), (mp.mpf(-2), -1), (mp.mpf(40), 1), (mp.mpf("1.25"), mp.mpf("-0.5"))]:
            if loss.labels == "sign" and y not in (1, -1):
                continue
            for field, reference in zip(loss.fields, (value, first, second)):
                got, want = field([u, y], 50)[0], reference(u, y)
                assert abs(got - want) <= mp.mpf(10) ** -45 * max(1, abs(want)), (name, u, y, got, want)
    assert mp.mp.dps == 15


@pytest.mark.parametrize("name", ["logistic", "exponential"])
@pytest.mark.parametrize("y", [0, 2, -3, sp.Rational(1, 2), sp.Rational(-1, 2)])
def test_sign_losses_reject_other_labels(name, y):
    with pytest.raises(DataError) as info:
        LOSSES[name].check_label(sp.Rational(y), 2)
    message = str(info.value)
    assert "observation 3" in message and name in message and "y in {-1, +1}" in message
    assert f"y = {sp.Rational(y)}" in message
    assert isinstance(info.value, DlnsmoothError) and isinstance(info.value, ValueError)


@pytest.mark.parametrize("name", ["logistic", "exponential"])
def test_sign_losses_accept_plus_and_minus_one(name):
    for y in (sp.Integer(1), sp.Integer(-1)):
        assert LOSSES[name].check_label(y, 0) is None


@pytest.mark.parametrize("y", [0, 2, -3, sp.Rational(1, 2), sp.Rational(-7, 100)])
def test_squared_loss_accepts_every_real_label(y):
    assert SQUARED.check_label(sp.Rational(y), 0) is None


def test_lookup_by_name_is_case_and_space_insensitive():
    assert get_loss("logistic") is LOGISTIC
    assert get_loss("  Squared ") is SQUARED
    assert get_loss("EXPONENTIAL") is EXPONENTIAL
    assert get_loss(LOGISTIC) is LOGISTIC
    custom = Loss("quartic", (U - Y) ** 4, "real")
    assert get_loss(custom) is custom


@pytest.mark.parametrize("bad", ["hinge", "", "logistic2", None, 3])
def test_unknown_loss_names_raise_a_data_error_listing_the_choices(bad):
    with pytest.raises(DataError) as info:
        get_loss(bad)
    message = str(info.value)
    assert "unknown loss" in message and repr(bad) in message
    assert "logistic, squared, exponential" in message


def test_a_user_defined_loss_derives_its_own_derivatives():
    quartic = Loss("quartic", (U - Y) ** 4 / 4, "real", "(u - y)^4 / 4")
    assert sp.expand(quartic.first - (U - Y) ** 3) == 0
    assert sp.expand(quartic.second - 3 * (U - Y) ** 2) == 0
    assert quartic.derivative_at_zero(2) == -8
    assert quartic.latex() == sp.latex((U - Y) ** 4 / 4)

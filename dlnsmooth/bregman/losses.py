"""The registry of common losses F of a model output, for the Bregman conditions (SPEC §4.3).

Each :class:`CommonLoss` is F as a SymPy expression of the model output (one real variable, or the
n logits of a softmax), with its parameters (exact, validated) and a one-line description:

=====================  ====================================================  ==================
name (aliases)         F                                                     parameters
=====================  ====================================================  ==================
squared                u²                                                    —
absolute-power         |u|^a                                                 a > 1 (default 3)
huber                  u²/2 for |u| ≤ δ, δ(|u| − δ/2) otherwise              δ > 0 (default 1)
pseudo-huber           δ²(√(1 + (u/δ)²) − 1)                                 δ > 0 (default 1)
log-cosh               log cosh u                                            —
softplus (logistic)    log(1 + eᵘ) (the logistic loss log(1 + e^(−yz)) at    —
                       label y = −1, as a function of u = z)
exponential            eᵘ (the exponential loss e^(−yz) at y = −1)           —
softmax-cross-entropy  log Σ_i e^(u_i) − u_y (log-sum-exp of the n logits     n ≥ 2 (default 3),
(cross-entropy,        minus a linear term, which changes no Bregman          y ∈ {1, …, n}
log-sum-exp)           divergence)                                            (default 1)
=====================  ====================================================  ==================

A loss is named on the command line as ``NAME`` or ``NAME:param=value,param=value``
(``absolute-power:a=3/2``, ``huber:delta=2``, ``softmax-cross-entropy:n=2``); :func:`lookup_loss`
reads that form, :func:`get_loss` finds a name. Parameters are exact rationals.

The definitions of H(φ, c_φ)-convexity and H(Φ, c_Φ)-smoothness these losses are checked against are
a reconstruction of seed 002 (an abstract only), SPEC §4.3.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import sympy as sp

from ..errors import ParseError
from ..numbers import compare, parse_number

__all__ = [
    "Parameter",
    "CommonLoss",
    "LossInstance",
    "LOSSES",
    "ALIASES",
    "Shape",
    "get_loss",
    "lookup_loss",
    "loss_names",
]

Shape = Literal["univariate", "log-sum-exp"]
#: Largest number of logits accepted for the softmax cross-entropy.
MAX_LOGITS = 50


@dataclass(frozen=True)
class Parameter:
    """A parameter of a loss: an exact rational with a default, valid when ``lower < value`` (strictly)
    or ``lower <= value`` (``strict=False``); ``integer`` asks for an integer."""

    name: str
    default: sp.Rational
    description: str
    lower: sp.Rational
    strict: bool = True
    integer: bool = False

    def read(self, value: object, loss: str) -> sp.Rational:
        number = parse_number(value, what=f"parameter {self.name} of {loss}")
        if self.integer and number.q != 1:
            raise ParseError(f"parameter {self.name} of {loss} must be an integer, got {sp.sstr(number)}")
        sign = compare(number, self.lower)
        if sign < 0 or (self.strict and sign == 0):
            relation = ">" if self.strict else ">="
            raise ParseError(f"parameter {self.name} of {loss} must be {relation} {sp.sstr(self.lower)}, "
                             f"got {sp.sstr(number)}")
        return number


Builder = Callable[[Sequence[sp.Symbol], Mapping[str, sp.Rational]], sp.Expr]


@dataclass(frozen=True)
class CommonLoss:
    """A common loss F of the model output: ``build(variables, parameters)`` is F as a SymPy expression;
    ``shape`` says which decision applies (the univariate one, or log-sum-exp)."""

    name: str
    formula: str
    description: str
    shape: Shape
    build: Builder
    parameters: tuple[Parameter, ...] = ()
    aliases: tuple[str, ...] = ()
    #: the exponent natural for the loss besides 2 (|u|^a: a), from the parameters
    natural_exponent: Callable[[Mapping[str, sp.Rational]], sp.Rational | None] = field(
        default=lambda parameters: None)

    def instance(self, values: Mapping[str, object] | None = None,
                 variables: Sequence[str] | None = None) -> LossInstance:
        """The loss with its parameters (defaults for those not given) and variables (defaults:
        ``u``; the logits ``u1, …, un``)."""
        values = dict(values or {})
        unknown = sorted(set(values) - {p.name for p in self.parameters})
        if unknown:
            known = ", ".join(p.name for p in self.parameters) or "none"
            raise ParseError(f"loss {self.name} has no parameter {unknown[0]!r} (parameters: {known})")
        chosen = {p.name: (p.read(values[p.name], self.name) if p.name in values else p.default)
                  for p in self.parameters}
        names = list(variables) if variables is not None else self._default_variables(chosen)
        self._check_variables(names, chosen)
        symbols = tuple(sp.Symbol(name, real=True) for name in names)
        return LossInstance(self, chosen, symbols, self.build(symbols, chosen))

    def _default_variables(self, chosen: Mapping[str, sp.Rational]) -> list[str]:
        if self.shape == "log-sum-exp":
            return [f"u{i}" for i in range(1, int(chosen["n"]) + 1)]
        return ["u"]

    def _check_variables(self, names: Sequence[str], chosen: Mapping[str, sp.Rational]) -> None:
        if self.shape == "univariate" and len(names) != 1:
            raise ParseError(f"loss {self.name} is a function of one variable; got {len(names)} ({', '.join(names)})")
        if self.shape == "log-sum-exp":
            n = int(chosen["n"])
            if len(names) != n:
                raise ParseError(f"loss {self.name} with n = {n} logits needs {n} variables, got {len(names)}")
            if int(chosen["y"]) > n:
                raise ParseError(f"parameter y of {self.name} must be at most n = {n}, got {chosen['y']}")
            if n > MAX_LOGITS:
                raise ParseError(f"loss {self.name}: at most {MAX_LOGITS} logits, got n = {n}")

    def parameter_text(self) -> str:
        return ", ".join(f"{p.name} (default {sp.sstr(p.default)}): {p.description}" for p in self.parameters)


@dataclass(frozen=True)
class LossInstance:
    """A :class:`CommonLoss` with exact parameter values and its variables: ``expr`` is F."""

    loss: CommonLoss
    parameters: Mapping[str, sp.Rational]
    variables: tuple[sp.Symbol, ...]
    expr: sp.Expr

    @property
    def label(self) -> str:
        """``name`` or ``name:p=v,…`` (parameters that differ from the defaults are always shown)."""
        if not self.parameters:
            return self.loss.name
        shown = ",".join(f"{k}={sp.sstr(v)}" for k, v in self.parameters.items())
        return f"{self.loss.name}:{shown}"

    @property
    def natural_exponent(self) -> sp.Rational | None:
        return self.loss.natural_exponent(self.parameters)

    @property
    def text(self) -> str:
        return sp.sstr(self.expr)

    def to_json(self) -> dict:
        return {"name": self.loss.name, "parameters": {k: sp.sstr(v) for k, v in self.parameters.items()},
                "variables": [v.name for v in self.variables], "expression": self.text}


def _one(variables: Sequence[sp.Symbol]) -> sp.Symbol:
    return variables[0]


def _huber(variables: Sequence[sp.Symbol], parameters: Mapping[str, sp.Rational]) -> sp.Expr:
    u, delta = _one(variables), parameters["delta"]
    return sp.Piecewise((u**2 / 2, sp.Abs(u) <= delta), (delta * (sp.Abs(u) - delta / 2), True))


def _pseudo_huber(variables: Sequence[sp.Symbol], parameters: Mapping[str, sp.Rational]) -> sp.Expr:
    u, delta = _one(variables), parameters["delta"]
    return delta**2 * (sp.sqrt(1 + (u / delta) ** 2) - 1)


def _cross_entropy(variables: Sequence[sp.Symbol], parameters: Mapping[str, sp.Rational]) -> sp.Expr:
    return sp.log(sp.Add(*(sp.exp(v) for v in variables))) - variables[int(parameters["y"]) - 1]


_DELTA = Parameter("delta", sp.Integer(1), "the Huber threshold δ > 0", sp.Integer(0))

LOSSES: dict[str, CommonLoss] = {loss.name: loss for loss in (
    CommonLoss("squared", "u²", "the squared loss (of a residual u)", "univariate",
               lambda vs, ps: _one(vs) ** 2),
    CommonLoss("absolute-power", "|u|^a", "the absolute power |u|^a, a > 1", "univariate",
               lambda vs, ps: sp.Abs(_one(vs)) ** ps["a"],
               (Parameter("a", sp.Integer(3), "the power a > 1", sp.Integer(1)),), ("abs-power",),
               natural_exponent=lambda ps: ps["a"]),
    CommonLoss("huber", "u²/2 (|u| ≤ δ), δ(|u| − δ/2) (|u| > δ)", "the Huber loss", "univariate",
               _huber, (_DELTA,)),
    CommonLoss("pseudo-huber", "δ²(√(1 + (u/δ)²) − 1)", "the pseudo-Huber loss", "univariate",
               _pseudo_huber, (_DELTA,)),
    CommonLoss("log-cosh", "log cosh u", "the log-cosh loss", "univariate", lambda vs, ps: sp.log(sp.cosh(_one(vs)))),
    CommonLoss("softplus", "log(1 + eᵘ)", "softplus; the logistic loss log(1 + e^(−yz)) at y = −1, u = z",
               "univariate", lambda vs, ps: sp.log(1 + sp.exp(_one(vs))), aliases=("logistic",)),
    CommonLoss("exponential", "eᵘ", "the exponential loss e^(−yz) at y = −1, u = z", "univariate",
               lambda vs, ps: sp.exp(_one(vs))),
    CommonLoss("softmax-cross-entropy", "log Σ_i e^(u_i) − u_y",
               "softmax cross-entropy of the n logits (log-sum-exp minus a linear term)", "log-sum-exp",
               _cross_entropy,
               (Parameter("n", sp.Integer(3), "the number of logits n ≥ 2", sp.Integer(2), strict=False, integer=True),
                Parameter("y", sp.Integer(1), "the true class y ∈ {1, …, n}", sp.Integer(1), strict=False,
                          integer=True)),
               ("cross-entropy", "log-sum-exp")),
)}

#: alias -> registered name
ALIASES: dict[str, str] = {alias: loss.name for loss in LOSSES.values() for alias in loss.aliases}


def loss_names() -> list[str]:
    """Every name :func:`get_loss` knows (registered names, then aliases)."""
    return list(LOSSES) + list(ALIASES)


def get_loss(name: str) -> CommonLoss | None:
    """The registered loss called ``name`` (or one of its aliases), None when there is none."""
    key = name.strip().lower()
    return LOSSES.get(ALIASES.get(key, key))


#: a word of letters joined by hyphens (``log-cos``): meant as a loss name, never as an expression
_HYPHENATED = re.compile(r"^[A-Za-z]+(-[A-Za-z]+)+$")


def _meant_as_a_name(text: str) -> bool:
    head, colon, _ = text.partition(":")
    if colon:
        return True
    return bool(_HYPHENATED.match(head)) and any(len(part) > 2 for part in head.split("-"))


def lookup_loss(text: str, variables: Sequence[str] | None = None) -> LossInstance | None:
    """``NAME`` or ``NAME:param=value,…`` as a :class:`LossInstance`; None when ``text`` names no registered
    loss and does not look like a loss name (then it is an expression). A hyphenated word that is not
    registered (``log-cos``) is an error naming the registered losses."""
    stripped = text.strip()
    head, _, rest = stripped.partition(":")
    loss = get_loss(head)
    if loss is None:
        if _meant_as_a_name(stripped):
            raise ParseError(f"unknown loss {head!r}; registered: {', '.join(loss_names())}")
        return None
    values: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in rest.split(","))):
        key, equals, value = item.partition("=")
        if not equals or not key.strip() or not value.strip():
            raise ParseError(f"loss parameters must look like {loss.name}:name=value, got {item!r}")
        key = key.strip()
        if key in values:
            raise ParseError(f"parameter {key} of {loss.name} is given twice")
        values[key] = value.strip()
    return loss.instance(values, variables)

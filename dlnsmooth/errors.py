"""Exceptions raised by dlnsmooth.

Every error the package raises on bad input is a :class:`DlnsmoothError`; the
concrete classes also derive from the built-in exception a caller would expect
(``ValueError`` or ``TypeError``), so ``except ValueError`` keeps working.
Messages name the offending value and say what was expected.
"""

from __future__ import annotations

__all__ = [
    "DlnsmoothError",
    "ParseError",
    "UnsafeExpressionError",
    "UnknownVariableError",
    "NonDifferentiableError",
    "InvalidRhoError",
    "ShapeError",
    "DomainError",
    "DataError",
    "PrecisionError",
    "TooLargeError",
    "UnsupportedForBalls",
    "ThreadCountError",
]


class DlnsmoothError(Exception):
    """Base class of every error dlnsmooth raises on purpose."""


class ParseError(DlnsmoothError, ValueError):
    """A string could not be read as the expected mathematical object."""


class UnsafeExpressionError(ParseError):
    """An expression string contains something that is not mathematics
    (attribute access, subscripts, lambdas, keyword arguments, ...)."""


class UnknownVariableError(ParseError):
    """An expression or curve mentions a name that was not declared."""


class NonDifferentiableError(DlnsmoothError, ValueError):
    """The objective is not twice continuously differentiable (|x|, sign, max, ...)."""


class InvalidRhoError(DlnsmoothError, ValueError):
    """The exponent rho is negative, NaN, infinite or not a number."""


class ShapeError(DlnsmoothError, ValueError):
    """Dimensions do not match (points, widths, data, curves)."""


class DomainError(DlnsmoothError, ValueError):
    """A function was evaluated outside its real domain (log of a negative, ...)."""


class DataError(DlnsmoothError, ValueError):
    """A data set could not be read or is not valid for the requested loss."""


class PrecisionError(DlnsmoothError, ValueError):
    """A requested precision or digit count is not usable."""


class TooLargeError(DlnsmoothError, ValueError):
    """A computation would not finish: e.g. the symbolic restriction of a network with
    thousands of weights along a curve the exact structured route cannot handle."""


class UnsupportedForBalls(DlnsmoothError):
    """An expression uses an operation ball arithmetic does not implement (callers fall
    back to mpmath, or say that no rigorous bound is available)."""


class NotRational(DlnsmoothError):
    """An exact (rational) evaluation met a value that is not rational."""


class ThreadCountError(DlnsmoothError, ValueError):
    """A number of threads (``DLNSMOOTH_THREADS``) that is not a positive integer."""

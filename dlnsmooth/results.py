"""What every result of the package shares: the verdict vocabulary and the JSON document.

Verdicts — one vocabulary for every result type and every command's JSON
``verdict`` field:

``holds``
    proved, with its proof route;
``refuted``
    disproved by a certificate (symbolic limit + confirmed numeric table along
    a curve) or by a violation confirmed in ball arithmetic;
``not refuted``
    looked and found nothing: this proves nothing either way;
``undecided``
    what was asked could not be settled within the time budget or the
    precision cap.

A claim checked by ``dlnsmooth verify`` (:class:`dlnsmooth.report.ClaimReport`) uses three
of the words for the claim as a whole: ``holds`` when every one of its checks passed,
``refuted`` when a check computed the opposite, ``undecided`` otherwise; its *kind of
evidence* says how strong the checks are (a certificate or an exact witness proves, instances
checked numerically corroborate).

A result has a readable ``report()`` and a JSON-serialisable ``to_json()``;
``str(result)`` is its report. :meth:`Result.to_document` wraps ``to_json()`` in
the versioned envelope every command prints (``schema``, ``dlnsmooth_version``;
docs/json-schema.md), and :func:`json_value` is the one encoding of numbers in
JSON: exact values as strings (``"2/3"``, ``"sqrt(5)"``), infinity as the
string ``"inf"`` (``"-inf"``), measured estimates as JSON numbers.

Exit statuses — one scheme for every command (:func:`exit_status`, :data:`EXIT_STATUS_HELP`):
0 ``holds``, 1 ``refuted``, 2 bad input (a one-line error, never a traceback), 3 ``not refuted``,
4 ``undecided``. ``verify`` exits 0 when every claim holds, 1 when any claim is refuted (a check
computed the opposite), 4 otherwise (:func:`verify_exit_status`). A failure of the package
itself (a bug, never a verdict) exits 70.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Literal

import mpmath as mp
import sympy as sp

from .version import SCHEMA_VERSION, __version__

__all__ = [
    "Verdict",
    "VERDICTS",
    "Result",
    "json_value",
    "document",
    "INFINITY",
    "EXIT_HOLDS",
    "EXIT_REFUTED",
    "EXIT_BAD_INPUT",
    "EXIT_NOT_REFUTED",
    "EXIT_UNDECIDED",
    "EXIT_INTERNAL_ERROR",
    "EXIT_STATUSES",
    "EXIT_STATUS_HELP",
    "VERIFY_EXIT_STATUS_HELP",
    "exit_status",
    "verify_exit_status",
]

Verdict = Literal["holds", "refuted", "not refuted", "undecided"]
#: The four verdict words, in the order of strength of a conclusion.
VERDICTS: tuple[Verdict, ...] = ("holds", "refuted", "not refuted", "undecided")
#: How infinity is written in JSON.
INFINITY = "inf"

EXIT_HOLDS = 0
EXIT_REFUTED = 1
EXIT_BAD_INPUT = 2
EXIT_NOT_REFUTED = 3
EXIT_UNDECIDED = 4
#: Not a verdict: the package itself failed (a bug), reported in one line.
EXIT_INTERNAL_ERROR = 70
#: The exit status of a command, by its verdict.
_EXIT_BY_VERDICT: dict[str, int] = {"holds": EXIT_HOLDS, "refuted": EXIT_REFUTED,
                                    "not refuted": EXIT_NOT_REFUTED, "undecided": EXIT_UNDECIDED}
#: Every documented exit status.
EXIT_STATUSES: frozenset[int] = frozenset({EXIT_HOLDS, EXIT_REFUTED, EXIT_BAD_INPUT, EXIT_NOT_REFUTED, EXIT_UNDECIDED})
#: The exit statuses as every command's ``--help`` states them.
EXIT_STATUS_HELP = ("Exit status: 0 holds, 1 refuted, 2 bad input (one-line error), 3 not refuted (looked, found "
                    "nothing: not a proof), 4 undecided (budget or precision cap reached).")
#: ``verify``'s exit statuses (over all the claims it ran).
VERIFY_EXIT_STATUS_HELP = ("Exit status: 0 every claim holds, 1 some claim is refuted (a check computed the "
                           "opposite), 2 bad input, 4 otherwise (some claim undecided, or not finished within --time).")


def exit_status(verdict: str) -> int:
    """The documented exit status of a command whose result has this verdict (module docstring)."""
    try:
        return _EXIT_BY_VERDICT[verdict]
    except KeyError:
        raise ValueError(f"unknown verdict {verdict!r}; expected one of {', '.join(VERDICTS)}") from None


def verify_exit_status(verdicts: Iterable[str]) -> int:
    """``verify``'s status: 0 when every claim holds (and there is at least one), 1 when any is
    refuted, 4 otherwise."""
    seen = list(verdicts)
    if "refuted" in seen:
        return EXIT_REFUTED
    if seen and all(v == "holds" for v in seen):
        return EXIT_HOLDS
    return EXIT_UNDECIDED


def json_value(value: object, digits: int = 15) -> object:
    """One JSON encoding of a number: None stays null; ±∞ (SymPy, mpmath or float) becomes
    ``"inf"``/``"-inf"``; exact SymPy numbers and expressions their text (``"2/3"``); an mpf a
    decimal string of ``digits`` significant digits; a finite float stays a float (an estimate)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, sp.Basic):
        if value == sp.oo:
            return INFINITY
        if value == -sp.oo:
            return "-" + INFINITY
        return sp.sstr(value)
    if isinstance(value, mp.mpf):
        if mp.isinf(value):
            return INFINITY if value > 0 else "-" + INFINITY
        if mp.isnan(value):
            return None
        with mp.workdps(max(digits + 5, 20)):
            return mp.nstr(value, digits)
    if isinstance(value, float):
        if math.isinf(value):
            return INFINITY if value > 0 else "-" + INFINITY
        return None if math.isnan(value) else value
    if isinstance(value, int):
        return value
    return str(value)


def document(kind: str, payload: dict) -> dict:
    """``payload`` in the versioned envelope of a command's JSON output."""
    return {"schema": f"dlnsmooth.{kind}/{SCHEMA_VERSION}", "dlnsmooth_version": __version__, **payload}


class Result:
    """Mixin: ``__str__`` from ``report``; JSON from ``to_json`` (see the module docstring)."""

    #: the kind of document this result prints as (``dlnsmooth.<kind>/<schema version>``)
    json_kind: str = "result"

    def report(self) -> str:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def to_json(self) -> dict:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def to_document(self) -> dict:
        """The JSON document a command prints: ``to_json()`` with ``schema`` and ``dlnsmooth_version``."""
        return document(self.json_kind, self.to_json())

    def __str__(self) -> str:
        return self.report()

    def to_json_text(self, indent: int = 2) -> str:
        return json.dumps(self.to_document(), indent=indent, ensure_ascii=False)

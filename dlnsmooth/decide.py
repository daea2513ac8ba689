"""What ``dlnsmooth check EXPR --vars … (--rho R | --every-rho)`` runs when no curve is given.

:func:`decide_check` picks the strongest route that applies to the objective:

1. **one variable** — the exact univariate decision procedure
   (:func:`dlnsmooth.univariate.decide_univariate`): ``holds`` with its proof route and
   constants certified on R, ``refuted`` with a certificate, or ``undecided``;
2. **a separable sum in at least two variables**, f = Σ g_i(x_i) + c — the exact separable
   decision (:func:`dlnsmooth.separable.decide_separable`), each term by the univariate
   procedure: ``holds`` with (max C0_i, max C1_i) in the spectral norm, ``refuted`` with a
   certificate on the full f, or ``undecided``;
3. **anything else** (or an objective of one variable the procedure refuses: not C² on R) —
   the search for a refuting curve
   (:func:`dlnsmooth.search.search_refuting_curve`): ``refuted`` with a certificate, or
   ``not refuted`` (a finite search proves nothing).

When an exact route ends ``undecided`` with at least :data:`MIN_SEARCH_SECONDS` left, the
curve search runs with the rest of the budget; a refuting curve it certifies replaces the
undecided result, otherwise the exact route's ``undecided`` stands (with a note saying the
search found nothing), since "undecided" is the honest summary of an exact procedure that
did not finish.

``--every-rho`` (``every_rho=True``) asks about every ρ at once: routes 1 and 2 decide the
whole set of ρ for which ∇f is ρ-order Lipschitz (the result's ``answer``); route 3 looks
for a curve refuting every ρ at once.

The whole call shares ``options.time_budget`` seconds (the ``--time`` option).
"""

from __future__ import annotations

import time

from .errors import DlnsmoothError
from .numbers import rho_target
from .objective import Objective
from .results import Result
from .search import SearchOptions, search_refuting_curve
from .separable import decide_separable, separable_split
from .univariate import decide_univariate

__all__ = ["decide_check", "MIN_SEARCH_SECONDS"]

#: Seconds that must remain after an undecided exact route for the curve search to be tried.
MIN_SEARCH_SECONDS = 5.0


def _exact_route(objective: Objective, rho: object, options: SearchOptions,
                 progress: bool | None) -> tuple[Result | None, str]:
    """The univariate or separable decision, or (None, why) when neither applies."""
    if objective.n == 1:
        limit_budget = max(0.5, min(options.limit_budget, options.time_budget / 4))
        try:
            decision = decide_univariate(objective, rho=rho, limit_budget=limit_budget, decades=options.decades,
                                         progress=progress, time_budget=options.time_budget)
        except DlnsmoothError as exc:
            return None, f"the univariate decision procedure does not apply: {exc}"
        return decision, ""
    split = separable_split(objective)
    if split is None:
        return None, ""
    return decide_separable(objective, rho, time_budget=options.time_budget, progress=progress, split=split), ""


def _with_remaining_budget(options: SearchOptions, seconds: float) -> SearchOptions:
    values = {name: getattr(options, name) for name in SearchOptions.__dataclass_fields__}
    values["time_budget"] = seconds
    return SearchOptions(**values)


def decide_check(
    objective: Objective,
    *,
    rho: object = None,
    every_rho: bool = False,
    options: SearchOptions,
    progress: bool | None = None,
) -> Result:
    """Decide whether ∇f is ρ-order Lipschitz (``rho``) or for which ρ (``every_rho=True``) by the
    strongest route that applies (module docstring), within ``options.time_budget`` seconds.

    Returns a :class:`~dlnsmooth.univariate.UnivariateDecision`,
    :class:`~dlnsmooth.separable.SeparableDecision` or :class:`~dlnsmooth.search.SearchResult`;
    each has ``verdict``, ``report()`` and ``to_json()``. Exactly one of ``rho`` and
    ``every_rho=True`` must be given.
    """
    rho = rho_target(rho, every_rho)
    if not isinstance(objective, Objective):
        raise TypeError(f"expected an Objective, got {type(objective).__name__}")
    start = time.perf_counter()
    exact, why_not = _exact_route(objective, rho, options, progress)
    remaining = options.time_budget - (time.perf_counter() - start)
    if exact is None:
        search = search_refuting_curve(objective, rho=rho, every_rho=every_rho,
                                       options=_with_remaining_budget(options, max(1.0, remaining)), progress=progress)
        if why_not:
            search.notes.append(why_not)
        return search
    if exact.verdict != "undecided" or remaining < MIN_SEARCH_SECONDS:
        return exact
    try:
        search = search_refuting_curve(objective, rho=rho, every_rho=every_rho,
                                       options=_with_remaining_budget(options, remaining), progress=progress)
    except DlnsmoothError as exc:
        exact.notes.append(f"the curve search could not run: {exc}")
        return exact
    if search.verdict == "refuted":
        search.notes.append(f"the exact route was undecided: {exact.reason}")
        return search
    exact.notes.append(f"the curve search with the remaining {remaining:.0f} s found no refuting curve "
                       f"({search.verdict})")
    return exact

"""Verification scripts, one module per claim of SPEC §2–§4 (the paper, Theorem G′, seeds 001, 002 and 003).

Each module defines ``NAME``, ``TITLE`` and ``verify(**options) -> ClaimReport``
and runs as ``python -m proofs.<module>`` (``--json`` for JSON). The
registry below maps the names used by ``dlnsmooth verify NAME`` to modules;
it is an explicit table, imported lazily, not a class-level registry.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from dlnsmooth.errors import DlnsmoothError

__all__ = ["CLAIMS", "load", "UnknownClaimError"]

#: claim name -> module implementing it
CLAIMS: dict[str, str] = {
    "prop1": "proofs.prop1_equivalence",
    "prop2": "proofs.prop2_global_lipschitz",
    "prop3": "proofs.prop3_ordering",
    "prop4": "proofs.prop4_strictness",
    "prop5": "proofs.prop5_necessity",
    "prop6": "proofs.prop6_sufficiency",
    "prop7": "proofs.prop7_deep_linear",
    "theoremg": "proofs.theorem_g",
    "theoremg-activations": "proofs.theorem_g_activations",
    "cooper-line-l2": "proofs.cooper_line_l2",
    "cooper-line-ce": "proofs.cooper_line_ce",
    "kumar-b1": "proofs.kumar_b1",
    "kumar-4.1": "proofs.kumar_4_1",
    "kumar-example": "proofs.kumar_example",
    "kumar-b3": "proofs.kumar_b3",
    "kumar-b5": "proofs.kumar_b5",
    "kumar-5.1": "proofs.kumar_5_1",
    "kumar-3.1": "proofs.kumar_3_1",
    "kumar-lasso-general": "proofs.kumar_lasso_general",
    "bregman-relations": "proofs.bregman_relations",
    "bregman-known": "proofs.bregman_known",
}


class UnknownClaimError(DlnsmoothError, KeyError):
    """``dlnsmooth verify NAME`` with a NAME that is not registered."""

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]


def load(name: str) -> ModuleType:
    """The module verifying claim ``name``."""
    if name not in CLAIMS:
        raise UnknownClaimError(f"unknown claim {name!r}; registered: {', '.join(CLAIMS)}")
    return importlib.import_module(CLAIMS[name])

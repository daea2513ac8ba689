"""What every result object of the package shares (certificates, searches, decisions, audits).

A result has a readable ``report()`` and a JSON-serialisable ``to_json()``;
``str(result)`` is its report and ``to_json_text()`` its JSON as text (UTF-8,
so ‖∇f‖ and ρ stay readable).
"""

from __future__ import annotations

import json

__all__ = ["Result"]


class Result:
    """Mixin: ``__str__`` and ``to_json_text`` from ``report`` and ``to_json``."""

    def report(self) -> str:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def to_json(self) -> dict:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def __str__(self) -> str:
        return self.report()

    def to_json_text(self, indent: int = 2) -> str:
        return json.dumps(self.to_json(), indent=indent, ensure_ascii=False)

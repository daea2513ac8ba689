"""The durable table of a sweep: one SQLite row per finished case, committed as it arrives.

``ResultStore(directory)`` keeps ``directory/results.sqlite`` (table ``results``, primary key the
case's ``key``) and a copy of the sweep's spec as ``directory/spec.toml``. Each
:meth:`ResultStore.write` is its own transaction, so a sweep killed at any moment loses at most
the case being computed, and a rerun skips :meth:`ResultStore.done_keys`. Lists and tables
(``widths``, ``data``, ``evidence_kinds``, ``search``) are stored as JSON text.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import fields
from pathlib import Path

from ..errors import DlnsmoothError
from .case import CaseResult
from .spec import SpecError, SweepSpec

__all__ = ["ResultStore", "StoreError", "DATABASE_NAME", "SPEC_NAME", "COLUMNS"]

DATABASE_NAME = "results.sqlite"
SPEC_NAME = "spec.toml"
#: The columns of the table, in the order of :class:`CaseResult`'s fields.
COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(CaseResult))
_JSON_COLUMNS = frozenset({"widths", "data", "evidence_kinds", "search"})
_BOOL_COLUMNS = frozenset({"bias", "every_rho_refuted"})
_TYPES = {"depth": "INTEGER", "parameters": "INTEGER", "seconds": "REAL", "bias": "INTEGER",
          "every_rho_refuted": "INTEGER"}


class StoreError(DlnsmoothError, ValueError):
    """The output directory cannot hold a sweep's table (not a directory, unreadable, not a sweep table)."""


class ResultStore:
    """The results of a sweep in ``directory`` (created if missing)."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)
        if self.directory.exists() and not self.directory.is_dir():
            raise StoreError(f"the sweep output {self.directory} exists and is not a directory")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._connection = sqlite3.connect(self.path, timeout=30.0)
            self._connection.execute("PRAGMA journal_mode=WAL")
            self._connection.execute("PRAGMA synchronous=FULL")
            columns = ", ".join(f"{name} {_TYPES.get(name, 'TEXT')}" + (" PRIMARY KEY" if name == "key" else "")
                                for name in COLUMNS)
            self._connection.execute(f"CREATE TABLE IF NOT EXISTS results ({columns})")
            self._connection.commit()
            present = {row[1] for row in self._connection.execute("PRAGMA table_info(results)")}
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open the sweep table {self.path}: {exc}") from None
        missing = [c for c in COLUMNS if c not in present]
        if missing:
            raise StoreError(f"{self.path} is not a dlnsmooth sweep table (it lacks {', '.join(missing)})")

    @property
    def path(self) -> Path:
        """The SQLite file."""
        return self.directory / DATABASE_NAME

    @property
    def spec_path(self) -> Path:
        return self.directory / SPEC_NAME

    # -- writing --------------------------------------------------------------------------------------
    def save_spec(self, spec: SweepSpec) -> None:
        """Copy the spec (as explicit TOML) into the directory; it orders :meth:`results`."""
        self.spec_path.write_text(spec.to_toml(), encoding="utf-8")

    def write(self, result: CaseResult) -> None:
        """Store ``result`` (replacing an earlier row of the same key) and commit."""
        values = [_encode(name, getattr(result, name)) for name in COLUMNS]
        with self._connection:
            self._connection.execute(
                f"INSERT OR REPLACE INTO results ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
                values)

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> ResultStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- reading --------------------------------------------------------------------------------------
    def done_keys(self) -> set[str]:
        """The keys of the cases already in the table."""
        return {row[0] for row in self._connection.execute("SELECT key FROM results")}

    def spec(self) -> SweepSpec | None:
        """The spec saved with the table (None when there is none or it no longer reads)."""
        try:
            return SweepSpec.from_toml(self.spec_path) if self.spec_path.exists() else None
        except SpecError:
            return None

    def results(self) -> list[CaseResult]:
        """Every stored result: in the saved spec's case order, then any others in the order written."""
        rows = self._connection.execute(f"SELECT {', '.join(COLUMNS)} FROM results ORDER BY rowid").fetchall()
        found = [CaseResult(**{name: _decode(name, value) for name, value in zip(COLUMNS, row)}) for row in rows]
        spec = self.spec()
        order = {case.key: i for i, case in enumerate(spec.cases())} if spec is not None else {}
        return sorted(found, key=lambda r: order.get(r.key, len(order)))  # stable: unknown keys keep rowid order

    def table(self) -> list[dict]:
        """:meth:`results` as dicts (the JSON form of each row)."""
        return [result.to_json() for result in self.results()]

    def __len__(self) -> int:
        return self._connection.execute("SELECT COUNT(*) FROM results").fetchone()[0]


def _encode(name: str, value: object) -> object:
    if name in _JSON_COLUMNS:
        return json.dumps(value)
    if name in _BOOL_COLUMNS:
        return int(bool(value))
    return value


def _decode(name: str, value: object) -> object:
    if name in _JSON_COLUMNS:
        return json.loads(value) if value is not None else None
    if name in _BOOL_COLUMNS:
        return bool(value)
    return value

"""Reports of claim checks (the ``proofs/`` scripts and ``dlnsmooth verify``).

A :class:`ClaimReport` states a claim in words and symbols, the method, the
evidence (as report sections, plus any certificates), the individual checks
with their outcomes, the *kind* of evidence, and a status:

``verified``  every check passed;
``failed``    a check computed the opposite of the claim;
``undecided`` a check could not decide (budget, precision).

Kinds of evidence (issue vocabulary): ``certificate`` (symbolic limit +
numeric table along a curve), ``witness verified exactly``, ``identity
verified symbolically``, ``instances checked numerically``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Literal

from .certificate import Certificate

__all__ = ["ClaimReport", "CheckOutcome", "Status"]

Status = Literal["verified", "failed", "undecided"]


@dataclass
class CheckOutcome:
    """One named check inside a claim: passed, failed or undecided, with what was computed."""

    name: str
    status: Status
    detail: str

    def to_json(self) -> dict:
        return {"name": self.name, "status": self.status, "detail": self.detail}


@dataclass
class ClaimReport:
    """The report of one claim check."""

    name: str
    title: str
    claim: str
    statement: str
    method: str
    evidence_kind: str
    checks: list[CheckOutcome] = field(default_factory=list)
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    certificates: list[Certificate] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def status(self) -> Status:
        if not self.checks:
            return "undecided"  # nothing computed proves nothing
        if any(c.status == "failed" for c in self.checks):
            return "failed"
        if any(c.status == "undecided" for c in self.checks):
            return "undecided"
        return "verified"

    @property
    def ok(self) -> bool:
        return self.status == "verified"

    def add_check(self, name: str, passed: bool | None, detail: str) -> CheckOutcome:
        status: Status = "undecided" if passed is None else ("verified" if passed else "failed")
        outcome = CheckOutcome(name, status, detail)
        self.checks.append(outcome)
        return outcome

    def render(self) -> str:
        bar = "=" * 78
        lines = [bar, f"{self.title}  [{self.name}]", bar,
                 f"Claim:     {self.claim}", f"Statement: {self.statement}", f"Method:    {self.method}", ""]
        for heading, body in self.sections:
            lines.append(f"-- {heading}")
            lines.extend(f"   {line}" for line in body)
            lines.append("")
        lines.append("Checks:")
        for check in self.checks:
            mark = {"verified": "ok", "failed": "FAILED", "undecided": "undecided"}[check.status]
            lines.append(f"  [{mark:>9}] {check.name}: {check.detail}")
        lines.append("")
        lines.append(f"Verdict: {self.status.upper()} — evidence: {self.evidence_kind}  ({self.seconds:.1f} s)")
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "title": self.title,
            "claim": self.claim,
            "statement": self.statement,
            "method": self.method,
            "evidence_kind": self.evidence_kind,
            "status": self.status,
            "checks": [c.to_json() for c in self.checks],
            "sections": [{"heading": h, "lines": body} for h, body in self.sections],
            "certificates": [c.to_json() for c in self.certificates],
            "seconds": round(self.seconds, 3),
        }

    def to_json_text(self) -> str:
        return json.dumps(self.to_json(), indent=2, ensure_ascii=False)

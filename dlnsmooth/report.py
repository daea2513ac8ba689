"""Reports of claim checks (the ``proofs/`` scripts and ``dlnsmooth verify``).

A :class:`ClaimReport` states a claim in words and symbols, the method, the
evidence (as report sections, plus any certificates), the individual checks
with their outcomes, the *kind* of evidence, and a verdict in the package's
vocabulary (:mod:`dlnsmooth.results`):

``holds``      every check passed: the claim is verified;
``refuted``    a check computed the opposite of the claim;
``undecided``  a check could not decide (budget, precision), or nothing was checked.

Each check carries the same three words. Kinds of evidence: ``certificate``
(symbolic limit + numeric table along a curve), ``witness verified exactly``,
``identity verified symbolically``, ``instances checked numerically``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .certificate import Certificate
from .results import Result, Verdict

__all__ = ["ClaimReport", "CheckOutcome", "CertificateRecord"]

#: How a check's verdict is marked in the human report.
_MARKS = {"holds": "ok", "refuted": "FAILED", "undecided": "undecided"}
#: How the claim's verdict is written in the human report.
_HEADLINES = {"holds": "VERIFIED", "refuted": "REFUTED", "undecided": "UNDECIDED"}


@dataclass
class CheckOutcome:
    """One named check inside a claim: ``holds``, ``refuted`` or ``undecided``, with what was computed."""

    name: str
    verdict: Verdict
    detail: str

    def to_json(self) -> dict:
        return {"name": self.name, "verdict": self.verdict, "detail": self.detail}


@dataclass(frozen=True)
class CertificateRecord:
    """What a report shows of a :class:`~dlnsmooth.certificate.Certificate` — its verdict, reason, text
    and JSON — without the live objects behind it (objectives and curves hold compiled functions that
    cannot be pickled). A report crossing a process boundary (``dlnsmooth verify`` runs each claim in a
    budgeted process) carries its certificates as records."""

    verdict: str
    reason: str
    text: str
    json: dict

    @classmethod
    def of(cls, certificate) -> CertificateRecord:
        if isinstance(certificate, CertificateRecord):
            return certificate
        return cls(certificate.verdict, certificate.reason, certificate.report(), certificate.to_json())

    def report(self) -> str:
        return self.text

    def to_json(self) -> dict:
        return self.json


@dataclass
class ClaimReport(Result):
    """The report of one claim check."""

    name: str
    title: str
    claim: str
    statement: str
    method: str
    evidence_kind: str
    checks: list[CheckOutcome] = field(default_factory=list)
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    certificates: list[Certificate | CertificateRecord] = field(default_factory=list)
    seconds: float = 0.0

    json_kind = "claim"

    def __getstate__(self) -> dict:
        """Pickled (e.g. back from a budgeted process) with each certificate as a :class:`CertificateRecord`."""
        state = dict(self.__dict__)
        state["certificates"] = [CertificateRecord.of(c) for c in self.certificates]
        return state

    @property
    def verdict(self) -> Verdict:
        if not self.checks:
            return "undecided"  # nothing computed proves nothing
        if any(c.verdict == "refuted" for c in self.checks):
            return "refuted"
        if any(c.verdict == "undecided" for c in self.checks):
            return "undecided"
        return "holds"

    @property
    def ok(self) -> bool:
        return self.verdict == "holds"

    def add_check(self, name: str, passed: bool | None, detail: str) -> CheckOutcome:
        """Record a check: ``passed`` True (holds), False (refuted) or None (undecided)."""
        verdict: Verdict = "undecided" if passed is None else ("holds" if passed else "refuted")
        outcome = CheckOutcome(name, verdict, detail)
        self.checks.append(outcome)
        return outcome

    def report(self) -> str:
        bar = "=" * 78
        lines = [bar, f"{self.title}  [{self.name}]", bar,
                 f"Claim:     {self.claim}", f"Statement: {self.statement}", f"Method:    {self.method}", ""]
        for heading, body in self.sections:
            lines.append(f"-- {heading}")
            lines.extend(f"   {line}" for line in body)
            lines.append("")
        lines.append("Checks:")
        for check in self.checks:
            lines.append(f"  [{_MARKS[check.verdict]:>9}] {check.name}: {check.detail}")
        lines.append("")
        lines.append(f"Verdict: {_HEADLINES[self.verdict]} ({self.verdict}) — evidence: {self.evidence_kind}  "
                     f"({self.seconds:.1f} s)")
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {
            "verdict": self.verdict,
            "name": self.name,
            "title": self.title,
            "claim": self.claim,
            "statement": self.statement,
            "method": self.method,
            "evidence_kind": self.evidence_kind,
            "checks": [c.to_json() for c in self.checks],
            "sections": [{"heading": h, "lines": body} for h, body in self.sections],
            "certificates": [c.to_json() for c in self.certificates],
            "seconds": round(self.seconds, 3),
        }

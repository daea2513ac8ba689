"""One case of a sweep — a network, its data and its search — and what running it found.

:func:`run_case` runs in a Dask worker: it builds the network
(:func:`dlnsmooth.feedforward`), searches for a curve refuting every ρ (or the spec's ρ) with
:func:`dlnsmooth.search.search_refuting_curve`, and returns a :class:`CaseResult`. It never
raises: an exception becomes an ``undecided`` result whose ``reason`` is the exception's one-line
text, and the case runs in a forked child under :func:`dlnsmooth.budget.run_with_budget`, killed
(with whatever it started) after ``time`` + :func:`grace` seconds → ``undecided``, reason
"exceeded its budget".

A case's ``key`` is a hash of its parameters (architecture, loss, data, search settings) and of
nothing else, so it is the same on every run and machine: it is what a resumed sweep skips.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import socket
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

import sympy as sp

from ..budget import run_with_budget
from ..curves import Curve
from ..networks.data import Dataset
from ..networks.feedforward import feedforward
from ..networks.losses import get_output_loss
from ..numbers import parse_rho
from ..results import json_value
from ..search import FAMILIES, SearchOptions, search_refuting_curve
from ..version import __version__

__all__ = ["Case", "CaseResult", "DataSpec", "SearchSettings", "run_case", "grace", "CROSS_ENTROPY_OUTPUTS"]

#: Outputs of a cross-entropy network when the data entry does not say (two classes).
CROSS_ENTROPY_OUTPUTS = 2


def grace(seconds: float) -> float:
    """Seconds a case may run beyond its search budget (building the network, certifying the
    last candidate, returning) before the worker kills it."""
    return 10.0 + 0.25 * seconds


@dataclass(frozen=True)
class DataSpec:
    """A data generator: ``random`` points of dimension ``input_dim`` drawn with ``seed``
    (:meth:`dlnsmooth.networks.data.Dataset.random`); labels follow the loss; ``output_dim``
    None means 1 (2 for cross-entropy)."""

    random: int
    seed: int = 0
    input_dim: int = 1
    output_dim: int | None = None

    def output_dim_for(self, loss: str) -> int:
        """The network's number of outputs for ``loss`` (checked against the loss)."""
        outputs = self.output_dim or (CROSS_ENTROPY_OUTPUTS if loss == "cross-entropy" else 1)
        get_output_loss(loss).check_outputs(outputs)
        return outputs

    def dataset(self, loss: str) -> Dataset:
        output_loss = get_output_loss(loss)
        return Dataset.random(self.random, self.input_dim, self.seed, output_loss.labels,
                              outputs=self.output_dim_for(loss))

    def to_dict(self) -> dict:
        return {"random": self.random, "seed": self.seed, "input_dim": self.input_dim,
                **({"output_dim": self.output_dim} if self.output_dim is not None else {})}

    @property
    def label(self) -> str:
        dims = f", {self.input_dim}-d" if self.input_dim != 1 else ""
        return f"random {self.random} (seed {self.seed}{dims})"


#: The default search budget of a case, in seconds ([search] time): a sweep is breadth first — the
#: single-network ``dlnsmooth net --search`` gives one network more.
DEFAULT_TIME = 10.0


@dataclass(frozen=True)
class SearchSettings:
    """The search run on each case (:class:`dlnsmooth.search.SearchOptions`); ``time`` in seconds;
    ``rho`` is ``"every"`` or an exact number's text."""

    time: float = DEFAULT_TIME
    certify: int = 3
    families: tuple[str, ...] = FAMILIES
    rho: str = "every"
    exponents: tuple[str, str] = ("-2", "2")
    denominator: int = 2
    seed: int = 0
    max_candidates: int = 3000

    def options(self) -> SearchOptions:
        return SearchOptions(families=self.families, exponent_range=self.exponents, denominator=self.denominator,
                             time_budget=self.time, certify=self.certify, seed=self.seed,
                             max_candidates=self.max_candidates)

    def rho_value(self) -> sp.Rational | None:
        """None for every ρ, else the exact ρ (≥ 0)."""
        return None if self.rho == "every" else parse_rho(self.rho)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["families"] = list(self.families)
        data["exponents"] = list(self.exponents)
        return data


@dataclass(frozen=True)
class Case:
    """One network of a sweep: ``depth`` affine layers with hidden widths ``hidden``
    (``len(hidden) == depth − 1``), input and output dimensions from the data and the loss."""

    depth: int
    hidden: tuple[int, ...]
    activation: str
    bias: bool
    loss: str
    data: DataSpec
    search: SearchSettings = field(default_factory=SearchSettings)

    @property
    def widths(self) -> tuple[int, ...]:
        """Every layer's width, input and output included (as ``dlnsmooth.feedforward`` takes them)."""
        outputs = self.data.output_dim or (CROSS_ENTROPY_OUTPUTS if self.loss == "cross-entropy" else 1)
        return (self.data.input_dim, *self.hidden, outputs)

    @property
    def time(self) -> float:
        """The search's budget, seconds."""
        return self.search.time

    @property
    def parameters(self) -> int:
        """The number of weights and biases."""
        w = self.widths
        return sum(a * b + (b if self.bias else 0) for a, b in zip(w, w[1:]))

    def parameters_dict(self) -> dict:
        """Everything that determines the case (what ``key`` hashes)."""
        return {"depth": self.depth, "hidden": list(self.hidden), "activation": self.activation, "bias": self.bias,
                "loss": self.loss, "data": self.data.to_dict(), "search": self.search.to_dict()}

    @property
    def key(self) -> str:
        """A stable identifier: 16 hex digits of the SHA-256 of the canonical JSON of the parameters."""
        text = json.dumps(self.parameters_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @property
    def label(self) -> str:
        """``widths 1-2-2-1 tanh, no bias, logistic, random 4 (seed 1)``."""
        return (f"widths {'-'.join(map(str, self.widths))} {self.activation}, {'bias' if self.bias else 'no bias'}, "
                f"{self.loss}, {self.data.label}")


@dataclass
class CaseResult:
    """What a case found. ``critical_exponent``: the best certified critical exponent ρ* (a lower
    bound on any workable ρ) as exact text, ``"inf"`` when every ρ is refuted, None when nothing was
    certified; ``curve``: the refuting curve's text (None when not refuted); ``critical_source``: the
    curve and limit that certified ρ*; ``worker``: host:pid of the process that ran it."""

    key: str
    label: str
    depth: int
    widths: list[int]
    activation: str
    bias: bool
    loss: str
    data: dict
    parameters: int
    verdict: str
    critical_exponent: str | None
    every_rho_refuted: bool
    curve: str | None
    evidence_kinds: list[str]
    reason: str
    seconds: float
    critical_source: str = ""
    search: dict = field(default_factory=dict)
    worker: str = ""
    dlnsmooth_version: str = __version__
    finished_at: str = ""

    @classmethod
    def for_case(cls, case: Case, **found) -> CaseResult:
        """A result of ``case`` with its architecture fields filled in, and ``found``."""
        base = {"key": case.key, "label": case.label, "depth": case.depth, "widths": list(case.widths),
                "activation": case.activation, "bias": case.bias, "loss": case.loss, "data": case.data.to_dict(),
                "parameters": case.parameters, "search": case.search.to_dict(), "worker": _worker_name(),
                "finished_at": datetime.now(UTC).isoformat(timespec="seconds")}
        return cls(**{**base, **found})

    @classmethod
    def undecided(cls, case: Case, reason: str, seconds: float = 0.0) -> CaseResult:
        """``case`` left undecided (a crash, an overrun, a lost worker) with its reason."""
        return cls.for_case(case, verdict="undecided", critical_exponent=None, every_rho_refuted=False, curve=None,
                            evidence_kinds=[], reason=reason, seconds=seconds)

    def to_json(self) -> dict:
        return asdict(self)


# -- running a case -------------------------------------------------------------------------------------
def run_case(case: Case) -> CaseResult:
    """Run ``case`` (in a worker) within ``case.time`` + :func:`grace`; never raises."""
    start = time.perf_counter()
    try:
        process = multiprocessing.current_process()
        if process.daemon:  # a default Dask worker is daemonic, and a daemonic process may not fork children
            process.daemon = False  # the budgeted children are always joined or killed by run_with_budget
        outcome = run_with_budget(_search_case, case, seconds=case.time + grace(case.time))
    except BaseException as exc:  # never raise in a worker
        return CaseResult.undecided(case, _one_line(exc), time.perf_counter() - start)
    seconds = time.perf_counter() - start
    if outcome.status == "ok":
        outcome.value.seconds = seconds
        outcome.value.worker = _worker_name()
        return outcome.value
    if outcome.status == "timeout":
        return CaseResult.undecided(case, f"exceeded its budget ({case.time:g} s + {grace(case.time):g} s grace)",
                                    seconds)
    return CaseResult.undecided(case, _one_line(outcome.message) or "the case failed without a message", seconds)


def _search_case(case: Case) -> CaseResult:
    """Build the network and search it (in the budgeted child)."""
    start = time.perf_counter()
    try:
        objective = feedforward(case.widths, case.activation, case.data.dataset(case.loss), case.loss,
                                bias=case.bias)
        rho = case.search.rho_value()
        result = search_refuting_curve(objective, rho=rho, every_rho=rho is None, options=case.search.options(),
                                       progress=False)
    except Exception as exc:
        return CaseResult.undecided(case, _one_line(exc), time.perf_counter() - start)
    certificate = result.certificate
    critical = json_value(result.critical_exponent)
    every = bool(result.critical_exponent == sp.oo) or (rho is None and result.verdict == "refuted")
    return CaseResult.for_case(
        case, verdict=result.verdict, critical_exponent=None if critical is None else str(critical),
        every_rho_refuted=every, curve=_curve_text(certificate.curve) if certificate is not None else None,
        evidence_kinds=list(certificate.evidence_kinds) if certificate is not None else [],
        reason=_one_line(result.reason), seconds=time.perf_counter() - start,
        critical_source=_one_line(result.critical_source))


def _curve_text(curve: Curve) -> str:
    """The search's compact name of a curve (``W1 = 0, W2 = t·ones``), else its coordinates."""
    return curve.name.removeprefix("search: ") if curve.name else curve.describe()


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _one_line(text: object) -> str:
    if isinstance(text, BaseException):
        text = f"{type(text).__name__}: {text}" if not str(text) else str(text)
    line = " ".join(str(text).split())
    return line if len(line) <= 500 else line[:497] + "…"

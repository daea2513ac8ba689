"""Iterate a method on an objective — exactly in rationals or in ball arithmetic — and prove eventual cycles.

:func:`iterate` runs ``steps`` steps of a :class:`~dlnsmooth.dynamics.methods.Method` from β_0 and returns a
:class:`Trajectory`.

**Arithmetic.** ``"exact"``: every state is an :class:`~dlnsmooth.dynamics.objectives.ExactVector` (integer
numerators over one denominator: numpy int64 while an a-priori bound shows no overflow, Python integers
otherwise); possible when the objective and the method are rational. ``"ball"``: python-flint balls at
``dps`` digits. ``"auto"``: exact when possible; when the exact numbers outgrow ``max_bits`` (bits of the
denominator plus the largest numerator) the iteration continues in balls from the current (exactly
converted) state and the trajectory says so (``arithmetic = "ball"``, ``exact_until`` the last exact step).
An explicit ``"exact"`` run whose numbers outgrow ``max_bits`` stops with ``stopped = "size"``.

**Kinks and accuracy in balls.** A ball that contains the jump of the selected subgradient raises
:class:`~dlnsmooth.dynamics.objectives.UndecidedKink`; the whole run is then repeated from β_0 at twice the
precision, up to ``max_dps``, after which it stops with ``stopped = "kink"`` (the caller reports
``undecided``). Radii grow along a run (a matrix step multiplies them by the entrywise-absolute norm of its
Jacobian enclosure); when fewer than :data:`MIN_ACCURACY_BITS` bits of β remain known (largest radius against
‖β‖∞, looked at every :data:`ACCURACY_EVERY` steps) the run is repeated from β_0 at a precision estimated
from the bits lost per step (at least doubled), up to ``max_dps``; at the cap it stops with
``stopped = "precision"``. ``observe`` sees the steps of a repeated run again (the step number says which).

**Cycles, proved.** With ``detect_cycle`` (exact arithmetic and a method whose step does not depend on its
index), each state (β and the memory: β_{N−1} for momentum) is fingerprinted (the first 8 bytes of a BLAKE2b
digest of its canonical reduced form) in a dict fingerprint → steps. On a hit at step n the earlier state at
step m is recovered (a window of the last :data:`WINDOW` states, or an exact replay from β_0) and compared
EXACTLY; only equal states make a :class:`Cycle` (a fingerprint collision is just another entry). As every
state before step n is distinct from all others, the first repeat gives the smallest entry step N0 = m and
the smallest period p = n − m; the run stops at step n = N0 + p (for NDGM on the toy LASSO, N0 + 2). The dict
holds at most :data:`MAX_FINGERPRINTS` states (about 100 bytes each); beyond, Brent's checkpoints take over
with constant memory (``_CycleDetector``): same N0 and p, found a little later. Ball trajectories never
report a cycle.

**Shadowed ball path.** For NDGM (:class:`~dlnsmooth.dynamics.methods.Subgradient`, and
:class:`~dlnsmooth.dynamics.methods.StochasticSubgradient` when it uses every row) on a ``shadowable``
objective, the ball path is *shadowed* (:mod:`dlnsmooth.dynamics.shadow`): exact dyadic centres c_k and one
proved radius e_k ≥ ‖β_k − c_k‖₂, e_{k+1} = ℓ_k e_k + δ_k with ℓ_k the objective's proved Lipschitz bound of
the step map on the ball; the reported balls are c_k[j] ± e_k (``shadow_radius`` holds the final e_k). An
undecided sign / activity pattern on the ball is an undecided kink as above; lost accuracy as above. Other
methods and objectives iterate the balls componentwise.

``stopped``: ``"steps"`` (all steps done), ``"cycle"``, ``"budget"`` (``time_budget`` spent; the clock is
read every :data:`CLOCK_EVERY` steps), ``"kink"``, ``"precision"``, ``"size"`` (see above).
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

from flint import arb

from ..errors import DlnsmoothError
from ..precision import check_dps, working_precision
from ..progress import progress_bar
from .methods import Method, MethodState, StochasticSubgradient, Subgradient
from .objectives import ExactVector, NonsmoothObjective, ParameterError, UndecidedKink
from .shadow import ShadowState, shadow_advance, shadow_box, shadow_start

__all__ = ["Cycle", "Trajectory", "iterate", "shadowed", "MAX_STEPS", "WINDOW", "CLOCK_EVERY", "DEFAULT_MAX_BITS",
           "DEFAULT_MAX_DPS", "MIN_ACCURACY_BITS", "ACCURACY_EVERY", "SIZE_EVERY", "MAX_FINGERPRINTS"]

#: Largest number of steps of one run.
MAX_STEPS = 10_000_000
#: States kept for the exact confirmation of a cycle without replay.
WINDOW = 64
#: The clock (time budget) and the progress bar are looked at every this many steps.
CLOCK_EVERY = 256
#: The size of the exact numbers is looked at every this many steps.
SIZE_EVERY = 16
#: States fingerprinted in the dict before cycle detection switches to Brent's checkpoints (memory).
MAX_FINGERPRINTS = 1_000_000
#: Default size cap of exact numbers (bits of the denominator plus of the largest numerator).
DEFAULT_MAX_BITS = 4096
#: Default cap of the working precision when kinks or lost accuracy force a rerun at higher precision.
DEFAULT_MAX_DPS = 2000
#: A ball run is repeated at higher precision when fewer bits of β than this are known.
MIN_ACCURACY_BITS = 40
#: The accuracy of a ball run is looked at every this many steps.
ACCURACY_EVERY = 8

Arithmetic = Literal["auto", "exact", "ball"]


@dataclass
class Cycle:
    """A proved eventual cycle: the exact state at step ``enters_at + period`` equals the exact state at step
    ``enters_at`` (N0), both smallest; ``states`` are the β's of one period from step N0 (exact);
    ``memory_states`` the methods' memories at the same steps; ``detected_at = N0 + period``."""

    enters_at: int
    period: int
    states: list[list[Fraction]]
    detected_at: int
    memory_states: list[list[list[Fraction]]] = field(default_factory=list)

    def state_at(self, k: int) -> list[Fraction]:
        """β_k for any k ≥ N0 (the cycle repeats forever: the dynamics is autonomous)."""
        if k < self.enters_at:
            raise ValueError(f"step {k} is before the cycle (entered at step {self.enters_at})")
        return list(self.states[(k - self.enters_at) % self.period])


@dataclass
class Trajectory:
    """The result of :func:`iterate` (module docstring). ``final`` is β at step ``steps_done`` (Fractions
    or balls); ``losses``, ``norms1``, ``norms_inf`` hold f(β_k), ‖β_k‖₁, ‖β_k‖∞ for k = 0..steps_done (when
    recorded; Fractions while exact, balls afterwards); ``exact_until`` is the last step computed exactly."""

    objective: NonsmoothObjective
    method: Method
    beta0: list[Fraction]
    arithmetic: Literal["exact", "ball"]
    steps_done: int
    final: list
    stopped: str
    cycle: Cycle | None = None
    losses: list = field(default_factory=list)
    norms1: list = field(default_factory=list)
    norms_inf: list = field(default_factory=list)
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    dps: int | None = None
    exact_until: int | None = None
    final_state: MethodState | None = None
    max_bits: int = DEFAULT_MAX_BITS
    shadow_radius: arb | None = None

    @property
    def exact(self) -> bool:
        return self.arithmetic == "exact"

    def iterate_at(self, k: int) -> list:
        """β_k: from the cycle when k ≥ N0, else replayed from β_0; Fractions for a step computed exactly
        (k ≤ ``exact_until``), balls at the run's precision otherwise."""
        if not 0 <= k:
            raise ValueError(f"step {k} is negative")
        if self.cycle is not None and k >= self.cycle.enters_at:
            return self.cycle.state_at(k)
        if k > self.steps_done:
            raise ValueError(f"step {k} is beyond the {self.steps_done} steps computed")
        if k == self.steps_done:
            return list(self.final)
        exact_step = self.exact_until is not None and k <= self.exact_until
        if k == 0 and exact_step:
            return list(self.beta0)
        if k == 0:
            with working_precision(self.dps or 50):
                return [arb(b.numerator) / b.denominator for b in self.beta0]
        mode = "exact" if exact_step else "ball" if self.exact_until is None else "auto"
        replay = iterate(self.objective, self.method, self.beta0, steps=k, arithmetic=mode, dps=self.dps or 50,
                         max_dps=self.dps or 50, max_bits=self.max_bits, detect_cycle=False, record=False,
                         progress=False)
        if replay.steps_done != k:
            raise DlnsmoothError(f"the replay to step {k} stopped at step {replay.steps_done} ({replay.stopped})")
        return replay.final


@dataclass
class _Run:
    """Mutable bookkeeping of one run."""

    state: MethodState
    step: int = 0
    losses: list = field(default_factory=list)
    norms1: list = field(default_factory=list)
    norms_inf: list = field(default_factory=list)
    stopped: str = "steps"
    cycle: Cycle | None = None
    notes: list[str] = field(default_factory=list)
    shadow_radius: arb | None = None


def _validate(steps: int, arithmetic: str, dps: int, max_dps: int, time_budget: float | None,
              max_bits: int) -> None:
    if isinstance(steps, bool) or not isinstance(steps, int):
        raise ParameterError(f"the number of steps must be an integer, got {steps!r}")
    if not 1 <= steps <= MAX_STEPS:
        raise ParameterError(f"the number of steps must be between 1 and {MAX_STEPS}, got {steps}")
    if arithmetic not in ("auto", "exact", "ball"):
        raise ParameterError(f"arithmetic must be 'auto', 'exact' or 'ball', got {arithmetic!r}")
    check_dps(dps)
    check_dps(max_dps, what="max_dps")
    if time_budget is not None and not (time_budget > 0):
        raise ParameterError(f"the time budget must be a positive number of seconds, got {time_budget!r}")
    if isinstance(max_bits, bool) or not isinstance(max_bits, int) or max_bits < 64:
        raise ParameterError(f"max_bits must be an integer ≥ 64, got {max_bits!r}")


def iterate(objective: NonsmoothObjective, method: Method, beta0: Sequence[object], *, steps: int,
            arithmetic: Arithmetic = "auto", dps: int = 50, detect_cycle: bool = True,
            observe: Callable[[int, MethodState], None] | None = None, record: bool = True,
            time_budget: float | None = None, progress: bool | None = None,
            max_bits: int = DEFAULT_MAX_BITS, max_dps: int = DEFAULT_MAX_DPS) -> Trajectory:
    """Run ``steps`` steps of ``method`` on ``objective`` from ``beta0`` (module docstring for the options).

    ``observe(k, state)`` is called with the state at k = 0 and after every step; ``record`` keeps the
    per-step loss and norms; ``progress`` shows a bar (None: on a terminal only)."""
    _validate(steps, arithmetic, dps, max_dps, time_budget, max_bits)
    start = time.perf_counter()
    point = objective.exact_point(beta0)
    exact_possible = objective.rational and method.rational
    if arithmetic == "exact" and not exact_possible:
        what = method.name if not method.rational else objective.name
        raise ParameterError(f"{what} is not rational: exact arithmetic is impossible, use balls")
    deadline = None if time_budget is None else start + time_budget
    bar = progress_bar(progress, f"{method.name} on {objective.name}", total=steps)
    try:
        if arithmetic != "ball" and exact_possible:
            run = _exact_run(objective, method, point, steps, detect_cycle, observe, record, deadline, bar,
                             max_bits, allow_switch=arithmetic == "auto")
            exact_until = run.step
            if run.stopped == "size" and arithmetic == "auto":
                run.stopped = "steps"
                run, used = _ball_runs(objective, method, point, steps, observe, record, deadline, bar, dps,
                                       max_dps, resume=run)
                run.notes.insert(0, f"exact up to step {exact_until}: the numbers outgrew {max_bits} bits; "
                                    f"ball arithmetic at {used} digits afterwards")
                return _trajectory(objective, method, point, "ball", run, start, used, exact_until, max_bits)
            return _trajectory(objective, method, point, "exact", run, start, None, exact_until, max_bits)
        run, used = _ball_runs(objective, method, point, steps, observe, record, deadline, bar, dps, max_dps)
        return _trajectory(objective, method, point, "ball", run, start, used, None, max_bits)
    finally:
        if bar is not None:
            bar.close()


def _trajectory(objective: NonsmoothObjective, method: Method, point: ExactVector, arithmetic: str, run: _Run,
                start: float, dps: int | None, exact_until: int | None, max_bits: int) -> Trajectory:
    beta = run.state.beta
    final = beta.to_fractions() if isinstance(beta, ExactVector) else list(beta)
    return Trajectory(objective=objective, method=method, beta0=point.to_fractions(), arithmetic=arithmetic,
                      steps_done=run.step, final=final, stopped=run.stopped, cycle=run.cycle, losses=run.losses,
                      norms1=run.norms1, norms_inf=run.norms_inf, seconds=time.perf_counter() - start,
                      notes=run.notes, dps=dps, exact_until=exact_until, final_state=run.state, max_bits=max_bits,
                      shadow_radius=run.shadow_radius)


# exact runs ---------------------------------------------------------------------------------------------------

def _state_fingerprint(state: MethodState) -> bytes:
    return b"".join(v.fingerprint() for v in state.vectors())


def _states_equal(a: MethodState, b: MethodState) -> bool:
    return all(x == y for x, y in zip(a.vectors(), b.vectors()))


def _record_exact(run: _Run, objective: NonsmoothObjective) -> None:
    beta = run.state.beta
    run.losses.append(objective.exact_value(beta))
    run.norms1.append(beta.norm1())
    run.norms_inf.append(beta.norm_inf())


def _exact_run(objective: NonsmoothObjective, method: Method, point: ExactVector, steps: int, detect_cycle: bool,
               observe, record: bool, deadline: float | None, bar, max_bits: int, allow_switch: bool) -> _Run:
    run = _Run(method.initial_state(point))
    detector = None
    if detect_cycle and method.autonomous(objective):
        detector = _CycleDetector(objective, method, point, run.state)
    elif detect_cycle:
        run.notes.append(f"no cycle detection: the step of {method.name} depends on its index here")
    if record:
        _record_exact(run, objective)
    if observe is not None:
        observe(0, run.state)
    for index in range(steps):
        run.state = method.exact_step(objective, run.state, index)
        run.step = index + 1
        if record:
            _record_exact(run, objective)
        if observe is not None:
            observe(run.step, run.state)
        if detector is not None:
            run.cycle = detector.register(run.step, run.state)
            if run.cycle is not None:
                run.stopped = "cycle"
                break
        if run.step % SIZE_EVERY == 0 and max(v.bits() for v in run.state.vectors()) > max_bits:
            run.stopped = "size"
            if not allow_switch:
                run.notes.append(f"stopped at step {run.step}: the exact numbers outgrew {max_bits} bits")
            break
        if run.step % CLOCK_EVERY == 0 and _tick(bar, run.step, deadline):
            run.stopped = "budget"
            run.notes.append(f"stopped at step {run.step}: the time budget was spent")
            break
    return run


def _tick(bar, step: int, deadline: float | None) -> bool:
    """Advance the progress bar to ``step``; True when the deadline has passed."""
    if bar is not None:
        bar.update(step - bar.n)
    return deadline is not None and time.perf_counter() > deadline


class _CycleDetector:
    """Proved detection of the first repeated state (module docstring).

    Up to :data:`MAX_FINGERPRINTS` states: a dict from a 64-bit fingerprint to the steps that had it, each hit
    confirmed by exact comparison (the earlier state from a window of recent states, or replayed); the first
    confirmed hit at step n with earlier step m gives N0 = m and period n − m, both smallest. Beyond that many
    states (memory), Brent's checkpoints: the exact state at steps c, 2c, 4c, … is kept, and a later state equal
    to the checkpoint gives the period p exactly (the first return of a state on the cycle); N0 is then the
    first i with state_i = state_{i+p}, found by replaying two runners p steps apart. Detection may then come
    later than N0 + p, but N0 and p are the same smallest values."""

    def __init__(self, objective: NonsmoothObjective, method: Method, point: ExactVector,
                 initial: MethodState) -> None:
        self.objective, self.method, self.point = objective, method, point
        self.seen: dict[int, list[int]] = {}
        self.window: deque[tuple[int, MethodState]] = deque(maxlen=WINDOW)
        self.checkpoint: tuple[int, MethodState, int] | None = None
        self.register(0, initial)

    def register(self, step: int, state: MethodState) -> Cycle | None:
        """Record the state at ``step``; the proved cycle when it repeats an earlier state."""
        key = int.from_bytes(_state_fingerprint(state)[:8], "big")
        if self.checkpoint is not None:
            return self._brent(step, state, key)
        earlier_steps = self.seen.setdefault(key, [])
        for earlier in earlier_steps:
            if _states_equal(self._state_at(earlier), state):
                return self._cycle(earlier, step)
        earlier_steps.append(step)
        self.window.append((step, state))
        if len(self.seen) >= MAX_FINGERPRINTS:
            self.checkpoint = (step, state, key)
            self.seen.clear()
        return None

    def _brent(self, step: int, state: MethodState, key: int) -> Cycle | None:
        anchor_step, anchor, anchor_key = self.checkpoint
        if key == anchor_key and _states_equal(anchor, state):
            period = step - anchor_step
            return self._cycle(self._entry(period), step, period)
        if step >= 2 * anchor_step:
            self.checkpoint = (step, state, key)
        return None

    def _entry(self, period: int) -> int:
        """The first i with state_i = state_{i+period}, by two exact runners (proved smallest)."""
        method, objective = self.method, self.objective
        slow = method.initial_state(self.point)
        fast = slow
        for index in range(period):
            fast = method.exact_step(objective, fast, index)
        i = 0
        while not _states_equal(slow, fast):
            slow = method.exact_step(objective, slow, i)
            fast = method.exact_step(objective, fast, i + period)
            i += 1
        return i

    def _state_at(self, step: int) -> MethodState:
        """The exact state at ``step``: from the window, else replayed from β_0."""
        for stored_step, state in self.window:
            if stored_step == step:
                return state
        state = self.method.initial_state(self.point)
        for index in range(step):
            state = self.method.exact_step(self.objective, state, index)
        return state

    def _cycle(self, enters_at: int, detected_at: int, period: int | None = None) -> Cycle:
        period = detected_at - enters_at if period is None else period
        state = self._state_at(enters_at)
        states, memories = [], []
        for offset in range(period):
            states.append(state.beta.to_fractions())
            memories.append([m.to_fractions() for m in state.memory])
            state = self.method.exact_step(self.objective, state, enters_at + offset)
        return Cycle(enters_at=enters_at, period=period, states=states, detected_at=detected_at,
                     memory_states=memories)


# ball runs ----------------------------------------------------------------------------------------------------

def _ball_state(state: MethodState) -> MethodState:
    def convert(v):
        return v.to_balls() if isinstance(v, ExactVector) else list(v)
    return MethodState(convert(state.beta), tuple(convert(m) for m in state.memory))


def _record_ball(run: _Run, objective: NonsmoothObjective) -> None:
    beta = run.state.beta
    run.losses.append(objective.ball_value(beta))
    run.norms1.append(sum((abs(b) for b in beta), arb(0)))
    largest = arb(0)
    for b in beta:
        largest = largest.max(abs(b))
    run.norms_inf.append(largest)


class _Interrupted(Exception):
    """A ball run that cannot go on at this precision: ``kind`` is "kink" or "precision"."""

    def __init__(self, kind: str, reason: str, run: _Run) -> None:
        super().__init__(reason)
        self.kind, self.reason, self.run = kind, reason, run


def _accuracy_bits(beta: Sequence[arb]) -> float:
    """log₂(scale / largest radius), scale = max(‖mid β‖∞, 2⁻⁶⁴): the bits of β known relative to its size
    (infinite for exact balls)."""
    largest_radius = max((float(b.rad()) for b in beta), default=0.0)
    if largest_radius == 0:
        return math.inf
    scale = max(max(abs(float(b.mid())) for b in beta), 2.0 ** -64)
    return math.log2(scale / largest_radius) if math.isfinite(largest_radius) else -math.inf


def _next_precision(current: int, interrupted: _Interrupted, steps: int) -> int:
    """The precision of the rerun: doubled after a kink; after lost accuracy, enough for the bits lost per
    step so far over all ``steps`` (at least doubled)."""
    if interrupted.kind == "kink" or interrupted.run.step == 0:
        return 2 * current
    bits = current / math.log10(2)
    lost_per_step = (bits - MIN_ACCURACY_BITS) / interrupted.run.step
    needed_bits = lost_per_step * steps + 2 * MIN_ACCURACY_BITS
    return max(2 * current, int(math.ceil(needed_bits * math.log10(2))) + 10)


def _ball_runs(objective: NonsmoothObjective, method: Method, point: ExactVector, steps: int, observe,
               record: bool, deadline: float | None, bar, dps: int, max_dps: int,
               resume: _Run | None = None) -> tuple[_Run, int]:
    """Ball iteration at ``dps``; rerun from the start at a higher precision after an undecided kink or lost
    accuracy (:data:`MIN_ACCURACY_BITS`), up to ``max_dps``; at the cap the run stops there."""
    current = dps
    while True:
        with working_precision(current):
            try:
                return _ball_run(objective, method, point, steps, observe, record, deadline, bar, resume), current
            except _Interrupted as interrupted:
                following = _next_precision(current, interrupted, steps)
                if current >= max_dps or deadline is not None and time.perf_counter() > deadline:
                    run = interrupted.run
                    run.stopped = interrupted.kind
                    run.notes.append(f"stopped at step {run.step}: {interrupted.reason} (at {current} digits"
                                     f"{', the cap' if current >= max_dps else ''})")
                    return run, current
                current = min(following, max_dps)


def shadowed(objective: NonsmoothObjective, method: Method) -> bool:
    """True when the ball path of ``method`` on ``objective`` is shadowed (module docstring): NDGM (or SGD that
    uses every row) on an objective with a proved Lipschitz bound of its step map."""
    if not getattr(objective, "shadowable", False):
        return False
    if isinstance(method, StochasticSubgradient):
        return method.autonomous(objective)
    return isinstance(method, Subgradient)


def _shadow_run(objective: NonsmoothObjective, method: Method, point: ExactVector, steps: int, observe,
                record: bool, deadline: float | None, bar, resume: _Run | None) -> _Run:
    """The shadowed ball run (module docstring) from β_0, or from the exact state of ``resume``."""
    if resume is None:
        shadow = shadow_start(point.to_fractions())
        run = _Run(MethodState(shadow_box(shadow)))
        if record:
            _record_ball(run, objective)
        if observe is not None:
            observe(0, run.state)
    else:
        beta = resume.state.beta
        start = beta.to_fractions() if isinstance(beta, ExactVector) else list(beta)
        shadow = shadow_start(start, resume.step)
        run = _Run(MethodState(shadow_box(shadow)), resume.step, list(resume.losses), list(resume.norms1),
                   list(resume.norms_inf), notes=list(resume.notes))
    while run.step < steps:
        try:
            following: ShadowState = shadow_advance(objective, shadow, method.alpha)[0]
        except UndecidedKink as kink:
            raise _Interrupted("kink", str(kink), run) from None
        box = shadow_box(following)
        if run.step % ACCURACY_EVERY == 0 and _accuracy_bits(box) < MIN_ACCURACY_BITS:
            raise _Interrupted("precision", f"the shadow radius lost accuracy (fewer than {MIN_ACCURACY_BITS} bits "
                                            "of β known)", run)
        shadow = following
        run.state = MethodState(box)
        run.shadow_radius = shadow.radius
        if _after_ball_step(run, objective, observe, record, bar, deadline):
            break
    run.shadow_radius = shadow.radius
    run.notes.append(f"shadowed ball run: exact dyadic centres c_k and a proved radius ‖β_k − c_k‖₂ ≤ e_k; final "
                     f"e_k ≤ {float(shadow.radius):.3g}")
    return run


def _ball_run(objective: NonsmoothObjective, method: Method, point: ExactVector, steps: int, observe,
              record: bool, deadline: float | None, bar, resume: _Run | None) -> _Run:
    if shadowed(objective, method):
        return _shadow_run(objective, method, point, steps, observe, record, deadline, bar, resume)
    if resume is None:
        run = _Run(_ball_state(method.initial_state(point)))
        if record:
            _record_ball(run, objective)
        if observe is not None:
            observe(0, run.state)
    else:
        run = _Run(_ball_state(resume.state), resume.step, list(resume.losses), list(resume.norms1),
                   list(resume.norms_inf), notes=list(resume.notes))
    while run.step < steps:
        try:
            following = method.ball_step(objective, run.state, run.step)
        except UndecidedKink as kink:
            raise _Interrupted("kink", str(kink), run) from None
        if run.step % ACCURACY_EVERY == 0 and _accuracy_bits(following.beta) < MIN_ACCURACY_BITS:
            raise _Interrupted("precision", f"the balls lost accuracy (fewer than {MIN_ACCURACY_BITS} bits of β "
                                            "known)", run)
        run.state = following
        if _after_ball_step(run, objective, observe, record, bar, deadline):
            break
    return run


def _after_ball_step(run: _Run, objective: NonsmoothObjective, observe, record: bool, bar,
                     deadline: float | None) -> bool:
    """Count the step just taken (``run.state`` is the new state), record and report it; True when the time
    budget is spent (``run.stopped`` then says so)."""
    run.step += 1
    if record:
        _record_ball(run, objective)
    if observe is not None:
        observe(run.step, run.state)
    if run.step % CLOCK_EVERY == 0 and _tick(bar, run.step, deadline):
        run.stopped = "budget"
        run.notes.append(f"stopped at step {run.step}: the time budget was spent")
        return True
    return False

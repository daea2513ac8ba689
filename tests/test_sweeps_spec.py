"""Sweep specs: the issue's TOML as written, the case grid and its stable keys, one-line errors."""

from __future__ import annotations

import pytest

from dlnsmooth.errors import DlnsmoothError
from dlnsmooth.sweeps.case import Case, DataSpec, SearchSettings
from dlnsmooth.sweeps.spec import MAX_CASES, SpecError, SweepSpec

ISSUE_SPEC = """\
[grid]
depths = [3]
widths = [2]
activations = ["tanh", "identity"]
bias = [false]
losses = ["logistic"]
data = [{ random = 4, seed = 1 }]
[search]
time = 30
"""


def test_the_issue_spec_works_as_written(tmp_path):
    path = tmp_path / "small.toml"
    path.write_text(ISSUE_SPEC)
    spec = SweepSpec.from_toml(path)
    cases = spec.cases()
    assert spec.size == len(cases) == 2
    assert [(c.depth, c.widths, c.activation, c.bias, c.loss) for c in cases] == [
        (3, (1, 2, 2, 1), "tanh", False, "logistic"), (3, (1, 2, 2, 1), "identity", False, "logistic")]
    assert cases[0].data == DataSpec(random=4, seed=1) and cases[0].time == 30.0
    assert cases[0].search.rho == "every" and cases[0].parameters == 2 + 4 + 2
    assert cases[0].label == "widths 1-2-2-1 tanh, no bias, logistic, random 4 (seed 1)"


def test_keys_are_stable_distinct_and_survive_a_round_trip_through_toml():
    spec = SweepSpec.from_text(ISSUE_SPEC)
    keys = [c.key for c in spec.cases()]
    assert len(set(keys)) == 2 and all(len(k) == 16 for k in keys)
    assert keys == [c.key for c in SweepSpec.from_text(ISSUE_SPEC).cases()]
    again = SweepSpec.from_text(spec.to_toml())
    assert again == spec and [c.key for c in again.cases()] == keys
    # the key depends on the search settings too
    other = SweepSpec.from_text(ISSUE_SPEC.replace("time = 30", "time = 31"))
    assert not set(keys) & {c.key for c in other.cases()}


def test_uniform_widths_cross_depths_and_patterns_have_their_own_depth():
    spec = SweepSpec.from_dict({"grid": {"depths": [2, 3], "widths": [1, 2, [3, 2]], "patterns": [[2, 4, 1]],
                                         "activations": ["tanh"], "bias": [True, False],
                                         "losses": ["squared", "cross-entropy"], "data": [{"random": 3}]}})
    assert spec.architectures == ((2, (1,)), (2, (2,)), (3, (1, 1)), (3, (2, 2)), (3, (3, 2)), (4, (2, 4, 1)))
    assert spec.size == 6 * 2 * 2
    cases = spec.cases()
    assert cases[0].widths == (1, 1, 1) and cases[1].widths == (1, 1, 2)  # cross-entropy: 2 outputs
    assert all(c.depth == len(c.hidden) + 1 for c in cases)
    assert cases == spec.cases()  # deterministic


@pytest.mark.parametrize("text, words", [
    ("[grid]\ndepth = [3]\n", ["unknown [grid] key 'depth'", "depths"]),
    ("[grid]\n[serch]\ntime = 1\n", ["unknown top-level table 'serch'"]),
    (ISSUE_SPEC + "budget = 3\n", ["unknown [search] key 'budget'"]),
    (ISSUE_SPEC.replace("depths = [3]", "depths = [1]"), ["depth", "from 2"]),
    (ISSUE_SPEC.replace("widths = [2]", "widths = [0]"), ["hidden width", "from 1"]),
    (ISSUE_SPEC.replace('"identity"', '"relu"'), ["unknown activation 'relu'", "tanh", "gelu"]),
    (ISSUE_SPEC.replace('"logistic"', '"hinge"'), ["unknown loss 'hinge'", "cross-entropy"]),
    (ISSUE_SPEC.replace("random = 4, ", ""), ["needs 'random'"]),
    (ISSUE_SPEC.replace("seed = 1", "seed = 1, points = 3"), ["unknown data key 'points'"]),
    (ISSUE_SPEC.replace("seed = 1", "seed = -1"), ["seed"]),
    (ISSUE_SPEC.replace("time = 30", "time = 0"), ["time must be a positive number"]),
    (ISSUE_SPEC.replace("time = 30", 'rho = "-1"'), ["rho"]),
    (ISSUE_SPEC.replace("time = 30", 'families = ["spiral"]'), ["families", "monomial"]),
    (ISSUE_SPEC.replace("bias = [false]", "bias = [0]"), ["true/false"]),
    (ISSUE_SPEC.replace("depths = [3]\n", ""), ["needs 'depths'"]),
    (ISSUE_SPEC.replace('"logistic"', '"cross-entropy"').replace("seed = 1", "seed = 1, output_dim = 1"),
     ["cross-entropy"]),
    ("[grid\n", ["not valid TOML"]),
    ("", ["no [grid] table"]),
])
def test_bad_specs_raise_one_clear_line(text, words):
    with pytest.raises(SpecError) as info:
        SweepSpec.from_text(text)
    message = str(info.value)
    assert isinstance(info.value, DlnsmoothError) and "\n" not in message.strip()
    for word in words:
        assert word in message, message


def test_a_grid_too_large_is_refused():
    grid = {"depths": list(range(2, 12)), "widths": list(range(1, 51)), "activations": ["tanh", "sin"],
            "bias": [True, False], "losses": ["squared", "logistic"],
            "data": [{"random": 2, "seed": s} for s in range(30)]}
    with pytest.raises(SpecError, match=f"at most {MAX_CASES}"):
        SweepSpec.from_dict({"grid": grid})


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(SpecError, match="no sweep spec at"):
        SweepSpec.from_toml(tmp_path / "absent.toml")


def test_a_case_built_by_hand_has_the_same_key_as_the_specs():
    case = Case(depth=3, hidden=(2, 2), activation="tanh", bias=False, loss="logistic", data=DataSpec(4, 1),
                search=SearchSettings(time=30.0))
    assert case.key == SweepSpec.from_text(ISSUE_SPEC).cases()[0].key

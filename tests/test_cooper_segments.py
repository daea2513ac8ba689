"""Seed 001's random radial segments: the transcription of App. B, the parameter orderings, the
classification rule, the lower bounds on (L0, L1) from witnesses, and one end-to-end run."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest
from flint import arb
from hypothesis import given
from hypothesis import strategies as st

from dlnsmooth.errors import DlnsmoothError
from dlnsmooth.experiments import cooper_data as data
from dlnsmooth.experiments import cooper_segments as experiment
from dlnsmooth.precision import working_precision

EXPECTED_COUNTS = {"x": 20, "y": 20, "start_1": 51, "end_1": 14, "start_3": 51, "end_3": 51, "start_4": 51,
                   "end_4": 51, "start_5": 51, "end_5": 50, "start_6": 51, "end_6": 51, "start_7": 51, "end_7": 51,
                   "w_2": 51, "w_4": 51, "w_6": 51}


# -- the transcription ------------------------------------------------------------------------------
def test_every_printed_vector_has_the_counted_entries_and_reads_exactly():
    assert {name: len(data.printed(name)) for name in data.PRINTED} == EXPECTED_COUNTS
    assert sum(b.size for b in experiment.seed_objective().architecture.blocks) == 51
    assert data.printed("start_4")[:3] == ("-16", "27", "5.7")
    assert Fraction(data.printed("start_1")[2]) == Fraction(-63, 10000)


def test_segment_statuses_and_descriptions():
    records = {s.index: s for s in data.segments()}
    assert {i: s.status for i, s in records.items()} == {1: "reconstructed", 2: "unusable", 3: "printed",
                                                        4: "printed", 5: "reconstructed", 6: "printed", 7: "printed"}
    assert records[4].seed_says == "the resulting graph looks U-shaped."
    assert records[4].seed_class == "U-shaped" and records[6].seed_class == records[7].seed_class == "roughly linear"
    for segment in data.usable_segments():
        start, end = segment.endpoints()
        assert len(start) == len(end) == 51
    with pytest.raises(DlnsmoothError, match="unusable"):
        records[2].endpoints()
    assert records[1].end.reconstructed == tuple(range(10, 51)) and records[5].end.reconstructed == (0,)


@pytest.mark.parametrize("index", [3, 4, 6, 7])
def test_printed_segments_are_radial_to_print_precision(index):
    low, high = data.radial_interval(data.printed(f"start_{index}"), data.printed(f"end_{index}"))
    assert 0 < low <= high


def test_radial_check_rejects_pairs_that_are_not_radial():
    low, high = data.radial_interval(data.printed("start_3"), data.printed("end_4"))
    assert low > high
    low, high = data.radial_interval(data.printed("start_1"), data.printed("end_1"))  # entries 11-14 are off the ray
    assert low > high
    low, high = data.radial_interval(data.printed("start_1"), data.printed("end_1")[:10])
    assert low <= high


def test_end_5_lost_its_first_entry():
    start, end = data.printed("start_5"), data.printed("end_5")
    assert data.radial_interval(start, end, 0)[0] > data.radial_interval(start, end, 0)[1]
    low, high = data.radial_interval(start, end, 1)
    assert 113 <= low <= high <= 115


@pytest.mark.parametrize("index", [1, 5])
def test_reconstructed_end_points_lie_on_the_ray(index):
    segment = next(s for s in data.segments() if s.index == index)
    low, high = data.radial_interval(segment.start.tokens, segment.end.tokens)
    assert low <= segment.ratio <= high


def test_half_unit_reads_two_significant_digits():
    assert data.half_unit("-3") == Fraction(1, 20)
    assert data.half_unit("0.0063") == Fraction(1, 20000)
    assert data.half_unit("-12") == Fraction(1, 2)
    assert data.round_significant(Fraction(41995, 1000)) == "42"


def test_dataset_pairs_x_and_y_by_position():
    dataset = data.dataset()
    assert dataset.size == 20
    assert dataset.inputs[0] == (Fraction(-51, 100),) and dataset.label_vectors[19] == (Fraction(9, 10),)


def test_orderings_map_the_printed_numbers_onto_the_package_layout():
    labels = list(range(51))
    assert data.to_package_order(labels, "package") == labels
    transposed = data.to_package_order(labels, "transposed")
    # W2 is 7 x 4 in the package; printed as M^2 = W2^T (4 x 7) row by row: W2[i][j] is printed at 8 + 7j + i
    assert [transposed[8 + 4 * i + j] for i in range(7) for j in range(4)] == \
        [8 + 7 * j + i for i in range(7) for j in range(4)]
    assert data.to_package_order(labels, "weights-first")[4:8] == [39, 40, 41, 42]  # b1
    assert data.to_package_order(labels, "bias-first")[:8] == [4, 5, 6, 7, 0, 1, 2, 3]
    for ordering in data.ORDERINGS:
        assert sorted(data.ordering_permutation(ordering)) == labels
    with pytest.raises(DlnsmoothError, match="unknown ordering"):
        data.ordering_permutation("columns")


def test_kaiming_scales_identify_the_layer_blocks():
    layer, weights_first = list(experiment.GROUPINGS)
    for vector in data.random_vectors().values():
        scales = experiment.block_scales(vector, layer)
        assert max(scales) <= 1 and min(scales) > 0.5  # a Kaiming draw at scale 1, read in layer blocks
    assert max(experiment.block_scales(data.random_vectors()["w_2"], weights_first)) > 1.5


# -- the classification rule --------------------------------------------------------------------------
G = np.linspace(0.0, 10.0, 50)


def test_classifier_on_synthetic_shapes():
    assert experiment.classify_relation(G + 1, 3 * (G + 1) + 2).label == "roughly linear"
    assert experiment.classify_relation(G, G ** 2).label == "superlinear"
    assert experiment.classify_relation(G, np.exp(G / 2)).label == "superlinear"
    assert experiment.classify_relation(G, (G - 5) ** 2).label == "U-shaped"
    assert experiment.classify_relation(G + 1, 1 / (G + 1)).label == "other"
    assert experiment.classify_relation(G, np.sqrt(G)).label == "other"


def test_classifier_never_calls_a_quadratic_linear():
    quadratic = experiment.classify_relation(G, G ** 2)
    assert quadratic.residual > experiment.LINEAR_RESIDUAL
    noisy = G ** 2 * (1 + 0.02 * np.sin(7 * G))
    assert experiment.classify_relation(G, noisy).label != "roughly linear"


def test_classifier_rejects_bad_input():
    with pytest.raises(DlnsmoothError):
        experiment.classify_relation([1, 2, 3], [1, 2])
    with pytest.raises(DlnsmoothError):
        experiment.classify_relation(G, np.full(50, np.inf))
    assert experiment.classify_relation(G, np.ones_like(G)).label == "other"


# -- lower bounds on the constants from witnesses ------------------------------------------------------------
def _exact_balls(values):
    return [arb(v) for v in values]


def test_witness_bounds_by_hand():
    bounds = experiment.witness_bounds(_exact_balls([1, 2, 4, 8]), _exact_balls([5, 6, 12, 10]), "Frobenius")
    assert bounds.l1_at_l0_zero == 5 and bounds.l0_at_l1_zero == 12
    assert bounds.frontier == ((0, 12), (Fraction(7, 3), Fraction(8, 3)), (5, 0))
    assert bounds.admits(Fraction(8, 3), Fraction(7, 3))
    assert not bounds.admits(Fraction(8, 3) - Fraction(1, 10 ** 9), Fraction(7, 3))


def test_witness_bounds_use_the_outer_ends_of_the_balls():
    with working_precision(30):
        g, h = arb(2, 0.5), arb(10, 1)
    bounds = experiment.witness_bounds([g], [h], "Frobenius")
    (g_hi, h_lo), = bounds.witnesses
    assert g_hi >= Fraction(5, 2) and h_lo <= 9
    assert bounds.l1_at_l0_zero == h_lo / g_hi


@given(st.lists(st.tuples(st.integers(1, 60), st.integers(0, 60)), min_size=1, max_size=12))
def test_frontier_is_the_least_l0_for_every_l1(points):
    bounds = experiment.witness_bounds(_exact_balls([g for g, _ in points]), _exact_balls([h for _, h in points]),
                                       "Frobenius")
    corners = bounds.frontier
    for l1, l0 in corners:
        assert bounds.required_l0(l1) == l0 and bounds.admits(l0, l1)
    for (l1a, l0a), (l1b, l0b) in zip(corners, corners[1:]):  # linear between corners
        mid = (l1a + l1b) / 2
        assert bounds.required_l0(mid) == (l0a + l0b) / 2
    last = bounds.l1_at_l0_zero
    assert bounds.admits(0, last)
    if last > 0:
        assert not bounds.admits(0, last * (1 - Fraction(1, 10 ** 6)))


# -- the experiment ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def outcome(tmp_path_factory):
    directory = tmp_path_factory.mktemp("plots") / "segments"
    return experiment.run(plots=directory, progress=False, perturbations=2, ordering_draws=0), directory


@pytest.mark.slow
def test_run_document(outcome):
    result, directory = outcome
    document = json.loads(json.dumps(result.to_document()))
    assert set(result.to_json()) == {"experiment", "verdict", "claim", "results", "plots", "notes", "seconds"}
    assert document["experiment"] == "cooper-segments" and document["verdict"] == "not refuted"
    rows = document["results"]["segments"]
    assert [row["index"] for row in rows] == [1, 2, 3, 4, 5, 6, 7]
    assert all(row["seed_says"] for row in rows)
    assert rows[1]["package_class"] is None and rows[1]["status"] == "unusable"
    assert document["results"]["ordering"]["used"] == "package"
    assert rows[0]["package_class"] == "superlinear"  # S1's class is the same for every redraw
    assert sorted(document["plots"]) == sorted(str(directory / f"cooper-segment-{i}.png") for i in (1, 3, 4, 5, 6, 7))
    for path in document["plots"]:
        with open(path, "rb") as handle:
            assert handle.read(8) == b"\x89PNG\r\n\x1a\n"
    assert "S4" in result.report() and "lower bounds on the constants from witnesses" in result.report()


@pytest.mark.slow
def test_run_constants_hold_at_every_sample_and_are_least(outcome):
    result, _ = outcome
    for segment in result.usable():
        samples = segment.samples
        for bounds, hessians in ((segment.frobenius, samples.hess_frobenius),
                                 (segment.spectral, samples.hess_spectral_lower)):
            for l1, l0 in bounds.frontier:
                assert all(l0 + l1 * experiment.ball_ends(g)[1] >= experiment.ball_ends(h)[0]
                           for g, h in zip(samples.grad, hessians))
            smaller = bounds.l1_at_l0_zero * (1 - Fraction(1, 10 ** 6))
            assert any(smaller * experiment.ball_ends(g)[1] < experiment.ball_ends(h)[0]
                       for g, h in zip(samples.grad, hessians))
        assert segment.spectral.l1_at_l0_zero <= segment.frobenius.l1_at_l0_zero  # ‖H‖₂ ≤ ‖H‖_F
        for low, frobenius in zip(samples.hess_spectral_lower, samples.hess_frobenius):
            assert low.lower() <= frobenius.upper()


def test_run_rejects_bad_options_before_computing(tmp_path):
    (tmp_path / "file.png").write_bytes(b"")
    with pytest.raises(DlnsmoothError, match="not a directory"):
        experiment.run(plots=tmp_path / "file.png")
    with pytest.raises(DlnsmoothError, match="perturbations"):
        experiment.run(perturbations=-1)
    with pytest.raises(DlnsmoothError):
        experiment.run(dps=0)

"""dlnsmooth.networks.data: data sets from inline text, JSON, CSV and seeds, held exactly; clear errors."""

import json
from fractions import Fraction

import pytest
import sympy as sp

from dlnsmooth.errors import DataError, DlnsmoothError, ShapeError
from dlnsmooth.networks.data import Dataset
from dlnsmooth.networks.deep_linear import deep_linear
from dlnsmooth.networks.losses import LOSSES, OUTPUT_LOSSES

R = sp.Rational


def _exact(dataset: Dataset) -> bool:
    return all(isinstance(v, sp.Rational) for x in dataset.inputs for v in x) and all(
        isinstance(y, sp.Rational) for y in dataset.targets)


# -- inline text ------------------------------------------------------------------------------
def test_inline_scalar_pairs():
    data = Dataset.parse_inline("[(1, 1), (1, -1)]")
    assert data.inputs == ((1,), (1,)) and data.targets == (1, -1)
    assert data.size == 2 and data.dim == 1 and data.source == "inline"
    assert _exact(data)


def test_inline_vector_pairs_read_decimals_exactly():
    data = Dataset.parse_inline("[([1, 0.5], 1), ([0, 2], -1)]")
    assert data.inputs == ((1, R(1, 2)), (0, 2)) and data.targets == (1, -1)
    assert data.dim == 2 and data.size == 2 and _exact(data)


@pytest.mark.parametrize(
    ("text", "inputs", "targets"),
    [
        ("[(0.1, -1)]", ((R(1, 10),),), (-1,)),
        ("[(-2/3, 1)]", ((R(-2, 3),),), (1,)),
        ("[(1e-3, 1), (2.5e2, -1)]", ((R(1, 1000),), (250,)), (1, -1)),
        ("  [ ( [1, -0.25, 3], 0.7 ) ]  ", ((1, R(-1, 4), 3),), (R(7, 10),)),
        ("[[(1, 2), -1]]", ((1, 2),), (-1,)),  # lists and tuples are interchangeable
        ("((1, 1),)", ((1,),), (1,)),
        ('[("0.3", 1)]', ((R(3, 10),),), (1,)),  # numbers given as strings
        ('{"x": [[1, 2], [3, 4]], "y": [1, -1]}', ((1, 2), (3, 4)), (1, -1)),
    ],
)
def test_inline_forms(text, inputs, targets):
    data = Dataset.parse_inline(text)
    assert data.inputs == inputs and data.targets == targets and _exact(data)


def test_from_pairs_accepts_python_numbers_exactly():
    data = Dataset.from_pairs([([1, 0.1, Fraction(2, 3)], R(-5, 7)), ([sp.Integer(3), "1/4", -2], 0.5)])
    assert data.inputs == ((1, R(1, 10), R(2, 3)), (3, R(1, 4), -2))
    assert data.targets == (R(-5, 7), R(1, 2))
    assert data.source == "given" and _exact(data)


def test_to_json_and_describe():
    data = Dataset.parse_inline("[([1, 0.5], 1), ([0, 2], -1)]")
    assert data.to_json() == {"source": "inline", "x": [["1", "1/2"], ["0", "2"]], "y": ["1", "-1"]}
    assert data.describe() == "x=(1, 1/2), y=1; x=(0, 2), y=-1"
    many = Dataset.from_pairs([(i, 1) for i in range(1, 7)])
    assert many.describe(limit=2) == "x=(1), y=1; x=(2), y=1; … (6 observations)"


# -- files ------------------------------------------------------------------------------------
def test_json_list_of_pairs(tmp_path):
    path = tmp_path / "pairs.json"
    path.write_text(json.dumps([[[1, 0.1], 1], [[-2, 3], -1], [[0, 0.25], 1]]))
    data = Dataset.load(path)
    assert data.inputs == ((1, R(1, 10)), (-2, 3), (0, R(1, 4))) and data.targets == (1, -1, 1)
    assert data.source == str(path) and _exact(data)
    assert Dataset.resolve(str(path)) == data


def test_json_x_y_dictionary(tmp_path):
    path = tmp_path / "xy.json"
    path.write_text('{"x": [[1, 0.5], [0, 2]], "y": [1, -1]}')
    data = Dataset.load(str(path))
    assert data.inputs == ((1, R(1, 2)), (0, 2)) and data.targets == (1, -1)
    scalar = tmp_path / "scalar.json"
    scalar.write_text('{"x": [0.1, -3], "y": [2.5, 1]}')
    data = Dataset.resolve(str(scalar))
    assert data.inputs == ((R(1, 10),), (-3,)) and data.targets == (R(5, 2), 1)


def test_json_decimals_are_read_exactly_not_through_floats(tmp_path):
    path = tmp_path / "d.json"
    path.write_text("[[0.1, 0.3], [0.7, -1]]")
    data = Dataset.load(path)
    assert data.inputs == ((R(1, 10),), (R(7, 10),)) and data.targets == (R(3, 10), -1)


def test_csv_with_header(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("x1,x2,y\n0.5,1,1\n-1,2,-1\n")
    data = Dataset.load(path)
    assert data.inputs == ((R(1, 2), 1), (-1, 2)) and data.targets == (1, -1)
    assert data.source == str(path) and _exact(data)


def test_csv_without_header_blank_lines_and_spaces(tmp_path):
    path = tmp_path / "plain.CSV"
    path.write_text("1, 2, 3, 1\n\n 0.25 ,0,-1, -1\n")
    data = Dataset.load(path)
    assert data.inputs == ((1, 2, 3), (R(1, 4), 0, -1)) and data.targets == (1, -1)
    assert Dataset.resolve(str(path)) == data


def test_csv_single_input_column(tmp_path):
    path = tmp_path / "one.csv"
    path.write_text("x,y\n2,1\n-1,-1\n3,0.5\n")
    data = Dataset.load(path)
    assert data.inputs == ((2,), (-1,), (3,)) and data.targets == (1, -1, R(1, 2))


def test_resolve_prefers_inline_text_when_no_file_exists():
    assert Dataset.resolve("[(1, 1)]").source == "inline"


# -- random data ------------------------------------------------------------------------------
def test_random_data_is_reproducible_from_the_seed():
    a, b = Dataset.random(5, 3, seed=11), Dataset.random(5, 3, seed=11)
    assert a == b and a.size == 5 and a.dim == 3
    assert "N=5" in a.source and "seed=11" in a.source


def test_different_seeds_give_different_data():
    assert Dataset.random(5, 3, seed=1).inputs != Dataset.random(5, 3, seed=2).inputs


def test_random_sign_labels_and_two_decimal_inputs():
    data = Dataset.random(40, 2, seed=3)  # labels default to ±1
    assert set(data.targets) == {1, -1}
    assert _exact(data)
    for x in data.inputs:
        for v in x:
            assert (100 * v).is_Integer and abs(v) < 10  # standard normal draws rounded to 2 decimals
    assert len({v for x in data.inputs for v in x}) > 20  # not a constant
    data.check(2, LOSSES["logistic"])  # acceptable to the sign-label losses


def test_random_real_labels_for_the_squared_loss_are_normal_draws():
    data = Dataset.random(40, 2, seed=3, labels=LOSSES["squared"].labels)
    assert _exact(data)
    assert all((100 * y).is_Integer and abs(y) < 10 for y in data.targets)
    assert not set(data.targets) <= {1, -1}
    assert len(set(data.targets)) > 20
    assert min(data.targets) < 0 < max(data.targets)
    # the inputs do not depend on the kind of labels
    assert data.inputs == Dataset.random(40, 2, seed=3).inputs


@pytest.mark.parametrize("n", [0, -1, 2.0, True, "3"])
def test_random_needs_a_positive_integer_count(n):
    with pytest.raises(DataError, match="positive integer"):
        Dataset.random(n, 2, seed=0)


@pytest.mark.parametrize("dim", [0, -2, 1.5, False])
def test_random_needs_a_positive_integer_dimension(dim):
    with pytest.raises(ShapeError, match="input dimension"):
        Dataset.random(3, dim, seed=0)


def test_random_rejects_a_negative_seed_with_a_package_error():
    with pytest.raises(DataError, match="seed"):
        Dataset.random(3, 2, seed=-1)


# -- defaults and checks ----------------------------------------------------------------------
def test_default_data_is_one_observation_of_ones_with_label_one():
    f = deep_linear((3, 2, 1, 1))
    assert f.data.inputs == ((1, 1, 1),) and f.data.targets == (1,)
    assert "default" in f.data.source
    assert Dataset(((R(1),),), (R(1),)).source == "given"


def test_check_names_the_observation_with_the_wrong_dimension():
    data = Dataset.parse_inline("[([1, 2], 1), ([3, 4], -1)]")
    data.check(2, LOSSES["logistic"])
    with pytest.raises(ShapeError) as info:
        data.check(3, LOSSES["logistic"])
    assert "observation 1 has an input of dimension 2; the first width is 3" in str(info.value)


def test_check_rejects_labels_the_loss_does_not_accept():
    data = Dataset.parse_inline("[(1, 1), (2, 0.5)]")
    data.check(1, LOSSES["squared"])
    for name in ("logistic", "exponential"):
        with pytest.raises(DataError, match=r"observation 2: label y = 1/2; the \w+ loss needs y in \{-1, \+1\}"):
            data.check(1, LOSSES[name])


def test_wrong_input_dimension_against_widths_via_deep_linear():
    with pytest.raises(ShapeError, match="dimension 1; the first width is 2"):
        deep_linear((2, 2, 1), "[(1, 1)]")
    with pytest.raises(ShapeError, match="dimension 3; the first width is 2"):
        deep_linear((2, 2, 1), [([1, 2, 3], 1)])


# -- errors -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "error", "fragment"),
    [
        ("[(1, 1), (1, -1)", DataError, "malformed"),
        ("[(1, 1) (1, -1)]", DataError, "'(1, 1) (1, -1)' is not a number"),  # parses as a call
        ("hello world", DataError, "malformed"),
        ("", DataError, "malformed"),
        ("1", DataError, "list of (x, y) pairs"),
        ("(1, 1)", DataError, "observation 1 is 1; expected a pair (x, y)"),
        ("[(1, 1, 2)]", DataError, "expected a pair (x, y)"),
        ("[1, 2]", DataError, "observation 1 is 1"),
        ("[]", DataError, "empty"),
        ("[(a, 1)]", DataError, "'a' is not a number"),
        ('[("a", 1)]', DataError, "'a' is not a rational number"),
        ("[(1, None)]", DataError, "'None' is not a number"),
        ("[(True, 1)]", DataError, "'True' is not a number"),
        ("[(2**3, 1)]", DataError, "'2**3' is not a number"),
        ("[(1j, 1)]", DataError, "'1j' is not a number"),
        ("[(__import__('os').getcwd(), 1)]", DataError, "is not a number"),
        ("[(nan, 1)]", DataError, "'nan' is not a number"),
        ("[(1, inf)]", DataError, "'inf' is not a number"),
        ("[(float('nan'), 1)]", DataError, "is not a number"),
        ('[("nan", 1)]', DataError, "'nan' is not a rational number"),
        ('[(1, "-inf")]', DataError, "'-inf' is not a rational number"),
        ("[([1, 2], 1), ([1], -1)]", ShapeError, "different dimensions [1, 2]"),
        ("[([], 1)]", ShapeError, "at least one coordinate"),
        ('{"x": [1, 2], "y": [1]}', ShapeError, "same length"),
        ('{"x": [1], "z": [1]}', DataError, "exactly the keys 'x' and 'y'"),
    ],
)
def test_bad_inline_data_raises_a_clear_package_error(text, error, fragment):
    with pytest.raises(error) as info:
        Dataset.parse_inline(text)
    assert fragment in str(info.value)
    assert isinstance(info.value, DlnsmoothError) and isinstance(info.value, ValueError)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("pairs", "error", "fragment"),
    [
        ([(float("nan"), 1)], DataError, "x of observation 1 must be finite"),
        ([(1, float("inf"))], DataError, "y of observation 1 must be finite"),
        ([([1, float("-inf")], 1)], DataError, "must be finite"),
        ([(None, 1)], DataError, "x of observation 1 must be a number"),
        ([(1, 1), ([1, "x"], 1)], DataError, "x of observation 2 'x' is not a rational number"),
        ([], DataError, "empty"),
        ("[(1, 1)]", DataError, "list of (x, y) pairs"),
        (42, DataError, "list of (x, y) pairs"),
        ({"x": [1, 2], "y": 1}, ShapeError, "lists of the same length"),
    ],
)
def test_bad_python_pairs_raise_a_clear_package_error(pairs, error, fragment):
    with pytest.raises(error) as info:
        Dataset.from_pairs(pairs)
    assert fragment in str(info.value)


def test_mismatched_inputs_and_labels_in_the_constructor():
    with pytest.raises(ShapeError, match="2 inputs but 1 labels"):
        Dataset(((R(1),), (R(2),)), (R(1),))
    with pytest.raises(DataError, match="empty"):
        Dataset((), ())


def test_missing_files(tmp_path):
    for name in ("absent.json", "absent.csv"):
        with pytest.raises(DataError) as info:
            Dataset.resolve(str(tmp_path / name))
        assert "does not exist" in str(info.value) and name in str(info.value)
    with pytest.raises(DataError, match="does not exist"):
        Dataset.load(tmp_path / "absent.txt")


def test_unknown_file_format(tmp_path):
    path = tmp_path / "data.txt"
    path.write_text("1,1\n")
    with pytest.raises(DataError, match=r"unknown data format '\.txt'; use \.json or \.csv"):
        Dataset.resolve(str(path))


@pytest.mark.parametrize(
    ("content", "error", "fragment"),
    [
        ("[[1, 1],", DataError, "not valid JSON"),
        ("", DataError, "not valid JSON"),
        ("[]", DataError, "empty"),
        ('{"x": [], "y": []}', DataError, "empty"),
        ('{"x": [1, 2], "y": [1]}', ShapeError, "same length"),
        ('{"inputs": [1], "y": [1]}', DataError, "exactly the keys 'x' and 'y'"),
        ('{"x": [[1, 2], [3]], "y": [1, 1]}', ShapeError, "different dimensions [1, 2]"),
        ("[[[1, 2], 1], [[3], -1]]", ShapeError, "different dimensions [1, 2]"),
        ('[["a", 1]]', DataError, "'a' is not a rational number"),
        ("[[1, true]]", DataError, "y of observation 1 must be a number"),
        ("[[1, NaN]]", DataError, "y of observation 1 must be finite"),
        ("[[Infinity, 1]]", DataError, "x of observation 1 must be finite"),
        ("[[1, 1, 1]]", DataError, "expected a pair (x, y)"),
        ('"[(1, 1)]"', DataError, "list of (x, y) pairs"),
    ],
)
def test_bad_json_files(tmp_path, content, error, fragment):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(error) as info:
        Dataset.load(path)
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    ("content", "error", "fragment"),
    [
        ("", DataError, "no data rows"),
        ("x1,x2,y\n", DataError, "no data rows"),
        ("x,y\n\n\n", DataError, "no data rows"),
        ("x1,x2,y\n1,2,1\n3\n", DataError, "row 2 has 1 column(s)"),
        ("1;1\n2;-1\n", DataError, "row 1 has 1 column(s)"),
        ("1,2,1\n1,1\n", ShapeError, "different dimensions [1, 2]"),
        ("x,y\n1,1\n2,abc\n", DataError, "y of observation 2 'abc' is not a rational number"),
        ("1,1\nnan,1\n", DataError, "x of observation 2 'nan' is not a rational number"),
        ("1,1\n2,inf\n", DataError, "'inf' is not a rational number"),
    ],
)
def test_bad_csv_files(tmp_path, content, error, fragment):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(error) as info:
        Dataset.load(path)
    assert fragment in str(info.value)


@pytest.mark.parametrize("first_row", ["nan,1", "inf,1", "1,-Infinity"])
def test_csv_first_row_with_a_non_finite_value_is_an_error_not_a_header(tmp_path, first_row):
    """NaN and inf are floats, not column names: the row is data, and non-finite data is an error
    (as it is in every later row). Today the row vanishes and one observation is left."""
    path = tmp_path / "first.csv"
    path.write_text(f"{first_row}\n2,1\n")
    with pytest.raises(DataError):
        Dataset.load(path)


def test_data_sets_beyond_the_size_limit_are_refused():
    from dlnsmooth.errors import TooLargeError
    from dlnsmooth.networks.data import MAX_DATA_VALUES

    with pytest.raises(TooLargeError, match=f"beyond the limit of {MAX_DATA_VALUES} data values"):
        Dataset.random(10**9, 3, 0)
    with pytest.raises(TooLargeError):
        Dataset.from_pairs([([1] * (MAX_DATA_VALUES + 1), 1)])
    assert Dataset.random(1000, 100, 0).size == 1000  # exactly at the limit


# -- vector labels (networks with m > 1 outputs) -------------------------------------------------------
def test_inline_vector_labels():
    data = Dataset.parse_inline("[([1, 0.5], [0, 1]), ([0, 2], [0.25, 0.75])]")
    assert data.targets == ((0, 1), (R(1, 4), R(3, 4))) and data.target_dim == 2
    assert data.label_vectors == data.targets and data.dim == 2 and data.size == 2
    assert all(isinstance(v, sp.Rational) for y in data.targets for v in y)
    assert data.describe() == "x=(1, 1/2), y=(0, 1); x=(0, 2), y=(1/4, 3/4)"
    assert data.to_json() == {"source": "inline", "x": [["1", "1/2"], ["0", "2"]], "y": [["0", "1"], ["1/4", "3/4"]]}


def test_labels_of_dimension_one_are_numbers():
    one = Dataset.parse_inline("[([1], [2]), (3, (-1,))]")
    assert one == Dataset.parse_inline("[(1, 2), (3, -1)]")
    assert one.targets == (2, -1) and one.target_dim == 1 and one.label_vectors == ((2,), (-1,))
    assert one.to_json()["y"] == ["2", "-1"]


def test_json_files_with_vector_labels(tmp_path):
    path = tmp_path / "xy.json"
    path.write_text('{"x": [[1, 0.5], [0, 2]], "y": [[0, 0, 1], [0.5, 0.5, 0]]}')
    data = Dataset.load(path)
    assert data.label_vectors == ((0, 0, 1), (R(1, 2), R(1, 2), 0)) and data.target_dim == 3
    pairs = tmp_path / "pairs.json"
    pairs.write_text("[[[1, 2], [1, -1]], [[3, 4], [0.1, 2]]]")
    assert Dataset.resolve(str(pairs)).targets == ((1, -1), (R(1, 10), 2))


def test_csv_files_with_several_label_columns(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("x1,x2,y1,y2\n1,2,0,1\n0.5,-1,1,0\n")
    data = Dataset.load(path, outputs=2)
    assert data.inputs == ((1, 2), (R(1, 2), -1)) and data.targets == ((0, 1), (1, 0))
    assert Dataset.resolve(str(path), outputs=2) == data
    assert Dataset.load(path).targets == (1, 0) and Dataset.load(path).dim == 3  # one label column by default
    with pytest.raises(DataError, match="row 1 has 4 column"):
        Dataset.load(path, outputs=4)
    for outputs in (0, -1, 1.5, True, "2"):
        with pytest.raises(ShapeError, match="number of outputs"):
            Dataset.load(path, outputs=outputs)


def test_random_vector_labels():
    real = Dataset.random(30, 2, seed=5, labels="real", outputs=3)
    assert real.target_dim == 3 and all((100 * v).is_Integer for y in real.targets for v in y)
    assert len({v for y in real.targets for v in y}) > 20
    classes = Dataset.random(40, 2, seed=5, labels="distribution", outputs=3)
    assert all(sorted(y) == [0, 0, 1] for y in classes.targets)
    assert len({y.index(1) for y in classes.targets}) == 3  # every class drawn
    assert classes == Dataset.random(40, 2, seed=5, labels="distribution", outputs=3)
    assert real.inputs == classes.inputs[:30] == Dataset.random(30, 2, seed=5).inputs
    # one output: exactly the scalar draws
    assert Dataset.random(8, 2, seed=5, labels="real", outputs=1) == Dataset.random(8, 2, seed=5, labels="real")


@pytest.mark.parametrize(
    ("kwargs", "error", "fragment"),
    [
        ({"labels": "sign", "outputs": 2}, ShapeError, "one output"),
        ({"labels": "distribution", "outputs": 1}, ShapeError, "at least 2 classes"),
        ({"labels": "onehot"}, DataError, "labels must be"),
        ({"labels": "real", "outputs": 0}, ShapeError, "number of outputs"),
    ],
)
def test_random_vector_label_errors(kwargs, error, fragment):
    with pytest.raises(error, match=fragment):
        Dataset.random(3, 2, seed=0, **kwargs)


@pytest.mark.parametrize(
    ("text", "error", "fragment"),
    [
        ("[(1, [1, 2]), (2, 1)]", ShapeError, "labels have different dimensions [1, 2]"),
        ("[(1, [1, 2]), (2, [1, 2, 3])]", ShapeError, "labels have different dimensions [2, 3]"),
        ("[(1, [])]", ShapeError, "label of observation 1 is an empty vector"),
        ("[(1, [1, nan])]", DataError, "'nan' is not a number"),
        ('[(1, [1, "a"])]', DataError, "y of observation 1 'a' is not a rational number"),
    ],
)
def test_bad_vector_labels(text, error, fragment):
    with pytest.raises(error) as info:
        Dataset.parse_inline(text)
    assert fragment in str(info.value)


def test_check_network_names_what_does_not_fit():
    data = Dataset.parse_inline("[([1, 2], [0, 1]), ([3, 4], [1, 0])]")
    data.check_network(2, 2, OUTPUT_LOSSES["cross-entropy"])
    data.check_network(2, 2, OUTPUT_LOSSES["squared"])
    with pytest.raises(ShapeError, match="vectors of dimension 2; the network has 3 output"):
        data.check_network(2, 3, OUTPUT_LOSSES["cross-entropy"])
    with pytest.raises(ShapeError, match="dimension 2; the first width is 1"):
        data.check_network(1, 2, OUTPUT_LOSSES["squared"])
    with pytest.raises(ShapeError, match="scalar output"):
        data.check_network(2, 2, OUTPUT_LOSSES["logistic"])
    with pytest.raises(ShapeError, match="one output"):  # deep linear networks take numbers
        data.check(2, LOSSES["squared"])
    scalar = Dataset.parse_inline("[([1, 2], 1)]")
    with pytest.raises(ShapeError, match="labels are numbers; the network has 2 output"):
        scalar.check_network(2, 2, OUTPUT_LOSSES["squared"])
    with pytest.raises(ShapeError, match="at least 2 outputs"):
        scalar.check_network(2, 1, OUTPUT_LOSSES["cross-entropy"])
    scalar.check_network(2, 1, OUTPUT_LOSSES["logistic"])
    for text in ("[(1, [1.5, -0.5])]", "[(1, [0.5, 0.25])]"):
        with pytest.raises(DataError, match="observation 1: label y = .*probability vector"):
            Dataset.parse_inline(text).check_network(1, 2, OUTPUT_LOSSES["cross-entropy"])
    with pytest.raises(DataError, match="y in"):
        Dataset.parse_inline("[(1, 1), (1, 2)]").check_network(1, 1, OUTPUT_LOSSES["exponential"])

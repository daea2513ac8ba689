"""docs/json-schema.md is the schema of every command's JSON: each kind of document has exactly the
documented top-level fields (fields documented as "… only" may be absent), in the versioned envelope."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pytest

from dlnsmooth import __version__
from dlnsmooth.bregman import command as bregman_command
from dlnsmooth.cli import main
from dlnsmooth.experiments import EXPERIMENTS
from dlnsmooth.results import EXIT_REFUTED, exit_status, verify_exit_status
from dlnsmooth.version import SCHEMA_VERSION
from proofs import load

SCHEMA = Path(__file__).resolve().parent.parent / "docs" / "json-schema.md"


def _documented() -> dict[str, tuple[set[str], set[str]]]:
    """kind → (required fields, optional fields), read from the tables of docs/json-schema.md."""
    kinds: dict[str, tuple[set[str], set[str]]] = {}
    kind = None
    for line in SCHEMA.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"## `dlnsmooth\.([\w-]+)/(\d+)`", line)
        if heading:
            kind = heading.group(1)
            assert int(heading.group(2)) == SCHEMA_VERSION
            kinds[kind] = (set(), set())
            continue
        if line.startswith("## "):
            kind = None
        row = re.match(r"\| `(\w+)` \| ([^|]*) \| (.*) \|$", line)
        if kind and row and not row.group(2).startswith("fields"):
            required, optional = kinds[kind]
            (optional if re.search(r"\bonly\b", row.group(3).split(":")[0]) else required).add(row.group(1))
    return kinds


DOCUMENTED = _documented()

COMMANDS = {
    "certificate": ["check", "x**4", "--vars", "x", "--rho", "1/2", "--curve", "x=t", "--decades", "3"],
    "search": ["check", "x**4 + x*y", "--vars", "x,y", "--rho", "1/2", "--decades", "3", "--time", "15"],
    "univariate": ["univariate", "x**2", "--decades", "5"],
    "separable": ["check", "x**4 + y**4", "--vars", "x,y", "--rho", "2/3", "--decades", "5", "--time", "60"],
    "audit": ["audit", "exp(2*x1 - x2)", "--vars", "x1,x2", "--L0", "0", "--L1", "sqrt(5)", "--time", "5"],
    "verify": ["verify", "prop3"],
    "dynamics": ["dynamics", "lasso", "--beta0", "0.5053,0.5053", "--alpha", "0.01", "--lambda", "1"],
    "bregman": ["bregman", "softplus", "--smooth", "2"],
}

#: more documents of the same kinds: the other routes and forms print their documented optional fields
MORE_DOCUMENTS = {
    "bregman-exponents": ("bregman", ["bregman", "exp(u)", "--exponents"]),
    "bregman-separable": ("bregman", ["bregman", "u1**2 + exp(u2)", "--vars", "u1,u2", "--smooth", "2"]),
    "bregman-log-sum-exp": ("bregman", ["bregman", "cross-entropy", "--smooth", "2"]),
    "bregman-table": ("bregman-table", ["bregman", "--table"]),
}
#: the table document from two losses (the same fields; notebook 06 computes the whole table)
TABLE_LOSSES = ["squared", "softplus"]


def test_the_document_lists_every_kind_the_package_prints():
    assert set(DOCUMENTED) == {"certificate", "search", "univariate", "separable", "audit", "verify",
                                 "claim", "experiment", "dynamics", "bregman", "bregman-table", "sweep",
                                 "sweep-report"}


def _check(kind: str, payload: dict) -> None:
    required, optional = DOCUMENTED[kind]
    assert payload["schema"] == f"dlnsmooth.{kind}/{SCHEMA_VERSION}" and payload["dlnsmooth_version"] == __version__
    keys = set(payload)
    assert required <= keys, f"{kind}: documented but missing: {sorted(required - keys)}"
    assert keys <= required | optional, f"{kind}: printed but not documented: {sorted(keys - required - optional)}"


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(COMMANDS))
def test_each_command_prints_exactly_the_documented_fields(capsys, kind):
    code = main([*COMMANDS[kind], "--json"])
    out, err = capsys.readouterr()
    payload = json.loads(out)
    expected = verify_exit_status([payload["verdict"]]) if kind == "verify" else exit_status(payload["verdict"])
    assert code == expected, err
    _check(kind, payload)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(MORE_DOCUMENTS))
def test_other_routes_print_exactly_the_documented_fields(capsys, monkeypatch, name):
    kind, argv = MORE_DOCUMENTS[name]
    table = bregman_command.common_losses_table
    monkeypatch.setattr(bregman_command, "common_losses_table", functools.partial(table, TABLE_LOSSES))
    code = main([*argv, "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert code == exit_status(payload["verdict"])
    _check(kind, payload)


SMALL_SWEEP = """[grid]
depths = [3]
widths = [2]
activations = ["identity"]
bias = [false]
losses = ["logistic"]
data = [{ random = 4, seed = 1 }]
[search]
time = 30
"""


@pytest.mark.slow
def test_a_sweep_and_its_report_print_exactly_the_documented_fields(capsys, tmp_path):
    spec = tmp_path / "small.toml"
    spec.write_text(SMALL_SWEEP, encoding="utf-8")
    code = main(["sweep", str(spec), "--out", str(tmp_path / "out"), "--workers", "1", "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert code == exit_status(payload["verdict"])
    _check("sweep", payload)
    code = main(["sweep-report", str(tmp_path / "out"), "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert code == exit_status(payload["verdict"]) and payload["finished"] == 1
    _check("sweep-report", payload)


@pytest.mark.slow
def test_networks_add_their_documented_network_field(capsys):
    assert main(["dln", "--widths", "1,1,1,1", "--decades", "3", "--json"]) == EXIT_REFUTED
    payload = json.loads(capsys.readouterr().out)
    _check("certificate", payload)
    assert set(payload["network"]) == {"widths", "depth", "weights", "loss", "data"}


@pytest.mark.slow
def test_feedforward_networks_add_their_documented_network_field(capsys):
    assert main(["net", "--widths", "1,2,2,1", "--no-bias", "--decades", "3", "--json"]) == EXIT_REFUTED
    payload = json.loads(capsys.readouterr().out)
    _check("certificate", payload)
    assert set(payload["network"]) == {"widths", "depth", "activation", "bias", "parameters", "loss", "data"}


#: cheaper options of each experiment (the same documents, fewer redraws and variants)
CHEAP_EXPERIMENTS = {
    "cooper-line": {"variants": False, "t_step": 30, "decades": 4},
    "cooper-segments": {"perturbations": 0, "ordering_draws": 0, "spectral": False},
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CHEAP_EXPERIMENTS))
def test_experiments_print_exactly_the_documented_fields(capsys, monkeypatch, name):
    module = EXPERIMENTS[name]
    monkeypatch.setattr(module, "run", functools.partial(module.run, **CHEAP_EXPERIMENTS[name]))
    code = main(["experiment", name, "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert code == exit_status(payload["verdict"])
    assert payload["experiment"] == name
    _check("experiment", payload)


def test_a_claim_script_prints_the_claim_document():
    _check("claim", json.loads(load("prop3").verify().to_json_text()))


def test_the_checker_notices_an_undocumented_field():
    # negative control: a field the document does not list is reported
    with pytest.raises(AssertionError, match="not documented: \\['surprise'\\]"):
        _check("verify", {"schema": f"dlnsmooth.verify/{SCHEMA_VERSION}", "dlnsmooth_version": __version__,
                          "verdict": "holds", "ok": True, "seconds": 1, "claims": [], "summary": [],
                          "surprise": 1})

"""dlnsmooth.cli: the documented commands, JSON output, exit codes, clean errors."""

import json
import subprocess
import sys

import pytest

from dlnsmooth.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_refutes_the_quartic_for_rho_one_half(capsys):
    code, out, _ = run(capsys, "check", "x**4", "--vars", "x", "--rho", "0.5", "--curve", "x=t")
    assert code == 0
    assert "Verdict: REFUTED" in out and "Frobenius" in out


def test_check_does_not_refute_the_quartic_for_rho_0_7(capsys):
    code, out, _ = run(capsys, "check", "x**4", "--vars", "x", "--rho", "0.7", "--curve", "x=t", "--json")
    payload = json.loads(out)
    assert code == 0
    assert payload["verdict"] == "not refuted" and payload["rho"] == "7/10"


def test_check_every_rho_and_latex(capsys):
    code, out, _ = run(capsys, "check", "log(1+exp(-a*b*c*d))", "--vars", "a,b,c,d", "--every-rho",
                       "--curve", "a=0, b=0, c=t, d=t", "--decades", "5", "--latex")
    assert code == 0
    assert "Verdict: REFUTED" in out and "LaTeX:" in out and r"\lim_{t \to \infty}" in out


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["check", "x**4", "--vars", "x", "--rho", "-1", "--curve", "x=t"], "negative"),
        (["check", "x**4", "--vars", "x", "--rho", "nan", "--curve", "x=t"], "not a finite number"),
        (["check", "x**4", "--vars", "x", "--rho", "abc", "--curve", "x=t"], "not a rational number"),
        (["check", "x**4 + y", "--vars", "x", "--rho", "1", "--curve", "x=t"], "unknown variable 'y'"),
        (["check", "__import__('os').system('true')", "--vars", "x", "--rho", "1", "--curve", "x=t"], "not allowed"),
        (["check", "abs(x)", "--vars", "x", "--rho", "1", "--curve", "x=t"], "not differentiable"),
        (["check", "x**4", "--vars", "x", "--rho", "1", "--denominator", "0"], "denominator"),
        (["check", "x*y", "--vars", "x,y", "--rho", "1", "--curve", "x=t"], "does not assign y"),
        (["check", "x**4", "--vars", "x", "--rho", "1", "--curve", "x=t", "--decades", "1"], "--decades"),
        (["dln", "--widths", "1,1,1"], "at least 3 weight matrices"),
        (["dln", "--widths", "1,a,1"], "comma-separated"),
        (["dln", "--widths", "1,1,1,2"], "must be 1"),
        (["dln", "--widths", "2,2,2,1", "--data", "[(1, 1)]"], "dimension 1"),
        (["dln", "--loss", "hinge"], "unknown loss"),
        (["dln", "--data", "[(1, 2)]"], "y in {-1, +1}"),
        (["dln", "--data", "missing.csv"], "does not exist"),
        (["verify", "prop99"], "unknown claim"),
    ],
)
def test_bad_input_gets_one_clear_line_and_exit_2(capsys, argv, fragment):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert fragment in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_dln_default_is_the_r4_network(capsys):
    code, out, _ = run(capsys, "dln", "--decades", "4", "--json")
    payload = json.loads(out)
    assert code == 0
    assert payload["verdict"] == "refuted"
    assert payload["network"]["widths"] == [1, 1, 1, 1, 1]
    assert payload["network"]["data"]["x"] == [["1"]] and payload["network"]["data"]["y"] == ["1"]
    assert payload["critical_exponent"] == "inf"


@pytest.mark.parametrize("widths", ["1,1,1,1", "2,3,1,2,1", "3,2,2,2,2,1", "2,2,3,1,2,2,1"])
@pytest.mark.parametrize("loss", ["logistic", "squared"])
def test_dln_certifies_theorem_g(capsys, widths, loss):
    code, out, _ = run(capsys, "dln", "--widths", widths, "--loss", loss, "--random-data", "3", "--seed", "1",
                       "--decades", "4", "--json")
    payload = json.loads(out)
    assert code == 0
    assert payload["verdict"] == "refuted"
    depth = len(widths.split(",")) - 1
    assert payload["growth_exponents"]["hess"] == str(depth - 2)


def test_dln_premise_failure_is_not_refuted(capsys):
    code, out, _ = run(capsys, "dln", "--widths", "1,2,2,1", "--data", "[(1, 1), (1, -1)]", "--decades", "4")
    assert code == 0
    assert "Verdict: NOT REFUTED" in out and "premise" in out and "[FAILS]" in out


def test_dln_reads_data_files(capsys, tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("x1,x2,y\n0.5,1,1\n-1,2,-1\n")
    code, out, _ = run(capsys, "dln", "--widths", "2,2,2,1", "--data", str(path), "--decades", "4", "--json")
    payload = json.loads(out)
    assert code == 0 and payload["verdict"] == "refuted"
    assert payload["network"]["data"]["x"] == [["1/2", "1"], ["-1", "2"]]


def test_random_data_is_reproducible(capsys):
    outs = [json.loads(run(capsys, "dln", "--widths", "2,2,2,1", "--random-data", "4", "--seed", "7",
                           "--decades", "3", "--json")[1])["network"]["data"] for _ in range(2)]
    assert outs[0] == outs[1]


def test_verify_lists_and_runs_prop7(capsys):
    code, out, _ = run(capsys, "verify", "--list")
    assert code == 0 and "prop7" in out
    code, out, _ = run(capsys, "verify", "prop7", "--json")
    payload = json.loads(out)
    assert code == 0 and payload["ok"] is True and payload["verdict"] == "holds"
    assert payload["summary"][0]["claim"] == "prop7" and payload["summary"][0]["verdict"] == "holds"


def test_verify_exits_nonzero_when_a_claim_fails(capsys, monkeypatch):
    import proofs.prop7_deep_linear as prop7
    from dlnsmooth.report import ClaimReport

    def failing(**options):
        report = ClaimReport("prop7", "t", "c", "s", "m", "certificate")
        report.add_check("forced", False, "a computed counterexample")
        return report

    monkeypatch.setattr(prop7, "verify", failing)
    code, out, _ = run(capsys, "verify", "prop7")
    assert code == 1 and "refuted" in out


def test_no_command_prints_help(capsys):
    code, out, _ = run(capsys)
    assert code == 2 and "verify" in out


@pytest.mark.slow
def test_module_entry_point_runs_without_traceback():
    result = subprocess.run([sys.executable, "-m", "dlnsmooth", "check", "x**4", "--vars", "x", "--rho", "2/3",
                             "--curve", "x=t", "--decades", "4"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "critical exponent ρ* = 2/3" in result.stdout


@pytest.mark.slow
def test_verify_runs_every_claim_within_a_minute(capsys):
    import proofs

    code, out, _ = run(capsys, "verify")
    assert code == 0
    summary = out[out.index("Summary"):]
    for name in proofs.CLAIMS:
        line = next(row for row in summary.splitlines() if row.split()[:1] == [name])
        assert "holds" in line and any(kind in line for kind in (
            "certificate", "witness verified exactly", "identity verified symbolically",
            "instances checked numerically"))
    total = float(summary.split("total ")[1].split(" s")[0])
    assert f"{len(proofs.CLAIMS)} claim(s), {len(proofs.CLAIMS)} hold" in summary and total < 60


# every command's JSON: one of the four verdict words, in the versioned envelope
JSON_COMMANDS = [
    ("certificate", ("check", "x**4", "--vars", "x", "--rho", "1/2", "--curve", "x=t", "--decades", "4")),
    ("search", ("check", "x**4", "--vars", "x", "--rho", "1/2", "--decades", "4", "--time", "20")),
    ("certificate", ("dln", "--widths", "1,1,1,1", "--decades", "4")),
    ("search", ("dln", "--widths", "1,1,1,1", "--decades", "4", "--search", "--time", "20")),
    ("univariate", ("univariate", "x**4")),
    ("univariate", ("univariate", "x**4", "--rho", "1/2")),
    ("audit", ("audit", "exp(2*x1 - x2)", "--vars", "x1,x2", "--L0", "0", "--L1", "sqrt(5)", "--time", "10")),
    ("verify", ("verify", "prop7")),
]


def _strings(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, str):
        yield value


@pytest.mark.slow
@pytest.mark.parametrize(("kind", "argv"), JSON_COMMANDS, ids=lambda v: " ".join(v[:3]) if isinstance(v, tuple) else v)
def test_every_command_prints_one_of_the_four_verdicts(capsys, kind, argv):
    from dlnsmooth import __version__
    from dlnsmooth.results import VERDICTS

    code, out, err = run(capsys, *argv, "--json")
    assert code in (0, 1), err
    payload = json.loads(out)
    assert payload["verdict"] in VERDICTS, payload["verdict"]
    assert payload["schema"] == f"dlnsmooth.{kind}/1" and payload["dlnsmooth_version"] == __version__
    assert not {"oo", "-oo", "Infinity", "-Infinity"} & set(_strings(payload))  # infinity is written "inf"

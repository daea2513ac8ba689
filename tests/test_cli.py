"""dlnsmooth.cli: the documented commands, JSON output, exit codes, clean errors."""

import json
import subprocess
import sys
import time

import pytest

from dlnsmooth.cli import main
from dlnsmooth.results import EXIT_NOT_REFUTED, EXIT_REFUTED


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_refutes_the_quartic_for_rho_one_half(capsys):
    code, out, _ = run(capsys, "check", "x**4", "--vars", "x", "--rho", "0.5", "--curve", "x=t")
    assert code == EXIT_REFUTED
    assert "Verdict: REFUTED" in out and "Frobenius" in out


def test_check_does_not_refute_the_quartic_for_rho_0_7(capsys):
    code, out, _ = run(capsys, "check", "x**4", "--vars", "x", "--rho", "0.7", "--curve", "x=t", "--json")
    payload = json.loads(out)
    assert code == EXIT_NOT_REFUTED
    assert payload["verdict"] == "not refuted" and payload["rho"] == "7/10"


def test_check_every_rho_and_latex(capsys):
    code, out, _ = run(capsys, "check", "log(1+exp(-a*b*c*d))", "--vars", "a,b,c,d", "--every-rho",
                       "--curve", "a=0, b=0, c=t, d=t", "--decades", "5", "--latex")
    assert code == EXIT_REFUTED
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
    assert code == EXIT_REFUTED
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
    assert code == EXIT_REFUTED
    assert payload["verdict"] == "refuted"
    depth = len(widths.split(",")) - 1
    assert payload["growth_exponents"]["hess"] == str(depth - 2)


def test_dln_premise_failure_is_not_refuted(capsys):
    code, out, _ = run(capsys, "dln", "--widths", "1,2,2,1", "--data", "[(1, 1), (1, -1)]", "--decades", "4")
    assert code == EXIT_NOT_REFUTED
    assert "Verdict: NOT REFUTED" in out and "premise" in out and "[FAILS]" in out


def test_dln_reads_data_files(capsys, tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("x1,x2,y\n0.5,1,1\n-1,2,-1\n")
    code, out, _ = run(capsys, "dln", "--widths", "2,2,2,1", "--data", str(path), "--decades", "4", "--json")
    payload = json.loads(out)
    assert code == EXIT_REFUTED and payload["verdict"] == "refuted"
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
    assert result.returncode == EXIT_NOT_REFUTED, result.stderr
    assert "critical exponent ρ* = 2/3" in result.stdout


# every command's JSON: one of the four verdict words, in the versioned envelope
JSON_COMMANDS = [
    ("certificate", ("check", "x**4", "--vars", "x", "--rho", "1/2", "--curve", "x=t", "--decades", "4")),
    ("univariate", ("check", "x**4", "--vars", "x", "--rho", "1/2", "--decades", "4", "--time", "20")),
    ("search", ("check", "x**4 + x*y", "--vars", "x,y", "--rho", "1/2", "--decades", "4", "--time", "20")),
    ("certificate", ("dln", "--widths", "1,1,1,1", "--decades", "4")),
    ("search", ("dln", "--widths", "1,1,1,1", "--decades", "4", "--search", "--time", "20")),
    ("univariate", ("univariate", "x**4")),
    ("univariate", ("univariate", "x**4", "--rho", "1/2")),
    ("audit", ("audit", "exp(2*x1 - x2)", "--vars", "x1,x2", "--L0", "0", "--L1", "sqrt(5)", "--time", "10")),
    ("verify", ("verify", "prop7")),
    ("dynamics", ("dynamics", "lasso", "--beta0", "0.5053,0.5053", "--alpha", "0.01", "--lambda", "1")),
    ("bregman", ("bregman", "softplus", "--convex", "2")),
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
    from dlnsmooth.results import VERDICTS, exit_status, verify_exit_status

    code, out, err = run(capsys, *argv, "--json")
    payload = json.loads(out)
    assert payload["verdict"] in VERDICTS, payload["verdict"]
    expected = verify_exit_status([payload["verdict"]]) if kind == "verify" else exit_status(payload["verdict"])
    assert code == expected, err
    assert payload["schema"] == f"dlnsmooth.{kind}/1" and payload["dlnsmooth_version"] == __version__
    assert not {"oo", "-oo", "Infinity", "-Infinity"} & set(_strings(payload))  # infinity is written "inf"


# -- exit statuses, documented once (dlnsmooth.results) and stated in every command's --help -------
@pytest.mark.parametrize("command", ["check", "dln", "univariate", "audit", "verify"])
def test_every_command_documents_the_exit_statuses(capsys, command):
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert info.value.code == 0
    assert "Exit status: 0" in out and "--time" in out
    if command == "verify":
        assert "0 every claim holds, 1 some claim is refuted" in out and "4 otherwise" in out
    else:
        assert "0 holds, 1 refuted, 2 bad input" in out and "3 not refuted" in out and "4 undecided" in out


def test_exit_status_follows_the_verdict(capsys, monkeypatch):
    import dlnsmooth.cli as cli

    class Stub:
        def __init__(self, verdict):
            self.verdict = verdict

        def report(self):
            return f"Verdict: {self.verdict}"

    for verdict, status in (("holds", 0), ("refuted", 1), ("not refuted", 3), ("undecided", 4)):
        monkeypatch.setattr(cli, "certify_curve", lambda *a, _v=verdict, **k: Stub(_v))
        code, out, _ = run(capsys, "check", "x**4", "--vars", "x", "--rho", "1", "--curve", "x=t")
        assert code == status and verdict in out


# -- a leading minus is an expression (or a value), not an option -----------------------------------
def test_a_leading_minus_in_an_expression_is_accepted(capsys, monkeypatch):
    import dlnsmooth.cli as cli

    seen = {}

    def fake_decide(expression, **options):
        seen["expression"] = expression
        raise cli.ParseError("stop here")

    monkeypatch.setattr(cli, "decide_univariate", fake_decide)
    code, _, err = run(capsys, "univariate", "-x**4", "--rho", "1/2")
    assert seen["expression"] == "-x**4" and "stop here" in err and code == 2


def test_a_leading_minus_reaches_the_certificate(capsys):
    code, out, err = run(capsys, "check", "-x**2+y", "--vars", "x,y", "--rho", "1", "--curve", "x=t,y=t",
                         "--decades", "4", "--json")
    payload = json.loads(out)
    assert "Traceback" not in err and payload["objective"]["expression"].replace(" ", "") == "-x**2+y"
    assert code == EXIT_NOT_REFUTED


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["check", "x**4", "--vars", "x", "--rho", "-1/2", "--curve", "x=t"], "rho = -1/2 is negative"),
        (["check", "x**4", "--vars", "x", "--rho", "-1e400", "--curve", "x=t"], "is negative"),
        (["check", "x**4", "--vars", "x", "--rho", "1e400", "--curve", "x=t"], "0 <= rho <= 10^6"),
        (["check", "x**4", "--vars", "x", "--rho", "1", "--curve", "x=t", "--decades", "100000"], "limit of 10000"),
        (["check", "x**4", "--vars", "x", "--rho", "1", "--curve", "x=t", "--time", "-5"], "--time"),
        (["check", "x**4", "--vars", "x", "--rho", "1", "--curve", "x=t", "--time", "inf"], "--time"),
        (["univariate", "x**4", "--time", "0"], "--time"),
        (["verify", "prop7", "--time", "abc"], "--time"),
        (["dln", "--widths", "1000,1000,1000,1"], "beyond the limit of 250000 weights"),
        (["dln", "--widths", "200,200,200,1", "--time", "5"], "beyond the time budget of 5 s"),
        (["dln", "--widths", "1," + "9" * 40 + ",1"], "--widths is too large"),
        (["dln", "--widths", "2,2,2,1", "--random-data", "1000000"], "beyond the limit of 100000 data values"),
        (["check", "x**4", "--vars", "x", "--rho", "1", "--curve", "x=t", "--plot", "/no/such/dir/p.png"],
         "does not exist"),
    ],
)
def test_huge_or_negative_values_get_a_clear_error(capsys, argv, fragment):
    start = time.perf_counter()
    code, _, err = run(capsys, *argv)
    assert code == 2 and fragment in err, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert time.perf_counter() - start < 5  # refused before any work


def test_the_plot_target_is_checked_before_the_computation(capsys, monkeypatch, tmp_path):
    import dlnsmooth.cli as cli

    def no_work(*args, **kwargs):
        raise AssertionError("the computation ran before the plot target was checked")

    monkeypatch.setattr(cli, "certify_curve", no_work)
    monkeypatch.setattr(cli, "certify_theorem_g", no_work)
    for target in (tmp_path / "missing" / "p.png", tmp_path):
        code, _, err = run(capsys, "check", "x**4", "--vars", "x", "--rho", "1", "--curve", "x=t",
                           "--plot", str(target))
        assert code == 2 and "cannot write the plot" in err
        code, _, err = run(capsys, "dln", "--plot", str(target))
        assert code == 2 and "cannot write the plot" in err


# -- verify: a line per claim, the summary, --details, the budget ------------------------------------
def _fake_claim(name, verdict, seconds=0.0):
    from dlnsmooth.report import ClaimReport

    def verify(**options):
        time.sleep(seconds)
        report = ClaimReport(name, "t", "c", "s", "m", "certificate")
        report.add_check("forced", {"holds": True, "refuted": False}.get(verdict), f"a {verdict} check")
        return report

    return verify


def test_verify_prints_a_line_per_claim_then_the_summary(capsys, monkeypatch):
    import proofs.prop4_strictness as prop4
    import proofs.prop7_deep_linear as prop7

    monkeypatch.setattr(prop4, "verify", _fake_claim("prop4", "holds"))
    monkeypatch.setattr(prop7, "verify", _fake_claim("prop7", "holds"))
    code, out, _ = run(capsys, "verify", "prop4", "prop7")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("[1/2] prop4: holds (") and lines[1].startswith("[2/2] prop7: holds (")
    assert lines[2] == "Summary" and lines[4].split()[:2] == ["prop4", "holds"]
    assert "Summary" in out and "2 claim(s), 2 hold" in out and "--details" in out
    assert "[       ok]" not in out  # the full reports only with --details
    code, out, _ = run(capsys, "verify", "prop4", "--details")
    assert code == 0 and "forced" in out and "Summary" in out


def test_verify_exit_statuses(capsys, monkeypatch):
    import proofs.prop4_strictness as prop4
    import proofs.prop7_deep_linear as prop7

    monkeypatch.setattr(prop4, "verify", _fake_claim("prop4", "undecided"))
    monkeypatch.setattr(prop7, "verify", _fake_claim("prop7", "holds"))
    assert run(capsys, "verify", "prop4", "prop7")[0] == 4
    monkeypatch.setattr(prop7, "verify", _fake_claim("prop7", "refuted"))
    assert run(capsys, "verify", "prop4", "prop7")[0] == 1


def test_verify_stops_within_its_budget_and_reports_what_was_not_finished(capsys, monkeypatch):
    import proofs.prop4_strictness as prop4
    import proofs.prop6_sufficiency as prop6
    import proofs.prop7_deep_linear as prop7

    monkeypatch.setattr(prop4, "verify", _fake_claim("prop4", "holds", seconds=0.2))
    monkeypatch.setattr(prop6, "verify", _fake_claim("prop6", "holds", seconds=30))  # would overrun
    monkeypatch.setattr(prop7, "verify", _fake_claim("prop7", "holds"))
    start = time.perf_counter()
    code, out, _ = run(capsys, "verify", "prop4", "prop6", "prop7", "--time", "2")
    assert time.perf_counter() - start < 2 + 3  # the budget and a small grace, not the 30 s of prop6
    assert code == 4
    assert "not finished within the budget of 2 s (undecided): prop6, prop7" in out
    code, out, _ = run(capsys, "verify", "prop4", "prop6", "prop7", "--time", "2", "--json")
    payload = json.loads(out)
    assert code == 4 and payload["verdict"] == "undecided" and [c["name"] for c in payload["claims"]] == ["prop4"]
    assert [row["verdict"] for row in payload["summary"]] == ["holds", "undecided", "undecided"]
    assert payload["summary"][1]["evidence"].startswith("stopped after ")
    assert payload["summary"][2]["evidence"] == "not started: the --time budget was spent"


def test_a_claim_whose_check_crashes_is_an_internal_error_not_a_verdict(capsys, monkeypatch):
    import proofs.prop4_strictness as prop4

    def broken(**options):
        raise ZeroDivisionError("a bug in the script")

    monkeypatch.setattr(prop4, "verify", broken)
    code, _, err = run(capsys, "verify", "prop4")
    assert code == 70 and "the check of claim prop4 failed: ZeroDivisionError: a bug in the script" in err

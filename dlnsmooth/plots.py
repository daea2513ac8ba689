"""Pictures of a certificate: the norms along its curve on log-log axes.

:func:`plot_certificate` draws, from the confirmed rows of a certificate's
numeric table, ``log₁₀‖∇f(x(t))‖`` (Euclidean), ``log₁₀‖∇²f(x(t))‖_F``
(Frobenius) and ``log₁₀`` of the ratio ``‖∇²f‖_F/(1 + ‖∇f‖^ρ)`` against
``log₁₀ t``. Logarithms are taken in mpmath before plotting, so values far
beyond the float range (exp(10³⁰) along a curve) plot as easily as small
ones; slopes on these axes are the growth exponents of SPEC §3 (the legend
gives each line's slope over its last decade). Exact zeros
(∇f ≡ 0 along Theorem G's curve) have no logarithm: they are listed in the
legend instead of drawn. matplotlib is optional (the ``test`` and
``notebooks`` extras install it); without it a clear error says so.
:func:`check_plot_target` checks the output path and matplotlib before any
computation, so a command fails at once rather than after its work.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import mpmath as mp
import sympy as sp

from .certificate import Certificate
from .errors import DlnsmoothError

__all__ = ["plot_certificate", "series", "check_plot_target", "plot_directory", "new_figure"]

_NO_MATPLOTLIB = "plotting needs matplotlib: pip install 'dlnsmooth[notebooks]'"


def new_figure(**options):
    """A new matplotlib ``Figure`` (object-oriented: no pyplot, so no global backend state; a notebook
    displays it, ``savefig`` writes it), or a clear error without matplotlib. ``options`` go to
    ``Figure`` (``figsize``, ``dpi``)."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise DlnsmoothError(_NO_MATPLOTLIB) from None
    return Figure(**options)


def plot_directory(directory: str | Path, *, create: bool = True) -> Path:
    """The directory figures are written into, checked (a name, not a file, matplotlib installed) and,
    with ``create``, created when missing; a clear error otherwise. Commands call it with
    ``create=False`` before any computation, so a bad path fails at once."""
    if not str(directory).strip():
        raise DlnsmoothError("--plots needs a directory name, e.g. --plots figures")
    target = Path(directory).expanduser()
    if target.exists() and not target.is_dir():
        raise DlnsmoothError(f"cannot write plots into {str(directory)!r}: it is a file, not a directory")
    try:
        importlib.import_module("matplotlib")
    except ImportError:
        raise DlnsmoothError(_NO_MATPLOTLIB) from None
    if create:
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DlnsmoothError(f"cannot create the plot directory {str(target)!r}: {exc.strerror}") from None
    return target


def check_plot_target(path: str | Path) -> Path:
    """The plot's output path, after checking that it can be written (its directory exists and is
    writable, the path is not a directory) and that matplotlib is installed; a clear error otherwise."""
    text = str(path)
    if not text.strip():
        raise DlnsmoothError("--plot needs a file name, e.g. --plot ratio.png")
    target = Path(text).expanduser()
    directory = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise DlnsmoothError(f"cannot write the plot to {text!r}: it is a directory; give a file name such as plot.png")
    if not directory.is_dir():
        raise DlnsmoothError(f"cannot write the plot to {text!r}: the directory {str(directory)!r} does not exist")
    if not os.access(directory, os.W_OK | os.X_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise DlnsmoothError(f"cannot write the plot to {text!r}: permission denied")
    try:
        importlib.import_module("matplotlib")
    except ImportError:
        raise DlnsmoothError(_NO_MATPLOTLIB) from None
    return target


def series(certificate: Certificate) -> dict[str, list[tuple[float, float]]]:
    """(log₁₀ t, log₁₀ value) pairs of the confirmed rows, per quantity; zeros are omitted."""
    tables = certificate.find("numeric-table")
    if not tables:
        raise DlnsmoothError("the certificate has no numeric table to plot")
    table = tables[0]
    out: dict[str, list[tuple[float, float]]] = {"grad": [], "hess": [], "ratio": []}
    with mp.workdps(30):
        for row in table.confirmed_rows():
            for key, value in (("grad", row.grad_norm), ("hess", row.hess_norm), ("ratio", row.ratio)):
                if value.zero_at_both or not value.value > 0:
                    continue
                out[key].append((float(row.exponent), float(mp.log10(value.value))))
    return out


def plot_certificate(certificate: Certificate, path: str | Path | None = None, *, ax=None):
    """Draw the certificate's norms against t on log-log axes; save to ``path`` if given.

    Returns the matplotlib Axes."""
    try:
        import matplotlib

        if ax is None and path is not None:
            matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise DlnsmoothError("plotting needs matplotlib: pip install 'dlnsmooth[notebooks]'") from None
    data = series(certificate)
    table = certificate.find("numeric-table")[0]
    rho = table.rho
    t = certificate.curve.parameter.name
    own = ax is None
    if own:
        fig, ax = plt.subplots(figsize=(6.4, 4.4), dpi=100)
    labels = {
        "grad": "‖∇f‖ (Euclidean)",
        "hess": "‖∇²f‖_F (Frobenius)",
        "ratio": f"‖∇²f‖_F / (1 + ‖∇f‖^{sp.sstr(rho)})",
    }
    styles = {"grad": ("tab:blue", "o"), "hess": ("tab:red", "s"), "ratio": ("tab:green", "^")}
    for key in ("grad", "hess", "ratio"):
        points = data[key]
        color, marker = styles[key]
        if points:
            xs, ys = zip(*points)
            label = labels[key]
            if len(points) >= 2 and xs[-1] != xs[-2]:  # the growth exponent over the last decade
                label += f", slope {(ys[-1] - ys[-2]) / (xs[-1] - xs[-2]):.2f}"
            ax.plot(xs, ys, marker=marker, markersize=3, color=color, label=label)
        elif key == "grad" and certificate.growth.gradient_vanishes:
            ax.plot([], [], color=color, label="‖∇f‖ ≡ 0 along the curve (not drawn)")
    ax.set_xlabel(f"log₁₀ {t}")
    ax.set_ylabel("log₁₀ of the norm")
    curve = certificate.curve.summary(limit=4)
    ax.set_title(f"{certificate.verdict}: {curve}"[:90], fontsize=9)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    if own and path is not None:
        fig.tight_layout()
        fig.savefig(path)
        plt.close(fig)
    return ax

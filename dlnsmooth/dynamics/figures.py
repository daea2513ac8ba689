"""The seed-003 simulation pictures, redrawn from the package's runs (house style: :func:`dlnsmooth.plots.new_figure`,
labelled axes, no pyplot state).

* :func:`huber_figure` — seed Figure 4: the Huber loss (10) and ‖β_k‖₂ against k for α = 0.1 and α = 10, with
  a third panel showing the proved bound on ‖β_k − β*‖ against Prop 5.1's envelope R;
* :func:`capture_figure` — seed Figure 1: L2(β_k) and ‖β_k‖∞ against k for NDGM, next to GD on the smooth
  counterpart (:mod:`dlnsmooth.dynamics.capture`), with the unit level;
* :func:`lasso_figure` — ‖β_k‖₁ against k for the general LASSO (15) at λ = 0.01 and λ = 10;
* :func:`simulation_figures` — all three from fresh default runs (~3 s), e.g. for a notebook.

Every value drawn is a float of an exact or ball value computed elsewhere (pictures only, not evidence).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..plots import new_figure, plot_directory
from .capture import CaptureCase, ExactRun, search_capture_case, smooth_counterpart
from .lasso_general import LassoRun, lasso_study
from .stability import Envelope, HuberRun, huber_study

__all__ = ["huber_figure", "capture_figure", "lasso_figure", "write_figure", "simulation_figures"]


def huber_figure(runs: Sequence[tuple[HuberRun, Envelope]]):
    """Figure 4: loss (log scale), ‖β_k‖₂ and the bound on ‖β_k − β*‖ with R, per α (one colour each)."""
    fig = new_figure(figsize=(15.0, 4.4), dpi=100)
    loss_ax, norm_ax, dist_ax = fig.subplots(1, 3)
    for (run, env), colour in zip(runs, ("tab:blue", "tab:red", "tab:green", "tab:purple")):
        ks = [s.k for s in run.steps]
        label = f"α = {float(run.alpha):g}"
        loss_ax.plot(ks, [max(s.loss_float, 1e-300) for s in run.steps], color=colour, lw=1.0, label=label)
        norm_ax.plot(ks, [s.norm2 for s in run.steps], color=colour, lw=1.0, label=label)
        dist_ax.plot(ks, [float(s.distance_upper.mid() + s.distance_upper.rad()) for s in run.steps], color=colour,
                     lw=1.0, label=f"{label}: ‖β_k − β*‖ (upper bound)")
        dist_ax.axhline(float(env.R_sq) ** 0.5, color=colour, ls="--", lw=1.0, label=f"{label}: envelope R")
    loss_ax.set_yscale("log")
    loss_ax.set_xlabel("iteration k")
    loss_ax.set_ylabel("Huber loss L7(β_k)")
    loss_ax.set_title("loss", fontsize=10)
    norm_ax.set_xlabel("iteration k")
    norm_ax.set_ylabel("‖β_k‖₂")
    norm_ax.set_title("parameter norm", fontsize=10)
    dist_ax.set_yscale("log")
    dist_ax.set_xlabel("iteration k")
    dist_ax.set_ylabel("distance to β*")
    dist_ax.set_title("Prop 5.1: iterates inside the envelope", fontsize=10)
    for ax in (loss_ax, norm_ax, dist_ax):
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=7)
    fig.suptitle("Seed 003 Figure 4: NDGM on the Huber loss (10), Z 50 × 200", fontsize=11)
    fig.tight_layout()
    return fig


def capture_figure(case: CaptureCase, smooth: ExactRun, smooth_alpha: object):
    """Figure 1: L2(β_k) and ‖β_k‖∞ against k (NDGM), with GD on the smooth counterpart and the level 1."""
    fig = new_figure(figsize=(11.0, 4.4), dpi=100)
    loss_ax, norm_ax = fig.subplots(1, 2)
    ks = list(range(len(case.run.losses)))
    ndgm = f"NDGM on L2, α = {case.alpha}"
    gd = f"GD on the smooth counterpart, α = {smooth_alpha}"
    loss_ax.plot(ks, [float(v) for v in case.run.losses], marker="o", markersize=3, color="tab:red", label=ndgm)
    loss_ax.plot(ks, [float(v) for v in smooth.losses], marker="s", markersize=3, color="tab:blue", label=gd)
    norm_ax.plot(ks, [float(v) for v in case.run.norms_inf], marker="o", markersize=3, color="tab:red", label=ndgm)
    norm_ax.plot(ks, [float(v) for v in smooth.norms_inf], marker="s", markersize=3, color="tab:blue", label=gd)
    norm_ax.axhline(1.0, color="tab:gray", ls="--", lw=1.0, label="‖β‖∞ = 1")
    loss_ax.set_xlabel("iteration k")
    loss_ax.set_ylabel("loss")
    loss_ax.set_title("loss (non-increasing for both)", fontsize=10)
    norm_ax.set_xlabel("iteration k")
    norm_ax.set_ylabel("‖β_k‖∞")
    norm_ax.set_title("infinity norm", fontsize=10)
    for ax in (loss_ax, norm_ax):
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=7)
    fig.suptitle(f"Seed 003 Figure 1: NDGM is not captured (Z {case.data.rows} × {case.data.columns}, data seed "
                 f"{case.seed}; exact runs)", fontsize=11)
    fig.tight_layout()
    return fig


def lasso_figure(runs: Sequence[LassoRun]):
    """‖β_k‖₁ against k for each run of the general LASSO (15) (log scale)."""
    fig = new_figure(figsize=(6.4, 4.4), dpi=100)
    ax = fig.subplots(1, 1)
    for run, colour in zip(runs, ("tab:blue", "tab:red", "tab:green", "tab:purple")):
        ks = list(range(len(run.norms1)))
        ax.plot(ks[1:], run.norms1[1:], color=colour, lw=1.0,
                label=f"λ = {float(run.lam):g}: final ‖β‖₁ ≈ {run.norm1_mid:.4g}")
    ax.set_yscale("log")
    ax.set_xlabel("iteration k")
    ax.set_ylabel("‖β_k‖₁")
    ax.set_title("General LASSO (15), W 20 × 500: NDGM with the same α and β_0", fontsize=10)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def write_figure(fig, directory: str | Path, name: str) -> str:
    """Save ``fig`` as ``directory/name`` (the directory created and checked); the path written."""
    target = plot_directory(directory) / name
    fig.savefig(target)
    return str(target)


def simulation_figures(*, progress: bool | None = False) -> dict[str, object]:
    """The three pictures from the default studies (:func:`~dlnsmooth.dynamics.stability.huber_study`,
    :func:`~dlnsmooth.dynamics.capture.search_capture_case`, :func:`~dlnsmooth.dynamics.lasso_general.lasso_study`):
    file name → matplotlib Figure."""
    study = huber_study(progress=progress)
    case = search_capture_case()
    _, alpha, smooth = smooth_counterpart(case)
    return {"kumar-figure4-huber.png": huber_figure([(run, env) for run, env, _ in study.runs]),
            "kumar-figure1-capture.png": capture_figure(case, smooth, alpha),
            "kumar-lasso-general.png": lasso_figure(lasso_study(progress=progress))}

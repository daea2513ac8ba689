"""Benchmarks: the package against the baselines a user would otherwise reach for.

Run from the repository root, each in one process and one run:

    python -m benchmarks.naive_sympy      # derive + compile + evaluate the Hessian: naive SymPy vs the engine
    python -m benchmarks.scaling          # time vs P (float64, balls), torch.func.hessian when installed
    python -m benchmarks.extreme_points   # digits correct at t = 10^k: float64, torch, fixed-precision mpmath, package
    python -m benchmarks.theorem_g        # `dlnsmooth dln` at P >= 10^4 along the Theorem G curve
    python -m benchmarks.nonlinear_scaling    # tanh + biases: rigorous ‖∇²f‖_F, ‖∇²f‖₂ ≥ … vs torch.func.hessian
    python -m benchmarks.nonlinear_theorem_g  # Theorem G′ certificates at P >= 10^4, with negative controls
    python -m benchmarks.nonlinear_sympy      # naive SymPy Hessian vs the engine on tanh networks
    python -m benchmarks.nonlinear_extreme    # digits correct along line R and Theorem G′'s curve: float64, torch, package
    python -m benchmarks                      # all of them

Every script prints ratios as well as times, takes ``--smoke`` (a tiny grid, used
by the test suite) and ``--json FILE`` (the measurements). Times are wall-clock
seconds on the machine that runs them.
"""

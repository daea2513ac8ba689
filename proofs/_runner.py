"""The command-line entry shared by every ``python -m proofs.<name>`` script."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from dlnsmooth.report import ClaimReport


def run_main(verify: Callable[..., ClaimReport], title: str, argv: Sequence[str] | None = None) -> int:
    """Parse ``--json``, run ``verify``, print the report; exit status 0 only when verified."""
    parser = argparse.ArgumentParser(description=title)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    report = verify(progress=False if args.json else None)
    print(report.to_json_text() if args.json else report.report())
    return 0 if report.ok else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit("run a claim module, e.g. python -m proofs.prop7_deep_linear")

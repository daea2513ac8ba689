"""Progress bars on long work (tqdm on stderr), one policy for the whole package.

``enabled``: ``True`` always shows the bar, ``False`` never, ``None`` lets
tqdm decide (shown on a terminal, hidden when stderr is redirected). A
disabled bar is None, and callers then simply do not report progress.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

from tqdm import tqdm

__all__ = ["progress_bar", "print_line"]


def progress_bar(enabled: bool | None, label: str, *, total: int | None = None, unit: str = "step",
                 iterable: Iterable | None = None):
    """A tqdm bar (wrapping ``iterable`` when given) or None when progress is off or unavailable."""
    if enabled is False:
        return None
    return tqdm(iterable, total=total, desc=label, unit=unit, file=sys.stderr, leave=False,
                disable=None if enabled is None else not enabled)


def print_line(bar, text: str) -> None:
    """Print ``text`` on stdout without breaking the progress ``bar`` (None: a plain print)."""
    if bar is None:
        print(text, flush=True)
    else:
        bar.write(text, file=sys.stdout)

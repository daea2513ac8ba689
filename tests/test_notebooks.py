"""Static checks of the notebooks in notebooks/ (nbmake executes them; this checks what is committed).

* outputs are stripped: no outputs and no execution counts, so figures are regenerated on execution
  and the repository holds no embedded images or data;
* no cell carries large embedded data (long sources, base64 blobs, attachments);
* each walkthrough's markdown names the propositions it covers, and its figures are drawn by code
  (``%matplotlib inline`` and ``plt.show()``), not pasted in.

Read with ``json`` only: no notebook library needed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

#: every walkthrough and the claims its markdown must name (SPEC §2–§3 numbering)
COVERS: dict[str, tuple[str, ...]] = {
    "01_conditions.ipynb": ("Proposition 1", "Proposition 2", "Proposition 3", "Proposition 4"),
    "02_hessian_criteria.ipynb": ("Proposition 5", "Proposition 6"),
    "03_deep_linear.ipynb": ("Proposition 7", "Theorem G"),
    "04_nonlinear.ipynb": ("Theorem G′", "seed 001", "Figure 1", "Figure 2", "§3.2"),
    "05_nonsmooth.ipynb": ("Seed 003", "Props B.1, 4.1/B.2", "Prop B.3", "B.5", "Prop 5.1", "Figure 4", "Prop 3.1",
                           "Figure 1", "§B.2"),
    "06_bregman.ipynb": ("SPEC §4.3", "seed 002", "reconstruction"),
    "07_landscape.ipynb": ("Theorem G′", "seeds 000/001"),
}
#: the largest source a single cell may have, in characters
MAX_CELL_CHARS = 8000
#: the largest committed notebook file, in bytes
MAX_FILE_BYTES = 60_000

ALL = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))


def _load(name: str) -> dict:
    return json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def test_walkthroughs_exist():
    missing = sorted(set(COVERS) - set(ALL))
    assert not missing, f"missing notebooks: {missing}"


@pytest.mark.parametrize("name", ALL)
def test_outputs_stripped(name):
    nb = _load(name)
    dirty = [i for i, cell in enumerate(nb["cells"]) if cell["cell_type"] == "code"
             and (cell.get("outputs") or cell.get("execution_count") is not None)]
    assert not dirty, f"{name}: code cells {dirty} keep outputs or execution counts; strip them before committing"


@pytest.mark.parametrize("name", ALL)
def test_no_large_embedded_data(name):
    path = NOTEBOOKS / name
    assert path.stat().st_size <= MAX_FILE_BYTES, f"{name} is {path.stat().st_size} bytes (limit {MAX_FILE_BYTES})"
    nb = _load(name)
    base64_blob = re.compile(r"[A-Za-z0-9+/=]{400,}")
    for i, cell in enumerate(nb["cells"]):
        text = _source(cell)
        assert len(text) <= MAX_CELL_CHARS, f"{name}: cell {i} has {len(text)} characters (limit {MAX_CELL_CHARS})"
        assert not cell.get("attachments"), f"{name}: cell {i} has attachments"
        assert "data:image" not in text and not base64_blob.search(text), f"{name}: cell {i} embeds encoded data"


@pytest.mark.parametrize("name", sorted(COVERS))
def test_markdown_names_the_propositions(name):
    nb = _load(name)
    markdown = "\n".join(_source(c) for c in nb["cells"] if c["cell_type"] == "markdown")
    missing = [claim for claim in COVERS[name] if claim not in markdown]
    assert not missing, f"{name}: the markdown never names {missing}"


@pytest.mark.parametrize("name", sorted(COVERS))
def test_figures_are_drawn_by_code(name):
    code = "\n".join(_source(c) for c in _load(name)["cells"] if c["cell_type"] == "code")
    assert "%matplotlib inline" in code and "plt.show()" in code, f"{name}: figures must be drawn when it runs"

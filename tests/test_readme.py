"""README.md's Python API section runs as written (its comments state the values it produces)."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.mark.slow
def test_the_python_api_section_runs():
    block = re.search(r"## Python API\n\n```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert block, "README.md has no Python API code block"
    namespace: dict = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(block.group(1), "README.md", "exec"), namespace)  # noqa: S102 - the project's own README
    assert namespace["cert"].verdict == "refuted"
    assert namespace["result"].verdict == "refuted" and namespace["result"].confirmation.confirmed

"""The usage examples in docs/methods/phe-*.md run (docs tests keep honest)."""

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs" / "methods"
PAGES = sorted(DOCS.glob("phe-*.md"))
EXPECTED_PAGES = {
    "phe-proportion.md",
    "phe-rate.md",
    "phe-mean.md",
    "phe-dsr.md",
    "phe-indirect-standardisation.md",
    "phe-sii.md",
    "phe-funnels.md",
}


def test_every_method_has_a_page():
    assert {page.name for page in PAGES} >= EXPECTED_PAGES


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_method_page_example_runs(page, capsys):
    blocks = re.findall(r"```python\n(.*?)```", page.read_text(), flags=re.DOTALL)
    assert blocks, f"{page.name} has no python example"
    for block in blocks:
        exec(compile(block, str(page), "exec"), {})
    assert capsys.readouterr().out

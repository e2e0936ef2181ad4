"""The usage examples in the SPC method docs run and their asserts hold."""

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs" / "methods"


@pytest.mark.parametrize("name", ["spc-xmr.md", "spc-run-chart.md"])
def test_spc_doc_examples_run(name):
    text = (DOCS / name).read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)

    assert blocks
    for block in blocks:
        exec(compile(block, name, "exec"), {})

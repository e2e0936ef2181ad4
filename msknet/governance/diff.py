"""Line-by-line differences between two versions of a document (difflib)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

Kind = Literal["same", "added", "removed"]


@dataclass(frozen=True)
class DiffLine:
    kind: Kind
    text: str

    @property
    def label(self) -> str:
        """What a screen reader, or a reader without colour, is told."""
        return {"same": "Unchanged", "added": "Added", "removed": "Removed"}[self.kind]


@dataclass(frozen=True)
class Diff:
    lines: list[DiffLine]

    @property
    def added(self) -> int:
        return sum(line.kind == "added" for line in self.lines)

    @property
    def removed(self) -> int:
        return sum(line.kind == "removed" for line in self.lines)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


def diff_text(old: str, new: str) -> Diff:
    """The inline difference from `old` to `new`, line by line, blank lines
    ignored, each line marked unchanged, added or removed."""
    old_lines = [line.rstrip() for line in old.splitlines() if line.strip()]
    new_lines = [line.rstrip() for line in new.splitlines() if line.strip()]
    lines: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            lines.extend(DiffLine("same", text) for text in old_lines[i1:i2])
            continue
        lines.extend(DiffLine("removed", text) for text in old_lines[i1:i2])
        lines.extend(DiffLine("added", text) for text in new_lines[j1:j2])
    return Diff(lines)

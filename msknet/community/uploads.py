"""Checking uploaded documents: allowed types by extension and by content, and size.

A file is accepted only when its extension is allowed and its first bytes
agree: PDFs start `%PDF-`, Word, Excel and PowerPoint files are ZIP archives
holding the matching Office parts, and text and CSV files are UTF-8 text.
Words are pulled out of text and Office files for the library's search.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
SNIFF_BYTES = 64 * 1024
MAX_EXTRACTED_CHARS = 200_000
MAX_OFFICE_PART_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class FileType:
    extension: str
    label: str
    content_type: str
    # For Office files: the part every such archive holds.
    office_part: str = ""


FILE_TYPES = {
    t.extension: t
    for t in (
        FileType(".pdf", "PDF", "application/pdf"),
        FileType(
            ".docx", "Word (.docx)",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "word/document.xml",
        ),
        FileType(
            ".xlsx", "Excel (.xlsx)",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xl/workbook.xml",
        ),
        FileType(
            ".pptx", "PowerPoint (.pptx)",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "ppt/presentation.xml",
        ),
        FileType(".txt", "plain text (.txt)", "text/plain; charset=utf-8"),
        FileType(".csv", "CSV (.csv)", "text/csv; charset=utf-8"),
    )
}
ALLOWED_TYPES_TEXT = (
    ", ".join(t.label for t in list(FILE_TYPES.values())[:-1])
    + f" or {list(FILE_TYPES.values())[-1].label}"
)
WRONG_TYPE_MESSAGE = f"The file must be a {ALLOWED_TYPES_TEXT} file"
TOO_BIG_MESSAGE = (
    f"The file must be smaller than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB"
)


class UploadRefused(ValueError):
    """The file may not be uploaded; the message says why, to show a person."""


def file_type(name: str, file: IO[bytes], size: int) -> FileType:
    """The checked type of an uploaded file, or UploadRefused saying what to do."""
    if size > MAX_UPLOAD_BYTES:
        raise UploadRefused(TOO_BIG_MESSAGE)
    if size == 0:
        raise UploadRefused("The file is empty")
    extension = PurePath(name).suffix.lower()
    kind = FILE_TYPES.get(extension)
    if kind is None:
        raise UploadRefused(WRONG_TYPE_MESSAGE)
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    if not content_matches(kind, head, file):
        raise UploadRefused(
            f"The file is called {extension} but it is not a real "
            f"{kind.label} file. {WRONG_TYPE_MESSAGE}"
        )
    return kind


def content_matches(kind: FileType, head: bytes, file: IO[bytes]) -> bool:
    if kind.extension == ".pdf":
        return head.startswith(b"%PDF-")
    if kind.office_part:
        return head.startswith(b"PK\x03\x04") and has_office_part(file, kind)
    return is_text(head)


def has_office_part(file: IO[bytes], kind: FileType) -> bool:
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        file.seek(0)
    return "[Content_Types].xml" in names and kind.office_part in names


def is_text(head: bytes) -> bool:
    """UTF-8 text without control characters other than tab and line breaks."""
    try:
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text)


XML_TAG = re.compile(rb"<[^>]+>")
OFFICE_TEXT_PARTS = {
    ".docx": re.compile(r"word/(document|header\d*|footer\d*)\.xml"),
    ".pptx": re.compile(r"ppt/slides/slide\d+\.xml"),
    ".xlsx": re.compile(r"xl/sharedStrings\.xml"),
}


def extract_text(kind: FileType, file: IO[bytes]) -> str:
    """Words from a text or Office file for search; empty when none can be read."""
    file.seek(0)
    try:
        if kind.extension in {".txt", ".csv"}:
            raw = file.read(MAX_EXTRACTED_CHARS * 4)
            return raw.decode("utf-8-sig", errors="ignore")[:MAX_EXTRACTED_CHARS]
        pattern = OFFICE_TEXT_PARTS.get(kind.extension)
        if pattern is None:
            return ""
        words: list[str] = []
        with zipfile.ZipFile(file) as archive:
            for info in archive.infolist():
                if not pattern.fullmatch(info.filename):
                    continue
                with archive.open(info) as part:
                    xml = part.read(MAX_OFFICE_PART_BYTES)
                text = XML_TAG.sub(b" ", xml).decode("utf-8", errors="ignore")
                words.append(" ".join(unescape_xml(text).split()))
        return " ".join(words)[:MAX_EXTRACTED_CHARS]
    except (zipfile.BadZipFile, OSError, ValueError):
        return ""
    finally:
        file.seek(0)


def unescape_xml(text: str) -> str:
    return (
        text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
        .replace("&apos;", "'").replace("&amp;", "&")
    )

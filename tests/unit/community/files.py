"""Small, real files of each type, made in memory for upload tests."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
OFFICE_PARTS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}


class FixedTimeZip:
    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive

    def writestr(self, name: str, data: str) -> None:
        self.archive.writestr(zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0)), data)


def office_bytes(kind: str, text: str = "Sciatica pathway for first contact") -> bytes:
    part = OFFICE_PARTS[kind]
    buffer = io.BytesIO()
    # A fixed timestamp: the bytes must not change between test collections
    # (pytest-xdist compares the parametrised test ids of each worker).
    with zipfile.ZipFile(buffer, "w") as zipped:
        archive = FixedTimeZip(zipped)
        archive.writestr("[Content_Types].xml", "<Types/>")
        if kind != "docx":
            archive.writestr(part, "<root/>")
        else:
            archive.writestr(
                "word/document.xml",
                f"<w:document><w:body><w:p><w:t>{text}</w:t></w:p>"
                "<w:p><w:t>Refer &amp; review</w:t></w:p></w:body></w:document>",
            )
        if kind == "pptx":
            archive.writestr("ppt/slides/slide1.xml", f"<p:sld><a:t>{text}</a:t></p:sld>")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf(name: str = "pathway.pdf"):
    return upload(name, PDF, "application/pdf")

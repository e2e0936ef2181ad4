import io
import zipfile

import pytest

from msknet.community import uploads
from msknet.community.uploads import UploadRefused, extract_text, file_type

from .files import PDF, office_bytes

ALLOWED = "PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), plain text (.txt) or CSV (.csv)"


def check(name, content, size=None):
    return file_type(name, io.BytesIO(content), len(content) if size is None else size)


@pytest.mark.parametrize(
    ("name", "content", "label"),
    [
        ("NG59 summary.PDF", PDF, "PDF"),
        ("pathway.docx", office_bytes("docx"), "Word (.docx)"),
        ("waits.xlsx", office_bytes("xlsx"), "Excel (.xlsx)"),
        ("slides.pptx", office_bytes("pptx"), "PowerPoint (.pptx)"),
        ("notes.txt", "Notes – café meeting\n".encode(), "plain text (.txt)"),
        ("waits.csv", b"\xef\xbb\xbfpractice,waiting\nA81001,12\n", "CSV (.csv)"),
    ],
)
def test_allowed_types_pass_by_extension_and_content(name, content, label):
    assert check(name, content).label == label


def test_disallowed_extension_is_refused_naming_the_allowed_types():
    with pytest.raises(UploadRefused) as refused:
        check("installer.exe", b"MZ\x90\x00")

    assert str(refused.value) == f"The file must be a {ALLOWED} file"


def test_file_whose_content_does_not_match_its_extension_is_refused():
    with pytest.raises(UploadRefused, match=r"called \.pdf but it is not a real PDF"):
        check("guidance.pdf", b"MZ\x90\x00 a program renamed")


def test_zip_that_is_not_an_office_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.js", "alert(1)")

    with pytest.raises(UploadRefused, match=ALLOWED.replace("(", r"\(").replace(")", r"\)")):
        check("slides.pptx", buffer.getvalue())


def test_word_file_renamed_as_excel_is_refused():
    with pytest.raises(UploadRefused, match="not a real Excel"):
        check("waits.xlsx", office_bytes("docx"))


def test_binary_content_called_text_is_refused():
    with pytest.raises(UploadRefused, match="not a real plain text"):
        check("notes.txt", b"hello\x00\x01\x02")


def test_oversize_file_is_refused_before_reading():
    with pytest.raises(UploadRefused) as refused:
        check("big.pdf", PDF, size=uploads.MAX_UPLOAD_BYTES + 1)

    assert str(refused.value) == "The file must be smaller than 20 MB"


def test_file_of_exactly_20_mb_is_allowed():
    assert check("big.pdf", PDF, size=uploads.MAX_UPLOAD_BYTES).label == "PDF"


def test_empty_file_is_refused():
    with pytest.raises(UploadRefused, match="empty"):
        check("empty.txt", b"")


def test_words_are_extracted_from_word_and_text_files():
    docx = file_type("p.docx", io.BytesIO(office_bytes("docx")), 1)
    text = file_type("n.txt", io.BytesIO(b"x"), 1)

    assert extract_text(docx, io.BytesIO(office_bytes("docx"))) == (
        "Sciatica pathway for first contact Refer & review"
    )
    assert extract_text(text, io.BytesIO(b"Knee osteoarthritis\n")) == "Knee osteoarthritis\n"
    assert extract_text(file_type("g.pdf", io.BytesIO(PDF), 1), io.BytesIO(PDF)) == ""

"""The service CSV's column spec and cell parsers."""

import datetime as dt

import pytest

from msknet.landscape import service_csv
from msknet.landscape.models import Service, Step


def test_export_columns_are_what_import_reads():
    assert service_csv.NAMES[:2] == ["id", "name"]
    assert set(service_csv.REQUIRED) <= set(service_csv.NAMES)
    model_fields = {f.name for f in Service._meta.get_fields()}
    assert set(service_csv.FIELDS) <= model_fields


@pytest.mark.parametrize("text", ["2025-01-31", "31/01/2025"])
def test_dates_in_either_form(text):
    assert service_csv.parse_date(text) == dt.date(2025, 1, 31)


def test_a_bad_date_says_which_forms_work():
    with pytest.raises(ValueError, match="YYYY-MM-DD or DD/MM/YYYY"):
        service_csv.parse_date("31-01-2025")


@pytest.mark.parametrize("text", ["fcp", "FCP", "First-contact practitioner in primary care"])
def test_steps_by_code_or_label_in_any_case(text):
    assert service_csv.step_of(text) == Step.FCP


def test_an_unknown_step_lists_the_codes():
    with pytest.raises(ValueError, match="'physio' is not a pathway step .use one of: "
                       "self_management, fcp"):
        service_csv.step_of("physio")


@pytest.mark.parametrize(("text", "value"), [("yes", True), ("Y", True), ("", False),
                                             ("no", False), ("TRUE", True)])
def test_yes_no(text, value):
    assert service_csv.yes_no(text) is value


def test_postcode_shape():
    assert service_csv.POSTCODE.match("NE1 4LP")
    assert service_csv.POSTCODE.match("SW1A 1AA")
    assert not service_csv.POSTCODE.match("NOTAPOSTCODE")


def test_decode_reads_a_byte_order_mark_and_refuses_other_encodings():
    assert service_csv.decode("\ufeffname\n".encode()) == "name\n"
    with pytest.raises(ValueError, match="CSV UTF-8"):
        service_csv.decode("name\n\xe9".encode("latin-1"))

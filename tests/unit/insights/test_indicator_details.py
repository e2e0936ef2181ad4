"""Changing an indicator's details, filling limits the import could not, and the
Fingertips metadata msknet ships."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError

from msknet.analytics import phe
from msknet.insights import actions
from msknet.insights.actions import import_file, update_indicator
from msknet.insights.importers.metadata import (
    BadMetadata,
    known_fingertips_indicators,
    parse_metadata,
)
from msknet.insights.models import Area, Indicator, IndicatorValue, Polarity, ValueType
from tests.factories.users import UserFactory

from .helpers import fixture, fixture_rows, to_csv

pytestmark = pytest.mark.django_db
HEADER = "fingertips_id,name,value_type,multiplier,unit,polarity,method,source\n"


@pytest.fixture
def unknown():
    return Indicator.objects.create(slug="hip", name="Hip fractures", fingertips_id=41402,
                                    value_type=ValueType.UNKNOWN, multiplier=1)


def add_value(indicator, code, count, denominator, value=1.0, **limits):
    return IndicatorValue.objects.create(
        indicator=indicator, area=Area.objects.get(code=code), period="2022/23",
        period_sortable=20220000, value=value, count=count, denominator=denominator,
        **limits,
    )


def test_update_indicator_saves_details_and_who(unknown):
    lead = UserFactory()

    update = update_indicator(indicator=unknown, by=lead,
                              polarity=Polarity.LOWER_IS_BETTER, name="Hip fractures")

    unknown.refresh_from_db()
    assert unknown.polarity == Polarity.LOWER_IS_BETTER
    assert unknown.value_type == ValueType.UNKNOWN  # not given: left as imported
    assert unknown.updated_by == lead
    assert update.changed == ["polarity"]
    assert update.summary() == "Hip fractures is saved (polarity changed)."


def test_update_indicator_unchanged_records_nobody(unknown):
    update = update_indicator(indicator=unknown, by=UserFactory(), name="Hip fractures")

    unknown.refresh_from_db()
    assert unknown.updated_by is None
    assert update.summary().startswith("Nothing changed")


@pytest.mark.parametrize(("details", "field", "message"), [
    ({"value_type": ValueType.UNKNOWN}, "value_type", actions.UNKNOWN_CHOSEN),
    ({"multiplier": 0}, "multiplier", actions.MULTIPLIER_NOT_POSITIVE),
    ({"value_type": ValueType.RATE, "multiplier": -5}, "multiplier",
     actions.MULTIPLIER_NOT_POSITIVE),
    # The current multiplier counts when only the value type is given.
    ({"value_type": ValueType.PROPORTION}, "multiplier", actions.PROPORTION_MULTIPLIER),
])
def test_update_indicator_refuses_bad_details(details, field, message):
    indicator = Indicator.objects.create(slug="rate", name="A rate",
                                         value_type=ValueType.RATE, multiplier=100000)

    with pytest.raises(ValidationError) as error:
        update_indicator(indicator=indicator, by=None, **details)

    assert error.value.message_dict == {field: [message]}
    indicator.refresh_from_db()
    assert (indicator.value_type, indicator.multiplier) == (ValueType.RATE, 100000)


def test_update_indicator_unknown_to_proportion_fills_limits_as_phe(unknown):
    missing = add_value(unknown, "E54000027", 712, 1000)
    given = add_value(unknown, "E54000028", 50, 100, lower_95=1.0, upper_95=2.0)
    suppressed = add_value(unknown, "E54000029", None, None, value=None)
    too_many = add_value(unknown, "E54000050", 12, 10)

    update = update_indicator(indicator=unknown, by=UserFactory(),
                              value_type=ValueType.PROPORTION, multiplier=100)

    expected = phe.proportion(712, 1000, confidence=(0.95, 0.998), multiplier=100)
    missing.refresh_from_db()
    assert [missing.lower_95, missing.lower_998] == pytest.approx(list(expected.lower))
    assert [missing.upper_95, missing.upper_998] == pytest.approx(list(expected.upper))
    assert missing.limits_computed is True
    for untouched in (given, suppressed, too_many):
        before = (untouched.lower_95, untouched.upper_95)
        untouched.refresh_from_db()
        assert (untouched.lower_95, untouched.upper_95) == before
        assert untouched.limits_computed is False
    assert (update.limits_filled, update.limits_left) == (1, 1)
    assert "Confidence limits were computed for 1 value from their counts" in (
        update.summary())
    assert "1 value has counts that cannot give limits" in update.summary()


def test_update_indicator_unknown_to_rate_fills_limits_with_the_multiplier(unknown):
    value = add_value(unknown, "E92000001", 7, 2800)

    update = update_indicator(indicator=unknown, by=None, value_type=ValueType.RATE,
                              multiplier=1000)

    expected = phe.rate(7, 2800, confidence=(0.95, 0.998), multiplier=1000)
    value.refresh_from_db()
    assert [value.lower_95, value.lower_998] == pytest.approx(list(expected.lower))
    assert [value.upper_95, value.upper_998] == pytest.approx(list(expected.upper))
    assert update.limits_filled == 1


def test_update_indicator_to_standardised_rate_computes_no_limits(unknown):
    # A directly standardised rate's limits need age-specific counts.
    value = add_value(unknown, "E92000001", 58000, 1.09e7)

    update = update_indicator(indicator=unknown, by=None, value_type=ValueType.RATE,
                              multiplier=100000, method="Directly standardised rate")

    value.refresh_from_db()
    assert value.lower_95 is None and update.limits_filled == 0


def test_update_indicator_from_a_known_type_fills_no_limits():
    ratio = Indicator.objects.create(slug="ratio", name="Ratio",
                                     value_type=ValueType.RATIO, multiplier=1)
    value = add_value(ratio, "E92000001", 7, 2800)

    update_indicator(indicator=ratio, by=None, value_type=ValueType.RATE)

    value.refresh_from_db()
    assert value.lower_95 is None


def test_update_indicator_changes_nothing_when_filling_limits_fails(unknown, monkeypatch):
    add_value(unknown, "E92000001", 7, 2800)

    def broken(indicator):
        raise DatabaseError("disk full")

    monkeypatch.setattr(actions, "fill_saved_limits", broken)

    with pytest.raises(DatabaseError):
        update_indicator(indicator=unknown, by=None, value_type=ValueType.RATE,
                         multiplier=1000)

    unknown.refresh_from_db()
    assert unknown.value_type == ValueType.UNKNOWN


def test_shipped_fingertips_metadata_is_valid():
    known = known_fingertips_indicators()

    assert set(known) == {93377, 93086, 41402}
    assert (known[93377].value_type, known[93377].multiplier, known[93377].unit,
            known[93377].polarity) == ("proportion", 100, "%", "lower_is_better")
    assert (known[41402].value_type, known[41402].multiplier,
            known[41402].polarity) == ("rate", 100000, "lower_is_better")
    assert "standardised" in known[41402].method.lower()


@pytest.mark.parametrize(("row", "says"), [
    ("1,A,proportion,100,%,worse_is_better,,", "Row 2"),
    ("1,A,proportion,1000,%,lower_is_better,,", "multiplier 1000"),
    ("1,A,unknown,1,,lower_is_better,,", "value type unknown"),
    ("x,A,rate,1,,lower_is_better,,", "Row 2"),
])
def test_parse_metadata_names_the_bad_row(row, says):
    with pytest.raises(BadMetadata, match=says):
        parse_metadata(HEADER + row + "\n")


def test_parse_metadata_refuses_a_repeated_indicator():
    row = "1,A,rate,1,,lower_is_better,,\n"

    with pytest.raises(BadMetadata, match="Row 3 .* repeats indicator 1"):
        parse_metadata(HEADER + row + row)


def test_fingertips_import_creates_listed_indicators_with_shipped_metadata():
    import_file(content=fixture("msk_icbs.csv"), file_name="msk.csv", kind="fingertips")

    msk = Indicator.objects.get(fingertips_id=93377)
    hip = Indicator.objects.get(fingertips_id=41402)
    assert (msk.value_type, msk.multiplier, msk.unit, msk.polarity) == (
        ValueType.PROPORTION, 100, "%", Polarity.LOWER_IS_BETTER)
    assert msk.source.startswith("GP Patient Survey")
    assert (hip.value_type, hip.multiplier, hip.unit, hip.polarity) == (
        ValueType.RATE, 100000, "per 100,000", Polarity.LOWER_IS_BETTER)
    assert hip.name == "Hip fractures in people aged 65 and over"
    assert hip.period_type == "financial_year"


def test_fingertips_import_never_computes_standardised_rate_limits():
    rows = fixture_rows()
    hip = next(r for r in rows if r[0] == "41402" and r[4] == "E54000028")
    hip[13:17] = ["", "", "", ""]  # no limits, but a count and denominator

    import_file(content=to_csv(rows), file_name="msk.csv", kind="fingertips")

    value = IndicatorValue.objects.get(indicator__fingertips_id=41402,
                                       area__code="E54000028")
    assert value.lower_95 is None and value.limits_computed is False

import pytest

from msknet.insights.models import Indicator, IndicatorValue, Polarity, ValueType

pytestmark = pytest.mark.django_db
ENGLAND, LONDON, NCL, NWL = "E92000001", "E40000003", "E54000028", "E54000027"


@pytest.fixture
def indicator(db):
    indicator = Indicator.objects.create(
        slug="msk", name="Long-term MSK problem", value_type=ValueType.PROPORTION,
        multiplier=100, unit="%", polarity=Polarity.LOWER_IS_BETTER)
    rows = [
        # area, value, lower, upper
        (ENGLAND, 17.0, 16.9, 17.1),
        (LONDON, 15.0, 14.0, 16.0),
        (NCL, 15.5, 15.2, 15.8),  # better than England, worse than London
        (NWL, 17.5, 16.5, 18.5),  # similar to England, worse than London
    ]
    for code, value, lower, upper in rows:
        IndicatorValue.objects.create(
            indicator=indicator, area_id=area_id(code), period="2023",
            period_sortable=20230000, value=value, lower_95=lower, upper_95=upper)
    IndicatorValue.objects.create(
        indicator=indicator, area_id=area_id(NCL), period="2022",
        period_sortable=20220000, value=16.0)
    IndicatorValue.objects.create(
        indicator=indicator, area_id=area_id(ENGLAND), period="2023",
        period_sortable=20230000, value=20.0, category_type="Deprivation quintile",
        category="Most deprived quintile")
    return indicator


def area_id(code):
    from msknet.insights.models import Area

    return Area.objects.get(code=code).pk


def test_api_lists_indicators(client, indicator):
    body = client.get("/api/indicators").json()

    assert body["count"] == 1
    assert body["items"][0]["slug"] == "msk"
    assert body["items"][0]["polarity"] == "lower_is_better"


def test_api_gets_one_indicator_or_404(client, indicator):
    assert client.get("/api/indicators/msk").json()["unit"] == "%"
    assert client.get("/api/indicators/nope").status_code == 404


def test_api_lists_areas_by_type_and_parent(client, db):
    icbs = client.get("/api/areas", {"type": "icb", "limit": 100}).json()
    london = client.get("/api/areas", {"parent": LONDON}).json()

    assert icbs["count"] == 42
    assert sorted(a["code"] for a in london["items"]) == [
        "E54000027", "E54000028", "E54000029", "E54000030", "E54000031"]
    assert london["items"][0]["parent_code"] == LONDON


def test_api_areas_unknown_parent_names_the_field(client, db):
    response = client.get("/api/areas", {"parent": "E99"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "parent"


def test_api_lists_values_with_filters(client, indicator):
    everything = client.get("/api/indicator-values", {"indicator": "msk"}).json()
    main_2023 = client.get("/api/indicator-values", {
        "indicator": "msk", "period": "2023", "category_type": ""}).json()
    one_area = client.get("/api/indicator-values", {"area": NCL}).json()

    assert everything["count"] == 6
    assert main_2023["count"] == 4
    assert [v["period"] for v in one_area["items"]] == ["2022", "2023"]
    assert one_area["items"][1]["area"] == {
        "code": NCL, "name": "NHS North Central London Integrated Care Board",
        "area_type": "icb"}


def test_api_values_paginate(client, indicator):
    page = client.get("/api/indicator-values", {"limit": 2, "offset": 4}).json()

    assert page["count"] == 6 and len(page["items"]) == 2


def test_api_values_unknown_indicator_names_the_field(client, db):
    response = client.get("/api/indicator-values", {"indicator": "nope"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "indicator"


def test_api_compares_each_area_with_england_and_region(client, indicator):
    body = client.get("/api/indicators/msk/comparisons").json()

    by_area = {c["area"]["code"]: c for c in body["items"]}
    assert body["count"] == 4
    assert by_area[ENGLAND]["vs_england"] is None
    assert by_area[LONDON]["vs_england"] == "better"
    assert by_area[LONDON]["vs_region"] is None
    assert (by_area[NCL]["vs_england"], by_area[NCL]["vs_region"]) == (
        "better", "worse")
    assert (by_area[NWL]["vs_england"], by_area[NWL]["vs_region"]) == (
        "similar", "worse")
    assert by_area[NWL]["region"]["code"] == LONDON
    assert by_area[NWL]["england_value"] == 17.0


def test_api_comparisons_for_a_period_without_limits(client, indicator):
    body = client.get("/api/indicators/msk/comparisons", {"period": "2022"}).json()

    assert [c["vs_england"] for c in body["items"]] == ["not compared"]


def test_api_comparisons_unknown_indicator_is_404(client, db):
    assert client.get("/api/indicators/nope/comparisons").status_code == 404

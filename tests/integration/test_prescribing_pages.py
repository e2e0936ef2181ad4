"""The public prescribing pages show the engine's figures, as charts, tables and
downloads, and say so when there is no data."""

import csv
import io

import pytest
from django.urls import reverse

from msknet.analytics import phe, spc
from msknet.analytics import prescribing as rx
from msknet.analytics.prescribing import synth
from msknet.analytics.prescribing.practices import load_practices, practice_names
from msknet.members.models import ICB

MEASURE = "opioid_ome"
LONDON_REGION = "Y56"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    """A small synthetic store: 120 practices over 14 months, and their names."""
    root = tmp_path_factory.mktemp("data")
    files = synth.write_synthetic(root / "in", practices=120, months=14, seed=3,
                                  rows_per_practice=0)
    rx.import_files(rx.Store(root / "prescribing"),
                    [f for f in files if f.name.startswith("EPD")],
                    [f for f in files if not f.name.startswith("EPD")])
    load_practices(rx.Store(root / "prescribing"),
                   synth.write_epraccur(root / "in", practices=120, seed=3))
    return root


@pytest.fixture
def store(data_dir, settings):
    settings.DATA_DIR = data_dir
    return rx.Store(data_dir / "prescribing")


@pytest.fixture
def empty_store(tmp_path, settings):
    settings.DATA_DIR = tmp_path


def london_practice(store):
    """A practice in a London ICB, with its ICB code."""
    table, _ = rx.practice_values(store, MEASURE)
    london = set(ICB.objects.filter(region__code=LONDON_REGION)
                 .values_list("ods_code", flat=True))
    for practice, icb in zip(table["practice_code"].to_pylist(),
                             table["icb_code"].to_pylist(), strict=True):
        if icb in london:
            return practice, icb
    raise AssertionError("the synthetic store has no London practice")


def measure_url(network, level, code, measure=MEASURE):
    return reverse("prescribing-measure", args=[network.slug, measure, level, code])


def chart_url(network, level, code, chart_id, fmt):
    return reverse("prescribing-measure-chart", kwargs={
        "network_slug": network.slug, "measure_id": MEASURE, "level": level,
        "org_code": code, "chart_id": chart_id, "fmt": fmt})


@pytest.mark.slow
@pytest.mark.django_db
def test_icb_measure_page_shows_the_engines_figures(client, network, store):
    _, icb = london_practice(store)
    result = rx.compute(store, MEASURE, "icb")
    own = [r for r in result.to_records() if r["org_code"] == icb]
    latest_deciles = rx.deciles(result).to_pylist()[-1]

    response = client.get(measure_url(network, "icb", icb))

    assert response.status_code == 200
    charts = response.context["charts"]
    deciles = charts["deciles"].records()
    assert [r["month"] for r in deciles] == [r["month"] for r in own]
    assert [r["value"] for r in deciles] == [r["value"] for r in own]
    assert deciles[-1]["p10"] == latest_deciles["p10"]
    assert deciles[-1]["p90"] == latest_deciles["p90"]
    expected_spc = spc.xmr([r["value"] for r in own], [f"{r['month']}-01" for r in own],
                           improvement="decrease")
    assert [r["upl"] for r in charts["spc"].records()] == [p.upl for p in
                                                           expected_spc.points]
    funnel = {p.org_code: p for p in rx.funnel_outliers(result)}
    rows = charts["funnel"].records()
    assert len(rows) == len(funnel)
    mine = next(r for r in rows if r["code"] == icb)
    assert mine["value"] == funnel[icb].value
    assert mine["this"] == "Yes"
    content = response.content.decode()
    assert "Total opioid prescribing as oral morphine equivalence" in content
    assert "1 March 2027" in content  # next review
    # What a reader is told, not the definitions' internal notes.
    assert ("These measure definitions have not yet been reviewed by a pharmacist"
            in content)
    for internal in ("PENDING", "TOTAL_QUANTITY", "docs/methods", ".csv",
                     "data engineering"):
        assert internal not in content.replace(".csv\"", "")


@pytest.mark.slow
@pytest.mark.django_db
def test_practice_measure_page_links_to_its_icb(client, network, store):
    practice, icb = london_practice(store)

    response = client.get(measure_url(network, "practice", practice))

    assert response.status_code == 200
    assert measure_url(network, "icb", icb) in response.content.decode()
    assert response.context["page"].series[-1].deciles["p50"] == (
        rx.deciles(rx.compute(store, MEASURE, "practice")).to_pylist()[-1]["p50"])


@pytest.mark.slow
@pytest.mark.django_db
def test_practice_funnel_says_its_limits_allow_for_over_dispersion(client, network,
                                                                   store):
    # Milligram totals vary between practices far beyond Poisson chance.
    practice, _ = london_practice(store)

    response = client.get(measure_url(network, "practice", practice))

    page = response.context["page"]
    poisson = phe.funnel_significance([p.numerator for p in page.funnel],
                                      [p.denominator for p in page.funnel],
                                      statistic="rate", multiplier=1000)
    funnel = response.context["charts"]["funnel"]
    content = response.content.decode()
    assert sum(label != "Not significant" for label in poisson) > 60  # of 120
    assert page.funnel_adjusted and page.funnel_dispersion.phi > 10
    assert sum(p.outside_95 for p in page.funnel) < 20
    assert "The limits are adjusted for over-dispersion" in content
    assert "adjusted for over-dispersion (Spiegelhalter" in funnel.description
    limits = funnel.spec["layer"][0]["encoding"]["strokeDash"]
    assert limits["title"] == "Control limits, adjusted for over-dispersion"
    assert limits["legend"]["titleLimit"] == 600  # the title is not cut short


@pytest.mark.slow
@pytest.mark.django_db
def test_decile_csv_twin_is_the_organisations_series(client, network, store):
    _, icb = london_practice(store)
    result = rx.compute(store, MEASURE, "icb")
    own = [r for r in result.to_records() if r["org_code"] == icb]
    by_month = {r["month"]: r for r in rx.deciles(result).to_pylist()}

    response = client.get(chart_url(network, "icb", icb, "deciles", "csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Month", rows[0][1], "Numerator", "Registered patients"]
    assert rows[0][4:] == [f"{p}th percentile" for p in range(10, 100, 10)]
    expected = [
        [r["month"], str(r["value"]), str(r["numerator"]), str(r["denominator"]),
         *(str(by_month[r["month"]][f"p{p}"]) for p in range(10, 100, 10))]
        for r in own
    ]
    assert rows[1:] == expected


@pytest.mark.slow
@pytest.mark.django_db
def test_overview_ranks_network_practices_by_potential_reduction(client, network, store):
    practices = rx.compute(store, MEASURE, "practice")
    national = rx.compute(store, MEASURE, "national").to_records()[-1]
    london = {i.ods_code for i in network.icbs.all()}
    table, _ = rx.practice_values(store, MEASURE)
    in_network = {p for p, i in zip(table["practice_code"].to_pylist(),
                                    table["icb_code"].to_pylist(), strict=True)
                  if i in london}
    expected = rx.potential_reductions(practices, in_network)

    response = client.get(reverse("prescribing-overview", args=[network.slug]))

    assert response.status_code == 200
    view = response.context["overview"]
    assert view.england == national["value"]
    assert [r.org_code for r in view.reductions] == [r.org_code for r in expected]
    content = response.content.decode()
    assert measure_url(network, "practice", expected[0].org_code) in content
    assert "Prescribing" in content
    names = practice_names(store)
    first = expected[0].org_code
    assert f">{names[first]} ({first})</a>" in content
    assert "These measure definitions have not yet been reviewed by a pharmacist" in (
        content)


@pytest.mark.slow
@pytest.mark.django_db
def test_practice_pages_name_practices_as_well_as_giving_codes(client, network,
                                                               store):
    practice, _ = london_practice(store)
    names = practice_names(store)

    response = client.get(measure_url(network, "practice", practice))

    content = response.content.decode()
    funnel = response.context["charts"]["funnel"].records()
    assert response.context["page"].org_name == names[practice]
    assert f"{names[practice]} (practice {practice})" in content
    assert {r["code"]: r["org"] for r in funnel}[practice] == names[practice]
    for point, label, _ in response.context["outliers"]:
        assert label == f"{names[point.org_code]} ({point.org_code})"
        assert f">{label}</a>" in content


@pytest.mark.django_db
def test_pages_say_there_is_no_data_yet_when_the_store_is_empty(client, network,
                                                                empty_store):
    overview = client.get(reverse("prescribing-overview", args=[network.slug]))
    measure = client.get(measure_url(network, "icb", "QKK"))
    twin = client.get(chart_url(network, "icb", "QKK", "deciles", "csv"))

    assert overview.status_code == 200
    assert "There is no prescribing data yet" in overview.content.decode()
    assert "msknet prescribing" not in overview.content.decode()  # no commands
    assert measure.status_code == 200
    assert "There is no prescribing data yet" in measure.content.decode()
    assert twin.status_code == 404


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("measure, level, code", [
    ("no_such_measure", "icb", "QKK"),
    (MEASURE, "region", "Y56"),
    (MEASURE, "icb", "ZZZ"),
    (MEASURE, "practice", "Z99999"),
])
def test_unknown_measure_level_or_organisation_is_not_found(client, network, store,
                                                            measure, level, code):
    response = client.get(measure_url(network, level, code, measure=measure))

    assert response.status_code == 404


@pytest.mark.slow
@pytest.mark.django_db
def test_unknown_chart_is_not_found(client, network, store):
    _, icb = london_practice(store)

    response = client.get(chart_url(network, "icb", icb, "no-such-chart", "json"))

    assert response.status_code == 404

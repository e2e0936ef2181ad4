"""The landscape pages: the network's ICBs and the map, an ICB's pathway with
its gaps by place, and the variation across ICBs (or places)."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from msknet.insights.models import Area, AreaPopulation, AreaType
from msknet.landscape.models import ServiceActivity, Step
from msknet.members.actions.accounts import create_api_token
from msknet.members.models import ICB, Role
from tests.factories.landscape import activity, provider, service, workforce
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import NetworkFactory
from tests.queries import queries_of

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

JAN, FEB = dt.date(2026, 1, 1), dt.date(2026, 2, 1)
NCL = "QMJ"  # North Central London
NEL = "QMF"  # North East London


@pytest.fixture
def ncl(network):
    return network.icbs.get(ods_code=NCL)


@pytest.fixture
def nel(network):
    return network.icbs.get(ods_code=NEL)


@pytest.fixture
def trust(network, ncl):
    return provider(network, name="Camden MSK Trust", icb=ncl)


@pytest.fixture
def physio(network, trust):
    """Community MSK in Camden, waiting 6 weeks in January."""
    found = service(network, name="Camden community MSK", provider_org=trust,
                    place="Camden")
    activity(found, month=JAN, median=6, p90=14)
    return found


@pytest.fixture
def fcp(network, trust):
    """First-contact practitioners in Islington, not confirmed for over a year."""
    return service(network, name="Islington FCP", provider_org=trust, step=Step.FCP,
                   place="Islington", self_referral=False,
                   last_confirmed_on=dt.date.today() - dt.timedelta(days=400))


@pytest.fixture
def hospital(network, trust):
    """Orthopaedics serving the whole ICB (no place)."""
    return service(network, name="Royal orthopaedics", provider_org=trust,
                   step=Step.ORTHOPAEDICS, self_referral=False)


def pathway_url(network, code, **query):
    url = reverse("landscape-pathway", args=[network.slug, code])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def rows_of(content):
    return list(csv.reader(io.StringIO(content.decode())))


# The landscape page and map ----------------------------------------------------


def test_landscape_lists_each_icb_with_steps_covered_and_gaps(client, network, physio,
                                                              fcp, hospital):
    response = client.get(reverse("landscape", args=[network.slug]))

    assert response.status_code == 200
    coverage = {c.icb.ods_code: c for c in response.context["coverage"]}
    assert len(coverage) == 5
    assert coverage[NCL].services == 3
    assert coverage[NCL].steps == ["fcp", "community_msk", "orthopaedics"]
    assert coverage[NCL].covered == 3
    assert coverage[NEL].covered == 0 and len(coverage[NEL].gaps) == 10
    assert "3 of 10" in response.text
    assert pathway_url(network, NCL) in response.text


def test_map_colours_the_networks_icbs_by_steps_covered(client, network, physio, fcp):
    response = client.get(reverse("landscape-map-json", args=[network.slug]))

    rows = {r["ods_code"]: r for r in response.json()["rows"]}
    assert set(rows) == set(network.icbs.values_list("ods_code", flat=True))
    assert rows[NCL]["steps_covered"] == 2 and rows[NCL]["gaps"] == 8
    assert rows[NCL]["services"] == 2


def test_map_csv_has_a_row_per_icb(client, network, physio):
    response = client.get(reverse("landscape-map-csv", args=[network.slug]))

    rows = rows_of(response.content)
    assert rows[0][:3] == ["ICB", "ODS code", "Services recorded"]
    assert len(rows) == 6
    assert ["North Central London", NCL, "1", "1", "9"] in rows


def test_withdrawn_services_leave_a_gap(client, network, physio):
    physio.withdrawn_at = dt.datetime.now(dt.UTC)
    physio.withdrawn_reason = "Closed"
    physio.save()

    response = client.get(reverse("landscape-map-json", args=[network.slug]))

    rows = {r["ods_code"]: r for r in response.json()["rows"]}
    assert rows[NCL]["services"] == 0 and rows[NCL]["steps_covered"] == 0


# An ICB's pathway -----------------------------------------------------------


def test_pathway_draws_each_step_in_order_with_gaps(client, network, physio, fcp,
                                                    hospital):
    response = client.get(pathway_url(network, NCL))

    assert response.status_code == 200
    text = response.text
    positions = [text.index(f"Step {i}: {step.label}")
                 for i, step in enumerate(Step, start=1)]
    assert positions == sorted(positions)
    assert text.count("Gap: no service recorded at this step") == 7
    assert "Camden community MSK" in text and "Camden MSK Trust" in text
    assert "6.0 weeks (January 2026)" in text
    assert "Not confirmed for over 6 months" in text  # the FCP service is stale


def test_pathway_of_an_icb_outside_the_network_is_not_found(client, network):
    outside = ICB.objects.exclude(pk__in=network.icbs.all()).first()

    response = client.get(pathway_url(network, outside.ods_code))

    assert response.status_code == 404


def test_place_filter_shows_that_places_gaps(client, network, physio, fcp, hospital):
    response = client.get(pathway_url(network, NCL, place="Camden"))

    found = response.context["pathway"]
    # Camden has its community MSK and the ICB-wide orthopaedics, not Islington's FCP.
    assert [s.step for s in found.steps if not s.is_gap] == [
        Step.COMMUNITY_MSK, Step.ORTHOPAEDICS]
    assert "Islington FCP" not in response.text
    assert "The MSK pathway in Camden" in response.text
    assert "Gap: no service recorded at this step in Camden" in response.text


def test_unknown_place_is_an_error_naming_the_field(client, network, physio):
    response = client.get(pathway_url(network, NCL, place="Atlantis"))

    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert 'href="#pathway-place"' in response.text
    assert response.context["place"] == ""


def test_gaps_by_place_table_and_csv(client, network, physio, fcp, hospital):
    page = client.get(pathway_url(network, NCL))
    response = client.get(reverse("landscape-pathway-csv", args=[network.slug, NCL]))

    rows = {r[1]: r for r in rows_of(response.content)[1:]}
    assert set(rows) == {"Camden", "Islington", "Whole ICB"}
    steps = list(Step)
    camden = dict(zip(steps, rows["Camden"][2:-1], strict=True))
    assert camden[Step.COMMUNITY_MSK] == "✓ Service in place"
    assert camden[Step.ORTHOPAEDICS] == "✓ ICB-wide service"
    assert camden[Step.FCP] == "Gap"
    assert rows["Camden"][-1] == "8"
    assert rows["Whole ICB"][-1] == "7"
    assert "✓ ICB-wide service" in page.text and "<strong>Gap</strong>" in page.text


def test_pathway_csv_is_safe_from_formulas(client, network, trust):
    service(network, name="Formula MSK", provider_org=trust, place="=HYPERLINK(1)")

    response = client.get(reverse("landscape-pathway-csv", args=[network.slug, NCL]))

    assert "'=HYPERLINK(1)" in response.content.decode()


def test_a_new_waits_figure_changes_the_pathway(client, network, physio, trust):
    # The provider's member records February's waits (as the service pages do).
    ServiceActivity.objects.create(service=physio, period_start=FEB,
                                   period_end=dt.date(2026, 2, 28),
                                   median_wait_weeks=9, p90_wait_weeks=20)

    response = client.get(pathway_url(network, NCL))

    assert "9.0 weeks (February 2026)" in response.text
    assert "6.0 weeks (January 2026)" not in response.text


# Variation ----------------------------------------------------------------


@pytest.fixture
def two_icbs(network, ncl, nel, physio):
    """NCL: physio (6 weeks, 120 referrals) and pain (10 weeks, 40 referrals);
    NEL: one service at 20 weeks. NCL has a population, NEL none."""
    pain = service(network, name="Camden pain management",
                   provider_org=physio.provider, step=Step.PAIN_MANAGEMENT,
                   self_referral=False)
    activity(pain, month=JAN, referrals=40, median=10, p90=30)
    east = service(network, name="Newham MSK",
                   provider_org=provider(network, name="Newham Trust", icb=nel))
    activity(east, month=JAN, median=18, p90=30)
    activity(east, month=FEB, median=20, p90=40)
    workforce(physio, as_of=JAN, wte=9, vacancies=1)
    workforce(east, as_of=JAN, wte=5, vacancies=0)
    area = Area.objects.get(icb=ncl)
    AreaPopulation.objects.create(area=area, year=2022, persons=1_000_000,
                                  source="Synthetic")
    AreaPopulation.objects.create(area=area, year=2023, persons=2_000_000,
                                  source="Synthetic mid-2023")


def test_variation_compares_icbs(client, network, member, two_icbs):
    client.force_login(member)

    response = client.get(reverse("landscape-variation", args=[network.slug]))

    groups = {g.key: g.summary for g in response.context["variation"].groups}
    assert groups[NCL].median_wait == 8.0
    assert groups[NCL].weighted_wait == pytest.approx(7.0)  # (6×120 + 10×40) / 160
    assert groups[NCL].p90_wait == 22.0
    assert groups[NCL].self_referral_share == 50.0
    assert groups[NCL].wte_per_100k == pytest.approx(0.45)  # 9 per 2,000,000
    assert groups[NEL].median_wait == 20.0  # February's figure is the latest
    assert groups[NEL].wte_per_100k is None
    assert "no population loaded" in response.text
    assert "Workforce per 100,000" in response.text


def test_variation_hides_workforce_from_visitors(client, network, two_icbs):
    page = client.get(reverse("landscape-variation", args=[network.slug]))
    data = client.get(reverse("landscape-variation-json", args=[network.slug]))

    assert "Workforce per 100,000" not in page.text
    keys = {c["key"] for c in data.json()["columns"]}
    assert "median_wait" in keys and "wte_per_100k" not in keys


def test_variation_data_for_members_carries_workforce(client, network, member,
                                                      two_icbs):
    client.force_login(member)

    response = client.get(reverse("landscape-variation-csv", args=[network.slug]))

    rows = rows_of(response.content)
    assert "WTE per 100,000" in rows[0]
    ncl_row = dict(zip(rows[0], next(r for r in rows if r[0] == "North Central London"),
                       strict=True))
    assert ncl_row["Population"] == "2000000"
    assert ncl_row["Population year"] == "2023"


def test_variation_filters_by_step(client, network, two_icbs):
    response = client.get(reverse("landscape-variation-json", args=[network.slug])
                          + "?step=pain_management")

    rows = {r["name"]: r for r in response.json()["rows"]}
    assert rows["North Central London"]["median_wait"] == 10.0
    assert rows["North East London"]["services"] == 0


def test_unknown_step_is_an_error(client, network, two_icbs):
    response = client.get(reverse("landscape-variation", args=[network.slug])
                          + "?step=acupuncture")

    assert "There is a problem" in response.text
    assert 'href="#variation-step"' in response.text


def test_waits_over_time_by_icb(client, network, two_icbs):
    response = client.get(reverse("landscape-waits-json", args=[network.slug]))
    csv_response = client.get(reverse("landscape-waits-csv", args=[network.slug]))

    rows = [(r["name"], r["month"], r["median_wait"]) for r in response.json()["rows"]]
    assert rows == [("North Central London", "2026-01", 8.0),
                    ("North East London", "2026-01", 18.0),
                    ("North East London", "2026-02", 20.0)]
    assert rows_of(csv_response.content)[0] == [
        "ICB", "Month", "Services with waits", "Median wait (weeks)"]


def test_one_icb_network_compares_its_places(client, db):
    nenc = NetworkFactory(slug="nenc", short_name="NENC",
                          icbs=[ICB.objects.get(ods_code="QHM")])
    icb = nenc.icbs.get()
    trust = provider(nenc, name="Tyneside MSK", icb=icb)
    for place, wait in (("Gateshead", 4), ("Sunderland", 12)):
        activity(service(nenc, name=f"{place} MSK", provider_org=trust, place=place),
                 month=JAN, median=wait, p90=wait * 2)
    service(nenc, name="Regional spinal", provider_org=trust, step=Step.SPINAL_SURGERY)
    lead = MembershipFactory(network=nenc, role=Role.LEAD).user
    client.force_login(lead)

    response = client.get(reverse("landscape-variation", args=["nenc"]))

    variation = response.context["variation"]
    assert variation.by_place
    assert [g.name for g in variation.groups] == ["Gateshead", "Sunderland",
                                                  "Whole ICB"]
    assert variation.icb_summary.summary.median_wait == 8.0
    assert "compares its places" in response.text
    assert "No population loaded" in response.text
    assert Area.objects.filter(icb=icb, area_type=AreaType.ICB).exists()


# The API ----------------------------------------------------------------------


def bearer(user):
    _, raw = create_api_token(user=user, name="test")
    return {"Authorization": f"Bearer {raw}"}


def api_url(name, **kwargs):
    return reverse(f"api:{name}", kwargs={"slug": "london", **kwargs})


def test_api_summary_lists_icbs_with_gaps(client, network, physio, fcp):
    response = client.get(api_url("landscape-summary"))

    assert response.status_code == 200
    icbs = {i["icb_code"]: i for i in response.json()["icbs"]}
    assert icbs[NCL]["steps_covered"] == ["fcp", "community_msk"]
    assert icbs[NCL]["gaps"][0] == "self_management"
    assert response.json()["steps"][0] == "self_management"


def test_api_pathway_gives_steps_services_and_place_gaps(client, network, physio,
                                                         fcp, hospital):
    response = client.get(api_url("landscape-pathway", icb_code=NCL) + "?place=Camden")

    body = response.json()
    assert response.status_code == 200
    assert body["places"] == ["Camden", "Islington"]
    steps = {s["step"]: s for s in body["steps"]}
    assert steps["fcp"]["gap"] is True  # Islington's FCP is not Camden's
    community = steps["community_msk"]["services"][0]
    assert community["latest_wait"]["median_wait_weeks"] == 6.0
    assert community["latest_wait"]["period_start"] == "2026-01-01"
    assert "fcp" not in body["icb_gaps"]
    camden = next(p for p in body["place_gaps"] if p["place"] == "Camden")
    assert camden["cells"]["orthopaedics"] == "icb-wide"


def test_api_pathway_refuses_an_unknown_place_and_icb(client, network, physio):
    place = client.get(api_url("landscape-pathway", icb_code=NCL) + "?place=Atlantis")
    icb = client.get(api_url("landscape-pathway", icb_code="QHM"))

    assert place.status_code == 422
    assert "place" in str(place.json()["errors"])
    assert icb.status_code == 404


def test_api_variation_gives_workforce_to_members_only(client, network, member,
                                                       two_icbs):
    public = client.get(api_url("landscape-variation")).json()
    members = client.get(api_url("landscape-variation"), headers=bearer(member)).json()

    ncl_public = next(g for g in public["groups"] if g["key"] == NCL)
    assert ncl_public["median_wait_weeks"] == 8.0
    assert public["workforce"] is False and ncl_public["wte_per_100k"] is None
    ncl_members = next(g for g in members["groups"] if g["key"] == NCL)
    assert members["workforce"] is True
    assert ncl_members["wte_per_100k"] == pytest.approx(0.45)
    assert ncl_members["population"] == {"persons": 2_000_000, "year": 2023,
                                         "source": "Synthetic mid-2023"}
    assert members["level"] == "ICB"
    assert public["waits_by_month"][0]["month"] == "2026-01-01"


def test_api_variation_refuses_an_unknown_step(client, network):
    response = client.get(api_url("landscape-variation") + "?step=acupuncture")

    assert response.status_code == 422


# Cost ---------------------------------------------------------------------------


@pytest.mark.parametrize("name, args", [
    ("landscape", []), ("landscape-pathway", [NCL]), ("landscape-variation", []),
])
def test_pages_cost_the_same_whatever_the_number_of_services(client, network, member,
                                                            two_icbs, name, args):
    client.force_login(member)
    url = reverse(name, args=[network.slug, *args])
    _, few = queries_of(lambda: client.get(url))
    trust = provider(network, name="Islington Trust", icb=network.icbs.get(
        ods_code=NCL))
    for n in range(12):
        more = service(network, name=f"Extra MSK {n}", provider_org=trust,
                       place=f"Place {n % 4}", step=list(Step)[n % 10])
        activity(more, month=JAN)
        workforce(more, as_of=JAN)

    _, many = queries_of(lambda: client.get(url))

    assert len(many) == len(few)


def test_variation_and_pathway_use_each_services_latest_figures(client, network,
                                                                member, ncl, physio):
    """Older periods with other values are not counted: the latest period with
    a wait (a later one with referrals only does not hide it), and the latest
    workforce date with every profession recorded that day."""
    ServiceActivity.objects.filter(service=physio).update(referrals_per_month=500)
    activity(physio, month=FEB, referrals=80, median=9, p90=20)
    ServiceActivity.objects.create(service=physio, period_start=dt.date(2026, 3, 1),
                                   period_end=dt.date(2026, 3, 31),
                                   referrals_per_month=300)
    other = service(network, name="Camden back pain", provider_org=physio.provider)
    activity(other, month=JAN, referrals=20, median=30, p90=50)
    activity(other, month=FEB, referrals=20, median=3, p90=5)
    workforce(physio, as_of=JAN, wte=50, vacancies=10)
    workforce(physio, as_of=FEB, wte=4, vacancies=0.5)
    workforce(physio, as_of=FEB, profession="nurse", wte=2,
              vacancies=0.5)
    workforce(other, as_of=JAN, wte=1, vacancies=0)
    client.force_login(member)

    variation = client.get(reverse("landscape-variation", args=[network.slug])
                           ).context["variation"]
    pathway = client.get(pathway_url(network, NCL)).context["pathway"]
    waits = client.get(reverse("landscape-waits-json", args=[network.slug])).json()

    ncl_figures = next(g.summary for g in variation.groups if g.key == NCL)
    assert ncl_figures.median_wait == 6.0  # February's 9 and 3
    assert ncl_figures.weighted_wait == pytest.approx((9 * 80 + 3 * 20) / 100)
    assert ncl_figures.p90_wait == 12.5
    assert (ncl_figures.earliest_period, ncl_figures.latest_period) == (FEB, FEB)
    assert ncl_figures.wte == 7.0  # February's 4 + 2 for physio, January's 1 for other
    assert ncl_figures.vacancies == 1.0
    latest = {e.service.name: e.latest for s in pathway.steps for e in s.entries}
    assert (latest["Camden community MSK"].period_start,
            latest["Camden community MSK"].median_wait,
            latest["Camden community MSK"].referrals) == (FEB, 9.0, 80.0)
    assert latest["Camden back pain"].median_wait == 3.0
    ncl_months = [(r["month"], r["median_wait"]) for r in waits["rows"]
                  if r["name"] == "North Central London"]
    assert ncl_months == [("2026-01", 18.0), ("2026-02", 6.0)]

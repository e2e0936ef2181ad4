"""The demo's services: NENC's eighty-odd across its places with one place's
gap, London's five ICBs, two years of waits and workforce, stale services to
chase, populations for every ICB, and demo sign-ins who keep their own
provider's services up to date."""

import datetime as dt
from statistics import mean, median

import pytest
from django.utils import timezone

from msknet.demo import load_demo_data
from msknet.demo.loader import DemoLoader
from msknet.insights.models import Area, AreaPopulation, AreaType
from msknet.landscape.demo import POPULATION_SOURCE, load_demo_landscape
from msknet.landscape.models import (
    PATHWAY,
    Service,
    ServiceActivity,
    ServiceChange,
    ServiceWorkforce,
    Step,
)
from msknet.members.models import Membership, User
from msknet.members.permissions import Permission, has_permission

pytestmark = pytest.mark.slow

NENC_PLACES = {"Northumberland", "North Tyneside", "Newcastle", "Gateshead",
               "South Tyneside", "Sunderland", "County Durham", "Tees Valley",
               "North Cumbria"}
LONDON_ICBS = {"QMJ", "QMF", "QRV", "QKK", "QWE"}


@pytest.fixture
def demo(db):
    # The networks, organisations and members only (seconds, not the minute
    # the whole demo takes); then the landscape on top, as the loader runs it.
    DemoLoader(now=timezone.now()).load()
    load_demo_landscape()


def test_nenc_has_about_eighty_synthetic_services_at_every_step_in_its_places(demo):
    nenc = Service.objects.filter(network__slug="nenc").select_related("provider", "icb")

    assert 80 <= nenc.count() <= 90
    assert {s.place for s in nenc} == NENC_PLACES
    assert {s.icb.ods_code for s in nenc} == {"QHM"}
    assert {s.step for s in nenc} == set(Step.values)
    assert all("synthetic demo service" in s.description for s in nenc)
    assert all(s.website.startswith("https://example.org/demo/") for s in nenc)
    assert all(s.phone.startswith("0191 498 0") for s in nenc)  # Ofcom drama range
    assert all(s.postcode[:2] in {"NE", "SR", "DH", "DL", "TS", "CA"} for s in nenc)
    assert all(s.outward_code == s.postcode.split()[0] for s in nenc)
    added = {s.provider.name for s in nenc if s.provider.name.endswith("(demo)")}
    assert "Tyneside MSK Community Services (demo)" in added


def test_nenc_referral_routes_follow_the_step(demo):
    nenc = Service.objects.filter(network__slug="nenc")
    secondary = nenc.filter(step__in=[Step.ORTHOPAEDICS, Step.RHEUMATOLOGY,
                                      Step.SPINAL_SURGERY, Step.PAIN_MEDICINE])

    assert not secondary.filter(self_referral=True).exists()
    assert all(s.gp_referral and s.via_ers for s in secondary)
    assert all(s.self_referral for s in nenc.filter(step=Step.FCP))
    community = nenc.filter(step=Step.COMMUNITY_MSK)
    assert 0 < community.filter(self_referral=True).count() < community.count()


def test_south_tyneside_has_no_pain_management_and_every_other_place_every_step(demo):
    nenc = Service.objects.filter(network__slug="nenc")

    steps = {place: set(nenc.filter(place=place).values_list("step", flat=True))
             for place in NENC_PLACES}

    assert steps["South Tyneside"] == set(PATHWAY) - {Step.PAIN_MANAGEMENT}
    assert all(covered == set(PATHWAY) for place, covered in steps.items()
               if place != "South Tyneside")


def test_services_with_waits_have_two_years_of_monthly_figures_and_workforce(demo):
    nenc = Service.objects.filter(network__slug="nenc")
    current = nenc.exclude(pk__in=nenc.stale()).exclude(step=Step.SELF_MANAGEMENT)

    for service in current:
        months = list(service.activity.order_by("period_start"))
        assert len(months) == 24, service.name
        assert all(m.p90_wait_weeks >= m.median_wait_weeks > 0 for m in months)
        assert all(m.referrals_per_month > 0 for m in months)
        assert len({m.period_start.month for m in months}) == 12
        staff = service.workforce.all()
        assert len({w.as_of for w in staff}) == 8, service.name
    assert not ServiceActivity.objects.filter(
        service__in=nenc.filter(step=Step.SELF_MANAGEMENT)).exists()
    assert ServiceWorkforce.objects.filter(service__in=nenc,
                                           vacancies_wte__gt=0).exists()


def test_most_waits_improve_and_sunderlands_community_msk_worsens(demo):
    nenc = Service.objects.filter(network__slug="nenc")

    def change(service):
        waits = [float(a.median_wait_weeks)
                 for a in service.activity.order_by("period_start")]
        return mean(waits[-6:]) / mean(waits[:6])

    worsening = nenc.get(place="Sunderland", step=Step.COMMUNITY_MSK)
    changes = [change(s) for s in nenc.exclude(pk__in=nenc.stale())
               .exclude(step=Step.SELF_MANAGEMENT)]

    assert change(worsening) > 1.4
    assert median(changes) < 0.95


def test_workforce_is_by_profession_for_the_step(demo):
    nenc = Service.objects.filter(network__slug="nenc")

    def professions(step):
        return set(ServiceWorkforce.objects.filter(
            service__in=nenc.filter(step=step)).values_list("profession", flat=True))

    assert "physiotherapist" in professions(Step.COMMUNITY_MSK)
    assert "physiotherapist" in professions(Step.FCP)
    assert {"pain_specialist", "psychologist", "nurse", "occupational_therapist"} <= (
        professions(Step.PAIN_MANAGEMENT))
    assert "orthopaedic_surgeon" in professions(Step.ORTHOPAEDICS)
    assert "rheumatologist" in professions(Step.RHEUMATOLOGY)
    assert "spinal_specialist" in professions(Step.SPINAL_SURGERY)


def test_a_few_services_are_stale_and_the_rest_confirmed_in_the_last_three_months(
        demo):
    today = timezone.localdate()
    for slug in ("nenc", "london"):
        services = Service.objects.filter(network__slug=slug)
        stale = services.stale()

        assert 3 <= stale.count() <= 6
        assert all(dt.timedelta(days=200) < today - s.last_confirmed_on
                   < dt.timedelta(days=440) for s in stale)
        assert all(today - s.last_confirmed_on <= dt.timedelta(days=90)
                   for s in services.exclude(pk__in=stale))
    assert ServiceChange.objects.filter(summary="Confirmed the details").count() == (
        Service.objects.count())


def test_london_has_services_in_all_five_icbs_with_different_waits(demo):
    london = Service.objects.filter(network__slug="london").select_related("icb")
    by_icb = {code: [s for s in london if s.icb.ods_code == code]
              for code in LONDON_ICBS}

    def latest_median(services, step):
        waits = [float(s.activity.order_by("-period_start")[0].median_wait_weeks)
                 for s in services if s.step == step]
        return mean(waits)

    def self_referral(services):
        open_ = [s for s in services if s.step in (Step.FCP, Step.COMMUNITY_MSK,
                                                   Step.PAIN_MANAGEMENT)]
        return sum(s.self_referral for s in open_) / len(open_)

    assert {s.icb.ods_code for s in london} == LONDON_ICBS
    assert all(10 <= len(services) <= 15 for services in by_icb.values())
    assert all(s.phone.startswith("020 7946 0") for s in london)
    # North West London waits longest for orthopaedics; South East London least.
    orthopaedics = {code: latest_median(s, Step.ORTHOPAEDICS)
                    for code, s in by_icb.items()}
    assert orthopaedics["QRV"] > orthopaedics["QKK"]
    shares = {code: self_referral(s) for code, s in by_icb.items()}
    assert shares["QKK"] > shares["QMF"]
    assert len(set(shares.values())) > 1


def test_every_icb_has_a_synthetic_population_for_last_year(demo):
    year = timezone.localdate().year - 1
    icbs = Area.objects.filter(area_type=AreaType.ICB)

    populations = AreaPopulation.objects.filter(area__in=icbs, year=year)

    assert icbs.count() == 42
    assert populations.count() == 42
    assert {p.source for p in populations} == {POPULATION_SOURCE}
    assert "not an ONS estimate" in POPULATION_SOURCE
    assert all(500_000 <= p.persons <= 3_200_000 for p in populations)
    nenc = populations.get(area__icb__ods_code="QHM")
    assert 3_000_000 <= nenc.persons <= 3_200_000
    london = populations.filter(area__icb__ods_code__in=LONDON_ICBS)
    assert all(1_500_000 <= p.persons <= 2_200_000 for p in london)


def test_a_real_population_is_never_overwritten(db):
    year = timezone.localdate().year - 1
    area = Area.objects.get(icb__ods_code="QHM")
    AreaPopulation.objects.create(area=area, year=year, persons=3_100_000,
                                  source="ONS mid-year estimates")

    load_demo_landscape()

    assert AreaPopulation.objects.get(area=area, year=year).source == (
        "ONS mid-year estimates")
    assert AreaPopulation.objects.filter(year=year).count() == 42


def test_demo_sign_ins_keep_their_own_providers_services_up_to_date(demo):
    nenc_lead = User.objects.get(email="lead@nenc.example.nhs.uk")
    nenc_member = User.objects.get(email="member@nenc.example.nhs.uk")
    london_member = User.objects.get(email="member@london.example.nhs.uk")
    services = Service.objects.select_related("network")

    lead_org = Membership.objects.get(user=nenc_lead, network__slug="nenc").organisation
    physio = services.get(network__slug="nenc", provider=lead_org,
                          step=Step.COMMUNITY_MSK)
    durham = services.filter(network__slug="nenc", provider__name="East Durham Coast PCN")
    riverside = services.get(network__slug="london", step=Step.FCP,
                             provider__name="Riverside Central PCN")

    assert physio.last_confirmed_by == nenc_lead
    assert {s.step for s in durham} == {Step.FCP, Step.EMPLOYMENT}
    assert all(has_permission(nenc_member, Permission.EDIT_SERVICE, s.network, s)
               for s in durham)
    assert not has_permission(nenc_member, Permission.EDIT_SERVICE, physio.network,
                              physio)
    assert has_permission(london_member, Permission.EDIT_SERVICE, riverside.network,
                          riverside)
    # Every provider the demo adds but one has a member to ask to confirm.
    added = services.filter(provider__name__endswith="(demo)").values_list(
        "network", "provider").order_by().distinct()
    owned = [Membership.objects.filter(network=n, organisation=p).exists()
             for n, p in added]
    assert owned.count(False) == 1


def test_loading_the_landscape_again_adds_nothing(demo):
    counts = (Service.objects.count(), ServiceActivity.objects.count(),
              ServiceWorkforce.objects.count(), AreaPopulation.objects.count())

    load_demo_landscape()

    assert (Service.objects.count(), ServiceActivity.objects.count(),
            ServiceWorkforce.objects.count(), AreaPopulation.objects.count()) == counts


def test_the_demo_loader_loads_the_landscape(db):
    assert load_demo_data() is True

    assert Service.objects.filter(network__slug="nenc").count() >= 80
    assert Service.objects.filter(network__slug="london").count() >= 50

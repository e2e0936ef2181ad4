"""A network's forms offer its own organisations, its ICBs' first, and never
another network's (in another network's ICBs or region)."""

import pytest
from django.urls import reverse

from msknet.members.models import ICB, Organisation, OrganisationType, Region
from msknet.members.queries import organisations_for
from tests.factories.networks import NetworkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def nenc(db):
    return NetworkFactory(
        slug="nenc", name="North East and North Cumbria Pain CoP",
        short_name="NENC", region=Region.objects.get(code="Y63"),
        icbs=list(ICB.objects.filter(ods_code="QHM")),
    )


@pytest.fixture
def organisations(network, nenc):
    london_icb = network.icbs.order_by("name").first()
    nenc_icb = nenc.icbs.get()

    def make(name, type, **where):
        return Organisation.objects.create(name=name, type=type, **where)

    return {
        "london trust": make("Zeta Hospitals NHS Trust", OrganisationType.NHS_TRUST,
                             icb=london_icb, region=network.region),
        "london university": make("Acme University London",
                                  OrganisationType.UNIVERSITY, region=network.region),
        "national charity": make("Back Pain Charity", OrganisationType.VOLUNTARY),
        "nenc trust": make("Northumbria Trust", OrganisationType.NHS_TRUST,
                           icb=nenc_icb, region=nenc.region),
        "nenc university": make("Newcastle University", OrganisationType.UNIVERSITY,
                                region=nenc.region),
    }


def test_a_networks_own_icb_organisations_come_first(network, organisations):
    offered = list(organisations_for(network))

    assert offered[0] == organisations["london trust"]
    assert set(offered) >= {organisations["london university"],
                            organisations["national charity"]}


def test_another_networks_organisations_are_never_offered(network, nenc,
                                                          organisations):
    london = set(organisations_for(network))
    north = set(organisations_for(nenc))

    assert organisations["nenc trust"] not in london
    assert organisations["nenc university"] not in london
    assert organisations["london trust"] not in north
    assert organisations["london university"] not in north
    assert organisations["national charity"] in north


def test_join_form_lists_only_the_networks_organisations(client, network,
                                                         organisations):
    response = client.get(reverse("join-request-create", args=[network.slug]))

    text = response.text
    assert "Newcastle University" not in text
    assert "Northumbria Trust" not in text
    assert text.index("Zeta Hospitals NHS Trust") < text.index(
        "Acme University London")


def test_join_form_refuses_another_networks_organisation(client, network,
                                                         organisations):
    response = client.post(reverse("join-request-create", args=[network.slug]), {
        "full_name": "Sam Jones", "email": "sam@example.nhs.uk",
        "organisation": organisations["nenc university"].pk,
    })

    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors

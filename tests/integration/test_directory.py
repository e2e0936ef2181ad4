import pytest
from django.urls import reverse
from django.utils import timezone

from msknet.members.models import (
    Organisation,
    OrganisationType,
    Profession,
    Role,
    Sector,
)
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import NetworkFactory, icb
from tests.factories.users import UserFactory
from tests.queries import queries_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(db):
    return Organisation.objects.create(
        name="Guy's and St Thomas' NHS Foundation Trust",
        type=OrganisationType.NHS_TRUST,
    )


@pytest.fixture
def secret_org(db):
    return Organisation.objects.create(
        name="Hidden Hospital NHS Trust", type=OrganisationType.NHS_TRUST
    )


@pytest.fixture
def sharer(network, org):
    """Shares everything, contact details included."""
    return MembershipFactory(
        network=network,
        user=UserFactory(
            full_name="Amara Okafor",
            email="amara.okafor@example.nhs.uk",
            phone="020 7188 7188",
        ),
        sector=Sector.COMMUNITY,
        profession=Profession.PHYSIOTHERAPIST,
        organisation=org,
        icb=icb("QKK"),
        interests=[network.topics.get(slug="spinal-services")],
        share_email=True,
        share_phone=True,
    )


@pytest.fixture
def private(network, secret_org):
    """Listed by name, sharing nothing else; has lived experience."""
    return MembershipFactory(
        network=network,
        user=UserFactory(
            full_name="Bethan Quill",
            email="bethan.quill@example.org",
            phone="07700 900123",
        ),
        sector=Sector.LIVED_EXPERIENCE,
        profession=Profession.RHEUMATOLOGIST,
        organisation=secret_org,
        icb=icb("QKK"),
        interests=[network.topics.get(slug="spinal-services")],
        share_organisation=False,
        share_profession=False,
        share_sector=False,
        share_icb=False,
        share_interests=False,
    )


def directory(client, network, **params):
    return client.get(reverse("directory", args=[network.slug]), params)


def results(response):
    """The results table (the filter form lists every sector and profession)."""
    html = response.text
    return html[html.index("<tbody") : html.index("</tbody>")]


def test_visitor_is_sent_to_sign_in(client, network):
    response = directory(client, network)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))


def test_signed_in_outsider_is_refused(client, network, outsider):
    client.force_login(outsider)

    assert directory(client, network).status_code == 403


def test_member_sees_listed_members_with_shared_details(
    client, network, member, sharer
):
    client.force_login(member)

    response = directory(client, network)

    assert response.status_code == 200
    assert "Amara Okafor" in response.text
    assert "Guy&#x27;s and St Thomas&#x27; NHS Foundation Trust" in response.text
    assert "Community services" in response.text
    assert "Physiotherapist" in response.text
    assert "South East London" in response.text
    assert reverse("directory-profile", args=[network.slug, sharer.pk]) in response.text


def test_hidden_details_do_not_reach_the_page(client, network, member, private):
    client.force_login(member)

    response = directory(client, network)

    assert "Bethan Quill" in results(response)
    assert "lived experience" not in results(response)
    assert "Rheumatologist" not in results(response)
    assert "South East London" not in results(response)
    for secret in ("Hidden Hospital", "bethan.quill@example.org", "07700 900123"):
        assert secret not in response.text
    row = next(r for r in results(response).split("<tr") if "Bethan Quill" in r)
    assert row.count("Not shared") == 4


def test_unlisted_erased_and_inactive_members_are_left_out(client, network, member):
    MembershipFactory(
        network=network, user__full_name="Una Listed", directory_listed=False
    )
    MembershipFactory(
        network=network, user__full_name="Erin Erased", user__erased_at=timezone.now()
    )
    MembershipFactory(
        network=network, user__full_name="Ivor Inactive", user__is_active=False
    )
    MembershipFactory(network=NetworkFactory(), user__full_name="Otto Othernet")
    client.force_login(member)

    response = directory(client, network)

    for name in ("Una Listed", "Erin Erased", "Ivor Inactive", "Otto Othernet"):
        assert name not in response.text
    assert response.context["page"].paginator.count == 1  # the member themself


def test_name_search_matches_each_word_of_names_only(
    client, network, member, sharer, private
):
    client.force_login(member)

    by_name = directory(client, network, q="  amara   OKAFOR ")
    by_organisation = directory(client, network, q="Guy's")

    assert [e.name for e in by_name.context["entries"]] == ["Amara Okafor"]
    assert "1 member found" in by_name.text
    assert by_organisation.context["entries"] == []
    assert "No members match your search." in by_organisation.text


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sector", lambda network, org: Sector.LIVED_EXPERIENCE),
        ("profession", lambda network, org: Profession.RHEUMATOLOGIST),
        ("icb", lambda network, org: icb("QKK").pk),
        (
            "interest",
            lambda network, org: network.topics.get(slug="spinal-services").pk,
        ),
    ],
)
def test_filter_never_matches_members_who_hide_that_detail(
    client, network, member, org, sharer, private, field, value
):
    # Bethan matches every filter on her hidden details; finding her would
    # reveal them. Amara shares her ICB and interest, so she may match those.
    client.force_login(member)

    response = directory(client, network, **{field: value(network, org)})

    names = [e.name for e in response.context["entries"]]
    assert "Bethan Quill" not in names
    assert "Bethan Quill" not in response.text


def test_filter_by_shared_detail_finds_members_who_share_it(
    client, network, member, org, sharer, private
):
    client.force_login(member)

    by_org = directory(client, network, organisation=org.pk)
    by_sector = directory(client, network, sector=Sector.COMMUNITY)
    by_icb = directory(client, network, icb=icb("QKK").pk)

    assert [e.name for e in by_org.context["entries"]] == ["Amara Okafor"]
    assert [e.name for e in by_sector.context["entries"]] == ["Amara Okafor"]
    assert [e.name for e in by_icb.context["entries"]] == ["Amara Okafor"]


def test_organisation_filter_offers_only_shared_organisations(
    client, network, member, org, sharer, private
):
    client.force_login(member)

    response = directory(client, network)

    choices = list(response.context["form"].fields["organisation"].queryset)
    assert choices == [org]
    assert "Hidden Hospital" not in response.text


def test_hidden_organisation_cannot_be_filtered_on(
    client, network, member, secret_org, private
):
    client.force_login(member)

    response = directory(client, network, organisation=secret_org.pk)

    assert "Select an organisation from the list" in response.text
    assert "nhsuk-error-summary" in response.text
    assert "<title>Error: Member directory" in response.text
    assert "Bethan Quill" in response.text  # the other, valid filters still apply
    assert "Hidden Hospital" not in response.text


def test_invalid_filter_is_named_in_error_summary(client, network, member):
    client.force_login(member)

    response = directory(client, network, sector="astrology")

    assert '<a href="#id_sector">Select a sector from the list</a>' in response.text
    assert "nhsuk-select--error" in response.text


@pytest.mark.slow
def test_directory_pages_by_25_and_keeps_the_search(client, network, member):
    MembershipFactory.create_batch(
        30, network=network, sector=Sector.COMMUNITY, user__full_name="Pat Page"
    )
    client.force_login(member)

    first = directory(client, network, sector=Sector.COMMUNITY)
    second = directory(client, network, sector=Sector.COMMUNITY, page=2)

    assert len(first.context["entries"]) == 25
    assert len(second.context["entries"]) == 5
    assert "30 members found" in first.text
    assert 'class="nhsuk-pagination nhsuk-pagination--numbered"' in first.text
    assert 'href="?sector=community&amp;page=2" class="nhsuk-pagination__next"' in (
        first.text
    )
    assert 'aria-label="Page 2" aria-current="page"' in second.text
    assert "(page 2 of 2)" in second.text


@pytest.mark.slow
@pytest.mark.parametrize("added", [3, 12])
def test_directory_query_count_does_not_grow_with_members(
    client, network, member, added
):
    topics = list(network.topics.all())
    org = Organisation.objects.create(
        name="Barts Health", type=OrganisationType.NHS_TRUST
    )
    MembershipFactory.create_batch(
        added, network=network, organisation=org, icb=icb("QMF"), interests=topics
    )
    client.force_login(member)

    # session, user, network, role, two-factor check, organisations, ICBs,
    # topics, count, page, interests
    response, queries = queries_of(lambda: directory(client, network))

    assert len(queries) == 11
    assert len(response.context["entries"]) == added + 1  # and the member


def test_profile_shows_only_consented_details(client, network, member, sharer, private):
    client.force_login(member)

    shared = client.get(reverse("directory-profile", args=[network.slug, sharer.pk]))
    hidden = client.get(reverse("directory-profile", args=[network.slug, private.pk]))

    assert 'href="mailto:amara.okafor@example.nhs.uk"' in shared.text
    assert "020 7188 7188" in shared.text
    assert "Spinal services" in shared.text
    assert "Bethan Quill" in hidden.text
    for secret in (
        "bethan.quill@example.org",
        "07700 900123",
        "Hidden Hospital",
        "Rheumatologist",
        "lived experience",
        "Spinal services",
        "South East London",
    ):
        assert secret not in hidden.text
    assert hidden.text.count("Not shared") == 7


def test_profile_shows_lived_experience_when_shared(client, network, member):
    person = MembershipFactory(
        network=network,
        sector=Sector.LIVED_EXPERIENCE,
        profession=Profession.NOT_APPLICABLE,
        role=Role.STEERING,
    )
    client.force_login(member)

    response = client.get(reverse("directory-profile", args=[network.slug, person.pk]))

    assert "Person with lived experience" in response.text
    assert "Steering group member" in response.text
    assert "Not applicable" not in response.text


def test_profile_of_unlisted_or_other_network_member_is_not_found(
    client, network, member
):
    unlisted = MembershipFactory(network=network, directory_listed=False)
    elsewhere = MembershipFactory(network=NetworkFactory())
    client.force_login(member)

    for membership in (unlisted, elsewhere):
        url = reverse("directory-profile", args=[network.slug, membership.pk])
        assert client.get(url).status_code == 404


def test_profile_is_refused_to_outsiders(client, network, outsider, sharer):
    client.force_login(outsider)

    url = reverse("directory-profile", args=[network.slug, sharer.pk])

    assert client.get(url).status_code == 403


def test_shared_but_missing_detail_says_not_given(client, network, member):
    person = MembershipFactory(network=network, organisation=None, icb=None)
    client.force_login(member)

    response = client.get(reverse("directory-profile", args=[network.slug, person.pk]))

    assert response.text.count("Not given") == 3  # organisation, ICB, interests
    assert response.text.count("Not shared") == 2  # email, phone

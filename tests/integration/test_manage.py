import pytest
from django.urls import reverse

from msknet.core.models import AuditEvent
from msknet.members.models import Membership, Role
from tests.factories.memberships import MembershipFactory

pytestmark = pytest.mark.django_db


def test_lead_edits_the_about_page(client, network, lead):
    client.force_login(lead)

    response = client.post(
        reverse("network-edit", args=[network.slug]),
        {"summary": "London's MSK network", "vision": "Better MSK health for all",
         "mission": "", "objectives": "Reduce waits\nCut inequalities", "about": "",
         "contact_email": "msk@example.nhs.uk", "open_to_join": "on"},
    )

    assert response.status_code == 302
    about = client.get(reverse("network-about", args=[network.slug])).text
    assert "Better MSK health for all" in about
    assert "<li>Cut inequalities</li>" in about
    event = AuditEvent.objects.get(type=AuditEvent.Type.NETWORK_UPDATED)
    assert set(event.data["fields"]) == {"summary", "vision", "objectives",
                                         "contact_email"}


def test_edit_needs_a_summary(client, network, lead):
    client.force_login(lead)

    response = client.post(reverse("network-edit", args=[network.slug]),
                           {"summary": ""})

    assert '<a href="#id_summary">Enter a summary</a>' in response.text


def test_lead_adds_a_topic_and_duplicates_are_refused(client, network, lead):
    client.force_login(lead)
    url = reverse("topic-create", args=[network.slug])

    client.post(url, {"name": "Falls and fracture prevention"})
    response = client.post(url, {"name": "falls and fracture prevention"})

    assert network.topics.filter(slug="falls-and-fracture-prevention").exists()
    assert "already has a topic with that name" in response.text


def test_lead_makes_a_member_steering_group(client, network, lead, member):
    client.force_login(lead)
    membership = Membership.objects.get(user=member, network=network)

    client.post(reverse("member-role", args=[network.slug, membership.pk]),
                {"role": Role.STEERING})

    membership.refresh_from_db()
    assert membership.role == Role.STEERING
    assert AuditEvent.objects.filter(type=AuditEvent.Type.ROLE_CHANGED).exists()


def test_last_lead_cannot_step_down(client, network, lead):
    client.force_login(lead)
    membership = Membership.objects.get(user=lead, network=network)

    response = client.post(reverse("member-role", args=[network.slug, membership.pk]),
                           {"role": Role.MEMBER})

    assert "The network needs at least one lead" in response.text
    membership.refresh_from_db()
    assert membership.role == Role.LEAD


def test_member_list_searches_by_name_and_role(client, network, lead):
    MembershipFactory(network=network, user__full_name="Nadia Hussain")
    MembershipFactory(network=network, user__full_name="Owen Price",
                      role=Role.STEERING)
    client.force_login(lead)

    by_name = client.get(reverse("member-list", args=[network.slug]), {"q": "nadia"})
    by_role = client.get(reverse("member-list", args=[network.slug]),
                         {"role": "steering"})

    assert "Nadia Hussain" in by_name.text and "Owen Price" not in by_name.text
    assert "Owen Price" in by_role.text and "Nadia Hussain" not in by_role.text

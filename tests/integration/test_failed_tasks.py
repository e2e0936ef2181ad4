"""A task that fails for good is shown to the leads of its network, with its error."""


import pytest
from django.urls import reverse

from msknet.core import emails
from msknet.core.tasks import enqueue
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import NetworkFactory
from tests.tasks import run_queued_tasks


def last_try(*, network, to):
    """The fifth and last try at an email the mail server will not take."""
    enqueue(
        "msknet.core.emails.deliver",
        network_pk=network.pk,
        name="Email: Your place at the spring meeting",
        sync=False,
        subject="Your place at the spring meeting",
        body="See you there.",
        to=to,
        attempt=emails.ATTEMPTS,
        about_network=network.pk,
    )


@pytest.mark.slow
def test_a_lead_sees_an_email_that_failed_for_good_with_its_error(
    client, lead, network, unreachable_mail_server
):
    last_try(network=network, to="registrant@example.org")
    run_queued_tasks()
    client.force_login(lead)

    page = client.get(reverse("failed-tasks", args=[network.slug])).content.decode()

    assert "Email: Your place at the spring meeting" in page
    assert "could not be sent after 5 tries" in page
    assert "Connection refused" in page


@pytest.mark.slow
def test_a_lead_does_not_see_another_networks_failed_tasks(
    client, lead, network, unreachable_mail_server
):
    other = NetworkFactory()
    last_try(network=other, to="someone@example.org")
    run_queued_tasks()
    client.force_login(lead)

    page = client.get(reverse("failed-tasks", args=[network.slug])).content.decode()

    assert "someone@example.org" not in page
    assert "No background task of this network has failed." in page


def test_the_dashboard_links_leads_to_failed_tasks(client, lead, steering, network):
    url = reverse("failed-tasks", args=[network.slug])
    client.force_login(lead)
    lead_view = client.get(reverse("network-dashboard", args=[network.slug]))
    client.force_login(steering)
    steering_view = client.get(reverse("network-dashboard", args=[network.slug]))

    assert url in lead_view.content.decode()
    assert url not in steering_view.content.decode()


def test_a_member_is_refused_the_failed_tasks(client, network):
    member = MembershipFactory(network=network).user
    client.force_login(member)

    response = client.get(reverse("failed-tasks", args=[network.slug]))

    assert response.status_code == 403

"""Registrations made at the same moment, from separate connections."""

import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from msknet.community.actions import events as actions
from msknet.community.models import Registration, RegistrationStatus
from tests.factories.community import EventFactory
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import NetworkFactory

PEOPLE = 6


@pytest.mark.django_db
def test_registering_locks_the_event_before_counting_places(network, member):
    event = EventFactory(network=network, capacity=2)

    with CaptureQueriesContext(connection) as queries:
        actions.register(event=event, by=member)

    if connection.features.has_select_for_update:
        first_event_read = next(q["sql"] for q in queries.captured_queries
                                if "community_event" in q["sql"])
        assert "FOR UPDATE" in first_event_read
    else:
        # SQLite: the site opens every transaction IMMEDIATE, taking the
        # database's write lock before the places are counted.
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's shared in-memory test database refuses concurrent writers "
    "instead of making them wait",
)
def test_simultaneous_registrations_never_overfill_and_queue_in_order():
    network = NetworkFactory()
    event = EventFactory(network=network, capacity=2)
    people = [MembershipFactory(network=network).user for _ in range(PEOPLE)]
    start = threading.Barrier(PEOPLE)
    failures = []

    def register(person):
        try:
            start.wait()
            actions.register(event=event, by=person)
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    registrations = Registration.objects.filter(event=event)
    placed = registrations.filter(status=RegistrationStatus.REGISTERED)
    waiting = registrations.filter(status=RegistrationStatus.WAITING).order_by(
        "queued_at", "pk"
    )
    assert placed.count() == 2
    assert [r.waiting_position() for r in waiting] == [1, 2, 3, 4]
    # Places went to the first to ask: nobody waiting asked before anyone placed.
    assert max(r.queued_at for r in placed) <= min(r.queued_at for r in waiting)

"""A services CSV import is written in bulk: the same number of queries for a
file of 3 rows or 30, with what `Service.save` would have done (postcode tidied,
outward code set) and a change recorded for every service written."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from msknet.landscape.actions.imports import import_text
from msknet.landscape.models import Service, ServiceChange
from msknet.members.models import Organisation
from tests.factories.landscape import provider

pytestmark = pytest.mark.django_db

HEADER = "name,provider,provider_type,icb,step,self_referral,postcode\n"


def icb_code(network):
    return network.icbs.order_by("ods_code").first().ods_code


def new_rows(network, trust, count, *, first=0):
    icb = icb_code(network)
    return "".join(
        f"Synthetic clinic {n},{trust.name if n % 2 else f'Synthetic provider {n // 4}'},"
        f"{'' if n % 2 else 'Voluntary or third sector'},{icb},self_management,yes,"
        f"ne{n % 9 + 1}  4lp\n" for n in range(first, first + count))


def imported(network, text, lead):
    with CaptureQueriesContext(connection) as captured:
        result = import_text(network=network, text=text, by=lead)
    return result, len(captured.captured_queries)


def test_adding_services_costs_the_same_for_3_rows_or_30(network, lead):
    trust = provider(network, name="Synthetic MSK trust")

    few, few_queries = imported(network, HEADER + new_rows(network, trust, 3), lead)
    many, many_queries = imported(
        network, HEADER + new_rows(network, trust, 30, first=100), lead)

    assert (few.added, many.added) == (3, 30)
    assert (few.providers_added, many.providers_added) == (1, 8)
    # SQLite takes at most 999 values a statement, so Django splits the 30
    # services' insert in two there; PostgreSQL takes them in one.
    assert many_queries <= few_queries + 1
    clinic = Service.objects.get(name="Synthetic clinic 101")
    assert (clinic.postcode, clinic.outward_code) == ("NE3 4LP", "NE3")
    assert clinic.created_by == lead and clinic.provider == trust
    assert Organisation.objects.filter(name="Synthetic provider 25").count() == 1
    assert ServiceChange.objects.filter(summary="Added from a CSV import",
                                        by=lead).count() == 33


def test_updating_services_costs_the_same_for_2_rows_or_20(network, lead):
    trust = provider(network, name="Synthetic MSK trust")
    icb = icb_code(network)

    def file(names):
        return HEADER + "".join(
            f"Synthetic class {n},{trust.name},,{icb},self_management,yes,"
            f"{'bs1 5ah' if n in names else 'NE1 4LP'}\n" for n in range(22))

    assert imported(network, file(set()), lead)[0].added == 22
    few, few_queries = imported(network, file({0, 1}), lead)
    many, many_queries = imported(network, file(set(range(22))), lead)

    assert (few.updated, few.unchanged) == (2, 20)
    assert (many.updated, many.unchanged) == (20, 2)
    assert many_queries == few_queries
    moved = Service.objects.get(name="Synthetic class 5")
    assert (moved.postcode, moved.outward_code, moved.updated_by) == (
        "BS1 5AH", "BS1", lead)
    assert [c.summary for c in moved.changes.order_by("pk")] == [
        "Added from a CSV import", "Updated from a CSV import: postcode"]
    assert Service.objects.get(name="Synthetic class 0").changes.count() == 2

"""Who owns an indicator: shared ones a data steward, local ones their network."""

import pytest
from click.testing import CliRunner
from django.contrib.auth.models import AnonymousUser

from msknet.cli import cli
from msknet.core.models import AuditEvent
from msknet.insights.actions import add_data_steward, import_file, remove_data_steward
from msknet.insights.models import (
    DataSteward,
    ImportStatus,
    Indicator,
    InsightsAudit,
    ValueType,
)
from msknet.members.permissions import Permission, has_permission
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import NetworkFactory
from tests.factories.users import UserFactory

from .helpers import local_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(db):
    return Indicator.objects.create(slug="hip", name="Hip fractures", fingertips_id=41402,
                                    value_type=ValueType.RATE, multiplier=100000)


@pytest.fixture
def local(network):
    return Indicator.objects.create(slug="fcp", name="FCP within 2 weeks",
                                    value_type=ValueType.PROPORTION, multiplier=100,
                                    network=network)


@pytest.fixture
def steward(db):
    user = UserFactory()
    add_data_steward(user=user)
    return user


def may_edit(user, network, indicator):
    return has_permission(user, Permission.EDIT_INDICATOR, network, indicator)


def test_steward_may_edit_a_shared_indicator_without_being_a_member(steward, network,
                                                                    shared):
    assert may_edit(steward, network, shared)


def test_lead_may_not_edit_a_shared_indicator(lead, network, shared):
    assert not may_edit(lead, network, shared)


def test_lead_may_edit_their_networks_local_indicator(lead, network, local):
    assert may_edit(lead, network, local)


@pytest.mark.parametrize("role", ["member", "steering"])
def test_other_roles_may_not_edit_a_local_indicator(role, network, local):
    user = MembershipFactory(network=network, role=role).user

    assert not may_edit(user, network, local)


def test_steward_may_not_edit_a_networks_local_indicator(steward, network, local):
    assert not may_edit(steward, network, local)


def test_visitor_may_edit_nothing(network, shared, local):
    assert not may_edit(AnonymousUser(), network, shared)
    assert not may_edit(AnonymousUser(), network, local)


def test_deactivated_steward_may_not_edit(steward, network, shared):
    steward.is_active = False
    steward.save()

    assert not may_edit(steward, network, shared)


def test_add_data_steward_records_who_and_is_idempotent():
    user, by = UserFactory(), UserFactory()

    first = add_data_steward(user=user, by=by)
    again = add_data_steward(user=user, by=by)

    assert (first, again) == (True, False)
    assert DataSteward.objects.get().created_by == by
    event = AuditEvent.objects.get()
    assert (event.type, event.by) == (InsightsAudit.STEWARD_ADDED, by)


def test_remove_data_steward_takes_the_role_away(steward, network, shared):
    removed = remove_data_steward(user=steward)
    again = remove_data_steward(user=steward)

    assert (removed, again) == (True, False)
    assert not DataSteward.objects.exists()
    assert AuditEvent.objects.filter(type=InsightsAudit.STEWARD_REMOVED).count() == 1


# Imports: who owns what a file creates ------------------------------------------

NEW_LOCAL = local_csv(
    "Waits over 18 weeks,QHM,2023-04,,30,200,proportion,lower_is_better",
    header="indicator,area_code,period,value,count,denominator,value_type,polarity",
)


def test_local_file_uploaded_in_a_network_creates_that_networks_indicator(network):
    run = import_file(content=NEW_LOCAL, file_name="waits.csv", kind="local",
                      network=network)

    assert run.status == ImportStatus.SUCCEEDED, run.errors
    assert Indicator.objects.get().network == network


def test_local_file_from_the_command_line_creates_a_shared_indicator():
    run = import_file(content=NEW_LOCAL, file_name="waits.csv", kind="local")

    assert run.status == ImportStatus.SUCCEEDED, run.errors
    assert Indicator.objects.get().network is None


def test_local_file_cannot_reach_another_networks_local_indicator(network, local):
    nenc = NetworkFactory(slug="nenc")

    run = import_file(content=local_csv("fcp,QHM,2023-04,,700,1000"),
                      file_name="fcp.csv", kind="local", network=nenc)

    assert run.status == ImportStatus.FAILED
    assert "msknet has no indicator 'fcp'" in run.errors[0]["message"]
    assert not local.values.exists()


def test_local_file_adds_to_its_own_networks_local_indicator(network, local):
    run = import_file(content=local_csv("fcp,QHM,2023-04,,700,1000"),
                      file_name="fcp.csv", kind="local", network=network)

    assert run.status == ImportStatus.SUCCEEDED, run.errors
    assert local.values.count() == 1


# The command line ------------------------------------------------------------------


def steward_command(*args):
    return CliRunner().invoke(cli, ["insights", "steward", *args])


def test_steward_add_command_makes_a_steward_and_lists_them():
    UserFactory(email="analyst@example.nhs.uk")

    added = steward_command("add", "Analyst@example.nhs.uk")
    listed = steward_command("list")

    assert added.exit_code == 0
    assert "is now a data steward" in added.output
    assert listed.output == "analyst@example.nhs.uk\n"


def test_steward_remove_command_takes_the_role_away(steward):
    removed = steward_command("remove", steward.email)
    listed = steward_command("list")

    assert "is no longer a data steward" in removed.output
    assert listed.output == "There are no data stewards.\n"


def test_steward_add_command_names_an_unknown_person():
    result = steward_command("add", "nobody@example.nhs.uk")

    assert result.exit_code == 2
    assert "nobody has the email 'nobody@example.nhs.uk'" in result.output

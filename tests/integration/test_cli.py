import pytest
from click.testing import CliRunner

from msknet.cli import cli
from msknet.members.models import Membership, Network, Role

pytestmark = pytest.mark.django_db


def test_network_create_makes_network_and_first_lead():
    result = CliRunner().invoke(cli, [
        "network", "create", "--slug", "gm", "--name", "Greater Manchester MSK Network",
        "--short-name", "GM MSK", "--summary", "MSK in Greater Manchester",
        "--region", "Y62", "--icb", "QOP", "--topic", "Spinal services",
        "--lead-email", "Lead@Example.nhs.uk", "--lead-name", "Sam Lead",
    ])

    assert result.exit_code == 0, result.output
    network = Network.objects.get(slug="gm")
    assert [i.ods_code for i in network.icbs.all()] == ["QOP"]
    assert network.topics.get().name == "Spinal services"
    lead = Membership.objects.get(network=network)
    assert lead.role == Role.LEAD and lead.user.email == "lead@example.nhs.uk"
    assert "/account/set-password/" in result.output


def test_network_create_names_an_unknown_icb():
    result = CliRunner().invoke(cli, [
        "network", "create", "--slug", "x", "--name", "X", "--short-name", "X",
        "--summary", "X", "--icb", "ZZZ", "--lead-email", "a@b.org", "--lead-name", "A",
    ])

    assert result.exit_code == 2
    assert "unknown ICB code(s): ZZZ" in result.output
    assert not Network.objects.exists()

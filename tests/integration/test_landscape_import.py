"""Services as CSV: export, import (all-or-nothing, every problem named by row
and field), round trips, the CLI and the API."""

import io

import pytest
from click.testing import CliRunner
from django.urls import reverse

from msknet.cli import cli
from msknet.landscape import service_csv
from msknet.landscape.models import Service, ServiceChange
from msknet.members.actions.accounts import create_api_token
from msknet.members.models import Organisation
from tests.factories.landscape import provider, service

pytestmark = pytest.mark.django_db

HEADER = "name,provider,provider_type,icb,step,self_referral,postcode,last_confirmed_on\n"


def upload(text, name="services.csv"):
    file = io.BytesIO(text.encode("utf-8-sig"))
    file.name = name
    return file


@pytest.fixture
def trust(network):
    return provider(network, name="Synthetic MSK trust")


def icb_code(network):
    return network.icbs.order_by("ods_code").first().ods_code


def good_file(network, trust):
    icb = icb_code(network)
    return HEADER + (
        f"Synthetic back pain class,{trust.name},,{icb},self_management,yes,"
        "NE1 4LP,2025-01-31\n"
        f"Synthetic hip clinic,Synthetic new provider,Voluntary or third sector,{icb},"
        "Secondary care: orthopaedics,no,,31/01/2025\n"
    )


def test_import_adds_services_and_records_changes(client, network, trust, lead):
    client.force_login(lead)
    response = client.post(reverse("service-import", args=[network.slug]),
                           {"file": upload(good_file(network, trust))}, follow=True)

    assert "2 services added, 0 updated" in response.content.decode()
    hip = Service.objects.get(name="Synthetic hip clinic")
    assert hip.step == "orthopaedics" and hip.provider.type == "voluntary"
    assert hip.last_confirmed_on.isoformat() == "2025-01-31"
    assert ServiceChange.objects.filter(summary="Added from a CSV import").count() == 2


def test_malformed_file_is_refused_with_every_row_named_and_nothing_written(
        client, network, trust, lead):
    icb = icb_code(network)
    text = HEADER + (
        f"Synthetic ok,{trust.name},,{icb},fcp,yes,,\n"
        f",{trust.name},,{icb},physio,maybe,NOTAPOSTCODE,2025-13-01\n"
        f"Synthetic orphan,Nobody we know,,ZZZ,fcp,no,,\n"
        f"Synthetic ok,{trust.name},,{icb},fcp,yes,,\n"
    )
    client.force_login(lead)
    response = client.post(reverse("service-import", args=[network.slug]),
                           {"file": upload(text)})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Row 3, name: is required" in page
    assert "Row 3, step: &#x27;physio&#x27; is not a pathway step (use one of:" in page
    assert "Row 3, self_referral: &#x27;maybe&#x27; is not yes or no" in page
    assert "Row 3, postcode:" in page and "Row 3, last_confirmed_on:" in page
    assert "Row 4, icb: &#x27;ZZZ&#x27; is not one of the network&#x27;s ICBs" in page
    assert "Row 4, provider: no organisation has the ODS code or name" in page
    assert "Row 5, name: repeats row 2" in page
    assert "nothing was imported" in page
    assert not Service.objects.exists()
    assert not Organisation.objects.filter(name="Nobody we know").exists()


def test_export_edit_import_round_trips(client, network, trust, lead):
    kept = service(network, name="Synthetic kept", provider_org=trust,
                   phone="=HYPERLINK(\"x\")")
    changed = service(network, name="Synthetic changed", provider_org=trust)
    exported = client.get(reverse("service-export-csv", args=[network.slug]))
    text = exported.content.decode()
    assert exported["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK" in text  # formula-injection safe

    # Unchanged re-import changes nothing (apart from the escaped phone, put back).
    rows = list(__import__("csv").reader(io.StringIO(text)))
    header = rows[0]
    for row in rows[1:]:
        row[header.index("phone")] = row[header.index("phone")].lstrip("'")
        if row[header.index("name")] == changed.name:
            row[header.index("opening")] = "Weekends only"
    out = io.StringIO()
    __import__("csv").writer(out).writerows(rows)
    client.force_login(lead)
    response = client.post(reverse("service-import", args=[network.slug]),
                           {"file": upload(out.getvalue())}, follow=True)

    assert "0 services added, 1 updated, 1 unchanged" in response.content.decode()
    changed.refresh_from_db()
    assert changed.opening == "Weekends only"
    assert changed.changes.get().summary == "Updated from a CSV import: opening pattern"
    assert not kept.changes.exists()


def test_dry_run_writes_nothing(client, network, trust, lead):
    client.force_login(lead)
    response = client.post(reverse("service-import", args=[network.slug]),
                           {"file": upload(good_file(network, trust)), "dry_run": "on"},
                           follow=True)
    assert "would give 2 services added" in response.content.decode()
    assert not Service.objects.exists()


def test_cli_import_refuses_with_rows_named_and_exit_status(tmp_path, network, trust):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + f"Synthetic x,{trust.name},,{icb_code(network)},nope,,,\n")
    result = CliRunner().invoke(cli, ["landscape", "import", "--network", "london",
                                      str(bad)])
    assert result.exit_code == 1
    assert "Row 2, step: 'nope' is not a pathway step" in result.output
    assert not Service.objects.exists()


def test_cli_import_then_export(tmp_path, network, trust):
    good = tmp_path / "good.csv"
    good.write_text(good_file(network, trust))
    result = CliRunner().invoke(cli, ["landscape", "import", "--network", "london",
                                      str(good)])
    assert result.exit_code == 0, result.output
    assert "2 services added, 0 updated" in result.output
    out = tmp_path / "out.csv"
    exported = CliRunner().invoke(cli, ["landscape", "export", "--network", "london",
                                        "--output", str(out)])
    assert exported.exit_code == 0
    assert out.read_text().splitlines()[0] == ",".join(service_csv.NAMES)
    assert "Synthetic hip clinic" in out.read_text()


def bearer(user):
    _, raw = create_api_token(user=user, name="test")
    return {"Authorization": f"Bearer {raw}"}


def test_api_stale_confirm_and_import(client, network, trust, lead):
    stale = service(network, name="Synthetic stale", provider_org=trust,
                    last_confirmed_on=None)
    base = f"/api/networks/{network.slug}/services"

    listed = client.get(f"{base}/stale", headers=bearer(lead))
    assert [s["name"] for s in listed.json()] == [stale.name], listed.json()
    confirmed = client.post(f"{base}/{stale.pk}/confirm", headers=bearer(lead))
    assert confirmed.status_code == 200
    assert client.get(f"{base}/stale", headers=bearer(lead)).json() == []

    bad = HEADER + f"Synthetic x,{trust.name},,{icb_code(network)},nope,,,\n"
    refused = client.post(f"{base}/import", {"csv": bad}, content_type="application/json",
                          headers=bearer(lead))
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "row 2, step", refused.json()
    good = client.post(f"{base}/import", {"csv": good_file(network, trust)},
                       content_type="application/json", headers=bearer(lead))
    assert good.status_code == 200, good.content
    assert good.json()["added"] == 2

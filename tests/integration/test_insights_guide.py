"""The local CSV guide, its example file, and the links to importing."""

import pytest
from django.urls import reverse

from msknet.insights import guide
from msknet.insights.actions import import_file
from msknet.insights.importers.local import OPTIONAL, REQUIRED
from msknet.insights.models import ImportRun, ImportStatus, Indicator

pytestmark = pytest.mark.django_db


def test_guide_describes_every_column_the_reader_accepts():
    assert [c.name for c in guide.COLUMNS] == [*REQUIRED, *OPTIONAL]


def test_guide_page_is_public_and_lists_each_column(client, network):
    response = client.get(reverse("insights-local-csv-guide", args=[network.slug]))

    assert response.status_code == 200
    assert "<h1>Local CSV guide</h1>" in response.text
    for name in (*REQUIRED, *OPTIONAL):
        assert f"<code>{name}</code>" in response.text
    assert reverse("insights-local-csv-example", args=[network.slug]) in response.text
    assert "msknet does not know the area ZZZ" in response.text


def test_example_csv_downloads_as_a_file(client, network):
    response = client.get(reverse("insights-local-csv-example", args=[network.slug]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="msknet-local-indicators-example.csv"')
    assert response.content.decode().startswith("indicator,area_code,period,")


def test_example_csv_imports_as_the_networks_local_indicator(client, network):
    content = client.get(reverse("insights-local-csv-example",
                                 args=[network.slug])).content

    run = import_file(content=content, file_name=guide.EXAMPLE_FILE_NAME,
                      kind="local", network=network)

    assert run.status == ImportStatus.SUCCEEDED, run.errors
    assert run.rows_created == 3
    indicator = Indicator.objects.get()
    assert indicator.network == network and indicator.unit == "%"


def test_insights_index_links_to_import_for_leads_only(client, network, lead, member):
    index = reverse("insights", args=[network.slug])
    import_page = reverse("insights-import", args=[network.slug])

    as_visitor = client.get(index)
    client.force_login(member)
    as_member = client.get(index)
    client.force_login(lead)
    as_lead = client.get(index)

    assert import_page not in as_visitor.text
    assert import_page not in as_member.text
    assert f'<a href="{import_page}">Import indicator data</a>' in as_lead.text


def test_import_page_links_to_the_guide(client, network, lead, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(lead)

    response = client.get(reverse("insights-import", args=[network.slug]))

    guide_url = reverse("insights-local-csv-guide", args=[network.slug])
    assert f'<a href="{guide_url}">local CSV guide</a>' in response.text


def test_failed_local_import_links_to_the_guide(client, network, lead):
    run = import_file(content=b"indicator,areacode,period\nfcp,QHM,2024-01\n",
                      file_name="waits.csv", kind="local", network=network)
    client.force_login(lead)

    response = client.get(reverse("insights-import-status",
                                  args=[network.slug, run.pk]))

    assert run.status == ImportStatus.FAILED
    assert "See the local CSV guide for the columns" in response.text
    guide_url = reverse("insights-local-csv-guide", args=[network.slug])
    assert f'<a href="{guide_url}">local CSV guide</a>' in response.text
    assert ImportRun.objects.count() == 1

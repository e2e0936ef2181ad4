import pytest
from django.urls import reverse

from msknet.community.models import Resource, ResourceKind, Visibility
from tests.factories.community import ResourceFactory
from tests.queries import queries_of
from tests.unit.community.files import office_bytes, pdf, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def library(network):
    return {
        "public": ResourceFactory(
            network=network, title="Low back pain and sciatica (NG59)",
            summary="NICE guideline on low back pain and sciatica.",
            visibility=Visibility.PUBLIC, publisher="NICE"),
        "private": ResourceFactory(
            network=network, title="Spinal pathway case study",
            summary="How one ICB cut waits for spinal assessment.",
            kind=ResourceKind.CASE_STUDY, visibility=Visibility.MEMBERS),
    }


def list_url(network, **params):
    return reverse("resource-list", args=[network.slug]), params


def get_list(client, network, **params):
    path, query = list_url(network, **params)
    return client.get(path, query)


def titles(response):
    return [r.title for r in response.context["page"].object_list]


def test_visitors_see_public_resources(client, network, library):
    response = get_list(client, network)

    assert titles(response) == ["Low back pain and sciatica (NG59)"]
    assert "Add a resource" not in response.text


def test_members_see_every_resource_and_may_add(client, network, member, library):
    client.force_login(member)

    response = get_list(client, network)

    assert sorted(titles(response)) == ["Low back pain and sciatica (NG59)",
                                        "Spinal pathway case study"]
    assert "Add a resource" in response.text


@pytest.mark.parametrize("more", [0, 4])
def test_resource_list_queries_do_not_grow_with_resources(client, network, member,
                                                          library, more):
    topics = list(network.topics.all())
    for _ in range(more):
        ResourceFactory(network=network).topics.set(topics)
    client.force_login(member)

    response, queries = queries_of(lambda: get_list(client, network))

    assert len(queries) == 10  # with the two-factor check
    assert len(titles(response)) == 2 + more


def test_search_finds_matching_resources(client, network, member, library):
    client.force_login(member)

    response = get_list(client, network, q="spinal waits")

    assert titles(response) == ["Spinal pathway case study"]
    assert "1 resource found" in response.text


def test_search_with_no_match_says_so(client, network, library):
    response = get_list(client, network, q="zebra")

    assert "No resources match your search" in response.text


def test_filters_by_kind_topic_and_audience(client, network, member, library):
    topic = network.topics.first()
    library["private"].topics.add(topic)
    library["private"].audience_tags.create(audience="commissioners")
    client.force_login(member)

    by_kind = get_list(client, network, kind="case_study")
    by_topic = get_list(client, network, topic=topic.slug)
    by_audience = get_list(client, network, audience="commissioners")

    assert titles(by_kind) == titles(by_topic) == titles(by_audience) == [
        "Spinal pathway case study"
    ]


def test_unknown_filter_value_is_an_error_not_a_crash(client, network, library):
    response = get_list(client, network, kind="nonsense")

    assert response.status_code == 200
    assert "<title>Error: Resources" in response.text


def resource_data(**overrides):
    return {
        "title": "MSK first contact practitioner pathway",
        "summary": "Who to see first for back pain.",
        "kind": "pathway",
        "visibility": "members",
        "audiences": ["clinicians"],
        "url": "",
        **overrides,
    }


def test_member_adds_a_document(client, network, member):
    client.force_login(member)

    response = client.post(reverse("resource-create", args=[network.slug]),
                           resource_data(file=upload("pathway.docx",
                                                     office_bytes("docx"))))

    resource = Resource.objects.get()
    assert response["Location"] == resource.get_absolute_url()
    assert resource.created_by == member
    assert resource.file_name == "pathway.docx"
    assert "Sciatica pathway" in resource.extracted_text


def test_disallowed_file_type_is_refused_with_a_clear_message(client, network, member):
    client.force_login(member)

    response = client.post(reverse("resource-create", args=[network.slug]),
                           resource_data(file=upload("pathway.html", b"<html></html>")))

    assert response.status_code == 200
    assert "<title>Error: Add a resource" in response.text
    assert ("The file must be a PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), "
            "plain text (.txt) or CSV (.csv) file") in response.text
    assert not Resource.objects.exists()


def test_oversize_file_is_refused(client, network, member, monkeypatch):
    # A real 20 MB upload would slow every run; the limit is lowered instead.
    monkeypatch.setattr("msknet.community.uploads.MAX_UPLOAD_BYTES", 10)
    client.force_login(member)

    response = client.post(reverse("resource-create", args=[network.slug]),
                           resource_data(file=pdf()))

    assert "The file must be smaller than 20 MB" in response.text
    assert not Resource.objects.exists()


def test_a_link_or_a_document_is_needed(client, network, member):
    client.force_login(member)

    response = client.post(reverse("resource-create", args=[network.slug]),
                           resource_data())

    assert "Enter a link or choose a document to upload" in response.text


def test_members_only_document_is_served_only_to_members(client, network, member,
                                                         outsider):
    client.force_login(member)
    client.post(reverse("resource-create", args=[network.slug]),
                resource_data(file=pdf("guide.pdf")))
    resource = Resource.objects.get()
    file_url = reverse("resource-file", args=[network.slug, resource.pk])

    download = client.get(file_url)
    client.force_login(outsider)
    refused = client.get(file_url)
    client.logout()
    visitor = client.get(file_url)

    assert download["Content-Disposition"] == 'attachment; filename="guide.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert refused.status_code == 403
    assert visitor.status_code == 302
    assert resource.file.url not in download.get("Location", "")


def test_link_resource_has_no_file(client, network, library):
    response = client.get(reverse("resource-file",
                                  args=[network.slug, library["public"].pk]))

    assert response.status_code == 404


def test_detail_shows_the_link_and_tags(client, network, library):
    resource = library["public"]
    resource.audience_tags.create(audience="lived_experience")

    response = client.get(reverse("resource-detail", args=[network.slug, resource.pk]))

    assert "https://www.nice.org.uk/guidance/ng59" in response.text
    assert "People with lived experience" in response.text
    assert "Change this resource" not in response.text


def test_author_changes_and_removes_their_resource(client, network, member):
    resource = ResourceFactory(network=network, created_by=member)
    client.force_login(member)
    edit = reverse("resource-edit", args=[network.slug, resource.pk])

    assert client.get(edit).status_code == 200
    changed = client.post(edit, resource_data(title="New title",
                                              url="https://example.org/x"))
    resource.refresh_from_db()
    removed = client.post(reverse("resource-delete", args=[network.slug, resource.pk]),
                          follow=True)

    assert changed.status_code == 302
    assert resource.title == "New title"
    assert "New title is no longer in the library." in removed.text
    assert not Resource.objects.exists()


def test_invalid_change_shows_errors(client, network, member):
    resource = ResourceFactory(network=network, created_by=member)
    client.force_login(member)

    response = client.post(reverse("resource-edit", args=[network.slug, resource.pk]),
                           resource_data(title="", url="https://example.org/x"))

    assert "<title>Error: Change a resource" in response.text
    resource.refresh_from_db()
    assert resource.title != ""


def test_delete_asks_first(client, network, lead, library):
    client.force_login(lead)

    response = client.get(reverse("resource-delete",
                                  args=[network.slug, library["private"].pk]))

    assert "Remove Spinal pathway case study?" in response.text
    assert Resource.objects.count() == 2

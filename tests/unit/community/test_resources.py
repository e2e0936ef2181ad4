import os

import pytest

from msknet.community.actions import resources as actions
from msknet.community.models import CommunityAudit, Resource, ResourceAudience
from msknet.community.search import search_resources, terms
from msknet.community.uploads import UploadRefused
from msknet.core.models import AuditEvent
from tests.factories.community import ResourceFactory

from .files import office_bytes, pdf, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def add(network, by, **fields):
    values = {"title": "Sciatica pathway", "summary": "Referral pathway.",
              "kind": "pathway", "visibility": "members"}
    return actions.add_resource(network=network, by=by, **{**values, **fields})


def test_add_resource_keeps_the_file_its_words_and_tags(network, member):
    topic = network.topics.first()

    resource = add(network, member, topics=[topic],
                   audiences=[ResourceAudience.CLINICIANS, ResourceAudience.COMMISSIONERS],
                   upload=upload("Pathway v2.docx", office_bytes("docx")))

    resource.refresh_from_db()
    assert resource.file_name == "Pathway v2.docx"
    assert resource.content_type.endswith("wordprocessingml.document")
    assert "Sciatica pathway for first contact" in resource.extracted_text
    with resource.file.open("rb") as stored:
        assert stored.read().startswith(b"PK")
    assert list(resource.topics.all()) == [topic]
    assert resource.audience_labels == ["Clinicians", "Commissioners and managers"]
    assert AuditEvent.objects.get().type == CommunityAudit.RESOURCE_ADDED


def test_add_resource_refuses_a_disguised_file(network, member):
    with pytest.raises(UploadRefused, match="not a real PDF"):
        add(network, member, upload=upload("guidance.pdf", b"MZ\x90 program"))

    assert not Resource.objects.exists()


def test_update_resource_replaces_the_file_and_removes_the_old_one(
    network, member, sent_on_commit
):
    resource = add(network, member, upload=pdf("old.pdf"))
    old = resource.file.path

    with sent_on_commit():
        actions.update_resource(resource=resource, by=member, title="Sciatica pathway v3",
                                upload=pdf("new.pdf"), audiences=["public_health"])

    resource.refresh_from_db()
    assert resource.title == "Sciatica pathway v3"
    assert resource.file_name == "new.pdf"
    assert resource.audiences == ["public_health"]
    assert not os.path.exists(old)


def test_remove_resource_deletes_it_and_its_file(network, member, sent_on_commit):
    resource = add(network, member, upload=pdf())
    path = resource.file.path

    with sent_on_commit():
        actions.remove_resource(resource=resource, by=member)

    assert not Resource.objects.exists()
    assert not os.path.exists(path)
    assert AuditEvent.objects.filter(type=CommunityAudit.RESOURCE_REMOVED).exists()


# Search: runs on whichever database the suite uses (SQLite by default,
# PostgreSQL in CI), so both ways of searching are exercised.


@pytest.fixture
def library(network):
    return {
        "ng59": ResourceFactory(
            network=network, title="Low back pain and sciatica in over 16s (NG59)",
            summary="Assessment and management of low back pain and sciatica.",
            publisher="NICE"),
        "ng193": ResourceFactory(
            network=network, title="Chronic pain in over 16s (NG193)",
            summary="Assessing all chronic pain and managing chronic primary pain.",
            publisher="NICE"),
        "knee": ResourceFactory(
            network=network, title="Knee pathway",
            summary="Community knee pain pathway with a sciatica note in passing.",
            extracted_text="osteoarthritis exercise"),
    }


def titles(results):
    return [r.title for r in results]


def test_search_finds_title_matches_first(library):
    results = search_resources(Resource.objects.all(), "sciatica")

    assert titles(results) == [library["ng59"].title, library["knee"].title]


def test_search_needs_every_word(library):
    results = search_resources(Resource.objects.all(), "chronic pain")

    assert titles(results) == [library["ng193"].title]


def test_search_reads_words_from_documents(library):
    results = search_resources(Resource.objects.all(), "osteoarthritis")

    assert titles(results) == [library["knee"].title]


def test_search_with_no_words_returns_everything_unchanged(library):
    everything = Resource.objects.all()

    assert search_resources(everything, "  ;; ") is everything


def test_search_finds_nothing_for_unknown_words(library):
    assert titles(search_resources(Resource.objects.all(), "zebra")) == []


def test_terms_are_lower_case_unique_and_bounded():
    assert terms("Back BACK pain, sciatica!") == ["back", "pain", "sciatica"]
    assert len(terms(" ".join(f"w{i}" for i in range(30)))) == 10

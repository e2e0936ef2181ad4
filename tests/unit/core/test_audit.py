import pytest

from msknet.core import audit
from msknet.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_record_writes_the_event_with_its_label(network, lead):
    event = audit.record(AuditEvent.Type.NETWORK_UPDATED, target=network, by=lead,
                         network=network, fields=["vision"])

    assert event.type_label == "Network details changed"
    assert event.data == {"fields": ["vision"]}
    assert event.by == lead


def test_record_refuses_a_type_nobody_registered(network, lead):
    with pytest.raises(ValueError, match="Unknown audit event type 'made_up'"):
        audit.record("made_up", target=network, by=lead)

    assert not AuditEvent.objects.exists()

"""Which object rules may grant a visitor anything: the API refuses visitors
the rest before it reads their request (msknet.api.gate.check_before_input)."""

from unittest.mock import MagicMock

import pytest
from django.contrib.auth.models import AnonymousUser

from msknet.members.permissions import (
    OBJECT_RULES,
    VISITOR_OBJECT_RULES,
    Permission,
    Visitor,
    visitors_may_have,
)


def anything_goes():
    """An object saying yes to every question a rule might ask of it."""
    obj = MagicMock()
    obj.is_public = True
    obj.awaiting_review = False
    obj.network_id = None
    obj.audience = "anyone_with_link"  # a survey open to anyone with its link
    obj.anonymous = True
    return obj


@pytest.mark.parametrize(
    "permission", sorted(set(OBJECT_RULES) - VISITOR_OBJECT_RULES), ids=str)
def test_object_rules_not_marked_for_visitors_never_grant_a_visitor(permission):
    rule = OBJECT_RULES[permission]

    assert rule(AnonymousUser(), Visitor.permissions, anything_goes()) is False
    assert not visitors_may_have(permission)


@pytest.mark.parametrize("permission", sorted(VISITOR_OBJECT_RULES), ids=str)
def test_object_rules_marked_for_visitors_grant_public_things(permission):
    rule = OBJECT_RULES[permission]

    assert rule(AnonymousUser(), Visitor.permissions, anything_goes())
    assert visitors_may_have(permission)


def test_visitors_may_have_their_own_permissions_and_no_member_ones():
    assert visitors_may_have(Permission.VIEW_PUBLIC)
    assert visitors_may_have(Permission.REQUEST_TO_JOIN)
    assert not visitors_may_have(Permission.VIEW_DIRECTORY)

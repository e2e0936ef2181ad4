"""The one permission gate: who may do what, in which network.

Permissions are data; roles are sets of permissions; `has_permission` is the
only function that answers "may this person do this here?". Pages pass it
through `msknet.core.gate.gate`, API operations through
`msknet.api.gate.api_gate`; a middleware refuses any page that bypasses it.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum, auto
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied

if TYPE_CHECKING:
    from .models import Network


class Permission(StrEnum):
    VIEW_PUBLIC = auto()
    """Read public pages: network home and about, reference lists."""
    REQUEST_TO_JOIN = auto()
    """Ask to join a network through its open form."""
    USE_OWN_ACCOUNT = auto()
    """See and change one's own details, data download, deletion, API tokens."""
    VIEW_DIRECTORY = auto()
    """Search the network's member directory."""
    VIEW_NETWORK_DASHBOARD = auto()
    """See the network's membership dashboard."""
    DECIDE_JOIN_REQUESTS = auto()
    """See pending join requests and approve or decline them."""
    MANAGE_INVITATIONS = auto()
    """Invite people, re-send and withdraw invitations."""
    MANAGE_MEMBERS = auto()
    """Change members' roles."""
    EDIT_NETWORK = auto()
    """Change the network's about page, vision and topics."""
    IMPORT_INDICATOR_DATA = auto()
    """Upload Fingertips or local indicator files and see past imports."""


class Visitor:
    description = "Anyone, signed in or not: public pages and the join form."
    permissions = frozenset({Permission.VIEW_PUBLIC, Permission.REQUEST_TO_JOIN})


class SignedIn:
    description = "Anyone signed in: their own account."
    permissions = frozenset({Permission.USE_OWN_ACCOUNT})


class Member:
    description = "A member of the network: the directory."
    permissions = frozenset({Permission.VIEW_DIRECTORY})


class SteeringGroupMember:
    description = "Sits on the steering group: the network dashboard."
    permissions = Member.permissions | {Permission.VIEW_NETWORK_DASHBOARD}


class NetworkLead:
    description = "Runs the network: joining, invitations, members, about page."
    permissions = SteeringGroupMember.permissions | {
        Permission.DECIDE_JOIN_REQUESTS,
        Permission.MANAGE_INVITATIONS,
        Permission.MANAGE_MEMBERS,
        Permission.EDIT_NETWORK,
        Permission.IMPORT_INDICATOR_DATA,
    }


ROLE_CLASSES = {
    "member": Member,
    "steering": SteeringGroupMember,
    "lead": NetworkLead,
}

# Permissions that only make sense inside a network.
NETWORK_PERMISSIONS = frozenset(
    Member.permissions | SteeringGroupMember.permissions | NetworkLead.permissions
)


class SignInRequired(PermissionDenied):
    """Raised for visitors who may gain the permission by signing in."""


def network_role(user: Any, network: Network) -> str | None:
    """The user's role in the network, or None. Cached per request user."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    cache = user.__dict__.setdefault("_msknet_roles", {})
    if network.pk not in cache:
        from .models import Membership

        cache[network.pk] = (
            Membership.objects.filter(user=user, network=network)
            .values_list("role", flat=True)
            .first()
        )
    return cache[network.pk]


def permissions_for(user: Any, network: Network | None = None) -> frozenset[str]:
    granted: set[str] = set(Visitor.permissions)
    if getattr(user, "is_authenticated", False) and user.is_active:
        granted |= SignedIn.permissions
        if network is not None:
            role = network_role(user, network)
            if role is not None:
                granted |= ROLE_CLASSES[role].permissions
    return frozenset(granted)


# Object rules: permissions that depend on the thing acted on as well as the
# role (a named scoring panel, a meeting's group, an action's owner). A rule
# gets the user, the permissions their role grants in the network and the
# object, and answers alone; a permission with a rule is always asked with
# its object. Rules live here, beside the roles, so there is still one gate.
ObjectRule = Callable[[Any, frozenset[str], Any], bool]
OBJECT_RULES: dict[Permission, ObjectRule] = {}


def object_rule(permission: Permission) -> Callable[[ObjectRule], ObjectRule]:
    def register(rule: ObjectRule) -> ObjectRule:
        if permission in OBJECT_RULES:
            raise ValueError(f"{permission} already has an object rule")
        OBJECT_RULES[permission] = rule
        return rule

    return register


def has_permission(
    user: Any,
    permission: Permission,
    network: Network | None = None,
    obj: Any = None,
) -> bool:
    if permission in NETWORK_PERMISSIONS and network is None:
        raise ValueError(f"{permission} is checked within a network")
    granted = permissions_for(user, network)
    rule = OBJECT_RULES.get(permission)
    if rule is None:
        return permission in granted
    if obj is None:
        raise ValueError(f"{permission} is checked against an object")
    return rule(user, granted, obj)


def require_permission(
    user: Any,
    permission: Permission,
    network: Network | None = None,
    obj: Any = None,
) -> None:
    if has_permission(user, permission, network, obj):
        return
    if not getattr(user, "is_authenticated", False):
        raise SignInRequired(permission)
    raise PermissionDenied(permission)

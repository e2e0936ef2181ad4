from .joining import INVITATION_LIFETIME, Invitation, JoinRequest
from .memberships import Leadership, Membership, Profession, Role, Sector
from .networks import Network, Topic
from .organisations import Organisation, OrganisationType
from .reference import ICB, Region
from .tokens import APIToken, SignInFailure, Throttle
from .users import FORMER_MEMBER, User

__all__ = [
    "FORMER_MEMBER",
    "ICB",
    "INVITATION_LIFETIME",
    "APIToken",
    "Invitation",
    "JoinRequest",
    "Leadership",
    "Membership",
    "Network",
    "Organisation",
    "OrganisationType",
    "Profession",
    "Region",
    "Role",
    "Sector",
    "SignInFailure",
    "Throttle",
    "Topic",
    "User",
]

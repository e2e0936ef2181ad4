"""What each role gets, for the role matrix and the rows other modules add to it."""

ROLES = ("visitor", "outsider", "member", "steering", "lead")
# Members of the network who hold a place on one of its objects: the group's
# chair, the thread's and the resource's author, the event's organiser, the
# project's team. Each gets what the member gets unless a row says otherwise.
OBJECT_ROLES = ("chair", "author", "organiser", "team")
ALL_ROLES = ROLES + OBJECT_ROLES
REFUSED = {302, 401, 403}  # sent to sign in, or refused by the gate


# For a row where the member is the object's owner (an action's, a
# nomination's): the other object roles are refused.
ONLY_THE_MEMBER = dict.fromkeys(OBJECT_ROLES, 403)


def post(data=None, **object_roles):
    """Options for a route that only takes POST."""
    return {"method": "post", "data": data or {}, **object_roles}


# Expected status per role, in the order of ROLES.
PUBLIC = (200, 200, 200, 200, 200)
SIGNED_IN = (302, 200, 200, 200, 200)
OWN_MEMBERSHIP = (302, 404, 200, 200, 200)
MEMBERS = (302, 403, 200, 200, 200)
STEERING = (302, 403, 403, 200, 200)
LEADS = (302, 403, 403, 403, 200)
# What a POST gets: a redirect on success.
MEMBERS_POSTED = (302, 403, 302, 302, 302)
LEADS_POSTED = (302, 403, 403, 403, 302)

# The API: visitors send no token; everyone else sends their own.
API_PUBLIC = (200,) * 5
API_MEMBERS = (401, 403, 200, 200, 200)
API_LEADS = (401, 403, 403, 403, 200)

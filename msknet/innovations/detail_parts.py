"""What each part of the app adds to an innovation's page.

The record's page (views/records.py) shows the innovation; screening and
adoption each add their section through a function here and a template
partial (`innovations/_detail_screening.html`, `_detail_adoption.html`), so
each part keeps its own reads.
"""

from __future__ import annotations

from typing import Any

from .models import Innovation


def screening_context(innovation: Innovation, user: Any) -> dict[str, Any]:
    """The screening section: in screening, how many of the panel have scored
    it, whether the reader has, and links to score, to the scores and to
    decide, as the reader may; once decided, the decision, meeting and reason."""
    from .models import DECISION_STAGES, Stage
    from .screening_queries import state

    in_screening = innovation.stage == Stage.SCREENING
    decided = innovation.stage in DECISION_STAGES and innovation.decided_at is not None
    if not (in_screening or decided):
        return {}
    return {"screening": {"in_screening": in_screening, "decided": decided,
                          "state": state(innovation, user)}}


def adoption_context(innovation: Innovation, user: Any) -> dict[str, Any]:
    """The adoption section: how many sites are at each status, links to the
    sites, map and spread matrix as the reader may open them, and each spread
    project's measures with their Making Data Count icons, side by side."""
    from django.urls import reverse

    from msknet.members.permissions import Permission, has_permission, permissions_for

    from .adoption_queries import spread_measures, status_counts

    network = innovation.network
    args = [network.slug, innovation.pk]
    members = has_permission(user, Permission.VIEW_INNOVATIONS, network)
    sites = [{"adoption": row.adoption, "measures": row.measures,
              "project_url": reverse("project-detail",
                                     args=[network.slug, row.adoption.project_id])}
             for row in spread_measures(innovation)] if members else []
    may_record = Permission.RECORD_ADOPTION in permissions_for(user, network)
    spread = reverse("innovation-spread", args=[network.slug])
    return {"adoption_section": {
        "counts": status_counts(innovation),
        "list_url": reverse("innovation-adoptions", args=args),
        "record_url": (reverse("innovation-adoption-record", args=args)
                       if may_record else ""),
        "map_url": (reverse("innovation-spread-map", args=[network.slug])
                    + f"?innovation={innovation.pk}" if members else ""),
        "spread_url": spread if members else "",
        "sites": sites,
    }}

from django.db import models

from msknet.core.models import audit_types


@audit_types
class PrioritiesEvent(models.TextChoices):
    ROUND_CREATED = "priorities_round_created", "Nomination round created"
    """A lead opened a nomination round."""
    ROUND_UPDATED = "priorities_round_updated", "Nomination round changed"
    """A lead changed a round's dates, supports or scale."""
    ROUND_CLOSED = "priorities_round_closed", "Nominations closed"
    """A lead closed a round to nominations before its closing date."""
    SCREENING_CLOSED = "priorities_screening_closed", "Screening closed"
    """A lead closed screening: scores are final."""
    PANEL_SET = "priorities_panel_set", "Screening panel named"
    """A lead named (or cleared) the round's screening panel."""
    CRITERIA_UPDATED = "priorities_criteria_updated", "Screening criteria changed"
    """A lead changed a round's criteria or weights."""
    TERMS_UPDATED = "priorities_terms_updated", "Term lengths changed"
    """A lead changed what short, medium and long term mean."""
    NOMINATION_CREATED = "priorities_nomination_created", "Nominated a project"
    """A member nominated a project."""
    NOMINATION_UPDATED = "priorities_nomination_updated", "Nomination changed"
    """The nominator edited their nomination."""
    COMMENT_ADDED = "priorities_comment_added", "Commented on a nomination"
    """A member commented on a nomination."""
    SUPPORT_ADDED = "priorities_support_added", "Supported a nomination"
    """A member supported a nomination."""
    SUPPORT_WITHDRAWN = "priorities_support_withdrawn", "Support withdrawn"
    """A member withdrew their support."""
    SCORES_SUBMITTED = "priorities_scores_submitted", "Nomination scored"
    """A panellist submitted or changed their scores for a nomination."""
    DECISION_RECORDED = "priorities_decision_recorded", "Decision recorded"
    """A lead recorded a decision on a nomination."""

from django.db import models

from msknet.core.models import audit_types


@audit_types
class InnovationsEvent(models.TextChoices):
    PROPOSED = "innovations_proposed", "Innovation proposed"
    """A member proposed an innovation, or a visitor's proposal arrived."""
    REVIEWED = "innovations_reviewed", "Public proposal reviewed"
    """A lead accepted or turned away a proposal sent through the public form."""
    UPDATED = "innovations_updated", "Innovation changed"
    """Someone changed an innovation's record."""
    STAGE_CHANGED = "innovations_stage_changed", "Innovation moved stage"
    """An innovation moved through triage: screening, recommended, on hold..."""
    EVIDENCE_CHANGED = "innovations_evidence_changed", "Innovation evidence changed"
    """Someone added or removed a piece of evidence."""
    ATTACHMENT_CHANGED = "innovations_attachment_changed", "Innovation file changed"
    """Someone attached or removed a file."""
    MEASURES_CHANGED = "innovations_measures_changed", "Innovation measures changed"
    """Someone changed the measures a spread project starts with."""
    CRITERIA_UPDATED = "innovations_criteria_updated", "Innovation criteria changed"
    """A lead changed the network's screening criteria for innovations."""
    PANEL_SET = "innovations_panel_set", "Innovation panel named"
    """A lead named (or cleared) the innovation screening panel."""
    SCORES_SUBMITTED = "innovations_scores_submitted", "Innovation scored"
    """A panellist submitted or changed their scores for an innovation."""
    DECISION_RECORDED = "innovations_decision_recorded", "Innovation decision recorded"
    """A lead recorded the decision on a screened innovation."""
    ADOPTION_RECORDED = "innovations_adoption_recorded", "Adoption status recorded"
    """Someone recorded a site's adoption status for an innovation."""
    SPREAD_PROJECT_STARTED = "innovations_spread_project_started", "Spread project started"
    """A lead started a QI project to spread an innovation to a site."""

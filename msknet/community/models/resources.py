from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from msknet.members.models import Network, Topic

from .common import Visibility, upload_path


class ResourceKind(models.TextChoices):
    GUIDANCE = "guidance", "Guidance"
    """National or local guidance, such as NICE guidelines."""
    PATHWAY = "pathway", "Pathway"
    """A clinical or referral pathway."""
    CASE_STUDY = "case_study", "Case study"
    """What a service changed and what happened."""
    EVIDENCE = "evidence", "Evidence and research"
    """Research papers, evidence summaries and data."""
    TOOL = "tool", "Tool or template"
    """Something to use: a template, toolkit or checklist."""
    INFORMATION = "information", "Information for patients and the public"
    """Leaflets and pages written for people with MSK conditions."""


class ResourceAudience(models.TextChoices):
    CLINICIANS = "clinicians", "Clinicians"
    """GPs, physiotherapists, pharmacists, specialists and other clinicians."""
    COMMISSIONERS = "commissioners", "Commissioners and managers"
    """ICB commissioners and service managers."""
    LIVED_EXPERIENCE = "lived_experience", "People with lived experience"
    """People living with MSK conditions and their carers."""
    PUBLIC_HEALTH = "public_health", "Public health"
    """Local authority and public health teams."""
    PERSONALISED_CARE = "personalised_care", "Social prescribers and health coaches"
    """Personalised care roles."""
    EMPLOYERS = "employers", "Employers and employment advisors"
    """Work and health."""


class ResourceQuerySet(models.QuerySet["Resource"]):
    def for_network(self, network: Network) -> "ResourceQuerySet":
        return self.filter(network=network)

    def public(self) -> "ResourceQuerySet":
        return self.filter(visibility=Visibility.PUBLIC)

    def with_audience(self, audience: str) -> "ResourceQuerySet":
        return self.filter(audience_tags__audience=audience)


class Resource(models.Model):
    """A document or link in the network's resource library."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="resources"
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(help_text="What it is and who will find it useful")
    kind = models.CharField(max_length=20, choices=ResourceKind.choices)
    topics = models.ManyToManyField(Topic, blank=True, related_name="resources")
    visibility = models.CharField(
        "Who can see it", max_length=10, choices=Visibility.choices,
        default=Visibility.MEMBERS,
    )
    publisher = models.CharField(
        max_length=200, blank=True, help_text="Who published it, for example NICE"
    )
    published_on = models.DateField("Date published", null=True, blank=True)
    url = models.URLField("Link", max_length=500, blank=True)
    file = models.FileField(upload_to=upload_path, max_length=200, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    file_size = models.PositiveIntegerField(null=True, blank=True)
    # Words from the uploaded document, where they can be read, for search.
    extracted_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        indexes = [models.Index(fields=["network", "kind"], name="community_resource_kind_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(url=""),
                name="community_resource_file_or_link",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("resource-detail", args=[self.network.slug, self.pk])

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC

    @property
    def audiences(self) -> list[str]:
        return [tag.audience for tag in self.audience_tags.all()]

    @property
    def audience_labels(self) -> list[str]:
        return [ResourceAudience(a).label for a in sorted(self.audiences,
                key=list(ResourceAudience.values).index)]


class ResourceAudienceTag(models.Model):
    """Who a resource is for: one row per audience."""

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="audience_tags"
    )
    audience = models.CharField(max_length=30, choices=ResourceAudience.choices)

    class Meta:
        ordering = ["resource", "audience"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "audience"], name="community_resource_audience_once"
            ),
        ]

    def __str__(self) -> str:
        return self.get_audience_display()

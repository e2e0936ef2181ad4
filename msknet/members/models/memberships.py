from django.conf import settings
from django.db import models
from django.db.models import Q

from .networks import Network, Topic
from .organisations import Organisation
from .reference import ICB


class Role(models.TextChoices):
    LEAD = "lead", "Network lead"
    """Runs the network: decides join requests, invites, manages members."""
    STEERING = "steering", "Steering group member"
    """Sits on the steering group: sees the network dashboard."""
    MEMBER = "member", "Member"
    """A member of the network."""


class Sector(models.TextChoices):
    LIVED_EXPERIENCE = "lived_experience", "Person with lived experience"
    """Lives with, or cares for someone with, an MSK condition."""
    PRIMARY_CARE = "primary_care", "Primary care"
    """General practice, PCNs and first-contact practitioners."""
    COMMUNITY = "community", "Community services"
    """Community MSK, physiotherapy and pain services."""
    SECONDARY_CARE = "secondary_care", "Secondary care"
    """Hospital orthopaedics, rheumatology, spinal and pain services."""
    COMMISSIONER = "commissioner", "Commissioner or operational lead"
    """ICB commissioning and operational management."""
    LOCAL_AUTHORITY = "local_authority", "Local authority or public health"
    """Councils and public health teams."""
    EMPLOYMENT = "employment", "Employment advisor"
    """Work and health, employment support."""
    SOCIAL_PRESCRIBING = "social_prescribing", (
        "Social prescribing link worker or health coach"
    )
    """Personalised care roles."""
    WORKFORCE = "workforce", "Workforce and education"
    """Workforce planning, training and education."""
    ACADEMIC = "academic", "Academic or Health Innovation Network"
    """Universities, research and Health Innovation Networks."""
    VOLUNTARY = "voluntary", "Voluntary or third sector"
    """Charities and patient organisations."""
    OTHER = "other", "Other"
    """Anything else."""


class Profession(models.TextChoices):
    PHYSIOTHERAPIST = "physiotherapist", "Physiotherapist"
    """Including first-contact and advanced practitioners."""
    GP = "gp", "GP"
    """General practitioner."""
    NURSE = "nurse", "Nurse"
    """Practice, community or specialist nurse."""
    PHARMACIST = "pharmacist", "Pharmacist"
    """Clinical or community pharmacist."""
    PAIN_SPECIALIST = "pain_specialist", "Pain specialist"
    """Pain medicine consultant or specialist practitioner."""
    SPINAL_SPECIALIST = "spinal_specialist", "Spinal specialist"
    """Spinal surgeon or specialist spinal practitioner."""
    ORTHOPAEDIC_SURGEON = "orthopaedic_surgeon", "Orthopaedic surgeon"
    """Trauma and orthopaedics."""
    RHEUMATOLOGIST = "rheumatologist", "Rheumatologist"
    """Rheumatology."""
    OCCUPATIONAL_THERAPIST = "occupational_therapist", "Occupational therapist"
    """Occupational therapy."""
    PSYCHOLOGIST = "psychologist", "Psychologist"
    """Pain and health psychology."""
    PODIATRIST = "podiatrist", "Podiatrist"
    """Podiatry and MSK podiatry."""
    MANAGER = "manager", "Manager or commissioner"
    """Service, programme or commissioning management."""
    ANALYST = "analyst", "Analyst"
    """Public health, business or data analyst."""
    RESEARCHER = "researcher", "Researcher or academic"
    """Research and education."""
    LINK_WORKER = "link_worker", "Link worker or health coach"
    """Personalised care roles."""
    EMPLOYMENT_ADVISOR = "employment_advisor", "Employment advisor"
    """Work and health advisors."""
    NOT_APPLICABLE = "not_applicable", "Not applicable"
    """For people who join with lived experience rather than a profession."""
    OTHER = "other", "Other"
    """Any other profession."""


class Leadership(models.TextChoices):
    LEADS = "leads", "I lead MSK work now"
    """Already a clinical or service leader."""
    WANTS_TO_LEAD = "wants_to_lead", "I would like to develop as a leader"
    """The networks aim to grow MSK leaders."""
    NOT_NOW = "not_now", "Not at the moment"
    """No leadership interest recorded."""


class MembershipQuerySet(models.QuerySet["Membership"]):
    def for_network(self, network: Network) -> "MembershipQuerySet":
        return self.filter(network=network)

    def active(self) -> "MembershipQuerySet":
        return self.filter(user__is_active=True, user__erased_at__isnull=True)

    def in_directory(self) -> "MembershipQuerySet":
        return self.active().filter(directory_listed=True)


class Membership(models.Model):
    """A person's membership of one network, with what they share there."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    sector = models.CharField(max_length=30, choices=Sector.choices)
    profession = models.CharField(max_length=30, choices=Profession.choices)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="memberships",
    )
    organisation_other = models.CharField(
        max_length=200, blank=True, help_text="An organisation not in the list"
    )
    icb = models.ForeignKey(
        ICB, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    interests = models.ManyToManyField(Topic, blank=True, related_name="memberships")
    leadership = models.CharField(
        max_length=20, choices=Leadership.choices, default=Leadership.NOT_NOW
    )
    # What the member agreed to show in the network's directory. Nothing is
    # shown unless they are listed; contact details only where they agreed.
    directory_listed = models.BooleanField(default=False)
    share_email = models.BooleanField(default=False)
    share_phone = models.BooleanField(default=False)
    share_organisation = models.BooleanField(default=True)
    share_profession = models.BooleanField(default=True)
    share_sector = models.BooleanField(default=True)
    share_icb = models.BooleanField(default=True)
    share_interests = models.BooleanField(default=True)
    joined_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["network", "user__full_name"]
        indexes = [
            # The directory lists a network's listed members; the dashboard
            # counts members by month joined.
            models.Index(
                fields=["network", "directory_listed"],
                name="members_directory_idx",
            ),
            models.Index(fields=["network", "joined_at"], name="members_joined_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "network"], name="members_membership_one_per_network"
            ),
            models.CheckConstraint(
                condition=Q(directory_listed=True)
                | Q(share_email=False, share_phone=False),
                name="members_membership_contact_only_when_listed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.network.short_name}"

    @property
    def organisation_display(self) -> str:
        return self.organisation.name if self.organisation else self.organisation_other

    @property
    def has_lived_experience(self) -> bool:
        return self.sector == Sector.LIVED_EXPERIENCE

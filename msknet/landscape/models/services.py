"""MSK services: where each sits on the pathway, how to reach it, and its
dated workforce, activity and waiting-time figures."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from msknet.members.models import ICB, Network, Organisation, Profession

#: A service not confirmed for this long is stale: leads ask its owner to check it.
STALE_AFTER_DAYS = 183


class Step(models.TextChoices):
    """The steps of the MSK pathway, in the order a person meets them."""

    SELF_MANAGEMENT = "self_management", "Self-management and community offers"
    """Education, exercise classes, peer support, apps and community activity."""
    FCP = "fcp", "First-contact practitioner in primary care"
    """An MSK practitioner seen instead of a GP for a first appointment."""
    INTERFACE = "interface", "MSK interface and triage"
    """Clinical assessment and triage between primary and secondary care."""
    COMMUNITY_MSK = "community_msk", "Community MSK and physiotherapy"
    """Community physiotherapy and MSK services."""
    PAIN_MANAGEMENT = "pain_management", "Pain management"
    """Community and hospital pain management programmes."""
    ORTHOPAEDICS = "orthopaedics", "Secondary care: orthopaedics"
    """Hospital orthopaedic outpatients and surgery."""
    RHEUMATOLOGY = "rheumatology", "Secondary care: rheumatology"
    """Hospital rheumatology."""
    SPINAL_SURGERY = "spinal_surgery", "Secondary care: spinal surgery"
    """Spinal surgery, including the regional spinal pathway."""
    PAIN_MEDICINE = "pain_medicine", "Secondary care: pain medicine"
    """Hospital pain medicine: injections, specialist pain clinics."""
    EMPLOYMENT = "employment", "Employment and social prescribing support"
    """Work and health advice, vocational rehabilitation, social prescribing."""


#: The pathway in order, as drawn on an ICB's pathway page.
PATHWAY: list[Step] = list(Step)


class ServiceQuerySet(models.QuerySet["Service"]):
    def active(self) -> ServiceQuerySet:
        return self.filter(withdrawn_at__isnull=True)

    def stale(self, today: dt.date | None = None) -> ServiceQuerySet:
        """Active services nobody has confirmed for six months (or ever)."""
        today = today or timezone.localdate()
        cutoff = today - dt.timedelta(days=STALE_AFTER_DAYS)
        return self.active().filter(
            Q(last_confirmed_on__isnull=True) | Q(last_confirmed_on__lt=cutoff)
        )


class Service(models.Model):
    """One MSK service as a referrer or patient needs to know it."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="services"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="What the service offers")
    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="services",
        help_text="The organisation that runs it; its members keep it up to date",
    )
    icb = models.ForeignKey(
        ICB, on_delete=models.PROTECT, related_name="services",
        verbose_name="ICB",
    )
    place = models.CharField(
        "Place or PCN", max_length=200, blank=True,
        help_text="The place or primary care network it serves, where known",
    )
    step = models.CharField(
        "Pathway step", max_length=30, choices=Step.choices,
    )
    conditions = models.CharField(
        "Conditions covered", max_length=500, blank=True,
        help_text="Separate conditions with semicolons, for example "
        "'Back pain; Neck pain; Knee osteoarthritis'",
    )
    # Who can refer.
    self_referral = models.BooleanField("Self-referral", default=False)
    gp_referral = models.BooleanField("GP referral", default=False)
    fcp_referral = models.BooleanField("FCP referral", default=False)
    other_referrers = models.CharField(
        "Other referrers", max_length=300, blank=True,
        help_text="For example 'Pharmacists, employers, social prescribers'",
    )
    # How to refer.
    via_ers = models.BooleanField("e-Referral Service (e-RS)", default=False)
    via_email = models.BooleanField("Email", default=False)
    via_form = models.BooleanField("Online or paper form", default=False)
    referral_contact = models.CharField(
        "Referral email or form address", max_length=300, blank=True,
    )
    eligibility = models.TextField(blank=True, help_text="Who the service is for")
    address = models.CharField("Location", max_length=300, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    # The postcode's outward code ("NE1" of "NE1 4LP"), upper case, for "near".
    outward_code = models.CharField(max_length=4, blank=True, editable=False)
    opening = models.CharField(
        "Opening pattern", max_length=300, blank=True,
        help_text="For example 'Monday to Friday, 8am to 6pm; Tuesday evenings'",
    )
    accessibility = models.TextField(
        blank=True, help_text="Step-free access, hearing loops, parking, interpreters",
    )
    languages = models.CharField(
        max_length=300, blank=True, help_text="Languages offered besides English",
    )
    digital_offer = models.TextField(
        blank=True, help_text="Video appointments, apps, online classes",
    )
    website = models.URLField(max_length=500, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    last_confirmed_on = models.DateField(
        null=True, blank=True, help_text="When someone last confirmed these details",
    )
    last_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=300, blank=True)
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

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["network", "icb", "step"], name="landscape_service_step"),
            models.Index(fields=["network", "outward_code"], name="landscape_service_near"),
            models.Index(fields=["network", "last_confirmed_on"],
                         name="landscape_service_stale"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "provider", "name"],
                name="landscape_service_unique_name_per_provider",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawn_reason=""),
                name="landscape_service_withdrawn_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.postcode = " ".join(self.postcode.upper().split())
        self.outward_code = outward_code(self.postcode)
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    def is_stale(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.last_confirmed_on is None or (
            (today - self.last_confirmed_on).days > STALE_AFTER_DAYS
        )

    @property
    def condition_list(self) -> list[str]:
        return [c.strip() for c in self.conditions.split(";") if c.strip()]

    @property
    def referrers(self) -> list[str]:
        who = [label for flag, label in (
            (self.self_referral, "Self-referral"), (self.gp_referral, "GP"),
            (self.fcp_referral, "First-contact practitioner"),
        ) if flag]
        if self.other_referrers:
            who.append(self.other_referrers)
        return who

    @property
    def referral_methods(self) -> list[str]:
        return [label for flag, label in (
            (self.via_ers, "e-RS"), (self.via_email, "Email"), (self.via_form, "Form"),
        ) if flag]


def outward_code(postcode: str) -> str:
    """The outward code of a UK postcode: all but its last three characters
    ("NE1" of "NE1 4LP"); a bare outward code is returned as it is."""
    compact = "".join(postcode.upper().split())
    if len(compact) >= 5 and compact[-3].isdigit():
        return compact[:-3][:4]
    return compact[:4]


class ServiceWorkforce(models.Model):
    """A service's staff in one profession on one date: whole-time equivalents
    in post and vacant."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="workforce"
    )
    as_of = models.DateField("As of")
    profession = models.CharField(max_length=30, choices=Profession.choices)
    wte = models.DecimalField(
        "Whole-time equivalents in post", max_digits=7, decimal_places=2,
    )
    vacancies_wte = models.DecimalField(
        "Vacant whole-time equivalents", max_digits=7, decimal_places=2, default=0,
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["service", "as_of", "profession"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "as_of", "profession"],
                name="landscape_workforce_once_per_date",
            ),
            models.CheckConstraint(
                condition=Q(wte__gte=0) & Q(vacancies_wte__gte=0),
                name="landscape_workforce_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service}: {self.profession} on {self.as_of}"


class ServiceActivity(models.Model):
    """A service's referrals and waits over one period (usually a month)."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="activity"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    referrals_per_month = models.DecimalField(
        "Referrals a month", max_digits=8, decimal_places=1, null=True, blank=True,
    )
    median_wait_weeks = models.DecimalField(
        "Median wait (weeks)", max_digits=5, decimal_places=1, null=True, blank=True,
    )
    p90_wait_weeks = models.DecimalField(
        "90th-percentile wait (weeks)", max_digits=5, decimal_places=1,
        null=True, blank=True,
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["service", "period_start"]
        verbose_name_plural = "service activity"
        constraints = [
            models.UniqueConstraint(
                fields=["service", "period_start"], name="landscape_activity_once_per_period",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="landscape_activity_period_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(median_wait_weeks__isnull=True) | Q(p90_wait_weeks__isnull=True)
                | Q(p90_wait_weeks__gte=F("median_wait_weeks")),
                name="landscape_activity_p90_not_below_median",
            ),
            models.CheckConstraint(
                condition=(Q(referrals_per_month__isnull=True) | Q(referrals_per_month__gte=0))
                & (Q(median_wait_weeks__isnull=True) | Q(median_wait_weeks__gte=0)),
                name="landscape_activity_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service}: {self.period_start}"


class ServiceChange(models.Model):
    """One change to a service's record: who, when, what (for its history)."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="changes"
    )
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.CharField(max_length=300)

    class Meta:
        ordering = ["service", "-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.service}: {self.summary}"


class ConfirmationRequest(models.Model):
    """A lead's one-click request that a service's owner confirm its details.

    The email carries a random token; only its hash is kept."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="confirmation_requests"
    )
    sent_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["service", "-sent_at"]

    def __str__(self) -> str:
        return f"Confirm {self.service} ({self.sent_to})"

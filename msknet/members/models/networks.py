from django.db import models
from django.urls import reverse

from .reference import ICB, Region


class Network(models.Model):
    """An MSK health improvement network: one deployment can host several."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=60)
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="networks"
    )
    icbs = models.ManyToManyField(ICB, blank=True, related_name="networks")
    summary = models.CharField(max_length=300, help_text="One sentence for listings")
    vision = models.TextField(blank=True)
    mission = models.TextField(blank=True)
    objectives = models.TextField(blank=True, help_text="One objective per line")
    about = models.TextField(blank=True, help_text="Who the network is for; plain text")
    contact_email = models.EmailField(blank=True)
    open_to_join = models.BooleanField(
        default=True, help_text="Anyone may ask to join through the open form"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network-home", kwargs={"network_slug": self.slug})

    @property
    def objective_list(self) -> list[str]:
        return [line.strip() for line in self.objectives.splitlines() if line.strip()]


class Topic(models.Model):
    """A topic or workstream members can be interested in."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="topics")
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["network", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "slug"], name="members_topic_unique_slug"
            ),
            models.UniqueConstraint(
                fields=["network", "name"], name="members_topic_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name

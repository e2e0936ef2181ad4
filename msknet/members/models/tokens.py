from django.conf import settings
from django.db import models
from django.utils import timezone


class APIToken(models.Model):
    """A member's personal API token. Only its hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for")
    prefix = models.CharField(max_length=8, help_text="First characters, to recognise it")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class SignInFailure(models.Model):
    """A failed sign-in, kept briefly to rate-limit guessing."""

    email = models.CharField(max_length=254, db_index=True)
    address = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.email} from {self.address} at {self.at:%Y-%m-%d %H:%M}"


class Throttle(models.Model):
    """How often a limited thing (a password-reset email, say) happened for one
    key in one window of time; see `msknet.members.ratelimits`.

    The key is stored hashed: the table holds no email or client address.
    """

    kind = models.CharField(max_length=40)
    key_hash = models.CharField(max_length=64)
    window_start = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key_hash", "window_start"],
                name="members_throttle_one_count_per_window",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key_hash[:8]}: {self.count} from {self.window_start}"

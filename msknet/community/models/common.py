import uuid
from pathlib import PurePath

from django.db import models


class Visibility(models.TextChoices):
    PUBLIC = "public", "Anyone, including visitors"
    """Shown on the public site and in the public calendar feed."""
    MEMBERS = "members", "Network members only"
    """Shown only to members of the network."""


def upload_path(instance: models.Model, filename: str) -> str:
    """A random name under the app's folder: the original name is kept in a field."""
    suffix = PurePath(filename).suffix.lower()
    return f"community/{instance._meta.model_name}/{uuid.uuid4().hex}{suffix}"

"""Two-factor authentication: an authenticator app (TOTP) and recovery codes.

Devices are django-otp's: one `TOTPDevice` per person for their app, and one
`StaticDevice` holding their single-use recovery codes. Wrong codes at sign-in
count toward the sign-in rate limit (`accounts.finish_sign_in`).
"""

from __future__ import annotations

from base64 import b32encode
from typing import Any

from django.db import transaction
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from msknet.core import audit
from msknet.core.models import AuditEvent

from ..models import User

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


class WrongCode(Exception):
    """The code is not the one the authenticator app shows now."""


def normalise_code(code: str) -> str:
    """The code as typed, without the spaces and hyphens people add."""
    return "".join(code.split()).replace("-", "").lower()


def has_device(user: Any) -> bool:
    """Whether the person has set up an authenticator app."""
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(
        device__user_id=user.pk, device__confirmed=True
    ).count()


def grouped_secret(device: TOTPDevice) -> str:
    """The app's secret key for typing in by hand, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def unconfirmed_device(*, user: User) -> TOTPDevice:
    """The key being set up: the same one until it is confirmed, so that a
    reloaded set-up page shows the QR code the person may have scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=APP_DEVICE_NAME, confirmed=False
        )
    return device


@transaction.atomic
def add_authenticator(*, user: User, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the app with a code it shows; return new recovery codes.

    Raises `WrongCode` (and records it) if the code is not right.
    """
    device = TOTPDevice.objects.select_for_update().get(
        pk=device.pk, user=user, confirmed=False
    )
    if not device.verify_token(normalise_code(code)):
        audit.record(AuditEvent.Type.TWO_FACTOR_CODE_FAILED, target=user, by=user)
        raise WrongCode(code)
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = make_recovery_codes(user)
    audit.record(AuditEvent.Type.TWO_FACTOR_ADDED, target=user, by=user)
    return codes


def make_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(
        user=user, name=RECOVERY_DEVICE_NAME, confirmed=True
    )
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=code) for code in codes
    )
    return codes


@transaction.atomic
def replace_recovery_codes(*, user: User, by: User) -> list[str]:
    """Ten new recovery codes; the old ones stop working."""
    codes = make_recovery_codes(user)
    audit.record(AuditEvent.Type.RECOVERY_CODES_REPLACED, target=user, by=by)
    return codes


@transaction.atomic
def remove_two_factor(*, user: User, by: User) -> None:
    """Remove the person's authenticator app and recovery codes."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit.record(AuditEvent.Type.TWO_FACTOR_REMOVED, target=user, by=by)


@transaction.atomic
def verify_code(*, user: User, code: str) -> Device | None:
    """The device that accepts the code (app first, then a recovery code,
    which is used up), or None. Records a used recovery code."""
    token = normalise_code(code)
    if not token:
        return None
    devices = sorted(
        devices_for_user(user, for_verify=True),
        key=lambda device: isinstance(device, StaticDevice),
    )
    for device in devices:
        if device.verify_token(token):
            if isinstance(device, StaticDevice):
                audit.record(
                    AuditEvent.Type.RECOVERY_CODE_USED,
                    target=user,
                    by=user,
                    left=device.token_set.count(),
                )
            return device
    return None


def record_wrong_code(*, user: User) -> None:
    audit.record(AuditEvent.Type.TWO_FACTOR_CODE_FAILED, target=user, by=None)


def forget_devices(user: User) -> None:
    """Erasure: the person's app key and recovery codes go."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def personal_data(user: User) -> dict[str, Any]:
    """Whether the person uses two-factor authentication; never the secrets."""
    app = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return {
        "authenticator_app": app is not None,
        "set_up_at": app.created_at.isoformat() if app and app.created_at else None,
        "last_used_at": (
            app.last_used_at.isoformat() if app and app.last_used_at else None
        ),
        "recovery_codes_left": recovery_codes_left(user),
    }

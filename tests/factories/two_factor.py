"""Two-factor authentication for test people: an authenticator app whose
codes tests compute, as the person's phone would."""

import time
from base64 import b32decode

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from msknet.members.actions.two_factor import make_recovery_codes


def enrol(user, *, with_recovery_codes=True) -> TOTPDevice:
    """Give `user` a confirmed authenticator app (and recovery codes)."""
    device = TOTPDevice.objects.create(
        user=user, name="Authenticator app", confirmed=True
    )
    if with_recovery_codes:
        make_recovery_codes(user)
    return device


def current_code(device: TOTPDevice) -> str:
    """A 6-digit code the app would show that the site has not accepted yet.

    The site takes each period's code once, and codes from one period either
    side of now: a second sign-in within 30 seconds uses the next period's.
    """
    device.refresh_from_db()
    otp = TOTP(device.bin_key, device.step, device.t0, device.digits, 0)
    otp.time = time.time()
    now = otp.t()
    for offset in range(-device.tolerance, device.tolerance + 1):
        t = now + device.drift + offset
        if t > device.last_t:
            otp.drift = t - now
            return f"{otp.token():06d}"
    raise AssertionError("Every code the site accepts now has been used")


def app_device(user) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=True)


def code_for_key(secret: str) -> str:
    """The code an authenticator app shows now for a key typed in by hand
    (the grouped base32 key the set-up page shows)."""
    key = b32decode("".join(secret.split()).upper())
    otp = TOTP(key)
    otp.time = time.time()
    return f"{otp.token():06d}"

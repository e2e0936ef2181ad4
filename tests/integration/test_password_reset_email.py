"""The password-reset email goes through the email task like every other."""

import socket

from django.urls import reverse
from django_q.models import Schedule


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_reset_asked_while_the_mail_server_is_down_is_sent_later(
    client, member, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()

    response = client.post(reverse("password-reset"), {"email": member.email})

    assert response.status_code == 302
    assert response["Location"] == reverse("password-reset-sent")
    retry = Schedule.objects.get(func="msknet.core.emails.deliver")
    assert f"'to': '{member.email}'" in retry.kwargs
    assert "'subject': 'Reset your msknet password'" in retry.kwargs

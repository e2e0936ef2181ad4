"""The password-reset email goes through the email task like every other."""

from django.urls import reverse
from django_q.models import Schedule


def test_a_reset_asked_while_the_mail_server_is_down_is_sent_later(
    client, member, unreachable_mail_server
):

    response = client.post(reverse("password-reset"), {"email": member.email})

    assert response.status_code == 302
    assert response["Location"] == reverse("password-reset-sent")
    retry = Schedule.objects.get(func="msknet.core.emails.deliver")
    assert f"'to': '{member.email}'" in retry.kwargs
    assert "'subject': 'Reset your msknet password'" in retry.kwargs

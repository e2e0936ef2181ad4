"""Sign-in and password-reset limits: who the client is, counting that holds
under simultaneous attempts, and password-reset emails that cannot flood."""

import threading

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from msknet.members.actions import accounts as actions
from msknet.members.models import SignInFailure
from tests.factories.memberships import MembershipFactory
from tests.factories.networks import NetworkFactory
from tests.factories.users import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"


@pytest.fixture
def limits(settings):
    settings.SIGN_IN_MAX_FAILURES_PER_ACCOUNT = 3
    settings.SIGN_IN_MAX_FAILURES_PER_ADDRESS = 5
    settings.SIGN_IN_FAILURE_WINDOW_SECONDS = 15 * 60
    settings.PASSWORD_RESET_MAX_PER_EMAIL = 3
    settings.PASSWORD_RESET_MAX_PER_CLIENT = 10
    return settings


def sign_in(client, email, password, *, forwarded=None, remote="192.0.2.10"):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client.post(
        reverse("sign-in"),
        {"email": email, "password": password},
        REMOTE_ADDR=remote,
        **headers,
    )


def reset(client, email, *, remote="192.0.2.10"):
    return client.post(reverse("password-reset"), {"email": email}, REMOTE_ADDR=remote)


# Who the client is ------------------------------------------------------------


@pytest.mark.slow
def test_one_client_behind_the_proxy_cannot_lock_everyone_out(
    client, member, limits
):
    limits.TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        sign_in(client, f"guess{n}@example.org", "wrong", remote=PROXY,
                forwarded="198.51.100.66")

    attacker = sign_in(client, member.email, PASSWORD, remote=PROXY,
                       forwarded="198.51.100.66")
    colleague = sign_in(client, member.email, PASSWORD, remote=PROXY,
                        forwarded="192.0.2.44")

    assert "You have tried to sign in too many times" in attacker.text
    assert colleague.status_code == 302
    assert set(SignInFailure.objects.values_list("address", flat=True)) == {
        "198.51.100.66"
    }


@pytest.mark.slow
def test_a_client_cannot_dodge_the_limit_by_inventing_forwarded_addresses(
    client, member, limits
):
    limits.TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        sign_in(client, f"guess{n}@example.org", "wrong", remote=PROXY,
                forwarded=f"203.0.113.{n}, 198.51.100.66")

    response = sign_in(client, member.email, PASSWORD, remote=PROXY,
                       forwarded="203.0.113.99, 198.51.100.66")

    assert "You have tried to sign in too many times" in response.text


@pytest.mark.slow
def test_without_a_trusted_proxy_forwarded_addresses_are_ignored(
    client, member, limits
):
    for n in range(5):
        sign_in(client, f"guess{n}@example.org", "wrong", forwarded=f"203.0.113.{n}")

    response = sign_in(client, member.email, PASSWORD, forwarded="192.0.2.44")

    assert "You have tried to sign in too many times" in response.text


# Counting that holds under simultaneous attempts ------------------------------


def test_an_attempt_is_counted_before_its_password_is_checked(
    client, member, limits, monkeypatch
):
    # Were the count written after the check, attempts arriving together
    # would all see the same count and all be checked.
    seen = []
    authenticate = actions.authenticate

    def counting(*args, **kwargs):
        seen.append(SignInFailure.objects.filter(email=member.email).count())
        return authenticate(*args, **kwargs)

    monkeypatch.setattr(actions, "authenticate", counting)

    sign_in(client, member.email, "wrong")
    sign_in(client, member.email, "wrong")
    signed_in = sign_in(client, member.email, PASSWORD)

    assert seen == [1, 2, 3]
    assert signed_in.status_code == 302
    assert not SignInFailure.objects.filter(email=member.email).exists()


def test_counting_an_attempt_locks_the_account_before_counting(member, limits):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        actions.begin_sign_in_attempt(email=member.email, address="192.0.2.10")

    if connection.features.has_select_for_update:
        reads = [q["sql"] for q in queries.captured_queries if "SELECT" in q["sql"]]
        assert "members_user" in reads[0] and "FOR UPDATE" in reads[0]
    else:
        # SQLite: every transaction is IMMEDIATE, taking the write lock first.
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's shared in-memory test database refuses concurrent writers "
    "instead of making them wait",
)
def test_simultaneous_wrong_passwords_are_checked_no_more_than_the_limit(
    settings, monkeypatch
):
    settings.SIGN_IN_MAX_FAILURES_PER_ACCOUNT = 3
    settings.SIGN_IN_MAX_FAILURES_PER_ADDRESS = 100
    user = MembershipFactory(network=NetworkFactory()).user
    attempts = 10
    start = threading.Barrier(attempts)
    checked, refused, failures = [], [], []
    authenticate = actions.authenticate

    def slow_check(*args, **kwargs):
        checked.append(1)
        threading.Event().wait(0.2)  # a real password hash takes this long
        return authenticate(*args, **kwargs)

    monkeypatch.setattr(actions, "authenticate", slow_check)

    def attempt(n):
        from django.test import RequestFactory

        request = RequestFactory().post("/", REMOTE_ADDR=f"192.0.2.{n}")
        try:
            start.wait()
            actions.sign_in(request=request, email=user.email, password="wrong")
        except actions.SignInRefused as refusal:
            refused.append(str(refusal))
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert len(checked) == 3
    assert SignInFailure.objects.filter(email=user.email).count() == 3
    assert sum("too many times" in r for r in refused) == attempts - 3


# Password-reset emails --------------------------------------------------------


@pytest.mark.slow
def test_password_reset_emails_are_limited_per_address(client, member, limits):
    answers = [reset(client, member.email, remote=f"192.0.2.{n}") for n in range(5)]

    assert len(mail.outbox) == 3
    # The page answers the same way: nobody learns that mail stopped.
    assert {a["Location"] for a in answers} == {reverse("password-reset-sent")}


@pytest.mark.slow
def test_password_reset_emails_are_limited_per_client(client, limits):
    network = NetworkFactory()
    people = [MembershipFactory(network=network).user for _ in range(12)]

    answers = [reset(client, person.email) for person in people]

    assert len(mail.outbox) == 10
    assert {a["Location"] for a in answers} == {reverse("password-reset-sent")}


@pytest.mark.slow
def test_a_client_over_its_limit_does_not_use_up_an_address(client, member, limits):
    for n in range(10):
        reset(client, f"nobody{n}@example.org", remote="198.51.100.66")
    reset(client, member.email, remote="198.51.100.66")  # refused: client limit

    reset(client, member.email, remote="192.0.2.44")

    assert [m.to for m in mail.outbox] == [[member.email]]

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from msknet.core.models import AuditEvent
from msknet.members.actions.invitations import hash_token
from msknet.members.models import (
    ICB,
    INVITATION_LIFETIME,
    Invitation,
    Membership,
    Role,
    User,
)
from tests.factories.joining import InvitationFactory
from tests.factories.memberships import MembershipFactory
from tests.factories.users import UserFactory
from tests.queries import queries_of

pytestmark = pytest.mark.django_db

TOKEN = "an-invitation-token-for-tests-0123456789abcdefgh"


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


def invitation_for(network, *, token=TOKEN, **fields):
    """An invitation whose link we know (only the hash is stored)."""
    return InvitationFactory(network=network, token_hash=hash_token(token), **fields)


def accept_url(token=TOKEN):
    return reverse("invitation-accept", args=[token])


def token_in(message):
    return re.search(r"/invitations/([\w-]+)/", message.body)[1]


def csv_upload(text, *, name="people.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def membership_form(network, **overrides):
    data = {
        "sector": "community",
        "profession": "physiotherapist",
        "icb": ICB.objects.get(ods_code="QKK").pk,
        "interests": [network.topics.first().pk],
        "leadership": "wants_to_lead",
        "directory_listed": "on",
        "share_email": "on",
        "share_organisation": "on",
    }
    data.update(overrides)
    return data


def new_account_form(network, **overrides):
    data = {
        "full_name": "Priya Shah",
        "password": "granite-otter-lantern",
        "password_confirmation": "granite-otter-lantern",
        **membership_form(network),
    }
    data.update(overrides)
    return data


# The lead's pages


def test_invitation_list_shows_every_status_with_who_and_when(lead_client, network, lead):
    now = timezone.now()
    InvitationFactory(network=network, email="open@example.org", created_by=lead)
    InvitationFactory(
        network=network, email="late@example.org", expires_at=now - timedelta(days=1)
    )
    InvitationFactory(
        network=network,
        email="joined@example.org",
        accepted_at=now,
        accepted_by=UserFactory(),
    )
    InvitationFactory(
        network=network, email="gone@example.org", revoked_at=now, revoked_by=lead
    )

    response = lead_client.get(reverse("invitation-list", args=[network.slug]))

    text = response.text
    assert response.status_code == 200
    for heading, email in [
        ("Open invitations (1)", "open@example.org"),
        ("Expired invitations (1)", "late@example.org"),
        ("Accepted invitations (1)", "joined@example.org"),
        ("Withdrawn invitations (1)", "gone@example.org"),
    ]:
        assert heading in text
        assert email in text
    assert text.index("Open invitations") < text.index("open@example.org")
    assert lead.display_name in text
    assert (now + INVITATION_LIFETIME).strftime("%-d %B %Y") in text
    # Re-send for open and expired invitations; withdraw for the open one.
    assert text.count("Re-send<span") == 2
    assert text.count("Withdraw<span") == 1


@pytest.mark.parametrize("each", [1, 3])
def test_invitation_list_queries_do_not_grow_with_invitations(lead_client, network,
                                                              lead, each):
    now = timezone.now()
    for _ in range(each):
        InvitationFactory(network=network, created_by=lead)
        InvitationFactory(network=network, accepted_at=now, accepted_by=UserFactory())
        InvitationFactory(network=network, revoked_at=now, revoked_by=UserFactory())

    response, queries = queries_of(
        lambda: lead_client.get(reverse("invitation-list", args=[network.slug])))

    assert len(queries) == 6  # with the two-factor check
    assert f"Open invitations ({each})" in response.text


LEAD_PAGES = [
    ("invitation-list", "get"),
    ("invitation-create", "get"),
    ("invitation-bulk", "get"),
    ("invitation-resend", "post"),
    ("invitation-withdraw", "post"),
]


def lead_page(network, name):
    args = [network.slug]
    if name in {"invitation-resend", "invitation-withdraw"}:
        args.append(InvitationFactory(network=network).pk)
    return reverse(name, args=args)


@pytest.mark.parametrize("role", [Role.MEMBER, Role.STEERING])
@pytest.mark.parametrize(("name", "method"), LEAD_PAGES)
def test_lead_pages_refuse_members_and_steering_group(
    client, network, role, name, method
):
    client.force_login(MembershipFactory(network=network, role=role).user)

    response = getattr(client, method)(lead_page(network, name))

    assert response.status_code == 403
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(("name", "method"), LEAD_PAGES)
def test_lead_pages_send_visitors_to_sign_in(client, network, name, method):
    response = getattr(client, method)(lead_page(network, name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))


def test_lead_of_another_network_is_refused(client, network):
    client.force_login(MembershipFactory(role=Role.LEAD).user)

    response = client.get(reverse("invitation-list", args=[network.slug]))

    assert response.status_code == 403


def test_lead_invites_one_person_who_is_emailed_a_link(
    lead_client, network, lead, sent_on_commit
):
    url = reverse("invitation-create", args=[network.slug])

    with sent_on_commit():
        response = lead_client.post(
            url,
            {"email": "Alex.Okafor@Example.org", "full_name": "Alex", "role": "steering"},
        )

    assert response.status_code == 302
    assert response["Location"] == reverse("invitation-list", args=[network.slug])
    invitation = Invitation.objects.get()
    assert invitation.email == "alex.okafor@example.org"
    assert invitation.role == Role.STEERING
    assert invitation.created_by == lead
    assert invitation.send_count == 1
    assert invitation.expires_at == invitation.last_sent_at + timedelta(days=28)
    [message] = mail.outbox
    assert message.to == ["alex.okafor@example.org"]
    assert "Dear Alex" in message.body
    assert "as a steering group member" in message.body
    token = token_in(message)
    assert len(token) >= 43
    # Only the hash is stored: the link itself exists only in the email.
    assert invitation.token_hash == hash_token(token)
    assert token not in invitation.token_hash
    event = AuditEvent.objects.get()
    assert event.type == AuditEvent.Type.INVITATION_SENT
    assert event.by == lead
    follow = lead_client.get(response["Location"])
    assert "We have emailed an invitation to alex.okafor@example.org" in follow.text


def test_inviting_a_member_is_refused_with_a_field_error(
    lead_client, network, member
):
    url = reverse("invitation-create", args=[network.slug])

    response = lead_client.post(url, {"email": member.email.upper(), "role": "member"})

    assert response.status_code == 200
    assert "<title>Error: Invite someone" in response.text
    assert f'<a href="#id_email">{member.email} is already a member' in response.text
    assert not Invitation.objects.exists()


def test_inviting_someone_already_invited_says_resend_instead(lead_client, network):
    InvitationFactory(network=network, email="alex@example.org")
    url = reverse("invitation-create", args=[network.slug])

    response = lead_client.post(url, {"email": "alex@example.org", "role": "member"})

    assert "re-send it from the list of invitations instead" in response.text
    assert Invitation.objects.count() == 1


def test_inviting_someone_whose_invitation_expired_is_allowed(lead_client, network):
    InvitationFactory(
        network=network,
        email="alex@example.org",
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    url = reverse("invitation-create", args=[network.slug])

    response = lead_client.post(url, {"email": "alex@example.org", "role": "member"})

    assert response.status_code == 302
    assert Invitation.objects.count() == 2


def test_invite_form_reports_missing_and_bad_fields(lead_client, network):
    url = reverse("invitation-create", args=[network.slug])

    response = lead_client.post(url, {"email": "bob@", "role": "boss"})

    assert "Enter an email address in the correct format" in response.text
    assert "nhsuk-error-summary" in response.text
    assert 'href="#id_role_0"' in response.text
    assert not Invitation.objects.exists()


# Inviting several people


def bulk(client, network, **data):
    data.setdefault("role", "member")
    return client.post(reverse("invitation-bulk", args=[network.slug]), data)


def test_bulk_pasted_list_accepts_all_three_formats(
    lead_client, network, sent_on_commit
):
    people = (
        "priya@example.org\n"
        "\n"
        "Alex Okafor, alex@example.org\n"
        "Sam Lee <SAM@example.org>\n"
    )

    with sent_on_commit():
        response = bulk(lead_client, network, people=people, role="steering")

    assert response.status_code == 302
    invitations = {i.email: i for i in Invitation.objects.all()}
    assert set(invitations) == {"priya@example.org", "alex@example.org", "sam@example.org"}
    assert invitations["alex@example.org"].full_name == "Alex Okafor"
    assert invitations["sam@example.org"].full_name == "Sam Lee"
    assert {i.role for i in invitations.values()} == {Role.STEERING}
    assert len(mail.outbox) == 3
    assert AuditEvent.objects.filter(type=AuditEvent.Type.INVITATION_SENT).count() == 3
    assert "We have emailed 3 invitations" in lead_client.get(response["Location"]).text


@pytest.mark.parametrize("bom", ["\ufeff", ""], ids=["with-bom", "without-bom"])
def test_bulk_csv_invites_everyone_with_their_roles(
    lead_client, network, sent_on_commit, bom
):
    text = (
        f"{bom}Name,Email,Role\r\n"
        "Priya Shah,priya@example.org,\r\n"
        "Alex Okafor,alex@example.org,Steering group member\r\n"
        "\"Lee, Sam\",sam@example.org,lead\r\n"
    )

    with sent_on_commit():
        response = bulk(lead_client, network, csv_file=csv_upload(text))

    assert response.status_code == 302
    roles = dict(Invitation.objects.values_list("email", "role"))
    assert roles == {
        "priya@example.org": Role.MEMBER,
        "alex@example.org": Role.STEERING,
        "sam@example.org": Role.LEAD,
    }
    assert Invitation.objects.get(email="sam@example.org").full_name == "Lee, Sam"
    assert len(mail.outbox) == 3


def test_bulk_csv_with_one_bad_row_invites_no_one(lead_client, network, sent_on_commit):
    text = (
        "email,name\n"
        "priya@example.org,Priya\n"
        "alex@example.org,Alex\n"
        "bob@,Bob\n"
        "sam@example.org,Sam\n"
    )

    with sent_on_commit():
        response = bulk(lead_client, network, csv_file=csv_upload(text))

    assert response.status_code == 200
    assert "<title>Error: Invite several people" in response.text
    assert (
        '<a href="#id_csv_file">Line 4: &#x27;bob@&#x27; is not a valid email '
        "address</a>" in response.text
    )
    assert not Invitation.objects.exists()
    assert not AuditEvent.objects.exists()
    assert mail.outbox == []


def test_bulk_reports_every_problem_by_line_number(lead_client, network, member):
    InvitationFactory(network=network, email="invited@example.org")
    text = "\n".join(
        [
            "email,name,role",
            "ok@example.org,Fine,member",  # line 2: no problem
            "not-an-email,,member",  # 3
            "ok@example.org,Again,member",  # 4: also on line 2
            f"{member.email},,member",  # 5: already a member
            "invited@example.org,,member",  # 6: open invitation
            "boss@example.org,,boss",  # 7: unknown role
            ",No email,member",  # 8
        ]
    )

    response = bulk(lead_client, network, csv_file=csv_upload(text))

    errors = re.findall(r'<a href="#id_csv_file">(Line \d+:[^<]*)</a>', response.text)
    assert [error.split(":")[0] for error in errors] == [
        "Line 3",
        "Line 4",
        "Line 5",
        "Line 6",
        "Line 7",
        "Line 8",
    ]
    assert "Line 4: ok@example.org is also on line 2" in errors
    assert f"Line 5: {member.email} is already a member of this network" in errors
    assert errors[3].startswith("Line 6: invited@example.org has already been invited")
    assert "Line 7: &#x27;boss&#x27; is not a role" in errors[4]
    assert "Line 8: enter an email address" in errors
    assert Invitation.objects.count() == 1


def test_bulk_pasted_list_reports_line_numbers_counting_blank_lines(
    lead_client, network
):
    response = bulk(lead_client, network, people="a@example.org\n\nAlex, alex@\n")

    assert "Line 3: &#x27;alex@&#x27; is not a valid email address" in response.text
    assert not Invitation.objects.exists()


def test_bulk_csv_needs_an_email_column(lead_client, network):
    text = "name,address\nPriya,priya@example.org\n"

    response = bulk(lead_client, network, csv_file=csv_upload(text))

    assert "Line 1: the first line must name the columns, including" in response.text
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (csv_upload("email\na@example.org\n", name="people.xlsx"), "must be a CSV"),
        (
            csv_upload("email\nzoë@example.org\n", encoding="utf-16"),
            "must be saved as CSV UTF-8",
        ),
        (csv_upload(""), "The selected file is empty"),
        (
            csv_upload("email\n" + "a" * (1024 * 1024) + "\n"),
            "must be smaller than 1 MB",
        ),
    ],
    ids=["not-csv", "not-utf8", "empty", "too-big"],
)
def test_bulk_refuses_files_it_cannot_read(lead_client, network, upload, message):
    response = bulk(lead_client, network, csv_file=upload)

    assert message in response.text
    assert 'href="#id_csv_file"' in response.text
    assert not Invitation.objects.exists()


def test_bulk_csv_refuses_a_name_with_a_line_break_naming_its_line(
    lead_client, network
):
    # A quoted CSV value may hold a line break; the record starts on line 3.
    text = 'email,name\npriya@example.org,Priya\nalex@example.org,"Alex\nOkafor"\n'

    response = bulk(lead_client, network, csv_file=csv_upload(text))

    assert response.status_code == 200
    assert (
        '<a href="#id_csv_file">Line 3: the name must be on one line: remove the '
        "line break</a>" in response.text
    )
    assert not Invitation.objects.exists()


def test_bulk_csv_counts_lines_after_a_multi_line_value(lead_client, network):
    text = 'email,name\na@example.org,"Line\nbreak"\nnot-an-email,Bo\n'

    response = bulk(lead_client, network, csv_file=csv_upload(text))

    assert "Line 2: the name must be on one line" in response.text
    assert "Line 4: &#x27;not-an-email&#x27; is not a valid email" in response.text


def test_one_invitation_refuses_a_name_with_a_line_break(lead_client, network):
    response = lead_client.post(
        reverse("invitation-create", args=[network.slug]),
        {"email": "a@example.org", "full_name": "Alex\r\nBcc: x", "role": "member"},
    )

    assert '<a href="#id_full_name">Full name must be on one line</a>' in response.text
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("csrf_checked", [False, True], ids=["view", "csrf"])
def test_bulk_paste_too_big_to_read_gets_the_forms_error(
    lead_client, network, settings, csrf_checked
):
    # Real browsers go through the CSRF check, the first to read the POST.
    client = lead_client
    client.handler.enforce_csrf_checks = csrf_checked
    url = reverse("invitation-bulk", args=[network.slug])
    client.get(url)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    people = "".join(f"Person {n}, p{n}@example.org\n" for n in range(400))

    response = client.post(
        url,
        {
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
            "people": people,
            "role": "member",
        },
        follow=True,
    )

    assert response.status_code == 200
    assert "<title>Error: Invite several people" in response.text
    assert (
        '<a href="#id_people">The list is too long to send in one go: paste at most '
        "1,000 people (less than 4 KB) at a time, and split a longer list</a>"
        in response.text
    )
    assert not Invitation.objects.exists()


@pytest.mark.slow
def test_bulk_refuses_more_than_1000_people(lead_client, network):
    text = "email\n" + "".join(f"p{n}@example.org\n" for n in range(1001))

    response = bulk(lead_client, network, csv_file=csv_upload(text))

    assert "There are 1,001 people in the list: invite at most 1,000" in response.text
    assert not Invitation.objects.exists()


@pytest.mark.slow
def test_bulk_invites_1000_people(lead_client, network, sent_on_commit):
    text = "email\n" + "".join(f"p{n}@example.org\n" for n in range(1000))

    with sent_on_commit():
        response = bulk(lead_client, network, csv_file=csv_upload(text))

    assert response.status_code == 302
    assert Invitation.objects.count() == 1000
    assert len(mail.outbox) == 1000


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Paste a list of people or upload a CSV file"),
        (
            {"people": "a@example.org", "csv_file": csv_upload("email\nb@example.org")},
            "Either paste a list or upload a CSV file, not both",
        ),
        ({"people": "\n \n"}, "Paste a list of people or upload a CSV file"),
    ],
    ids=["neither", "both", "blank"],
)
def test_bulk_needs_a_list_or_a_file(lead_client, network, data, message):
    response = bulk(lead_client, network, **data)

    assert f'<a href="#id_people">{message}</a>' in response.text
    assert not Invitation.objects.exists()


# Re-sending and withdrawing


def test_resend_sends_a_new_link_and_the_old_one_stops_working(
    client, network, lead, sent_on_commit
):
    invitation = invitation_for(
        network, last_sent_at=timezone.now() - timedelta(days=10)
    )
    old_expiry = invitation.expires_at
    client.force_login(lead)

    with sent_on_commit():
        response = client.post(
            reverse("invitation-resend", args=[network.slug, invitation.pk])
        )

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.send_count == 2
    assert invitation.expires_at > old_expiry
    assert invitation.expires_at == invitation.last_sent_at + INVITATION_LIFETIME
    new_token = token_in(mail.outbox[0])
    assert invitation.token_hash == hash_token(new_token)
    assert "any earlier invitation link no longer works" in mail.outbox[0].body
    assert AuditEvent.objects.get().type == AuditEvent.Type.INVITATION_RESENT
    client.logout()
    assert client.get(accept_url()).status_code == 404
    assert client.get(accept_url(new_token)).status_code == 200


def test_resend_reopens_an_expired_invitation(lead_client, network, sent_on_commit):
    invitation = invitation_for(
        network, expires_at=timezone.now() - timedelta(days=3)
    )

    with sent_on_commit():
        lead_client.post(
            reverse("invitation-resend", args=[network.slug, invitation.pk])
        )

    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.OPEN
    assert len(mail.outbox) == 1


def test_resend_of_a_withdrawn_invitation_is_refused(lead_client, network, lead):
    invitation = invitation_for(network, revoked_at=timezone.now(), revoked_by=lead)
    url = reverse("invitation-resend", args=[network.slug, invitation.pk])

    response = lead_client.post(url, follow=True)

    assert "was withdrawn, so it cannot be re-sent" in response.text
    invitation.refresh_from_db()
    assert invitation.send_count == 1
    assert invitation.token_hash == hash_token(TOKEN)


def test_resend_needs_post(lead_client, network):
    invitation = InvitationFactory(network=network)

    response = lead_client.get(
        reverse("invitation-resend", args=[network.slug, invitation.pk])
    )

    assert response.status_code == 405
    invitation.refresh_from_db()
    assert invitation.send_count == 1


def test_resend_of_another_networks_invitation_is_404(lead_client, network):
    invitation = InvitationFactory()  # in another network

    response = lead_client.post(
        reverse("invitation-resend", args=[network.slug, invitation.pk])
    )

    assert response.status_code == 404


def test_withdraw_stops_the_link_working(client, network, lead):
    invitation = invitation_for(network)
    client.force_login(lead)

    response = client.post(
        reverse("invitation-withdraw", args=[network.slug, invitation.pk]), follow=True
    )

    assert "You withdrew the invitation to" in response.text
    invitation.refresh_from_db()
    assert invitation.revoked_by == lead
    assert invitation.status == Invitation.Status.REVOKED
    assert AuditEvent.objects.get().type == AuditEvent.Type.INVITATION_REVOKED
    client.logout()
    page = client.get(accept_url())
    assert page.status_code == 410
    assert "This invitation has been withdrawn" in page.text


def test_withdraw_twice_says_already_withdrawn(lead_client, network):
    invitation = InvitationFactory(network=network)
    url = reverse("invitation-withdraw", args=[network.slug, invitation.pk])
    lead_client.post(url)

    response = lead_client.post(url, follow=True)

    assert "was already withdrawn" in response.text
    assert AuditEvent.objects.count() == 1


# Following the link


def test_unknown_link_explains_what_to_do(client, db):
    response = client.get(accept_url("not-a-real-token"))

    assert response.status_code == 404
    assert "Invitation link not recognised" in response.text
    assert "ask the network lead who invited you to re-send it" in response.text


def test_link_expires_28_days_after_it_was_sent(client, network):
    # Sent 28 days and a minute ago: past its expiry.
    sent = timezone.now() - INVITATION_LIFETIME - timedelta(minutes=1)
    invitation_for(
        network, last_sent_at=sent, created_at=sent, expires_at=sent + INVITATION_LIFETIME
    )

    response = client.get(accept_url())

    assert response.status_code == 410
    assert "This invitation has expired" in response.text
    assert "re-send the invitation" in response.text


def test_link_works_until_expiry(client, network):
    invitation_for(network, expires_at=timezone.now() + timedelta(minutes=1))

    response = client.get(accept_url())

    assert response.status_code == 200


def test_expired_link_cannot_be_accepted(client, network):
    invitation_for(network, expires_at=timezone.now() - timedelta(seconds=1))

    response = client.post(accept_url(), new_account_form(network))

    assert response.status_code == 410
    assert not User.objects.exists()


@pytest.mark.slow
def test_new_person_creates_account_and_joins(client, network, sent_on_commit):
    invitation = invitation_for(
        network, email="priya@example.org", full_name="Priya S", role=Role.STEERING
    )
    page = client.get(accept_url())
    assert 'value="Priya S"' in page.text
    assert "priya@example.org" in page.text

    with sent_on_commit():
        response = client.post(
            accept_url(),
            # An email in the form is ignored: the account uses the invited address.
            new_account_form(network, email="someone.else@example.org"),
        )

    assert response.status_code == 302
    assert response["Location"] == network.get_absolute_url()
    user = User.objects.get()
    assert user.email == "priya@example.org"
    assert user.full_name == "Priya Shah"
    assert user.check_password("granite-otter-lantern")
    assert get_user(client) == user
    membership = Membership.objects.get(user=user, network=network)
    assert membership.role == Role.STEERING
    assert membership.directory_listed is True
    assert membership.share_email is True
    assert membership.share_profession is False  # not ticked
    assert list(membership.interests.all()) == [network.topics.first()]
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert AuditEvent.objects.get().type == AuditEvent.Type.INVITATION_ACCEPTED
    # Steering members must use two-factor: the welcome shows on its set-up page.
    home = client.get(response["Location"], follow=True)
    assert home.redirect_chain[-1][0].startswith("/account/two-factor/set-up/")
    assert f"Welcome to {network.name}. You joined as a steering group member" in (
        home.text
    )


def test_accepted_link_cannot_be_used_again(client, network):
    invitation_for(network, email="priya@example.org")
    client.post(accept_url(), new_account_form(network))
    client.logout()

    response = client.post(accept_url(), new_account_form(network))

    assert response.status_code == 410
    assert "This invitation has already been accepted" in response.text
    assert User.objects.count() == 1
    assert Membership.objects.count() == 1


@pytest.mark.slow
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password": "", "password_confirmation": ""}, "Enter a password"),
        ({"password": "short1", "password_confirmation": "short1"},
         "Your password must be at least 10 characters"),
        ({"password": "1234567890123", "password_confirmation": "1234567890123"},
         "Your password must include letters or symbols, not only numbers"),
        ({"password_confirmation": "something-else-entirely"},
         "The passwords you entered do not match"),
        ({"full_name": ""}, "Enter your full name"),
        ({"sector": ""}, "Select which best describes you"),
        ({"directory_listed": ""},
         "You can only show your email address if you are listed in the directory"),
    ],
    ids=["no-password", "short", "numeric", "mismatch", "no-name", "no-sector",
         "email-not-listed"],
)
def test_new_account_form_explains_each_problem(client, network, overrides, message):
    invitation_for(network)

    response = client.post(accept_url(), new_account_form(network, **overrides))

    assert response.status_code == 200
    assert "nhsuk-error-summary" in response.text
    assert message in response.text
    assert not User.objects.exists()


def test_existing_account_must_sign_in_first(client, network):
    user = UserFactory(email="priya@example.org")
    invitation_for(network, email=user.email)

    response = client.post(accept_url(), new_account_form(network))

    assert response.status_code == 200
    assert "Sign in to accept your invitation" in response.text
    assert f"{reverse('sign-in')}?next=%2Finvitations%2F{TOKEN}%2F" in response.text
    assert not Membership.objects.exists()
    assert not user.memberships.exists()


def test_signed_in_person_accepts_with_their_account(client, network):
    other = MembershipFactory(role=Role.MEMBER)  # a member of another network
    user = other.user
    invitation_for(network, email=user.email.upper(), role=Role.LEAD)
    client.force_login(user)
    assert "Accept invitation" in client.get(accept_url()).text

    response = client.post(
        accept_url(), membership_form(network, directory_listed="", share_email="")
    )

    assert response.status_code == 302
    membership = user.memberships.get(network=network)
    assert membership.role == Role.LEAD
    assert membership.directory_listed is False
    assert User.objects.filter(email=user.email).count() == 1
    assert Invitation.objects.get().accepted_by == user


def test_signed_in_as_another_account_cannot_accept(client, network, outsider):
    invitation_for(network, email="priya@example.org")
    client.force_login(outsider)

    response = client.post(accept_url(), membership_form(network))

    assert response.status_code == 403
    assert "This invitation is for another account" in response.text
    assert "priya@example.org" in response.text
    assert not outsider.memberships.exists()
    assert Invitation.objects.get().status == Invitation.Status.OPEN


def test_member_following_their_invitation_is_told_they_are_a_member(
    client, network, member
):
    invitation_for(network, email=member.email)
    client.force_login(member)

    response = client.post(accept_url(), membership_form(network))

    assert "You are already a member" in response.text
    assert member.memberships.count() == 1


def test_existing_account_signs_in_and_comes_back_to_accept(client, network, password):
    user = UserFactory(email="priya@example.org")
    invitation_for(network, email=user.email)
    sign_in = re.search(r'href="([^"]*next=[^"]*)"', client.get(accept_url()).text)[1]

    response = client.post(
        sign_in.replace("&amp;", "&"), {"email": user.email, "password": password}
    )

    assert response.status_code == 302
    assert response["Location"] == accept_url()
    assert "Accept invitation" in client.get(accept_url()).text

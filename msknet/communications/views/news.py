"""News pages: the network's news, feeds, and writing and sending newsletters.

Anyone reads public news at /n/<network>/news/ and its RSS and Atom feeds;
members read members-only items too. Writers (leads, and members a lead
allows) write, preview, schedule and send at /n/<network>/news/manage/.
The links in news emails (unsubscribe, the open-counting image) work without
signing in: their secret is the recipient's token.
"""

from __future__ import annotations

import base64
from typing import Any

from csp.decorators import csp_update
from django.conf import settings
from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from msknet.core.confirm import confirm
from msknet.core.gate import gate
from msknet.members.models import Network
from msknet.members.permissions import Permission, has_permission

from .. import news_actions as actions
from .. import news_queries as queries
from ..models import NewsItem, NewsRecipient, NewsWriter
from ..news_audiences import audience_members, describe
from ..news_emails import Composed, compose, written_email
from ..news_forms import NewsForm, ScheduleForm, WriterForm

PAGE_SIZE = 20
FEED_SIZE = 30
#: A transparent 1×1 GIF: the image that counts an email as opened.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def load_network(*, network: Network, kwargs: dict[str, Any]) -> Network:
    return network


def load_published(*, network: Network, kwargs: dict[str, Any]) -> NewsItem:
    return get_object_or_404(
        NewsItem.objects.for_network(network).published().select_related("network"),
        pk=kwargs.pop("pk"),
    )


def load_item(*, network: Network, kwargs: dict[str, Any]) -> NewsItem:
    return get_object_or_404(
        NewsItem.objects.for_network(network).select_related(
            "network", "audience_group", "audience_icb", "audience_topic",
            "audience_event", "audience_project", "audience_innovation", "created_by",
        ),
        pk=kwargs.pop("pk"),
    )


def load_writer(*, network: Network, kwargs: dict[str, Any]) -> NewsWriter:
    return get_object_or_404(
        NewsWriter.objects.select_related("user", "network"),
        network=network, pk=kwargs.pop("pk"),
    )


def news_crumbs(network: Network) -> list[tuple[str, str]]:
    return [
        (network.short_name, network.get_absolute_url()),
        ("News", reverse("news-list", args=[network.slug])),
    ]


def manage_crumbs(network: Network, item: NewsItem | None = None) -> list[tuple[str, str]]:
    crumbs = [*news_crumbs(network),
              ("Write and send news", reverse("news-manage", args=[network.slug]))]
    if item is not None:
        crumbs.append((item.title, item.get_manage_url()))
    return crumbs


# Reading ------------------------------------------------------------------


@gate(Permission.VIEW_PUBLIC)
def news_list(request: HttpRequest, network: Network) -> HttpResponse:
    user = request.user
    paginator = Paginator(queries.readable_news(network, user), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    member = has_permission(user, Permission.CHOOSE_NEWS_EMAILS, network)
    context = {
        "network": network,
        "page": page,
        "items": page.object_list,
        "page_range": (
            paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
            if paginator.num_pages > 1
            else []
        ),
        "member": member,
        "gets_emails": member and actions.gets_news_emails(network, user),
        "can_write": getattr(user, "is_authenticated", False)
        and has_permission(user, Permission.WRITE_NEWS, network, network),
        "crumbs": [(network.short_name, network.get_absolute_url())],
    }
    return TemplateResponse(request, "communications/news/news_list.html", context)


@gate(Permission.VIEW_NEWS, load=load_published, as_="item")
def news_detail(request: HttpRequest, network: Network, item: NewsItem) -> HttpResponse:
    context = {"network": network, "item": item, "crumbs": news_crumbs(network)}
    return TemplateResponse(request, "communications/news/news_detail.html", context)


@gate(Permission.CHOOSE_NEWS_EMAILS)
@require_POST
def news_emails(request: HttpRequest, network: Network) -> HttpResponse:
    wanted = request.POST.get("wanted") == "yes"
    actions.choose_news_emails(network=network, by=request.user, wanted=wanted)
    messages.success(
        request,
        f"You will get {network.short_name} news by email"
        if wanted
        else f"You will not get {network.short_name} news by email",
    )
    return redirect("news-list", network_slug=network.slug)


class NewsFeed(Feed):  # type: ignore[type-arg]
    """A network's public news; every link absolute, from SITE_URL."""

    feed_type = Rss201rev2Feed

    def get_object(self, request: HttpRequest, network: Network) -> Network:  # type: ignore[override]
        return network

    def title(self, network: Network) -> str:
        return f"{network.name} news"

    def link(self, network: Network) -> str:
        return settings.SITE_URL + reverse("news-list", args=[network.slug])

    def description(self, network: Network) -> str:
        return f"Announcements and newsletters from {network.name}."

    def items(self, network: Network) -> Any:
        return queries.public_news(network).select_related("network")[:FEED_SIZE]

    def item_title(self, item: NewsItem) -> str:
        return item.title

    def item_description(self, item: NewsItem) -> str:
        return item.summary or item.sent_text[:500]

    def item_link(self, item: NewsItem) -> str:
        return settings.SITE_URL + item.get_absolute_url()

    def item_guid(self, item: NewsItem) -> str:
        return self.item_link(item)

    def item_pubdate(self, item: NewsItem) -> Any:
        return item.sent_at

    def item_updateddate(self, item: NewsItem) -> Any:
        return item.sent_at


class NewsAtomFeed(NewsFeed):
    feed_type = Atom1Feed

    def subtitle(self, network: Network) -> str:
        return self.description(network)


@gate(Permission.VIEW_PUBLIC)
def news_feed_rss(request: HttpRequest, network: Network) -> HttpResponse:
    return NewsFeed()(request, network=network)


@gate(Permission.VIEW_PUBLIC)
def news_feed_atom(request: HttpRequest, network: Network) -> HttpResponse:
    return NewsAtomFeed()(request, network=network)


# Writing ------------------------------------------------------------------


@gate(Permission.WRITE_NEWS, load=load_network, as_="network")
def news_manage(request: HttpRequest, network: Network) -> HttpResponse:
    context = {
        "network": network,
        "items": queries.manage_list(network),
        "manage_writers": has_permission(
            request.user, Permission.MANAGE_NEWS_WRITERS, network
        ),
        "crumbs": news_crumbs(network),
    }
    return TemplateResponse(request, "communications/news/manage_list.html", context)


@gate(Permission.WRITE_NEWS, load=load_network, as_="network")
def news_create(request: HttpRequest, network: Network) -> HttpResponse:
    form = NewsForm(posted(request), network=network,
                    initial={"kind": "announcement", "audience_kind": "network",
                             "visibility": "members"})
    if request.method == "POST" and form.is_valid():
        item = actions.draft_news(network=network, by=request.user, **form.cleaned_data)
        messages.success(request, "Your draft is saved. Check the preview before sending")
        return redirect("news-preview", network_slug=network.slug, pk=item.pk)
    context = {"network": network, "form": form, "crumbs": manage_crumbs(network)}
    return TemplateResponse(request, "communications/news/news_form.html", context)


@gate(Permission.WRITE_NEWS, load=load_item, as_="item")
def news_edit(request: HttpRequest, network: Network, item: NewsItem) -> HttpResponse:
    if not item.is_editable:
        messages.error(request, "This has been sent, so it can no longer change")
        return redirect(item.get_manage_url())
    form = NewsForm(posted(request), network=network, initial=NewsForm.initial_for(item))
    if request.method == "POST" and form.is_valid():
        actions.change_news(item=item, by=request.user, **form.cleaned_data)
        messages.success(request, "Your changes are saved")
        return redirect("news-preview", network_slug=network.slug, pk=item.pk)
    context = {"network": network, "form": form, "item": item,
               "crumbs": manage_crumbs(network, item)}
    return TemplateResponse(request, "communications/news/news_form.html", context)


@gate(Permission.WRITE_NEWS, load=load_item, as_="item")
def news_item(request: HttpRequest, network: Network, item: NewsItem) -> HttpResponse:
    context = {
        "network": network,
        "item": item,
        "counts": queries.counts(item),
        "audience": item.audience_description or describe(item),
        "crumbs": manage_crumbs(network),
    }
    return TemplateResponse(request, "communications/news/manage_item.html", context)


def preview_email(item: NewsItem) -> Any:
    composed = compose(item, now=timezone.now())
    return composed, written_email(item, composed, None)


@gate(Permission.WRITE_NEWS, load=load_item, as_="item")
def news_preview(request: HttpRequest, network: Network, item: NewsItem) -> HttpResponse:
    if item.is_published:
        return redirect(item.get_manage_url())
    composed, email = preview_email(item)
    context = {
        "network": network,
        "item": item,
        "preview_html": NewsItem(sent_html=composed.html).site_html,
        "email": email,
        "reach": audience_members(item).count(),
        "audience": describe(item),
        "crumbs": manage_crumbs(network, item),
    }
    return TemplateResponse(request, "communications/news/news_preview.html", context)


@gate(Permission.WRITE_NEWS, load=load_item, as_="item")
@csp_update({"style-src": ["'unsafe-inline'"]})
def news_preview_email(request: HttpRequest, network: Network, item: NewsItem) -> HttpResponse:
    """The HTML part of the email exactly as it would be sent (its inline
    styles allowed on this one page)."""
    if item.is_published:
        composed = Composed(html=item.sent_html, text=item.sent_text)
    else:
        composed, _ = preview_email(item)
    email = written_email(item, composed, None)
    return HttpResponse(email.html, content_type="text/html; charset=utf-8")


@gate(Permission.WRITE_NEWS, load=load_item, as_="item")
def news_schedule(request: HttpRequest, network: Network, item: NewsItem) -> HttpResponse:
    if not item.is_editable:
        return redirect(item.get_manage_url())
    initial = {}
    if item.send_at:
        local = timezone.localtime(item.send_at)
        initial = {"send_on": local.date(), "send_time": local.time()}
    form = ScheduleForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            item = actions.schedule_news(
                item=item, by=request.user, send_at=form.cleaned_data["send_at"]
            )
        except actions.InThePast:
            form.add_error("send_time", "Choose a time in the future")
        else:
            when = timezone.localtime(item.send_at).strftime("%-d %B %Y at %H:%M")
            messages.success(request, f"It will be sent on {when}")
            return redirect(item.get_manage_url())
    context = {"network": network, "item": item, "form": form,
               "reach": audience_members(item).count(),
               "crumbs": manage_crumbs(network, item)}
    return TemplateResponse(request, "communications/news/news_schedule.html", context)


@gate(Permission.WRITE_NEWS, load=load_item, as_="item")
def news_send(request: HttpRequest, network: Network, item: NewsItem) -> HttpResponse:
    if not item.is_editable:
        return redirect(item.get_manage_url())
    if request.method == "POST":
        actions.send_news_now(item=item, by=request.user)
        messages.success(request, "It is being sent now")
        return redirect(item.get_manage_url())
    reach = audience_members(item).count()
    return confirm(
        request,
        question=f"Send “{item.title}” now?",
        explanation=[
            (
                f"It will be emailed to {reach} "
                f"{'person' if reach == 1 else 'people'} ({describe(item)}) and "
                "published on the news page."
            ),
            "Once sent, it cannot be changed or called back.",
        ],
        button="Send now",
        back_url=reverse("news-preview", args=[network.slug, item.pk]),
        crumbs=manage_crumbs(network, item),
        warning=False,
    )


@gate(Permission.WRITE_NEWS, load=load_item, as_="item")
def news_cancel(request: HttpRequest, network: Network, item: NewsItem) -> HttpResponse:
    if not item.is_scheduled:
        return redirect(item.get_manage_url())
    if request.method == "POST":
        actions.cancel_news(item=item, by=request.user)
        messages.success(request, "It will not be sent. It is a draft again")
        return redirect(item.get_manage_url())
    when = timezone.localtime(item.send_at).strftime("%-d %B %Y at %H:%M")
    return confirm(
        request,
        question=f"Stop “{item.title}” being sent?",
        explanation=f"It is due to be sent on {when}. It will become a draft again, "
        "which you can change and schedule later.",
        button="Do not send it",
        back_url=item.get_manage_url(),
        crumbs=manage_crumbs(network, item),
    )


# Writers ------------------------------------------------------------------


@gate(Permission.MANAGE_NEWS_WRITERS)
def news_writers(request: HttpRequest, network: Network) -> HttpResponse:
    form = WriterForm(posted(request), network=network)
    if request.method == "POST" and form.is_valid():
        user = form.cleaned_data["user"]
        actions.add_writer(network=network, user=user, by=request.user)
        messages.success(request, f"{user.display_name} can now write and send news")
        return redirect("news-writers", network_slug=network.slug)
    context = {
        "network": network,
        "form": form,
        "writers": NewsWriter.objects.filter(network=network).select_related("user"),
        "crumbs": manage_crumbs(network),
    }
    return TemplateResponse(request, "communications/news/writers.html", context)


@gate(Permission.MANAGE_NEWS_WRITERS, load=load_writer, as_="writer")
def news_writer_remove(
    request: HttpRequest, network: Network, writer: NewsWriter
) -> HttpResponse:
    back = reverse("news-writers", args=[network.slug])
    if request.method == "POST":
        actions.remove_writer(writer=writer, by=request.user)
        messages.success(request, f"{writer.user.display_name} can no longer write news")
        return redirect(back)
    return confirm(
        request,
        question=f"Stop {writer.user.display_name} writing news?",
        explanation="They will no longer be able to write, schedule or send "
        f"{network.short_name} news. What they wrote stays.",
        button="Stop them writing news",
        back_url=back,
        crumbs=manage_crumbs(network),
    )


# Links in news emails -----------------------------------------------------


def recipient_or_404(token: str) -> NewsRecipient:
    recipient = queries.recipient_for_token(token)
    if recipient is None:
        raise Http404("This link is not valid.")
    return recipient


@gate(Permission.VIEW_PUBLIC)
@never_cache
def news_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Unsubscribe from a network's news, from the link in an email."""
    recipient = recipient_or_404(token)
    network = recipient.item.network
    if request.method == "POST":
        actions.unsubscribe(recipient=recipient)
        context = {"network": network, "done": True}
        return TemplateResponse(request, "communications/news/unsubscribe.html", context)
    context = {"network": network, "done": False, "email": recipient.email}
    return TemplateResponse(request, "communications/news/unsubscribe.html", context)


@csrf_exempt
@gate(Permission.VIEW_PUBLIC)
@never_cache
def news_unsubscribe_one_click(request: HttpRequest, token: str) -> HttpResponse:
    """RFC 8058 one-click unsubscribe: a mail app POSTs
    `List-Unsubscribe=One-Click` here, with no cookies and no page. (Without
    that body, the person is shown the usual page to confirm.)"""
    recipient = recipient_or_404(token)
    if request.method == "POST" and request.POST.get("List-Unsubscribe") == "One-Click":
        actions.unsubscribe(recipient=recipient)
        return HttpResponse("Unsubscribed.", content_type="text/plain")
    return redirect("news-unsubscribe", token=token)


@gate(Permission.VIEW_PUBLIC)
@never_cache
def news_opened(request: HttpRequest, token: str) -> HttpResponse:
    """The image in a news email: counts it opened, once, where the email app
    loads images. Always the same image, whether or not the token is known."""
    NewsRecipient.objects.filter(token=token[:64], opened_at__isnull=True).update(
        opened_at=timezone.now()
    )
    return HttpResponse(PIXEL, content_type="image/gif")


urlpatterns: list[URLPattern] = [
    path("n/<slug:network_slug>/news/", news_list, name="news-list"),
    path("n/<slug:network_slug>/news/<int:pk>/", news_detail, name="news-detail"),
    path("n/<slug:network_slug>/news/feed/rss/", news_feed_rss, name="news-feed-rss"),
    path("n/<slug:network_slug>/news/feed/atom/", news_feed_atom, name="news-feed-atom"),
    path("n/<slug:network_slug>/news/emails/", news_emails, name="news-emails"),
    path("n/<slug:network_slug>/news/manage/", news_manage, name="news-manage"),
    path("n/<slug:network_slug>/news/new/", news_create, name="news-create"),
    path("n/<slug:network_slug>/news/manage/<int:pk>/", news_item, name="news-item"),
    path("n/<slug:network_slug>/news/manage/<int:pk>/edit/", news_edit, name="news-edit"),
    path("n/<slug:network_slug>/news/manage/<int:pk>/preview/", news_preview,
         name="news-preview"),
    path("n/<slug:network_slug>/news/manage/<int:pk>/preview/email/",
         news_preview_email, name="news-preview-email"),
    path("n/<slug:network_slug>/news/manage/<int:pk>/schedule/", news_schedule,
         name="news-schedule"),
    path("n/<slug:network_slug>/news/manage/<int:pk>/send/", news_send,
         name="news-send"),
    path("n/<slug:network_slug>/news/manage/<int:pk>/cancel/", news_cancel,
         name="news-cancel"),
    path("n/<slug:network_slug>/news/writers/", news_writers, name="news-writers"),
    path("n/<slug:network_slug>/news/writers/<int:pk>/remove/", news_writer_remove,
         name="news-writer-remove"),
    path("news/unsubscribe/<str:token>/", news_unsubscribe, name="news-unsubscribe"),
    path("news/unsubscribe/<str:token>/one-click/", news_unsubscribe_one_click,
         name="news-unsubscribe-one-click"),
    path("news/o/<str:token>.gif", news_opened, name="news-opened"),
]

"""Discussion pages under /n/<network>/discussions/."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from msknet.core.gate import gate
from msknet.members.models import Network
from msknet.members.permissions import Permission, has_permission

from . import actions, queries
from .forms import EditPostForm, ReasonForm, ReplyForm, ThreadForm
from .models import Post, Thread
from .text import render_body

PAGE_SIZE = 20
LOCKED_MESSAGE = "This discussion is locked: it takes no new replies."


def load_thread(*, network: Network, kwargs: dict[str, Any]) -> Thread:
    return get_object_or_404(
        Thread.objects.select_related("network", "author", "group", "locked_by"),
        network=network,
        pk=kwargs.pop("pk"),
    )


def load_post(*, network: Network, kwargs: dict[str, Any]) -> Post:
    return get_object_or_404(
        Post.objects.select_related("thread__network", "author"),
        thread__network=network,
        pk=kwargs.pop("pk"),
    )


def crumbs(network: Network, thread: Thread | None = None) -> list[tuple[str, str]]:
    items = [
        (network.short_name, network.get_absolute_url()),
        ("Discussions", reverse("discussion-list", args=[network.slug])),
    ]
    if thread is not None:
        items.append((thread.title, thread.get_absolute_url()))
    return items


def posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


# Threads --------------------------------------------------------------------


@gate(Permission.VIEW_DISCUSSIONS)
def discussion_list(request: HttpRequest, network: Network) -> HttpResponse:
    groups = list(network.groups.all())  # type: ignore[attr-defined]
    group = next((g for g in groups if g.slug == request.GET.get("group")), None)
    paginator = Paginator(queries.thread_list(network, group=group), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "network": network,
        "page": page,
        "threads": page.object_list,
        "groups": groups,
        "group": group,
        "page_range": (
            paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
            if paginator.num_pages > 1
            else []
        ),
        "crumbs": [(network.short_name, network.get_absolute_url())],
    }
    return TemplateResponse(request, "discussions/thread_list.html", context)


@gate(Permission.TAKE_PART_IN_DISCUSSIONS)
def discussion_create(request: HttpRequest, network: Network) -> HttpResponse:
    form = ThreadForm(posted(request), network=network)
    if request.method == "POST" and form.is_valid():
        thread = actions.start_thread(
            network=network, by=request.user, **form.cleaned_data
        )
        messages.success(request, "Your discussion is started")
        return redirect(thread)
    context = {
        "network": network,
        "form": form,
        "mention_choices": queries.mention_choices(network),
        "crumbs": crumbs(network),
    }
    return TemplateResponse(request, "discussions/thread_create.html", context)


def thread_page(
    request: HttpRequest, network: Network, thread: Thread, reply_form: ReplyForm
) -> HttpResponse:
    user = request.user
    moderator = has_permission(user, Permission.MODERATE_DISCUSSIONS, network)
    posts = list(queries.thread_posts(thread))
    for post in posts:
        post.thread = thread  # the loaded thread, for the edit rule and links
        post.can_edit = has_permission(  # type: ignore[attr-defined]
            user, Permission.EDIT_DISCUSSION_POST, network, post
        )
        if moderator or not post.is_hidden:
            post.html = render_body(post.body, post.mentioned)  # type: ignore[attr-defined]
    take_part = has_permission(user, Permission.TAKE_PART_IN_DISCUSSIONS, network)
    context = {
        "network": network,
        "thread": thread,
        "opening": next((p for p in posts if p.is_opening), None),
        "replies": [p for p in posts if not p.is_opening],
        "moderator": moderator,
        "take_part": take_part,
        "following": queries.is_following(thread, user),
        "form": reply_form,
        "mention_choices": (
            queries.mention_choices(network)
            if take_part and not thread.is_locked
            else []
        ),
        "crumbs": crumbs(network),
    }
    return TemplateResponse(request, "discussions/thread_detail.html", context)


@gate(Permission.VIEW_DISCUSSIONS, load=load_thread, as_="thread")
def discussion_detail(
    request: HttpRequest, network: Network, thread: Thread
) -> HttpResponse:
    return thread_page(request, network, thread, ReplyForm(network=network))


@gate(Permission.TAKE_PART_IN_DISCUSSIONS, load=load_thread, as_="thread")
@require_POST
def discussion_reply(
    request: HttpRequest, network: Network, thread: Thread
) -> HttpResponse:
    form = ReplyForm(request.POST, network=network)
    if form.is_valid():
        try:
            post = actions.post_reply(
                thread=thread, by=request.user, **form.cleaned_data
            )
        except actions.ThreadLocked:
            messages.error(request, LOCKED_MESSAGE)
            return redirect(thread)
        messages.success(request, "Your reply is posted")
        return redirect(post)
    return thread_page(request, network, thread, form)


@gate(Permission.TAKE_PART_IN_DISCUSSIONS, load=load_thread, as_="thread")
@require_POST
def discussion_follow(
    request: HttpRequest, network: Network, thread: Thread
) -> HttpResponse:
    actions.follow_thread(thread=thread, by=request.user)
    messages.success(
        request,
        "You are following this discussion: replies will appear in your notifications",
    )
    return redirect(thread)


@gate(Permission.TAKE_PART_IN_DISCUSSIONS, load=load_thread, as_="thread")
@require_POST
def discussion_unfollow(
    request: HttpRequest, network: Network, thread: Thread
) -> HttpResponse:
    actions.unfollow_thread(thread=thread, by=request.user)
    messages.success(request, "You no longer follow this discussion")
    return redirect(thread)


# Posts ----------------------------------------------------------------------


@gate(Permission.EDIT_DISCUSSION_POST, load=load_post, as_="post")
def discussion_post_edit(
    request: HttpRequest, network: Network, post: Post
) -> HttpResponse:
    thread = post.thread
    form = EditPostForm(
        posted(request),
        network=network,
        opening=post.is_opening,
        initial={"body": post.body, "title": thread.title},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.edit_post(post=post, by=request.user, **form.cleaned_data)
        except actions.ThreadLocked:
            messages.error(request, LOCKED_MESSAGE)
            return redirect(thread)
        messages.success(request, "Your changes are saved")
        return redirect(post)
    context = {
        "network": network,
        "thread": thread,
        "post": post,
        "form": form,
        "mention_choices": queries.mention_choices(network),
        "crumbs": crumbs(network, thread),
    }
    return TemplateResponse(request, "discussions/post_edit.html", context)


# Moderation -----------------------------------------------------------------


@gate(Permission.MODERATE_DISCUSSIONS, load=load_post, as_="post")
def discussion_post_hide(
    request: HttpRequest, network: Network, post: Post
) -> HttpResponse:
    form = ReasonForm(
        posted(request),
        help_text='Members see this in place of the post: "Hidden by a moderator: '
        '<your reason>". Leads can still read the post.',
    )
    if request.method == "POST" and form.is_valid():
        actions.hide_post(post=post, by=request.user, **form.cleaned_data)
        messages.success(request, "The post is hidden from members")
        return redirect(post)
    context = {
        "network": network,
        "thread": post.thread,
        "post": post,
        "form": form,
        "crumbs": crumbs(network, post.thread),
    }
    return TemplateResponse(request, "discussions/post_hide.html", context)


@gate(Permission.MODERATE_DISCUSSIONS, load=load_post, as_="post")
@require_POST
def discussion_post_unhide(
    request: HttpRequest, network: Network, post: Post
) -> HttpResponse:
    actions.unhide_post(post=post, by=request.user)
    messages.success(request, "The post shows to members again")
    return redirect(post)


@gate(Permission.MODERATE_DISCUSSIONS, load=load_thread, as_="thread")
def discussion_lock(
    request: HttpRequest, network: Network, thread: Thread
) -> HttpResponse:
    form = ReasonForm(
        posted(request),
        help_text="Members see this on the discussion. A locked discussion takes "
        "no replies or edits; it stays readable.",
    )
    if request.method == "POST" and form.is_valid():
        actions.lock_thread(thread=thread, by=request.user, **form.cleaned_data)
        messages.success(request, "The discussion is locked")
        return redirect(thread)
    context = {
        "network": network,
        "thread": thread,
        "form": form,
        "crumbs": crumbs(network, thread),
    }
    return TemplateResponse(request, "discussions/thread_lock.html", context)


@gate(Permission.MODERATE_DISCUSSIONS, load=load_thread, as_="thread")
@require_POST
def discussion_unlock(
    request: HttpRequest, network: Network, thread: Thread
) -> HttpResponse:
    actions.unlock_thread(thread=thread, by=request.user)
    messages.success(request, "The discussion is open for replies again")
    return redirect(thread)


urlpatterns = [
    path("n/<slug:network_slug>/discussions/", discussion_list, name="discussion-list"),
    path(
        "n/<slug:network_slug>/discussions/new/",
        discussion_create,
        name="discussion-create",
    ),
    path(
        "n/<slug:network_slug>/discussions/<int:pk>/",
        discussion_detail,
        name="discussion-detail",
    ),
    path(
        "n/<slug:network_slug>/discussions/<int:pk>/reply/",
        discussion_reply,
        name="discussion-reply",
    ),
    path(
        "n/<slug:network_slug>/discussions/<int:pk>/follow/",
        discussion_follow,
        name="discussion-follow",
    ),
    path(
        "n/<slug:network_slug>/discussions/<int:pk>/unfollow/",
        discussion_unfollow,
        name="discussion-unfollow",
    ),
    path(
        "n/<slug:network_slug>/discussions/<int:pk>/lock/",
        discussion_lock,
        name="discussion-lock",
    ),
    path(
        "n/<slug:network_slug>/discussions/<int:pk>/unlock/",
        discussion_unlock,
        name="discussion-unlock",
    ),
    path(
        "n/<slug:network_slug>/discussions/posts/<int:pk>/edit/",
        discussion_post_edit,
        name="discussion-post-edit",
    ),
    path(
        "n/<slug:network_slug>/discussions/posts/<int:pk>/hide/",
        discussion_post_hide,
        name="discussion-post-hide",
    ),
    path(
        "n/<slug:network_slug>/discussions/posts/<int:pk>/unhide/",
        discussion_post_unhide,
        name="discussion-post-unhide",
    ),
]

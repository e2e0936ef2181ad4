from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from msknet.core.gate import gate

from ..actions import joining as actions
from ..forms.joining import JoinDecisionForm, JoinRequestForm
from ..models import JoinRequest, Network
from ..permissions import Permission


@gate(Permission.REQUEST_TO_JOIN)
def join_request_create(request: HttpRequest, network: Network) -> HttpResponse:
    if not network.open_to_join:
        return TemplateResponse(
            request, "members/joining/closed.html", {"network": network}
        )
    form = JoinRequestForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        try:
            # The same answer whether or not the address is known: see the action.
            actions.request_to_join(network=network, by=request.user, **form.cleaned_data)
        except actions.JoinRefused as refused:  # the network closed meanwhile
            form.add_error(None, str(refused))
        else:
            return redirect("join-request-sent", network_slug=network.slug)
    context = {
        "network": network,
        "form": form,
        "crumbs": [(network.short_name, network.get_absolute_url())],
    }
    return TemplateResponse(request, "members/joining/request_form.html", context)


@gate(Permission.REQUEST_TO_JOIN)
def join_request_sent(request: HttpRequest, network: Network) -> HttpResponse:
    return TemplateResponse(
        request, "members/joining/request_sent.html", {"network": network}
    )


@gate(Permission.DECIDE_JOIN_REQUESTS)
def join_request_list(request: HttpRequest, network: Network) -> HttpResponse:
    requests = network.join_requests.select_related("organisation", "icb")
    context = {
        "network": network,
        "pending": requests.filter(status=JoinRequest.Status.PENDING).order_by(
            "created_at"
        ),
        "decided": requests.exclude(status=JoinRequest.Status.PENDING).select_related(
            "decided_by"
        )[:20],
        "crumbs": [(network.short_name, network.get_absolute_url())],
    }
    return TemplateResponse(request, "members/joining/request_list.html", context)


@gate(Permission.DECIDE_JOIN_REQUESTS)
def join_request_decide(
    request: HttpRequest, network: Network, pk: int
) -> HttpResponse:
    join_request = get_object_or_404(
        network.join_requests.select_related("organisation", "icb"), pk=pk
    )
    form = JoinDecisionForm(request.POST or None)
    if (
        request.method == "POST"
        and join_request.status == JoinRequest.Status.PENDING
        and form.is_valid()
    ):
        try:
            if form.cleaned_data["decision"] == "approve":
                actions.approve_join_request(join_request=join_request, by=request.user)
                messages.success(
                    request, f"{join_request.full_name} is now a member. We have "
                    "emailed them."
                )
            else:
                actions.decline_join_request(
                    join_request=join_request,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                )
                messages.success(
                    request, f"You declined {join_request.full_name}'s request. We "
                    "have emailed them your reason."
                )
        except actions.AlreadyDecided:
            messages.error(request, "Another lead has already decided this request.")
        return redirect("join-request-list", network_slug=network.slug)
    context = {
        "network": network,
        "join_request": join_request,
        "interests": join_request.interests.all(),
        "form": form,
        "crumbs": [
            (network.short_name, network.get_absolute_url()),
            ("Join requests", reverse("join-request-list", args=[network.slug])),
        ],
    }
    return TemplateResponse(request, "members/joining/request_decide.html", context)


urlpatterns = [
    path("n/<slug:network_slug>/join/", join_request_create, name="join-request-create"),
    path(
        "n/<slug:network_slug>/join/sent/", join_request_sent, name="join-request-sent"
    ),
    path(
        "n/<slug:network_slug>/manage/requests/",
        join_request_list,
        name="join-request-list",
    ),
    path(
        "n/<slug:network_slug>/manage/requests/<int:pk>/",
        join_request_decide,
        name="join-request-decide",
    ),
]

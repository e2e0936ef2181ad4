from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse

from msknet.core.gate import gate

from .. import queries_directory as directory_queries
from ..forms.directory import DirectoryFilterForm
from ..models import Membership, Network
from ..permissions import Permission

PAGE_SIZE = 25


@gate(Permission.VIEW_DIRECTORY)
def directory(request: HttpRequest, network: Network) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None, network=network)
    if form.is_bound:
        # Search with what is valid; the error summary names the rest.
        form.is_valid()
    filters = form.filters()
    members = directory_queries.search_directory(network, **filters)
    paginator = Paginator(directory_queries.with_details(members), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "network": network,
        "form": form,
        "filtered": bool(filters),
        "page": page,
        "entries": [directory_queries.directory_entry(m) for m in page.object_list],
        "page_range": (
            paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
            if paginator.num_pages > 1
            else []
        ),
        "crumbs": [(network.short_name, network.get_absolute_url())],
    }
    return TemplateResponse(request, "members/directory/directory_list.html", context)


@gate(Permission.VIEW_DIRECTORY)
def directory_profile(request: HttpRequest, network: Network, pk: int) -> HttpResponse:
    try:
        membership = directory_queries.directory_member(network, pk)
    except Membership.DoesNotExist:
        raise Http404("No listed member has that number") from None
    context = {
        "network": network,
        "entry": directory_queries.directory_entry(membership),
        "crumbs": [
            (network.short_name, network.get_absolute_url()),
            ("Directory", reverse("directory", args=[network.slug])),
        ],
    }
    return TemplateResponse(
        request, "members/directory/directory_profile.html", context
    )


urlpatterns = [
    path("n/<slug:network_slug>/directory/", directory, name="directory"),
    path(
        "n/<slug:network_slug>/directory/<int:pk>/",
        directory_profile,
        name="directory-profile",
    ),
]

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.response import TemplateResponse

from .gate import public


@public
def accessibility(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "core/accessibility.html")


@public
def privacy(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "core/privacy.html")


@public
def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "core/403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "core/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "core/500.html", status=500)

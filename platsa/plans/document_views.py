"""The plan's documents (being written)."""

from django.http import Http404, HttpRequest, HttpResponse


def documents(request: HttpRequest, slug: str, plan_slug: str) -> HttpResponse:
    raise Http404


def document_file(request: HttpRequest, slug: str, plan_slug: str, job_id: int) -> HttpResponse:
    raise Http404

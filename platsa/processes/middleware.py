"""Turns :class:`platsa.processes.access.PhaseClosed` into a page that says why."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from platsa.processes.access import PhaseClosed


class PhaseClosedMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, PhaseClosed):
            return None
        process = exception.process
        phase = process.phase_spec
        opening = process.kind_spec.phases_opening(exception.feature)
        return render(
            request,
            "processes/phase_closed.html",
            {
                "process": process,
                "phase": phase,
                "message": phase.closed_message,
                "opening": opening,
                "feature": exception.feature,
            },
            status=409,
        )

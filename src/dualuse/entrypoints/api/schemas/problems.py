"""The error document every API route may answer with (RFC 9457 problem details), declared on each router so
that the OpenAPI document lists what a client must handle."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

PROBLEM_JSON = "application/problem+json"


class FieldProblem(BaseModel):
    """One field that failed validation."""

    field: str = Field(description="where in the request, dotted: items.0.quantity")
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem document: what went wrong, in words, and the field at fault when there is one."""

    type: str = Field(description="https://dualuse.eu/problems/<code>")
    title: str
    status: int
    detail: str
    instance: str = Field(description="the path that was asked for")
    field: str | None = Field(default=None, description="the field at fault, when one is")
    errors: list[FieldProblem] | None = Field(default=None, description="every invalid field (422)")


_WHY = {
    400: "The request carries something no field accepts (a NUL character)",
    401: "No valid API token or session",
    403: "Signed in, but not allowed to do this",
    404: "Not found (or not yours to see)",
    409: "Changed by someone else meanwhile (the version did not match), or not possible in its state",
    413: "The request is larger than this address accepts",
    415: "Unsupported media type",
    422: "Invalid input: the fields at fault are named",
    429: "Too many attempts: wait for the number of seconds in Retry-After",
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` of a router or route: each status answered with a ``Problem``, served as
    ``application/problem+json`` (declared as JSON too, for generators that only read that)."""
    ref = {"$ref": "#/components/schemas/Problem"}
    return {
        status: {
            "model": Problem,
            "description": _WHY[status],
            "content": {PROBLEM_JSON: {"schema": ref}},
        }
        for status in statuses or tuple(_WHY)
    }


API_ERRORS = problem_responses()
"""Every error an API route can answer with: the request bounds (400, 413, 415) and throttling (429) apply
to all, refusals (401, 403, 404), conflicts (409) and invalid input (422) to most."""


def file_response(media_type: str, description: str) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` of a route that answers with a file rather than JSON."""
    schema = {"type": "string", "format": "binary"} if media_type == "application/pdf" else {"type": "string"}
    return {200: {"description": description, "content": {media_type: {"schema": schema}}}}


PDF = file_response("application/pdf", "A PDF document")
YAML = file_response("application/yaml", "A YAML document")

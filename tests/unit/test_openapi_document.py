"""The API is typed (issue 16): every route declares its response model and its errors, models live in
``entrypoints/api/schemas`` and nowhere in the routers, and the OpenAPI document names every model once."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path
from typing import Any, get_args, get_origin

import pytest
from fastapi import FastAPI
from fastapi.routing import RouteContext, iter_route_contexts
from pydantic import BaseModel

from dualuse.config import Environment, Settings
from dualuse.entrypoints.api import routers
from dualuse.entrypoints.http.app import create_app

FILE_MEDIA_TYPES = {"application/pdf", "application/yaml"}
ERRORS = ("400", "401", "403", "404", "409", "413", "415", "422", "429")


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    folder: Path = tmp_path_factory.mktemp("openapi")
    settings = Settings(
        env=Environment.TEST, database_url=f"sqlite:///{folder / 'x.db'}", secret_key="o" * 40
    )
    return create_app(settings)


@pytest.fixture(scope="module")
def document(app: FastAPI) -> dict[str, Any]:
    return app.openapi()


def is_model(annotation: Any) -> bool:
    """A pydantic model, or a list of one: not ``dict[str, Any]``, which FastAPI takes from an annotation too."""
    if get_origin(annotation) is list:
        (annotation,) = get_args(annotation)
    return inspect.isclass(annotation) and issubclass(annotation, BaseModel)


def api_routes(app: FastAPI) -> list[RouteContext]:
    return [r for r in iter_route_contexts(app.routes) if getattr(r, "include_in_schema", False)]


def test_every_api_route_has_a_response_model_or_declares_the_file_it_sends(app: FastAPI) -> None:
    routes = api_routes(app)
    assert len(routes) >= 80
    untyped = [
        (sorted(r.methods), r.path)
        for r in routes
        if not is_model(r.response_model)
        and not FILE_MEDIA_TYPES & set(r.responses.get(200, {}).get("content", {}))
    ]
    assert untyped == []


def test_every_operation_documents_its_success_and_its_problems(document: dict[str, Any]) -> None:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            success = [code for code in responses if code.startswith("2")]
            assert len(success) == 1, (method, path)
            content = responses[success[0]].get("content", {})
            assert "schema" in content.get("application/json", {}) or FILE_MEDIA_TYPES & set(content), (
                method,
                path,
            )
            for status in ERRORS:
                problem = responses[status]["content"]["application/problem+json"]["schema"]
                assert problem == {"$ref": "#/components/schemas/Problem"}, (method, path, status)


def test_every_model_has_one_plain_name_so_that_generated_clients_can_name_it(
    document: dict[str, Any],
) -> None:
    names = list(document["components"]["schemas"])
    assert [n for n in names if "__" in n or "-" in n] == []


def test_routers_define_no_models_of_their_own() -> None:
    for info in pkgutil.iter_modules(routers.__path__):
        module = importlib.import_module(f"{routers.__name__}.{info.name}")
        defined = [
            name
            for name, value in vars(module).items()
            if inspect.isclass(value) and issubclass(value, BaseModel) and value.__module__ == module.__name__
        ]
        assert defined == [], (info.name, defined)

"""Statuses, roles and decisions reach the pages from the code: no template compares a value (or loops over
values) written out as a copied string equal to a value of one of the domain's enums; it names the enum
instead (``case.status == ApplicationStatus.SUBMITTED``, registered in ``web.templating.TEMPLATE_ENUMS``).
A status renamed in the code cannot leave a page silently comparing against the old spelling."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path

import pytest
from jinja2 import Environment, nodes

import dualuse.domain
from dualuse.entrypoints.web.templating import TEMPLATE_ENUMS, TEMPLATES_DIR, make_templates

# A literal that equals an enum value by coincidence, not a copy of it: (template, literal) -> why.
NOT_ENUMS: dict[tuple[str, str], str] = {
    ("duediligence/submission.html", "yes"): "the value a ticked checkbox submits, not a red-flag answer",
    ("customs/index.html", "licence"): (
        "the kind of record the customs look-up found, a key customs_views sets ('licence' or 'registration'), "
        "not the subject of a list change's impact"
    ),
    ("denials/register.html", "all"): (
        "the value of the register's 'show' filter in the query ('in_force' or 'all'), "
        "not a combination of control-list provisions"
    ),
    ("handbook/_blocks.html", "definition"): (
        "the kind of a handbook block, a plain string field of the block dataclasses of domain/handbook/model.py "
        "(paragraph, bullets, table, definition), not a control-list note kind"
    ),
    ("tracks/track.html", "destination"): (
        "a key of the request's fields (control_code, description, destination), "
        "not the level of a red flag or the scope of a notice"
    ),
}


def _enum_values() -> dict[str, list[str]]:
    """Every value of every StrEnum of the domain, and of the enums the templates are given: value -> enums."""
    for module in pkgutil.walk_packages(dualuse.domain.__path__, "dualuse.domain."):
        importlib.import_module(module.name)
    found: dict[str, list[str]] = {}

    def subclasses(cls: type[StrEnum]) -> Iterator[type[StrEnum]]:
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    enums = {e for e in subclasses(StrEnum) if e.__module__.startswith("dualuse.")} | set(
        TEMPLATE_ENUMS.values()
    )
    for enum in enums:
        for member in enum:
            found.setdefault(str(member.value), []).append(f"{enum.__name__}.{member.name}")
    return found


def _literals(node: nodes.Node) -> Iterator[str]:
    if isinstance(node, nodes.Const) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, nodes.List | nodes.Tuple):
        for item in node.items:
            yield from _literals(item)


def _compared_literals(tree: nodes.Template) -> Iterator[tuple[int, str]]:
    """String literals compared with ``==``, ``!=``, ``in``, ``not in``, and literal lists looped over."""
    for compare in tree.find_all(nodes.Compare):
        sides = [compare.expr, *(operand.expr for operand in compare.ops)]
        for side in sides:
            for literal in _literals(side):
                yield compare.lineno, literal
    for loop in tree.find_all(nodes.For):
        for literal in _literals(loop.iter):
            yield loop.lineno, literal


def _templates() -> list[Path]:
    return sorted(TEMPLATES_DIR.rglob("*.html"))


def test_templates_compare_against_enums_not_copied_strings() -> None:
    env: Environment = make_templates().env
    values = _enum_values()
    copies = []
    for path in _templates():
        name = path.relative_to(TEMPLATES_DIR).as_posix()
        tree = env.parse(path.read_text(encoding="utf-8"), name=name)
        for line, literal in _compared_literals(tree):
            if literal in values and (name, literal) not in NOT_ENUMS:
                copies.append(f"{name}:{line}: {literal!r} — write {' or '.join(sorted(values[literal]))}")
    assert not copies, "templates compare against copied enum values:\n" + "\n".join(copies)


def test_the_scan_finds_a_copied_status() -> None:
    """The scan itself: a comparison with a copied status is found, one with the enum is not."""
    env = make_templates().env
    copied = env.parse(
        "{% if case.status == 'submitted' %}x{% endif %}{% for v in ['yes', 'no'] %}{% endfor %}"
    )
    named = env.parse("{% if case.status == ApplicationStatus.SUBMITTED %}x{% endif %}")
    assert [literal for _, literal in _compared_literals(copied)] == ["submitted", "yes", "no"]
    assert list(_compared_literals(named)) == []


@pytest.mark.parametrize("name", sorted(TEMPLATE_ENUMS))
def test_every_enum_a_template_names_is_given_to_the_templates(name: str) -> None:
    env = make_templates().env
    assert env.globals[name] is TEMPLATE_ENUMS[name]
    assert env.from_string(f"{{{{ {name} | list | length }}}}").render() == str(len(TEMPLATE_ENUMS[name]))

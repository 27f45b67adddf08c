"""The command line explains itself (issue #13): --version, an example in every command's help, a case
template, --json on every command that prints a table, a hint when a search finds nothing."""

from __future__ import annotations

import json

import click
import pytest
import typer
from typer.testing import CliRunner

import dualuse
from dualuse.bootstrap import Container, load_reference_data
from dualuse.entrypoints.cli.main import app
from tests.integration.test_cli import cli_env as cli_env

runner = CliRunner()


def leaves(command: click.Command, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    if hasattr(command, "commands"):  # a group (Typer's own class)
        found = []
        for name, sub in command.commands.items():  # type: ignore[attr-defined]
            found += leaves(sub, (*path, name))
        return found
    return [(path, command)]


COMMANDS = leaves(typer.main.get_command(app))


def test_version() -> None:
    answer = runner.invoke(app, ["--version"])
    assert answer.exit_code == 0
    assert answer.output.strip() == f"dualuse {dualuse.__version__}"


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_has_an_example_in_its_help(path: tuple[str, ...], command: click.Command) -> None:
    assert command.epilog, f"dualuse {' '.join(path)} has no example"
    assert f"dualuse {' '.join(path)}" in command.epilog
    help_text = runner.invoke(app, [*path, "--help"], terminal_width=200).output
    assert "Examples:" in help_text


TABLE_COMMANDS = [
    ["list", "versions"],
    ["list", "search", "encryption"],
    ["lists", "status"],
    ["records", "purgeable"],
    ["rules", "status"],
    ["tokens", "list"],
    ["audit", "list"],
]


@pytest.mark.parametrize("args", TABLE_COMMANDS, ids=" ".join)
def test_every_table_command_prints_json_on_request(cli_env: Container, args: list[str]) -> None:
    load_reference_data(cli_env)
    answer = runner.invoke(app, [*args, "--json"])
    assert answer.exit_code == 0, answer.output
    if args == ["audit", "list"]:  # JSON lines: one event a line
        for line in answer.stdout.splitlines():
            json.loads(line)
    else:
        json.loads(answer.stdout)


def test_determine_template_is_a_case_the_engine_answers(cli_env: Container, tmp_path: object) -> None:
    load_reference_data(cli_env)
    template = runner.invoke(app, ["determine", "--template"])
    assert template.exit_code == 0
    case = json.loads(template.stdout)
    path = tmp_path / "case.json"  # type: ignore[operator]
    path.write_text(json.dumps(case), encoding="utf-8")
    answer = runner.invoke(app, ["determine", str(path)])
    assert answer.exit_code == 0, answer.output
    assert json.loads(answer.stdout)["outcome"]


def test_determine_without_a_case_says_how_to_start(cli_env: Container) -> None:
    answer = runner.invoke(app, ["determine"])
    assert answer.exit_code == 2
    assert "--template" in answer.output


def test_determine_names_every_mistake_of_a_case_at_once(cli_env: Container, tmp_path: object) -> None:
    load_reference_data(cli_env)
    case = {
        "activity": "exprot",
        "exporter": {"member_state": "XX"},
        "destination": "Narnia",
        "items": [{"id": "1", "control_code": 5}, {"id": "2", "control_code": "5A001.j", "quantity": -1}],
        "knowledge": {"informed": ["wmd", "rumour"]},
    }
    path = tmp_path / "case.json"  # type: ignore[operator]
    path.write_text(json.dumps(case), encoding="utf-8")
    answer = runner.invoke(app, ["determine", str(path)])
    assert answer.exit_code == 2
    for field in (
        "activity",
        "exporter.member_state",
        "destination",
        "items[0].control_code",
        "items[1].quantity",
        "knowledge.informed[1]",
    ):
        assert f"- {field}:" in answer.output, (field, answer.output)
    assert "6 mistakes" in answer.output


def test_a_search_that_finds_nothing_says_what_to_try(cli_env: Container) -> None:
    load_reference_data(cli_env)
    answer = runner.invoke(app, ["list", "search", "zzqqxx vvww"])
    assert answer.exit_code == 0
    assert "Nothing found" in answer.output
    assert "dualuse list show" in answer.output

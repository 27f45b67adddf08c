"""An example in every command's help (issue #13): what to type, for the commands people look up most."""

from __future__ import annotations

from collections.abc import Mapping

import typer

EXAMPLES: Mapping[str, tuple[str, ...]] = {
    "screen": (
        "dualuse screen parties.csv -o hits.csv",
        "dualuse screen parties.csv -o hits.csv --threshold 0.8",
    ),
    "determine": (
        "dualuse determine --template > case.json   # a case to fill in",
        "dualuse determine case.json",
        "dualuse determine case.json --format text",
    ),
    "determine-batch": ("dualuse determine-batch orders.csv -o answers.csv",),
    "serve": (
        "dualuse serve --port 8000",
        "dualuse serve --workers 4   # one app and index, four forked workers",
    ),
    "db backup": ("dualuse db backup --output backup.sqlite",),
    "db restore": ("dualuse db restore backup.sqlite",),
    "db upgrade": ("dualuse db upgrade",),
    "demo load": ("dualuse demo load", "dualuse demo load --json"),
    "users create": (
        "dualuse users create --email anna@example.eu --full-name 'Anna Muster' --role exporter_admin "
        "--organisation-id 1",
    ),
    "users deactivate": ("dualuse users deactivate --email anna@example.eu",),
    "users activate": ("dualuse users activate --email anna@example.eu",),
    "users set-role": ("dualuse users set-role --email anna@example.eu --role exporter_user",),
    "organisations create": (
        "dualuse organisations create --kind exporter --name 'Acme GmbH' --member-state DE --eori DE123456789012345",
    ),
    "tokens create": ("dualuse tokens create --email anna@example.eu --name ci --scope read",),
    "tokens list": (
        "dualuse tokens list --email anna@example.eu",
        "dualuse tokens list --email anna@example.eu --json",
    ),
    "tokens revoke": ("dualuse tokens revoke 3",),
    "audit verify": ("dualuse audit verify --anchor anchor.json",),
    "audit anchor": ("dualuse audit anchor",),
    "audit export-anchor": ("dualuse audit export-anchor --output anchor.json",),
    "audit list": (
        "dualuse audit list --actor anna@example.eu --since 2026-01-01",
        "dualuse audit list --json",
    ),
    "list versions": ("dualuse list versions", "dualuse list versions --json"),
    "list show": ("dualuse list show 5A002.a", "dualuse list show 5A002.a --as-of 2025-01-01"),
    "list search": ("dualuse list search 'IMSI catcher'", "dualuse list search encryption --json"),
    "list diff": ("dualuse list diff 2024-11 2025-11",),
    "list import": ("dualuse list import amendment.yaml",),
    "list export": ("dualuse list export --output annex-i.json",),
    "lists import": (
        "dualuse lists import eu-fsf eu-fsf.xml",
        "dualuse lists import us-csl consolidated.csv --in-background   # re-screening by dualuse worker",
        "dualuse lists import ofac-sdn-csv sdn.csv --force --reason 'OFAC republished the 3 May file'",
    ),
    "lists status": ("dualuse lists status", "dualuse lists status --json"),
    "exchange keygen": ("dualuse exchange keygen",),
    "exchange rotate": ("dualuse exchange rotate",),
    "exchange public-keys": ("dualuse exchange public-keys --output fr-keys.json",),
    "exchange peer add": ("dualuse exchange peer add DE https://dualuse.example.de --key-file de-keys.json",),
    "exchange peer list": ("dualuse exchange peer list", "dualuse exchange peer list --json"),
    "exchange publish": ("dualuse exchange publish --kind denial --from FR --to DE --to IT denial.json",),
    "exchange send-pending": (
        "dualuse exchange send-pending   # every minute from cron",
        "dualuse exchange send-pending --retry-now   # a peer that was down is back",
    ),
    "exchange outbox": ("dualuse exchange outbox", "dualuse exchange outbox --json"),
    "records export": ("dualuse records export 1 --output records.json",),
    "records purgeable": ("dualuse records purgeable", "dualuse records purgeable --as-of 2032-01-01 --json"),
    "rules status": ("dualuse rules status", "dualuse rules status --format json"),
    "reference load": ("dualuse reference load",),
    "reference status": ("dualuse reference status", "dualuse reference status --all --json"),
    "reference build-annex-i": (
        "dualuse reference build-annex-i --from annex-i-2025-11-15.json",
        "dualuse reference build-annex-i --from annex-i-2025-11-15.json --output /tmp/annex_i.json",
    ),
    "list cn": ("dualuse list cn '8542 31 90'",),
    "list acts": ("dualuse list acts",),
    "list review": ("dualuse list review",),
    "list assess": (
        "dualuse list assess 5A002.d -p bandwidth=600",
        "dualuse list assess 3A001.a -p 'temperature=-60 C'",
    ),
    "list classify": ("dualuse list classify 'spread spectrum radio' -p bandwidth='0.6 GHz'",),
    "worker": ("dualuse worker", "dualuse worker --burst   # the jobs due now, then exit"),
    "jobs list": ("dualuse jobs list", "dualuse jobs list --limit 5 --json"),
    "list-changes list": ("dualuse list-changes list", "dualuse list-changes list --json"),
    "list-changes enter-into-force": ("dualuse list-changes enter-into-force   # daily, from cron",),
    "documents import-uploads": ("dualuse documents import-uploads --folder var/uploads",),
    "handbook build": (
        "dualuse handbook build",
        "DUALUSE_HANDBOOK_DIR=/srv/handbook dualuse handbook build --json",
    ),
    "handbook pdf": ("dualuse handbook pdf handbook.pdf",),
}


def epilog(path: str) -> str | None:
    found = EXAMPLES.get(path)
    if not found:
        return None
    return "Examples:\n\n" + "\n\n".join(f"  $ {line}" for line in found)


def add_examples(app: typer.Typer, prefix: str = "") -> None:
    """Put each command's examples under its help (Typer builds the commands later, from these infos)."""
    for command in app.registered_commands:
        name = command.name or (command.callback.__name__.replace("_", "-") if command.callback else "")
        path = f"{prefix}{name}"
        if command.epilog is None:
            command.epilog = epilog(path)
    for group in app.registered_groups:
        if group.typer_instance is not None and group.name:
            add_examples(group.typer_instance, f"{prefix}{group.name} ")

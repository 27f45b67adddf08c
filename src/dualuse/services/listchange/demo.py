"""The demo's list change: one Commission draft open for comment, with a published comment from civil society
(and a pending one from industry for the Commission to moderate)."""

from __future__ import annotations

from datetime import timedelta

from dualuse.domain.identity import Principal
from dualuse.services import identity
from dualuse.services.clock import today_in_brussels
from dualuse.services.controllist import ControlListCatalogue
from dualuse.services.listchange.comments import moderate_comment, submit_comment
from dualuse.services.listchange.drafting import draft, open_for_comment
from dualuse.services.unit_of_work import UnitOfWork

DEMO_BODY = """\
add:
  - code: "5A001.k"
    title: "Fictional demo sub-item: systems to intercept satellite messaging"
    summary: "A sub-item a fictional regime decision would add under 5A001 (demo data, not law)."
    regime: eu
    source: "demo"
    verified: false
change:
  - code: "5A002.a"
    summary: "Fictional demo wording: cryptographic items with a symmetric key longer than 56 bits."
"""


def load_demo_list_changes(uow: UnitOfWork, catalogue: ControlListCatalogue) -> int | None:
    """One open draft with comments (once); returns its id, or None when a list change exists already."""
    if uow.list_changes.list():
        return None
    user = uow.users.by_email("commission@demo.dualuse.eu")
    if user is None:
        return None
    desk = identity.principal_for(uow, user)
    today = today_in_brussels()
    created = draft(
        uow,
        desk,
        catalogue,
        title="Demo: update of Category 5 after the year's regime decisions",
        rationale=(
            "Fictional demo draft. It adds a sub-item under 5A001 and rewords 5A002.a, as a delegated act "
            "implementing regime decisions would."
        ),
        version_id=f"{today.year + 1}-06-demo",
        proposed_effective_from=today + timedelta(days=120),
        body=DEMO_BODY,
    )
    open_for_comment(uow, desk, created.id, comment_period_end=today + timedelta(days=28))
    anyone = Principal.public()
    published = submit_comment(
        uow,
        anyone,
        created.id,
        author_name="Amira Haddad",
        organisation_name="Digital Rights Watch (fictional)",
        organisation_type="civil_society",
        text="We welcome the new sub-item: interception of satellite messaging has been used against journalists.",
    )
    moderate_comment(uow, desk, created.id, published, action="publish")
    submit_comment(
        uow,
        anyone,
        created.id,
        author_name="Tom Berger",
        organisation_name="Demo Exporters Association",
        organisation_type="industry",
        text="The new wording of 5A002.a should keep the exclusions of the Cryptography Note.",
    )
    return created.id

"""Reference data: check that the shipped data loads and record its versions (shown by /healthz)."""

from __future__ import annotations

from dualuse.domain.rules.rulebook import Rulebook
from dualuse.services.controllist import ControlListCatalogue, current_history
from dualuse.services.unit_of_work import UnitOfWork


def load(uow: UnitOfWork, catalogue: ControlListCatalogue, rulebook: Rulebook) -> dict[str, str]:
    """Load every shipped data set once (a broken file fails here, not in front of a user) and record versions."""
    history = current_history(uow, catalogue)
    loaded = {
        "control_list": history.latest.version_id,
        "control_list_versions": ",".join(cl.version_id for cl in history.lists),
    }
    catalogue.index(history.latest)
    uow.reference_data.set(
        "control_list",
        history.latest.version_id,
        {"versions": [cl.version_id for cl in history.lists], "entries": len(history.latest)},
    )
    uow.reference_data.set(
        "rules",
        rulebook.version,
        {
            "general_authorisations": len(rulebook.general_authorisations),
            "embargoes": len(rulebook.embargoes),
            "sanctions": len(rulebook.sanctions),
        },
    )
    loaded["rules"] = rulebook.version
    uow.commit()
    return loaded

"""Reference data: check that the shipped data loads and record its versions (shown by /healthz)."""

from __future__ import annotations

from collections.abc import Sequence

from dualuse.domain.duediligence import RedFlagSet, RiskProfile
from dualuse.domain.rules.rulebook import Rulebook
from dualuse.services.controllist import ControlListCatalogue, current_history
from dualuse.services.unit_of_work import UnitOfWork


def load(
    uow: UnitOfWork,
    catalogue: ControlListCatalogue,
    rulebook: Rulebook,
    red_flags: RedFlagSet | None = None,
    risk_seed: Sequence[RiskProfile] = (),
) -> dict[str, str]:
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
    if red_flags is not None:
        uow.reference_data.set("red_flags", red_flags.version, {"flags": len(red_flags.flags)})
        loaded["red_flags"] = red_flags.version
    if risk_seed and not uow.duediligence.profiles():
        for profile in risk_seed:
            uow.duediligence.add_profile(
                subject_kind=profile.subject_kind,
                subject=profile.subject,
                level=profile.level.value,
                summary=profile.summary,
                sources=[
                    {
                        "title": s.title,
                        "url": s.url,
                        "published": s.published.isoformat() if s.published else None,
                    }
                    for s in profile.sources
                ],
                origin="seed",
                verified=profile.verified,
                by=profile.entered_by,
            )
        loaded["risk_profiles"] = f"{len(risk_seed)} seed profiles"
    uow.commit()
    return loaded


def versions(uow: UnitOfWork) -> tuple[dict[str, str], dict[str, str]]:
    """The versions of the reference data recorded in the database, and of each sanctions list held (what
    ``/healthz`` shows)."""
    return dict(uow.reference_data.all()), {row["source"]: row["version"] for row in uow.screening.versions()}

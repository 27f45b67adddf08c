"""The composition root: the one place that wires adapters into the use cases."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine

from dualuse.adapters.controllist_catalogue import ShippedControlListCatalogue
from dualuse.adapters.db.engine import make_engine
from dualuse.adapters.db.uow import SqlUnitOfWork
from dualuse.adapters.security import Argon2PasswordHasher
from dualuse.config import Settings
from dualuse.services.unit_of_work import PasswordHasher


@dataclass
class Container:
    """Everything an entry point needs, built once per process from the settings."""

    settings: Settings
    engine: Engine
    hasher: PasswordHasher
    catalogue: ShippedControlListCatalogue = field(default_factory=ShippedControlListCatalogue)
    extras: dict[str, object] = field(default_factory=dict)

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine)


def bootstrap(settings: Settings | None = None, *, engine: Engine | None = None) -> Container:
    settings = settings or Settings()
    return Container(
        settings=settings, engine=engine or make_engine(settings.database_url), hasher=Argon2PasswordHasher()
    )


UowFactory = Callable[[], SqlUnitOfWork]

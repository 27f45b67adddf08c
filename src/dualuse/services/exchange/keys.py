"""This deployment's signing keys and its trusted peers.

Rotation: ``rotate`` makes a new key and retires the current one at the same instant. The retired key still
verifies (here and at the peers, once they have the new key set) every document issued before that instant,
and none issued later. Peers learn the new key from the key set this deployment publishes
(``/exchange/keys.json``, or ``dualuse exchange public-keys``), registered again with ``exchange peer add``.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from dualuse.domain.errors import ConflictError, ValidationError
from dualuse.domain.exchange import PublicKey
from dualuse.domain.union import EU_MEMBER_STATES
from dualuse.services import audit
from dualuse.services.exchange.ports import ExchangeSetup, OwnKey, Signer
from dualuse.services.unit_of_work import UnitOfWork

KEY_SET_SCHEMA = "dualuse.exchange-keys/1"


def current(uow: UnitOfWork) -> OwnKey | None:
    """The key documents are signed with now: the newest one not retired."""
    live = [k for k in uow.exchange.own_keys() if k.retired_at is None]
    return max(live, key=lambda k: k.valid_from) if live else None


def keygen(uow: UnitOfWork, setup: ExchangeSetup, actor: str, now: datetime) -> OwnKey:
    """The deployment's first signing key; ``ConflictError`` when it has one (use ``rotate``)."""
    if current(uow) is not None:
        raise ConflictError("this deployment has a signing key already: use `dualuse exchange rotate`")
    return _new_key(uow, setup, actor, now)


def rotate(uow: UnitOfWork, setup: ExchangeSetup, actor: str, now: datetime) -> OwnKey:
    """A new signing key; the current one is retired at ``now`` (it keeps verifying what it signed before)."""
    now = now.replace(microsecond=0)  # documents carry whole seconds: validity is counted in them too
    old = current(uow)
    if old is None:
        raise ConflictError("this deployment has no signing key yet: use `dualuse exchange keygen`")
    uow.exchange.retire_own_key(old.key_id, now)
    audit.record(
        uow,
        actor=actor,
        action="exchange.key_retired",
        entity_type="exchange_key",
        entity_id=old.key_id,
        after={"retired_at": now.isoformat()},
    )
    return _new_key(uow, setup, actor, now)


def _new_key(uow: UnitOfWork, setup: ExchangeSetup, actor: str, now: datetime) -> OwnKey:
    now = now.replace(microsecond=0)
    label = "-".join(sorted(setup.served_states)) or "XX"
    key_id, public = setup.private_keys.create(now, label)
    key = OwnKey(key_id=key_id, public_key=public, valid_from=now, retired_at=None)
    uow.exchange.add_own_key(key)
    audit.record(
        uow,
        actor=actor,
        action="exchange.key_created",
        entity_type="exchange_key",
        entity_id=key_id,
        after={"valid_from": now.isoformat()},
    )
    return key


def signer(uow: UnitOfWork, setup: ExchangeSetup) -> Signer:
    key = current(uow)
    if key is None:
        raise ConflictError("this deployment has no signing key: run `dualuse exchange keygen` first")
    return setup.private_keys.signer(key.key_id)


def key_set(uow: UnitOfWork, setup: ExchangeSetup) -> dict[str, Any]:
    """What this deployment publishes: its public keys, each with its validity and the states it speaks for."""
    return {
        "schema": KEY_SET_SCHEMA,
        "states": sorted(setup.served_states),
        "keys": [
            {
                "key_id": k.key_id,
                "algorithm": "Ed25519",
                "public_key": base64.b64encode(k.public_key).decode("ascii"),
                "valid_from": k.valid_from.isoformat(),
                "retired_at": k.retired_at.isoformat() if k.retired_at else None,
            }
            for k in sorted(uow.exchange.own_keys(), key=lambda k: k.valid_from)
        ],
    }


def add_peer(
    uow: UnitOfWork, state: str, base_url: str, key_set_document: Mapping[str, Any], actor: str, now: datetime
) -> Sequence[PublicKey]:
    """Trust the deployment at ``base_url`` to speak for ``state`` with the keys of its published key set
    (registered again after a rotation: new keys are added, retirement dates updated)."""
    if state not in EU_MEMBER_STATES:
        raise ValidationError(f"{state!r} is not an EU member state code", field="state")
    if not base_url.startswith(("http://", "https://")):
        raise ValidationError("the peer's URL must start with http:// or https://", field="url")
    keys = parse_key_set(key_set_document, state)
    uow.exchange.save_peer(state, base_url.rstrip("/"), now)
    for key in keys:
        uow.exchange.save_peer_key(state, key)
    audit.record(
        uow,
        actor=actor,
        action="exchange.peer_saved",
        entity_type="exchange_peer",
        entity_id=state,
        after={"base_url": base_url, "keys": [k.key_id for k in keys]},
    )
    return keys


def parse_key_set(document: Mapping[str, Any], state: str) -> list[PublicKey]:
    """The keys of a published key set; a clear ``ValidationError`` for anything else."""
    if not isinstance(document, Mapping) or document.get("schema") != KEY_SET_SCHEMA:
        raise ValidationError(
            f"a key file must be a key set ({KEY_SET_SCHEMA}), as /exchange/keys.json serves"
        )
    states = document.get("states")
    if isinstance(states, list) and states and state not in states:
        raise ValidationError(
            f"the key set speaks for {', '.join(map(str, states))}, not {state}", field="state"
        )
    entries = document.get("keys")
    if not isinstance(entries, list) or not entries:
        raise ValidationError("the key set has no keys", field="keys")
    keys = []
    for index, entry in enumerate(entries):
        where = f"keys[{index}]"
        if not isinstance(entry, Mapping) or entry.get("algorithm") != "Ed25519":
            raise ValidationError(f"{where}: only Ed25519 keys are known", field=where)
        try:
            public = base64.b64decode(str(entry["public_key"]), validate=True)
            valid_from = _instant(entry["valid_from"])
            retired = entry.get("retired_at")
            keys.append(
                PublicKey(
                    key_id=str(entry["key_id"]),
                    states=frozenset({state}),
                    public_key=public,
                    valid_from=valid_from,
                    retired_at=_instant(retired) if retired else None,
                )
            )
        except (KeyError, binascii.Error, ValueError) as error:
            raise ValidationError(f"{where}: {error}", field=where) from None
        if len(public) != 32:
            raise ValidationError(f"{where}: an Ed25519 public key has 32 bytes", field=where)
    return keys


def _instant(value: Any) -> datetime:
    moment = datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        raise ValueError(f"{value} has no time zone")
    return moment


def trusted(uow: UnitOfWork) -> Sequence[PublicKey]:
    """Every key a received document may be signed with (peers' keys)."""
    return [k for p in uow.exchange.peers() for k in p.keys]

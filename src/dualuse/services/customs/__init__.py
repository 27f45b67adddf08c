"""Use cases around customs codes: the Annex I entries a Combined Nomenclature code correlates with."""

from dualuse.services.customs.lookup import CnAnswer, CnCandidate, look_up

__all__ = ["CnAnswer", "CnCandidate", "look_up"]

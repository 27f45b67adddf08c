"""How much of the reference data is verified, per area, against which sources (the verification report)."""

from dualuse.domain.verification.report import Area, Pending, VerificationReport

__all__ = ["Area", "Pending", "VerificationReport"]

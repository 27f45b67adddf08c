"""Human-rights due diligence for cyber-surveillance exports (Commission Recommendation (EU) 2024/2659),
the Art. 5 notification exchange between member states, risk profiles and the ICP self-assessment
(Recommendation (EU) 2019/1318). Pure domain: standard library and ``holidays`` only."""

from __future__ import annotations

from dualuse.domain.duediligence.art5 import (
    ART5_PARAGRAPHS_VERIFIED,
    CONSULTATION_WORKING_DAYS,
    ConsultationOutcome,
    RequirementKey,
    View,
    consultation_outcome,
    normalise_end_user,
    normalise_item,
    view_deadline,
)
from dualuse.domain.duediligence.case import (
    STEPS,
    Conclusion,
    Step,
    awareness,
    check_answers,
    check_conclusion,
    next_step,
    raised_repression_flags,
    suggested_conclusion,
    unresolved_key_flags,
)
from dualuse.domain.duediligence.deadlines import add_working_days, is_working_day, working_days_between
from dualuse.domain.duediligence.icp import ICP_ELEMENTS, IcpElement, IcpLevel, icp_summary
from dualuse.domain.duediligence.redflags import (
    INTERNAL_REPRESSION,
    FlagAnswer,
    RedFlag,
    RedFlagSet,
)
from dualuse.domain.duediligence.risk import RiskLevel, RiskProfile, Source, check_profile

__all__ = [
    "ART5_PARAGRAPHS_VERIFIED",
    "CONSULTATION_WORKING_DAYS",
    "ICP_ELEMENTS",
    "INTERNAL_REPRESSION",
    "STEPS",
    "Conclusion",
    "ConsultationOutcome",
    "FlagAnswer",
    "IcpElement",
    "IcpLevel",
    "RedFlag",
    "RedFlagSet",
    "RequirementKey",
    "RiskLevel",
    "RiskProfile",
    "Source",
    "Step",
    "View",
    "add_working_days",
    "awareness",
    "check_answers",
    "check_conclusion",
    "check_profile",
    "consultation_outcome",
    "icp_summary",
    "is_working_day",
    "next_step",
    "normalise_end_user",
    "normalise_item",
    "raised_repression_flags",
    "suggested_conclusion",
    "unresolved_key_flags",
    "view_deadline",
    "working_days_between",
]

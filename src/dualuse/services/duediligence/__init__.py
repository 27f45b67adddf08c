"""Human-rights due diligence for cyber-surveillance exports (Commission Recommendation (EU) 2024/2659) and the
Art. 5 catch-all that follows from it. One module per use-case family:

- ``cases``: the exporter's case, its red flags and conclusion, and what it means for the determination;
- ``notifications``: the notification to the authority and its decision (Art. 5(2));
- ``exchange``: the requirement notified to the other member states, their views, publication (Art. 5(4)-(6));
- ``profiles``: risk profiles and civil society's reports;
- ``icp``: the internal compliance programme self-assessment (Rec. (EU) 2019/1318).
"""

from __future__ import annotations

from dualuse.services.duediligence.cases import (
    EXPORT_STATUS_TEXT,
    INTERNAL_REPRESSION,
    CaseView,
    ExportStatus,
    case_facts,
    cases_of,
    check_transaction,
    conclude,
    export_status,
    exporter_of,
    get_case,
    hold_case,
    knowledge_for,
    open_case,
    record_step,
    reopen,
)
from dualuse.services.duediligence.exchange import (
    published_requirements,
    record_view,
    requirements_for_authority,
)
from dualuse.services.duediligence.icp import (
    latest_icp,
    save_icp,
)
from dualuse.services.duediligence.notifications import (
    authority_state,
    decide_notification,
    get_notification,
    notifications_for_authority,
    notify,
)
from dualuse.services.duediligence.profiles import (
    add_profile,
    authority_states,
    moderate,
    pending_submissions,
    profiles,
    profiles_for,
    submit,
)

__all__ = [
    "EXPORT_STATUS_TEXT",
    "INTERNAL_REPRESSION",
    "CaseView",
    "ExportStatus",
    "add_profile",
    "authority_state",
    "authority_states",
    "case_facts",
    "cases_of",
    "check_transaction",
    "conclude",
    "decide_notification",
    "export_status",
    "exporter_of",
    "get_case",
    "get_notification",
    "hold_case",
    "knowledge_for",
    "latest_icp",
    "moderate",
    "notifications_for_authority",
    "notify",
    "open_case",
    "pending_submissions",
    "profiles",
    "profiles_for",
    "published_requirements",
    "record_step",
    "record_view",
    "reopen",
    "requirements_for_authority",
    "save_icp",
    "submit",
]

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
    exporter_of,
    check_transaction,
    open_case,
    CaseView,
    get_case,
    hold_case,
    record_step,
    conclude,
    reopen,
    knowledge_for,
    ExportStatus,
    export_status,
    case_facts,
    INTERNAL_REPRESSION,
    EXPORT_STATUS_TEXT,
)
from dualuse.services.duediligence.notifications import (
    notify,
    authority_state,
    notifications_for_authority,
    get_notification,
    decide_notification,
)
from dualuse.services.duediligence.exchange import (
    requirements_for_authority,
    record_view,
    published_requirements,
)
from dualuse.services.duediligence.profiles import (
    add_profile,
    submit,
    moderate,
    pending_submissions,
    profiles,
    authority_states,
    profiles_for,
)
from dualuse.services.duediligence.icp import (
    save_icp,
    latest_icp,
)

__all__ = [
    "CaseView",
    "EXPORT_STATUS_TEXT",
    "ExportStatus",
    "INTERNAL_REPRESSION",
    "add_profile",
    "authority_state",
    "authority_states",
    "case_facts",
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

"""The use cases of list changes in one place for the entry points: ``from dualuse.services.listchange import
service as listchange``."""

from __future__ import annotations

from dualuse.services.listchange.adoption import (
    IN_FORCE_JOB,
    adopt,
    enter_due_into_force,
    enter_into_force,
    in_force_job,
    mark_read,
    notices,
)
from dualuse.services.listchange.comments import (
    all_comments,
    moderate_comment,
    published_comments,
    submit_comment,
)
from dualuse.services.listchange.drafting import (
    Preview,
    close_comments,
    draft,
    managed,
    managed_changes,
    may_manage,
    open_for_comment,
    preview,
    proposer_of,
    public_changes,
    visible,
    withdraw,
)
from dualuse.services.listchange.impact import analyse_change, impact
from dualuse.services.listchange.ports import ListChangeNotice, ListChangeRepository, StoredListChange

__all__ = [
    "IN_FORCE_JOB",
    "ListChangeNotice",
    "ListChangeRepository",
    "Preview",
    "StoredListChange",
    "adopt",
    "all_comments",
    "analyse_change",
    "close_comments",
    "draft",
    "enter_due_into_force",
    "enter_into_force",
    "impact",
    "in_force_job",
    "managed",
    "managed_changes",
    "mark_read",
    "may_manage",
    "moderate_comment",
    "notices",
    "open_for_comment",
    "preview",
    "proposer_of",
    "public_changes",
    "published_comments",
    "submit_comment",
    "visible",
    "withdraw",
]

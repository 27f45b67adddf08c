"""The schema, as SQLAlchemy Core tables. Alembic migrations create exactly this."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

organisations = Table(
    "organisations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("name", String(200), nullable=False),
    Column("eori", String(17), nullable=True, unique=True),
    Column("member_state", String(2), nullable=True),
    # Set to the member state for authorities only, so that a unique index allows one authority per state.
    Column("authority_state", String(2), nullable=True, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(254), nullable=False, unique=True),
    Column("full_name", String(200), nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(30), nullable=False),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("is_active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("name", String(100), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("prefix", String(12), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=True),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("scope", String(10), nullable=False, default="write"),
)

# Signed-in browsers (migration 0008): the cookie carries a random secret, this table its SHA-256.
user_sessions = Table(
    "user_sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("session_hash", String(64), nullable=False, unique=True),
    Column("role", String(30), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("client", String(64), nullable=True),
)

# Attempt counters shared by every app process (migration 0008): failed sign-ins, anonymous submissions.
throttle_counters = Table(
    "throttle_counters",
    metadata,
    Column("key", String(300), primary_key=True),
    Column("attempts", Integer, nullable=False),
    Column("resets_at", DateTime(timezone=True), nullable=False, index=True),
)

audit_events = Table(
    "audit_events",
    metadata,
    Column("sequence", Integer, primary_key=True, autoincrement=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(254), nullable=False),
    Column("action", String(100), nullable=False),
    Column("entity_type", String(100), nullable=False),
    Column("entity_id", String(100), nullable=False),
    Column("before", JSON, nullable=True),
    Column("after", JSON, nullable=True),
    Column("reason", Text, nullable=True),
    Column("previous_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False, unique=True),
    # whose trail the event belongs to (migration 0009): the acting user's organisation and the member
    # state whose authority supervises it; None for operators at the command line and the public
    Column("organisation_id", Integer, nullable=True, index=True),
    Column("member_state", String(2), nullable=True, index=True),
)

# The head of the trail, signed with the anchor key (HMAC-SHA256) the database does not hold: one row at
# each commit that adds events, and one for each `dualuse audit anchor`. Append-only like the events.
audit_anchors = Table(
    "audit_anchors",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("head_sequence", Integer, nullable=False, index=True),
    Column("head_hash", String(64), nullable=False),
    Column("event_count", Integer, nullable=False),
    Column("anchored_at", DateTime(timezone=True), nullable=False),
    Column("mac", String(64), nullable=False),
)

reference_data = Table(
    "reference_data",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("version", String(100), nullable=False),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
    Column("detail", JSON, nullable=True),
)

control_list_amendments = Table(
    "control_list_amendments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("version_id", String(40), nullable=False, unique=True),
    Column("effective_from", Date, nullable=False),
    Column("title", String(300), nullable=False),
    Column("legal_source", Text, nullable=False),
    Column("filename", String(200), nullable=False),
    Column("content", Text, nullable=False),
    Column("imported_by", String(254), nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False),
)

classifications = Table(
    "classifications",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("product_name", String(200), nullable=False),
    Column("description", Text, nullable=False),
    Column("parameters", JSON, nullable=False),
    Column("control_code", String(40), nullable=True),
    Column("rationale", Text, nullable=False),
    Column("list_version", String(40), nullable=False),
    Column("status", String(20), nullable=False),
    Column("review_reason", Text, nullable=True),
    Column("created_by", String(254), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

sanctions_list_versions = Table(
    "sanctions_list_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source", String(100), nullable=False, index=True),
    Column("format", String(30), nullable=False),
    Column("version", String(100), nullable=False),
    Column("published", Date, nullable=True),
    Column("filename", String(300), nullable=False),
    Column("entity_count", Integer, nullable=False),
    Column("added", Integer, nullable=False),
    Column("removed", Integer, nullable=False),
    Column("changed", Integer, nullable=False),
    Column("warnings", JSON, nullable=False),
    Column("imported_by", String(254), nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False),
)

listed_entities = Table(
    "listed_entities",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("list_version_id", Integer, ForeignKey("sanctions_list_versions.id"), nullable=False, index=True),
    Column("entity_id", String(200), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("data", JSON, nullable=False),
)

sanctions_relations = Table(
    "sanctions_relations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("list_version_id", Integer, ForeignKey("sanctions_list_versions.id"), nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("relation_id", String(200), nullable=False),
    Column("holder_id", String(200), nullable=False),
    Column("holder_name", String(500), nullable=False),
    Column("held_id", String(200), nullable=False),
    Column("held_name", String(500), nullable=False),
    Column("share", Float, nullable=True),
)

sanctions_deltas = Table(
    "sanctions_deltas",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("list_version_id", Integer, ForeignKey("sanctions_list_versions.id"), nullable=False, index=True),
    Column("change", String(10), nullable=False),
    Column("entity_id", String(200), nullable=False),
    Column("name", String(500), nullable=False),
)

parties = Table(
    "parties",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("name", String(500), nullable=False),
    Column("schema", String(20), nullable=True),
    Column("country", String(2), nullable=True),
    Column("birth_date", String(10), nullable=True),
    Column("identifiers", JSON, nullable=False),
    Column("role", String(30), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

screenings = Table(
    "screenings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("party_id", Integer, ForeignKey("parties.id"), nullable=True),
    Column("query", JSON, nullable=False),
    Column("list_versions", JSON, nullable=False),
    Column("algorithm", String(60), nullable=False),
    Column("threshold", Float, nullable=False),
    Column("hits", Integer, nullable=False),
    Column("trigger", String(20), nullable=False),
    Column("screened_by", String(254), nullable=False),
    Column("screened_at", DateTime(timezone=True), nullable=False),
)

hits = Table(
    "hits",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("screening_id", Integer, ForeignKey("screenings.id"), nullable=False),
    Column("party_id", Integer, ForeignKey("parties.id"), nullable=True),
    Column("party_fingerprint", String(64), nullable=False),
    Column("source", String(100), nullable=False),
    Column("entity_id", String(200), nullable=False),
    Column("entity_name", String(500), nullable=False),
    Column("entity_fingerprint", String(64), nullable=False),
    Column("score", Float, nullable=False),
    Column("explanation", JSON, nullable=False),
    Column("status", String(20), nullable=False),
    Column("alert", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # One open hit per party and listed entity: concurrent screenings of one party raise it once.
    Index(
        "uq_hits_open",
        "organisation_id",
        "party_fingerprint",
        "source",
        "entity_id",
        unique=True,
        postgresql_where=text("status = 'open'"),
        sqlite_where=text("status = 'open'"),
    ),
)

hit_decisions = Table(
    "hit_decisions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("hit_id", Integer, ForeignKey("hits.id"), nullable=False),
    Column("party_fingerprint", String(64), nullable=False),
    Column("source", String(100), nullable=False),
    Column("entity_id", String(200), nullable=False),
    Column("entity_fingerprint", String(64), nullable=False),
    Column("decision", String(20), nullable=False),
    Column("reason", Text, nullable=False),
    Column("decided_by", String(254), nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=False),
)

screening_settings = Table(
    "screening_settings",
    metadata,
    Column("organisation_id", Integer, ForeignKey("organisations.id"), primary_key=True),
    Column("threshold", Float, nullable=False),
)

dd_cases = Table(
    "dd_cases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("title", String(300), nullable=False),
    Column("transaction", JSON, nullable=False),
    Column("status", String(20), nullable=False),
    Column("conclusion", String(30), nullable=True),
    Column("red_flag_version", String(40), nullable=False),
    Column("created_by", String(254), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

dd_entries = Table(
    "dd_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, ForeignKey("dd_cases.id"), nullable=False, index=True),
    Column("step", String(20), nullable=False),
    Column("answers", JSON, nullable=False),
    Column("note", Text, nullable=False),
    Column("evidence", JSON, nullable=False),
    Column("recorded_by", String(254), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
)

notifications = Table(
    "notifications",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, ForeignKey("dd_cases.id"), nullable=False),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("member_state", String(2), nullable=False, index=True),
    Column("transaction", JSON, nullable=False),
    Column("summary", JSON, nullable=False),
    Column("status", String(30), nullable=False),
    Column("deadline", Date, nullable=False),
    Column("reason", Text, nullable=True),
    Column("decided_by", String(254), nullable=True),
    Column("decided_at", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("uq_notifications_case", "case_id", unique=True),  # one notification per case (Art. 5(2))
)

art5_requirements = Table(
    "art5_requirements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("notification_id", Integer, ForeignKey("notifications.id"), nullable=False),
    Column("imposing_state", String(2), nullable=False),
    Column("destination", String(2), nullable=False),
    Column("end_user", String(300), nullable=False),
    Column("item", String(300), nullable=False),
    Column("status", String(20), nullable=False),
    Column("notified_on", Date, nullable=False),
    Column("published_on", Date, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("uq_art5_requirements_notification", "notification_id", unique=True),
)

art5_views = Table(
    "art5_views",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("requirement_id", Integer, ForeignKey("art5_requirements.id"), nullable=False, index=True),
    Column("member_state", String(2), nullable=False),
    Column("view", String(10), nullable=False),
    Column("deadline", Date, nullable=False),
    Column("reason", Text, nullable=True),
    Column("recorded_by", String(254), nullable=True),
    Column("recorded_at", DateTime(timezone=True), nullable=True),
    Index("uq_art5_views_requirement_state", "requirement_id", "member_state", unique=True),
)

risk_profiles = Table(
    "risk_profiles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("subject_kind", String(20), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("level", String(20), nullable=False),
    Column("summary", Text, nullable=False),
    Column("sources", JSON, nullable=False),
    Column("origin", String(20), nullable=False),
    Column("verified", Boolean, nullable=False),
    Column("entered_by", String(254), nullable=False),
    Column("entered_at", DateTime(timezone=True), nullable=False),
)

submissions = Table(
    "submissions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organisation_name", String(300), nullable=False),
    Column("contact_email", String(254), nullable=True),
    Column("subject_kind", String(20), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("what_happened", Text, nullable=False),
    Column("sources", JSON, nullable=False),
    # F13: the reporter asked to be named where its accepted report is shown (default: anonymous)
    Column("name_publicly", Boolean, nullable=False, server_default=false()),
    Column("status", String(20), nullable=False),
    Column("moderation_note", Text, nullable=True),
    Column("moderated_by", String(254), nullable=True),
    Column("moderated_at", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

icp_assessments = Table(
    "icp_assessments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("answers", JSON, nullable=False),
    Column("assessed_by", String(254), nullable=False),
    Column("assessed_at", DateTime(timezone=True), nullable=False),
)

licensing_cases = Table(
    "licensing_cases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("member_state", String(2), nullable=False, index=True),
    Column("status", String(30), nullable=False),
    # Optimistic locking: every change is ``UPDATE ... WHERE version = :expected`` (``licensing_repo``).
    Column("version", Integer, nullable=False),
    Column("data", JSON, nullable=False),
    # When the case entered the authority's queue (the submission); the queue is ordered by it.
    Column("submitted_at", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # The queue: one state's cases in a status, oldest submission first, read in index order.
    Index("ix_licensing_cases_queue", "member_state", "status", "submitted_at", "id"),
)

# What the queue filters on, kept beside each case's JSON by ``licensing_repo`` from the current
# application: its destinations and the control codes of its items.
licensing_case_destinations = Table(
    "licensing_case_destinations",
    metadata,
    Column("case_id", Integer, ForeignKey("licensing_cases.id"), primary_key=True),
    Column("country", String(2), primary_key=True),
    Index("ix_licensing_case_destinations_country", "country", "case_id"),
)

licensing_case_items = Table(
    "licensing_case_items",
    metadata,
    Column("case_id", Integer, ForeignKey("licensing_cases.id"), primary_key=True),
    Column("control_code", String(40), primary_key=True),
    Index("ix_licensing_case_items_control_code", "control_code", "case_id"),
)

case_messages = Table(
    "case_messages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, ForeignKey("licensing_cases.id"), nullable=False, index=True),
    Column("author", String(254), nullable=False),
    Column("author_role", String(30), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

licences = Table(
    "licences",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, ForeignKey("licensing_cases.id"), nullable=False, index=True),
    Column("number", String(20), nullable=False, unique=True),
    Column("member_state", String(2), nullable=False, index=True),
    Column("status", String(20), nullable=False),
    Column("version", Integer, nullable=False),
    Column("data", JSON, nullable=False),
    Column("check_code", String(52), nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False),
)

# The last sequence number each member state's authority issued in a year (``DE-2026-000042``): the
# next licence number is this row's ``UPDATE ... RETURNING``, so concurrent grants wait their turn on
# the row for the rest of their transaction instead of colliding on the number.
licence_number_counters = Table(
    "licence_number_counters",
    metadata,
    Column("member_state", String(2), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("last_sequence", Integer, nullable=False),
)

shipments = Table(
    "shipments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("licence_id", Integer, ForeignKey("licences.id"), nullable=False, index=True),
    Column("data", JSON, nullable=False),
    Column("customs_reference", String(100), nullable=False),
    Column("shipped_on", Date, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

eugea_registrations = Table(
    "eugea_registrations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("eugea_id", String(10), nullable=False),
    Column("member_state", String(2), nullable=False, index=True),
    Column("registered_by", String(254), nullable=False),
    Column("registered_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("organisation_id", "eugea_id", name="uq_eugea_registrations_organisation_eugea"),
)

eugea_reports = Table(
    "eugea_reports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("eugea_id", String(10), nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("shipments", Integer, nullable=False),
    # A Decimal as text, exact on both databases (like the licensing JSON).
    Column("value_eur", String(40), nullable=False),
    Column("destinations", JSON, nullable=False),
    Column("submitted_by", String(254), nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    # Overlapping periods are refused by the use case under a lock on the registration; this catches the
    # plainest overlap (the same start) in the database too.
    Index("uq_eugea_reports_period", "organisation_id", "eugea_id", "period_start", unique=True),
)

authority_notices = Table(
    "authority_notices",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("member_state", String(2), nullable=False, index=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("article", String(10), nullable=False),
    Column("scope", String(20), nullable=False),
    Column("destination", String(2), nullable=False),
    Column("end_user", String(300), nullable=False),
    Column("item", String(300), nullable=False),
    Column("control_code", String(40), nullable=True),
    Column("reason", Text, nullable=False),
    Column("issued_on", Date, nullable=False),
    Column("issued_by", String(254), nullable=False),
    Column("status", String(20), nullable=False),
    Column("withdrawn_on", Date, nullable=True),
    Column("withdrawn_by", String(254), nullable=True),
    Column("withdrawal_reason", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Document bytes live in the database so that every app process serving it can hand them out (issue #16).
documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("owner_organisation_id", Integer, ForeignKey("organisations.id"), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("title", String(300), nullable=False),
    Column("media_type", String(100), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", Integer, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("created_by", String(254), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # one copy of a file per owner; looked up by owner and digest
    Index("uq_documents_owner_sha256", "owner_organisation_id", "sha256", unique=True),
)

# The job queue: a row per job is also its status (issue #16).
jobs = Table(
    "jobs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(60), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("status", String(20), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("max_attempts", Integer, nullable=False),
    Column("run_after", DateTime(timezone=True), nullable=False),
    Column("locked_by", String(200), nullable=True),
    Column("locked_at", DateTime(timezone=True), nullable=True),
    Column("progress_done", Integer, nullable=False),
    Column("progress_total", Integer, nullable=True),
    Column("message", Text, nullable=False),
    Column("last_error", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    Index("ix_jobs_status_run_after", "status", "run_after"),
)


# The officer's case file beside a licensing case (issue 19): evidence, flags, team, assignee and the clock
# of the case's status, as JSON with an optimistic-locking version (``casework_repo``).
casework_files = Table(
    "casework_files",
    metadata,
    Column("case_id", Integer, ForeignKey("licensing_cases.id"), primary_key=True),
    Column("member_state", String(2), nullable=False),
    Column("team", String(60), nullable=False),
    Column("assignee", String(254), nullable=False),
    Column("status", String(30), nullable=False),
    Column("status_since", DateTime(timezone=True), nullable=False),
    Column("version", Integer, nullable=False),
    Column("data", JSON, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_casework_files_queue", "member_state", "team", "assignee"),
)

# The parties of a case as precedents compare them (``ports.party_key``).
casework_parties = Table(
    "casework_parties",
    metadata,
    Column("case_id", Integer, ForeignKey("licensing_cases.id"), primary_key=True),
    Column("name_key", String(300), primary_key=True),
    Index("ix_casework_parties_name", "name_key", "case_id"),
)

# Digital end-user statements (issue 19): signed by the end-user through a link (its token kept as a hash),
# verified by number and check code; the statement as JSON, optimistically locked.
end_user_statements = Table(
    "end_user_statements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("number", String(30), nullable=False, unique=True),
    Column("case_id", Integer, ForeignKey("licensing_cases.id"), nullable=False, index=True),
    Column("member_state", String(2), nullable=False),
    Column("status", String(30), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("version", Integer, nullable=False),
    Column("data", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# Art. 21 suspensions of shipments by customs (issue 19), optimistically locked.
customs_holds = Table(
    "customs_holds",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("customs_state", String(2), nullable=False, index=True),
    Column("authority_state", String(2), nullable=False, index=True),
    Column("status", String(20), nullable=False),
    Column("version", Integer, nullable=False),
    Column("data", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# Requests after the decision (issue 19): extension, amendment, appeal, pre-application enquiry.
casework_tracks = Table(
    "casework_tracks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("member_state", String(2), nullable=False, index=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("status", String(20), nullable=False),
    Column("version", Integer, nullable=False),
    Column("data", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# Determinations an exporter saved as dated records (issue 13): the case as read and the answer as given.
saved_determinations = Table(
    "saved_determinations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False),
    Column("saved_by", String(254), nullable=False),
    Column("saved_at", DateTime(timezone=True), nullable=False),
    Column("outcome", String(40), nullable=False),
    Column("case_data", JSON, nullable=False),
    Column("answer", JSON, nullable=False),
    Index("ix_saved_determinations_organisation", "organisation_id", "saved_at"),
)

# Exchange between national deployments (issue 18 item 4): own public keys (private halves in files), peers
# and their keys, the outbox with its retries, the inbox of accepted documents (its ids refuse replays).
exchange_own_keys = Table(
    "exchange_own_keys",
    metadata,
    Column("key_id", String(80), primary_key=True),
    Column("public_key", String(64), nullable=False),
    Column("valid_from", DateTime(timezone=True), nullable=False),
    Column("retired_at", DateTime(timezone=True), nullable=True),
)

exchange_peers = Table(
    "exchange_peers",
    metadata,
    Column("state", String(2), primary_key=True),
    Column("base_url", String(500), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

exchange_peer_keys = Table(
    "exchange_peer_keys",
    metadata,
    Column("state", String(2), ForeignKey("exchange_peers.state"), primary_key=True),
    Column("key_id", String(80), primary_key=True, index=True),
    Column("public_key", String(64), nullable=False),
    Column("valid_from", DateTime(timezone=True), nullable=False),
    Column("retired_at", DateTime(timezone=True), nullable=True),
)

exchange_outbox = Table(
    "exchange_outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", String(36), nullable=False, index=True),
    Column("kind", String(30), nullable=False),
    Column("recipients", String(100), nullable=False),
    Column("document", JSON, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False, index=True),
    Column("last_error", Text, nullable=True),
    Column("delivered_at", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

exchange_inbox = Table(
    "exchange_inbox",
    metadata,
    Column("document_id", String(36), primary_key=True),
    Column("kind", String(30), nullable=False, index=True),
    Column("from_state", String(2), nullable=False),
    Column("to_states", String(100), nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("key_id", String(80), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("document", JSON, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("local", Boolean, nullable=False),
)

# The life of a list change (issue 15): a draft amendment of Annex I (Art. 17(1)) or a national measure
# (Art. 9), the public's comments, the impact stored with the adoption, and the notifications at entry into
# force.
list_changes = Table(
    "list_changes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("proposer", String(2), nullable=False, index=True),  # EU (the Commission) or a member state
    Column("status", String(20), nullable=False, index=True),
    # Optimistic locking: every change is ``UPDATE ... WHERE version = :expected`` (``listchange_repo``).
    Column("version", Integer, nullable=False),
    Column("title", String(300), nullable=False),
    Column("version_id", String(40), nullable=False),
    Column("data", JSON, nullable=False),  # rationale, body, content, dates, withdrawal reason, author
    Column("impact", JSON, nullable=True),
    Column("notified", JSON, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

list_change_comments = Table(
    "list_change_comments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("list_change_id", Integer, ForeignKey("list_changes.id"), nullable=False, index=True),
    Column("author_name", String(200), nullable=False),
    Column("organisation_name", String(200), nullable=False),
    Column("organisation_type", String(20), nullable=False),
    Column("text", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("rejection_reason", Text, nullable=True),
    Column("moderated_by", String(254), nullable=True),
    Column("moderated_at", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

list_change_notices = Table(
    "list_change_notices",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("list_change_id", Integer, ForeignKey("list_changes.id"), nullable=False, index=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("audience", String(20), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("read_at", DateTime(timezone=True), nullable=True),
)

# Denials between member states (Art. 16): the notification as JSON with an optimistic-locking version; one
# row per recipient (each other member state's authority, "EU" for the Commission) of each notice; and the
# consultations between authorities (Arts. 14(1), 16(5)). No exporter's commercial documents are kept here.
denials = Table(
    "denials",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("issuing_state", String(2), nullable=False, index=True),
    Column("kind", String(30), nullable=False),
    Column("status", String(20), nullable=False, index=True),
    Column("destination", String(2), nullable=False),
    Column("case_id", Integer, ForeignKey("licensing_cases.id"), nullable=True, index=True),
    Column("version", Integer, nullable=False),
    Column("data", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

denial_notifications = Table(
    "denial_notifications",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(30), nullable=False),
    Column("denial_id", Integer, ForeignKey("denials.id"), nullable=False, index=True),
    Column("sender_state", String(2), nullable=False),
    Column("recipient", String(2), nullable=False),
    Column("case_id", Integer, ForeignKey("licensing_cases.id"), nullable=True),
    Column("subject", String(500), nullable=False),
    Column("reasons", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_denial_notifications_recipient", "recipient", "id"),
)

denial_consultations = Table(
    "denial_consultations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(30), nullable=False),
    Column("consulting_state", String(2), nullable=False, index=True),
    Column("consulted_state", String(2), nullable=False, index=True),
    Column("case_id", Integer, ForeignKey("licensing_cases.id"), nullable=True, index=True),
    Column("denial_id", Integer, ForeignKey("denials.id"), nullable=True, index=True),
    Column("status", String(20), nullable=False),
    Column("version", Integer, nullable=False),
    Column("data", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# Enforcement (Arts. 25, 26(2), 28): decisions on violations, and compliance visits with their findings
# against the exporter's ICP elements (a JSON list of {icp_element, severity, text}).
enforcement_cases = Table(
    "enforcement_cases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("member_state", String(2), nullable=False, index=True),
    Column("violation", String(60), nullable=False),
    Column("decision_date", Date, nullable=False),
    Column("decision", String(20), nullable=False),
    Column("amount_eur", String(40), nullable=True),
    Column("imprisonment_months", Integer, nullable=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=True),
    Column("summary", Text, nullable=False),
    Column("recorded_by", String(254), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

compliance_visits = Table(
    "compliance_visits",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("member_state", String(2), nullable=False, index=True),
    Column("visit_date", Date, nullable=False),
    Column("findings", JSON, nullable=False),
    Column("recorded_by", String(254), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Supporting documents on an application (issue 19): the case says which kept document is its contract or
# specification; the bytes are in ``documents``.
application_documents = Table(
    "application_documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, ForeignKey("licensing_cases.id"), nullable=False, index=True),
    Column("document_id", Integer, ForeignKey("documents.id"), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("title", String(200), nullable=False),
    Column("uploaded_by", String(254), nullable=False),
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
)


# --- transparency (issue #15, migration 0021) -------------------------------------------------------------
# One row per item line of each decided licensing case, written with the decision (``licensing_repo``), so
# that the annual report (Art. 26(2)) is summed by the database (GROUP BY) rather than read case by case.
# Values in euro cents, exact on both databases.
transparency_decisions = Table(
    "transparency_decisions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, nullable=False, index=True),
    Column("line", Integer, nullable=False),
    Column("member_state", String(2), nullable=False),
    Column("year", Integer, nullable=False),
    Column("decided_on", Date, nullable=False),
    Column("organisation_id", Integer, nullable=False),
    Column("application_type", String(30), nullable=False),
    Column("outcome", String(20), nullable=False),
    Column("control_code", String(40), nullable=False),
    Column("category", String(1), nullable=False),
    Column("destination", String(2), nullable=False),
    # 1 on the first line of a case (and of a case's category), else 0: a case counts once when the lines
    # are summed, without COUNT(DISTINCT), which PostgreSQL cannot hash
    Column("case_count", Integer, nullable=False),
    Column("category_count", Integer, nullable=False),
    Column("value_cents", BigInteger, nullable=False),
    Index("ix_transparency_decisions_year_state", "year", "member_state"),
)

# The items of a report of use of a general authorisation (issue #15): older reports have none.
eugea_report_items = Table(
    "eugea_report_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("report_id", Integer, ForeignKey("eugea_reports.id"), nullable=False, index=True),
    Column("line", Integer, nullable=False),
    Column("control_code", String(40), nullable=False),
    Column("category", String(1), nullable=False),
    Column("quantity", String(40), nullable=False),
    Column("unit", String(40), nullable=False),
    Column("value_cents", BigInteger, nullable=False),
)

# A member state's part of the annual report, frozen at submission (the figures as JSON).
annual_report_parts = Table(
    "annual_report_parts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("member_state", String(2), nullable=False),
    Column("year", Integer, nullable=False),
    Column("status", String(20), nullable=False),
    Column("figures", JSON, nullable=False),
    Column("submitted_by", String(254), nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("member_state", "year", name="uq_annual_report_parts_state_year"),
)

# In-app reminders of deadlines (issue 16, migration 0023): one row per key (subject, deadline, stage), so the
# periodic reminder job adds none twice.
reminders = Table(
    "reminders",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(200), nullable=False, unique=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False),
    Column("subject_type", String(40), nullable=False),
    Column("subject_id", Integer, nullable=False),
    Column("due", Date, nullable=False),
    Column("stage", String(20), nullable=False),
    Column("message", Text, nullable=False),
    Column("href", String(300), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("read_at", DateTime(timezone=True), nullable=True),
    Index("ix_reminders_organisation_id", "organisation_id", "id"),
)

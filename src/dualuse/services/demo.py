"""The demo world that ``make run`` loads: organisations and users with fresh random passwords.

Loading twice is safe: what exists is kept, and every demo user gets a new random password, which is
printed so that a newcomer can sign in. Production refuses demo data (see ``config.Settings``).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from dualuse.domain import denials as dn
from dualuse.domain import licensing as lic
from dualuse.domain.casework import CaseworkRules
from dualuse.domain.duediligence import FlagAnswer, IcpLevel, RedFlagSet, Step
from dualuse.domain.duediligence.icp import ICP_ELEMENTS
from dualuse.domain.exchange import (
    DocumentKind,
    PublicKey,
    canonical_bytes,
    unsigned_document,
    with_signature,
)
from dualuse.domain.identity import OrganisationKind, Principal, Role
from dualuse.domain.rules.engine import ListView
from dualuse.domain.rules.rulebook import Rulebook
from dualuse.domain.screening.model import EntitySchema, ListSnapshot, ScreeningQuery
from dualuse.domain.screening.review import PartyRole
from dualuse.domain.transparency import UseLine
from dualuse.services import (
    audit,
    controllist,
    duediligence,
    generalauth,
    identity,
    licensing,
    notices,
    screening,
)
from dualuse.services.casework import evidence as casework_evidence
from dualuse.services.casework import supporting as casework_supporting
from dualuse.services.casework import tracks as casework_tracks
from dualuse.services.clock import today_in_brussels
from dualuse.services.controllist import ControlListCatalogue
from dualuse.services.denials.ports import DenialQuery, NoticeKind
from dualuse.services.denials.register import recipients
from dualuse.services.documents import evidence
from dualuse.services.exchange import inbox as exchange_inbox
from dualuse.services.exchange.ports import ExchangeSetup, Signer
from dualuse.services.listchange.demo import load_demo_list_changes
from dualuse.services.screening import ScreeningIndex
from dualuse.services.transparency import annual_report
from dualuse.services.unit_of_work import PasswordHasher, UnitOfWork

DEMO_ACTOR = "demo-loader"


@dataclass(frozen=True)
class DemoOrganisation:
    key: str
    kind: OrganisationKind
    name: str
    member_state: str | None
    eori: str | None = None


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    role: Role
    organisation: str


ORGANISATIONS: tuple[DemoOrganisation, ...] = (
    DemoOrganisation(
        "exporter-de", OrganisationKind.EXPORTER, "Rheinland Sensorik GmbH", "DE", "DE123456789012345"
    ),
    DemoOrganisation(
        "exporter-fr", OrganisationKind.EXPORTER, "Lumière Réseaux SAS", "FR", "FR98765432100011"
    ),
    DemoOrganisation(
        "authority-de", OrganisationKind.AUTHORITY, "Competent authority of Germany (demo)", "DE"
    ),
    DemoOrganisation(
        "authority-fr", OrganisationKind.AUTHORITY, "Competent authority of France (demo)", "FR"
    ),
    DemoOrganisation(
        "authority-nl", OrganisationKind.AUTHORITY, "Competent authority of the Netherlands (demo)", "NL"
    ),
    DemoOrganisation("commission", OrganisationKind.COMMISSION, "European Commission (demo)", None),
    DemoOrganisation(
        "customs-de", OrganisationKind.CUSTOMS, "Customs administration of Germany (demo)", "DE"
    ),
)

USERS: tuple[tuple[str, str, Role, str], ...] = (
    ("exporter@demo.dualuse.eu", "Erika Exporter", Role.EXPORTER_ADMIN, "exporter-de"),
    ("clerk@demo.dualuse.eu", "Karl Clerk", Role.EXPORTER_USER, "exporter-de"),
    ("exporter-fr@demo.dualuse.eu", "Françoise Exportatrice", Role.EXPORTER_ADMIN, "exporter-fr"),
    ("officer-de@demo.dualuse.eu", "Olaf Officer", Role.AUTHORITY_OFFICER, "authority-de"),
    ("senior-de@demo.dualuse.eu", "Sabine Senior", Role.AUTHORITY_SENIOR, "authority-de"),
    ("officer-fr@demo.dualuse.eu", "Odile Officier", Role.AUTHORITY_OFFICER, "authority-fr"),
    ("senior-fr@demo.dualuse.eu", "Serge Senior", Role.AUTHORITY_SENIOR, "authority-fr"),
    ("officer-nl@demo.dualuse.eu", "Otto Officier", Role.AUTHORITY_OFFICER, "authority-nl"),
    ("senior-nl@demo.dualuse.eu", "Sanne Senior", Role.AUTHORITY_SENIOR, "authority-nl"),
    ("commission@demo.dualuse.eu", "Claude Commission", Role.COMMISSION, "commission"),
    ("customs-de@demo.dualuse.eu", "Clara Customs", Role.CUSTOMS_OFFICER, "customs-de"),
)


DEMO_PRODUCTS: tuple[tuple[str, str, dict[str, object], str | None, str], ...] = (
    (
        "FieldSense IMSI-7",
        "Portable unit that impersonates a mobile base station to collect IMSI and IMEI identifiers of nearby phones",
        {"bands": ["GSM", "LTE"]},
        "5A001.f.2",
        "Collects subscriber identifiers over the air interface: an IMSI catcher.",
    ),
    (
        "CipherCore AES-256 module",
        "Hardware module encrypting network traffic with AES-256 for industrial gateways",
        {"symmetric_key_bits": 256},
        "5A002.a",
        "Cryptography for data confidentiality with a symmetric key above 56 bits; not mass-market.",
    ),
    (
        "LabSpin 3000 centrifuge",
        "Benchtop laboratory centrifuge for clinical samples",
        {},
        None,
        "General laboratory equipment, no entry of Annex I matches its parameters.",
    ),
)
LEGACY_PRODUCT: tuple[str, str, dict[str, object], str | None, str] = (
    "EdgeCompute board",
    "Embedded signal-processing board with a high-speed ADC",
    {},
    "3A001",
    "Classified under the 2024 list: electronic components of 3A001.",
)


def load_demo_classifications(uow: UnitOfWork, catalogue: ControlListCatalogue, organisation_id: int) -> int:
    """Classified products for the demo exporter, one of them recorded against the 2024 list and flagged
    for review because the 2025 update changed its entry."""
    if uow.classifications.for_organisation(organisation_id):
        return 0
    history = controllist.current_history(uow, catalogue)
    latest = history.latest
    recorded = [(product, latest.version_id) for product in DEMO_PRODUCTS]
    previous = history.lists[-2] if len(history.lists) > 1 else None
    if previous is not None:
        recorded.append((LEGACY_PRODUCT, previous.version_id))
    for (name, description, parameters, code, rationale), version_id in recorded:
        uow.classifications.add(
            organisation_id=organisation_id,
            product_name=name,
            description=description,
            parameters=parameters,
            control_code=code,
            rationale=rationale,
            list_version=version_id,
            created_by=DEMO_ACTOR,
        )
    if previous is not None:  # only the record made against the earlier list: the others are current
        controllist.flag_outdated(uow, history, actor=DEMO_ACTOR)
    return len(recorded)


DEMO_PARTIES: tuple[tuple[str, EntitySchema, str | None, PartyRole], ...] = (
    ("Northwind Signal Intelligence", EntitySchema.ORGANIZATION, None, PartyRole.END_USER),
    ("Harbourlight Monitoring Center", EntitySchema.ORGANIZATION, None, PartyRole.CONSIGNEE),
    ("Baltic Freight Forwarding OÜ", EntitySchema.ORGANIZATION, "ee", PartyRole.INTERMEDIARY),
)


def load_demo_screening(
    uow: UnitOfWork, index: ScreeningIndex, snapshots: Sequence[ListSnapshot], exporter: Principal
) -> None:
    """The demo list's first version, the demo exporter's parties (one hit), then the second version,
    whose new entry matches a saved party and raises an alert."""
    if uow.screening.latest_version_ids():
        return
    system = Principal.system(DEMO_ACTOR)
    first, *later = snapshots
    screening.import_snapshot(uow, system, first, format_name="ftm", filename="demo-sanctions.jsonl")
    for name, schema, country, role in DEMO_PARTIES:
        screening.save_party(
            uow, exporter, index, ScreeningQuery(name=name, schema=schema, country=country), role
        )
    for snapshot in later:
        screening.import_snapshot(uow, system, snapshot, format_name="ftm", filename="demo-sanctions.jsonl")


def load_demo_due_diligence(uow: UnitOfWork, flags: RedFlagSet, exporter: Principal) -> None:
    """An open due-diligence case with its first step answered, and an ICP self-assessment."""
    assert exporter.organisation_id is not None  # noqa: S101 - the demo exporter has an organisation
    if uow.duediligence.cases(exporter.organisation_id):
        return
    case_id = duediligence.open_case(
        uow,
        exporter,
        flags,
        title="IP monitoring probe for a national telecom regulator",
        transaction={
            "destination": "AE",
            "end_user": {"name": "Telecommunications Regulatory Directorate (demo)", "type": "government"},
            "item": {
                "description": "Passive IP traffic analysis probe",
                "control_code": None,
                "cyber_surveillance": True,
            },
        },
    )
    # the classification's working note as an evidence file, kept in the database's document store
    note = (
        b"Classification working note (demo)\n"
        b"The exporter's own record of how the probe was classified; the step's note gives the outcome.\n"
    )
    document = evidence.keep_evidence(
        uow.documents,
        organisation_id=exporter.organisation_id,
        title="classification-note.txt",
        media_type="text/plain; charset=utf-8",
        content=note,
        actor=exporter.label,
    )
    duediligence.record_step(
        uow,
        exporter,
        flags,
        case_id,
        Step.CLASSIFICATION,
        answers={f.id: (FlagAnswer.NO, "") for f in flags.for_step(Step.CLASSIFICATION)},
        note="Not listed in Annex I; within Art. 2(20) because it extracts and analyses users' traffic data.",
        evidence=[
            {
                "title": document.title,
                "file": f"{document.sha256}.txt",
                "sha256": document.sha256,
                "bytes": str(document.size),
            }
        ],
    )
    duediligence.save_icp(uow, exporter, {e.id: IcpLevel.IN_PLACE for e in ICP_ELEMENTS})


def _demo_application(
    code: str, description: str, destination: str, end_user: str
) -> licensing.ApplicationContent:
    return licensing.ApplicationContent(
        application_type="individual",
        items=(lic.ApplicationItem(code, description, Decimal(4), "pieces", Decimal(200000)),),
        parties=(
            lic.Party(end_user, lic.PartyRole.END_USER, destination, lic.PartyType.COMMERCIAL),
            lic.Party(end_user, lic.PartyRole.CONSIGNEE, destination, lic.PartyType.COMMERCIAL),
        ),
        destinations=(destination,),
        end_use="Operation of a licensed public telecommunications network",
    )


def load_demo_licensing(uow: UnitOfWork, secret: bytes, people: dict[str, Principal]) -> None:
    """Applications in several states and a licence in use, for the DE exporter and authority."""
    exporter, officer, senior = people["exporter"], people["officer"], people["senior"]
    if licensing.applications(uow, exporter):
        return
    draft = _demo_application(
        "5A001.j", "Carrier-grade IP traffic analysis system", "BR", "Operadora Demo SA"
    )
    licensing.create_application(uow, exporter, draft)
    waiting = licensing.create_application(
        uow,
        exporter,
        _demo_application("5A001.f.2", "Cell-site simulator for a police unit", "MX", "Policía Demo"),
    )
    licensing.submit(uow, exporter, waiting.id, declaration=licensing.APPLICANT_DECLARATION)
    granted = licensing.create_application(
        uow,
        exporter,
        _demo_application("5A002.a", "AES-256 network encryptor", "IN", "Bharat Demo Telecom Ltd"),
    )
    licensing.submit(uow, exporter, granted.id, declaration=licensing.APPLICANT_DECLARATION)
    stored = licensing.case_action(uow, officer, granted.id, "start_assessment", expected_version=None)
    findings = [lic.Finding(c.id, False, "") for c in lic.CRITERIA]
    stored = licensing.record_assessment(
        uow, officer, granted.id, findings, expected_version=stored.case.version
    )
    stored = licensing.recommend(
        uow,
        officer,
        granted.id,
        kind="grant",
        reasoning="Civil telecom use; no concerns",
        expected_version=stored.case.version,
    )
    _case, licence = licensing.decide(
        uow, senior, granted.id, outcome="granted", expected_version=stored.case.version, secret=secret
    )
    if licence is not None:
        licensing.record_shipment(
            uow,
            exporter,
            licence.licence.number,
            item_line=1,
            quantity=Decimal(3),  # three of the four pieces: the exporter's home shows it nearly used up
            value_eur=Decimal(150000),
            shipped_on=licence.licence.valid_from,
            customs_reference="DEMO-MRN-0001",
        )
    # a case where the authority asked the exporter a question (created last, so earlier ids stay put)
    asked = licensing.create_application(
        uow,
        exporter,
        _demo_application("5A002.a", "VPN gateway with AES-256", "ZA", "Demo Networks (Pty) Ltd"),
    )
    licensing.submit(uow, exporter, asked.id, declaration=licensing.APPLICANT_DECLARATION)
    asked = licensing.case_action(uow, officer, asked.id, "start_assessment", expected_version=None)
    licensing.case_action(
        uow,
        officer,
        asked.id,
        "request_information",
        expected_version=asked.case.version,
        note="Which network operator runs the gateways, and who holds the keys?",
    )


def load_demo_casework(
    uow: UnitOfWork,
    index: ScreeningIndex,
    rules: CaseworkRules,
    list_view: ListView | None,
    exporter: Principal,
) -> None:
    """A case whose end-user is on the demo sanctions list (flagged, routed to the sanctions team), and the
    evidence of every submitted demo case."""
    if not any(
        c.case.application.parties[0].name == SANCTIONED_END_USER
        for c in licensing.applications(uow, exporter)
    ):
        flagged = licensing.create_application(
            uow,
            exporter,
            _demo_application("5A001.j", "IP network interception platform", "AE", SANCTIONED_END_USER),
        )
        licensing.submit(uow, exporter, flagged.id, declaration=licensing.APPLICANT_DECLARATION)
    for stored in licensing.applications(uow, exporter):
        if stored.submitted_at is not None and uow.casework.file(stored.id) is None:
            casework_evidence.open_case_file(uow, index, list_view, rules, stored.id, actor=DEMO_ACTOR)


SANCTIONED_END_USER = "Meridian Lawful Intercept Solutions"
DEMO_CONTRACT = (
    b"Purchase order PO-2026-114 (demo)\n"
    b"Buyer: Meridian Lawful Intercept Solutions, Abu Dhabi\n"
    b"Two IP network interception platforms, EUR 250,000, delivery FCA Munich.\n"
)


def load_demo_casework_documents(uow: UnitOfWork, exporter: Principal) -> None:
    """A contract filed with the flagged demo case, and a pre-application enquiry waiting for its ruling
    (once each): the officer's case page lists a supporting document, the requests page has a request."""
    flagged = next(
        (
            c
            for c in licensing.applications(uow, exporter)
            if c.case.application.parties[0].name == SANCTIONED_END_USER and c.submitted_at is not None
        ),
        None,
    )
    if flagged is not None and not uow.casework.supporting(flagged.id):
        casework_supporting.attach(
            uow,
            exporter,
            flagged.id,
            kind="contract",
            title="Purchase order PO-2026-114",
            file_name="purchase-order.txt",
            media_type="text/plain; charset=utf-8",
            content=DEMO_CONTRACT,
        )
    assert exporter.organisation_id is not None  # noqa: S101 - the demo exporter has one
    if not uow.casework.tracks(organisation_id=exporter.organisation_id):
        casework_tracks.enquire(
            uow,
            exporter,
            question="Is our home router with a VPN function listed, and does shipping it to Norway need a licence?",
            control_code="5A002.a",
            description="Home router with IPsec VPN (AES-128)",
            destination="NO",
        )


def load_demo(
    uow: UnitOfWork,
    hasher: PasswordHasher,
    catalogue: ControlListCatalogue | None = None,
    screening_lists: tuple[ScreeningIndex, Sequence[ListSnapshot]] | None = None,
    red_flags: RedFlagSet | None = None,
    licence_secret: bytes | None = None,
    casework: tuple[CaseworkRules, ListView | None] | None = None,
) -> list[DemoLogin]:
    """Create (or refresh) the demo organisations and users; returns the logins with their new passwords."""
    ids: dict[str, int] = {}
    names: dict[str, str] = {}
    for org in ORGANISATIONS:
        existing = uow.organisations.find(org.kind, org.name)
        if existing is None:
            existing = identity.create_organisation(
                uow,
                actor=DEMO_ACTOR,
                kind=org.kind,
                name=org.name,
                member_state=org.member_state,
                eori=org.eori,
            )
        ids[org.key] = existing.id
        names[org.key] = existing.name
    logins: list[DemoLogin] = []
    for email, full_name, role, org_key in USERS:
        password = secrets.token_urlsafe(12)
        user = uow.users.by_email(email)
        if user is None:
            identity.create_user(
                uow,
                hasher,
                actor=DEMO_ACTOR,
                email=email,
                full_name=full_name,
                password=password,
                role=role,
                organisation_id=ids[org_key],
            )
        else:
            uow.users.set_password_hash(user.id, hasher.hash(password))
            audit.record(
                uow,
                actor=DEMO_ACTOR,
                action="user.password_reset",
                entity_type="user",
                entity_id=user.id,
                reason="demo data reloaded",
            )
        logins.append(DemoLogin(email, password, role, names[org_key]))
    if catalogue is not None:
        load_demo_classifications(uow, catalogue, ids["exporter-de"])
    uow.commit()
    if screening_lists is not None:
        user = uow.users.by_email(USERS[0][0])
        assert user is not None  # noqa: S101 - created above
        load_demo_screening(uow, *screening_lists, identity.principal_for(uow, user))
    if red_flags is not None:
        user = uow.users.by_email(USERS[0][0])
        assert user is not None  # noqa: S101 - created above
        load_demo_due_diligence(uow, red_flags, identity.principal_for(uow, user))
    if licence_secret is not None:
        people = {}
        for key, email in (
            ("exporter", USERS[0][0]),
            ("officer", "officer-de@demo.dualuse.eu"),
            ("senior", "senior-de@demo.dualuse.eu"),
        ):
            found = uow.users.by_email(email)
            assert found is not None  # noqa: S101 - created above
            people[key] = identity.principal_for(uow, found)
        load_demo_licensing(uow, licence_secret, people)
        load_demo_denials(uow, people["exporter"])  # before the case files: the DE case is flagged
        if casework is not None and screening_lists is not None:
            load_demo_casework(uow, screening_lists[0], casework[0], casework[1], people["exporter"])
            load_demo_casework_documents(uow, people["exporter"])
    load_demo_notice(uow, ids["exporter-de"])
    if catalogue is not None:  # issue 15: a draft change of the list open for comment
        load_demo_list_changes(uow, catalogue)
    return logins


def load_demo_notice(uow: UnitOfWork, organisation_id: int) -> None:
    """The DE authority's Art. 4(1) notice to the DE exporter about one end-user (once)."""
    if uow.notices.received(organisation_id):
        return
    officer = uow.users.by_email("officer-de@demo.dualuse.eu")
    assert officer is not None  # noqa: S101 - created above
    notices.issue(
        uow,
        identity.principal_for(uow, officer),
        organisation_id=organisation_id,
        article="4(1)",
        scope="end_user",
        destination="IN",
        end_user="Northern Institute of Applied Physics",
        reason="Fictional demo: the end-user is reported to work on missile guidance.",
    )


# --- exchange between national deployments (issue 18 item 4) -----------------------------------------------
DEMO_PEER_URL = "https://fr.demo.invalid"


def load_demo_exchange(
    uow: UnitOfWork, setup: ExchangeSetup, signer: Signer, public_key: bytes, now: datetime
) -> None:
    """Documents France's (fictitious) deployment sent to Germany's authority: a denial and a consultation.
    France's key lives in memory only: it signs these documents and is forgotten; its public half is
    registered as France's peer key, and the documents go through the inbox's checks like any other."""
    if uow.exchange.peer("FR") is not None:
        return
    now = now.replace(microsecond=0)
    uow.exchange.save_peer("FR", DEMO_PEER_URL, now)
    uow.exchange.save_peer_key("FR", PublicKey(signer.key_id, frozenset({"FR"}), public_key, now))
    party = {"name": "Pars Trading Co.", "country": "IR", "address": "Tehran"}
    item = {"description": "Frequency changers for gas centrifuges", "control_code": "3A225"}
    documents = [
        (
            DocumentKind.DENIAL,
            {
                "reference": "FR-DEN-2026-0042",
                "decision": "refusal",
                "decided_on": now.date().isoformat(),
                "destination": "IR",
                "end_user": party,
                "item": item,
                "reason": "Risk of diversion to a programme for weapons of mass destruction (Art. 15(1)(d)).",
            },
        ),
        (
            DocumentKind.CONSULTATION_REQUEST,
            {
                "reference": "FR-CONS-2026-0007",
                "legal_basis": "Art. 16(5)",
                "denial_reference": "DE-DEN-2025-0113",
                "destination": "IR",
                "end_user": party,
                "item": item,
                "question": "Germany denied an essentially identical transaction: does the denial still stand?",
            },
        ),
    ]
    for kind, payload in documents:
        unsigned = unsigned_document(
            kind=kind, from_state="FR", to_states=["DE"], issued_at=now, key_id=signer.key_id, payload=payload
        )
        exchange_inbox.accept(
            uow, with_signature(unsigned, signer.sign(canonical_bytes(unsigned))), setup, now
        )
    uow.commit()


# --- denials between member states (issue 18) -----------------------------------------------------------
DENIED_END_USER = "Nordwind Surveillance GmbH"
DENIED_DESTINATION = "KZ"


def load_demo_denials(uow: UnitOfWork, exporter: Principal) -> None:
    """A fictional FR denial of a 5A001.j export to Nordwind Surveillance GmbH in Kazakhstan, as notified to
    every other state and the Commission (Art. 16(1)), and a DE application for the same end-user spelled
    otherwise ("NORDWIND SURVEILANCE"), so that the DE officer sees the match and consults FR (Art. 16(5)).
    The FR denial is recorded as received (no FR case behind it: FR's casework is FR's own)."""
    if not uow.denials.denials(DenialQuery(issuing_state="FR")):

        def build(denial_id: int) -> dn.Denial:
            return dn.new_denial(
                denial_id,
                kind=dn.DenialKind.DENIAL,
                issuing_state="FR",
                items=[dn.DenialItem("5A001.j", "IP network interception and retention system")],
                destination=DENIED_DESTINATION,
                parties=[
                    dn.DenialParty(DENIED_END_USER, "end_user", DENIED_DESTINATION),
                    dn.DenialParty(DENIED_END_USER, "consignee", DENIED_DESTINATION),
                ],
                considerations=["art15.1.c", "art15.1.d"],
                reasons="Fictional demo: risk of use for internal repression; risk of diversion to security services.",
                decided_on=date(2026, 10, 14),
                case_reference="FR/SBDU/2026-0147",
                actor_id=DEMO_ACTOR,
            )[0]

        denial = uow.denials.add_denial(build, case_id=None)
        uow.denials.add_notices(
            kind=NoticeKind.DENIAL,
            denial_id=denial.id,
            sender_state="FR",
            recipients=recipients("FR"),
            subject=f"denial: 5A001.J to {DENIED_DESTINATION} ({DENIED_END_USER})",
            reasons=denial.reasons,
        )
        audit.record(
            uow,
            actor=DEMO_ACTOR,
            action="denial.DenialNotified",
            entity_type="denial",
            entity_id=denial.id,
            after={"status": denial.status.value, "kind": denial.kind.value},
        )
        uow.commit()
    if not any(
        c.case.application.parties and c.case.application.parties[0].name == "NORDWIND SURVEILANCE"
        for c in licensing.applications(uow, exporter)
    ):
        similar = licensing.create_application(
            uow,
            exporter,
            _demo_application(
                "5A001.j",
                "Lawful interception mediation platform",
                DENIED_DESTINATION,
                "NORDWIND SURVEILANCE",
            ),
        )
        licensing.submit(uow, exporter, similar.id, declaration=licensing.APPLICANT_DECLARATION)


# --- transparency (issue #15): a refusal, a general authorisation in use, and the DE part submitted --------
REFUSED_END_USER = "Demo State Security Directorate"  # the annual report's refusal


def load_demo_transparency(
    uow: UnitOfWork, rulebook: Rulebook, list_view: ListView | None, secret: bytes
) -> None:
    """For the annual report: the DE authority refuses a cell-site simulator for a security service (a
    cyber-surveillance item), the DE exporter registers for EU002 and reports its use item by item, and the
    DE authority submits its part of this year's report (once)."""
    people = {}
    for key, email in (
        ("exporter", USERS[0][0]),
        ("officer", "officer-de@demo.dualuse.eu"),
        ("senior", "senior-de@demo.dualuse.eu"),
    ):
        found = uow.users.by_email(email)
        if found is None:
            return
        people[key] = identity.principal_for(uow, found)
    exporter, officer, senior = people["exporter"], people["officer"], people["senior"]
    if not any(
        c.case.application.parties[0].name == REFUSED_END_USER for c in licensing.applications(uow, exporter)
    ):
        content = _demo_application("5A001.f.1", "IMSI catcher", "EG", REFUSED_END_USER)
        refused = licensing.create_application(
            uow,
            exporter,
            licensing.ApplicationContent(
                application_type=content.application_type,
                items=content.items,
                parties=tuple(
                    lic.Party(p.name, p.role, p.country, lic.PartyType.GOVERNMENT) for p in content.parties
                ),
                destinations=content.destinations,
                end_use="Interception of mobile communications by a state security service",
            ),
        )
        licensing.submit(uow, exporter, refused.id, declaration=licensing.APPLICANT_DECLARATION)
        stored = licensing.case_action(uow, officer, refused.id, "start_assessment", expected_version=None)
        concern = "art15.1.c"
        findings = [
            lic.Finding(c.id, c.id == concern, "risk of use in internal repression") for c in lic.CRITERIA
        ]
        stored = licensing.record_assessment(
            uow, officer, refused.id, findings, expected_version=stored.case.version
        )
        stored = licensing.recommend(
            uow,
            officer,
            refused.id,
            kind="deny",
            reasoning="Clear risk of use for covert surveillance of journalists",
            criteria_relied_on=[concern],
            expected_version=stored.case.version,
        )
        licensing.decide(
            uow, senior, refused.id, outcome="denied", expected_version=stored.case.version, secret=secret
        )
    if uow.general_authorisations.registration(exporter.organisation_id or 0, "EU002") is None:
        generalauth.register(uow, exporter, rulebook, "EU002")
        today = today_in_brussels()
        generalauth.report_use(
            uow,
            exporter,
            rulebook,
            "EU002",
            today,
            today,
            2,
            Decimal(36000),
            ["JP", "US"],
            [
                UseLine("5A002.a", Decimal(10), "pieces", Decimal(25000)),
                UseLine("5D002", Decimal(5), "licences", Decimal(11000)),
            ],
            annual_report.listed_in(list_view),
        )
    year = today_in_brussels().year
    if uow.transparency.part("DE", year) is None:
        annual_report.submit(
            uow,
            officer,
            year,
            annual_report.cyber_surveillance_in(list_view),
            annual_report.national_ids(rulebook),
        )

"""The OpenSanctions yente API over our screening: ``/match``, ``/search``, ``/entities``, ``/catalog``,
``/algorithms`` and ``/readyz`` in yente's request and response shapes, so its clients (the ``yente-client``
SDK, nomenklatura's enricher) work against dualuse. What yente offers and we cannot honour is refused with a
clear error, never silently ignored. Authenticate with ``Authorization: ApiKey <token>`` (yente's clients) or
``Bearer <token>``; ``DUALUSE_YENTE_OPEN=1`` serves ``/match`` and ``/search`` without a key (a private
network), and then logs nothing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, time
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import JSONResponse

from dualuse.domain.errors import AuthenticationError, NotFoundError, ValidationError
from dualuse.domain.identity import Principal
from dualuse.domain.rules.facts import country_name
from dualuse.domain.screening.model import (
    EntityFilter,
    EntitySchema,
    ListedEntity,
    ListSnapshot,
    Match,
    ScreeningQuery,
)
from dualuse.domain.screening.review import ALGORITHM, check_threshold
from dualuse.entrypoints.api.schemas.problems import API_ERRORS
from dualuse.entrypoints.api.schemas.yente import (
    AdjacentByPropertyResponse,
    AdjacentResponse,
    AlgorithmsResponse,
    CatalogResponse,
    EntityExample,
    EntityOut,
    MatchRequest,
    MatchResponse,
    ReadyResponse,
    SearchResponse,
)
from dualuse.entrypoints.http.deps import ContainerDep, PrincipalDep, UowDep
from dualuse.services import screening as svc

router = APIRouter(tags=["screening (yente API)"], responses=API_ERRORS)

MAX_QUERIES = 100
MAX_LIMIT = 500
TOPICS = ("sanction",)
"""Every list dualuse imports is a sanctions list: each listed entity carries the yente topic ``sanction``."""
ALGORITHM_ALIASES = frozenset({ALGORITHM, "best", "default"})

#: FollowTheMoney's matchable schemata, each with those it is matched against (`Schema.matchable_schemata` of
#: followthemoney 4.11; `tests/integration/test_yente_api.py` checks them against the installed model),
#: and Thing, yente's base schema, which is matched against any
FTM_MATCHABLE: Mapping[str, frozenset[str]] = {
    "Address": frozenset({"Address"}),
    "Airplane": frozenset({"Airplane", "Vehicle"}),
    "BankAccount": frozenset({"BankAccount"}),
    "Company": frozenset({"Company", "LegalEntity", "Organization"}),
    "CryptoWallet": frozenset({"CryptoWallet"}),
    "LegalEntity": frozenset({"Company", "LegalEntity", "Organization", "Person", "PublicBody"}),
    "Organization": frozenset({"Company", "LegalEntity", "Organization", "PublicBody"}),
    "Person": frozenset({"LegalEntity", "Person"}),
    "Position": frozenset({"Position"}),
    "PublicBody": frozenset({"LegalEntity", "Organization", "PublicBody"}),
    "Security": frozenset({"Security"}),
    "Territory": frozenset({"Territory"}),
    "UserAccount": frozenset({"UserAccount"}),
    "Vehicle": frozenset({"Airplane", "Vehicle", "Vessel"}),
    "Vessel": frozenset({"Vehicle", "Vessel"}),
}
THING = "Thing"
#: how each kind of listed entity is labelled in yente's shape: the lists say a party is an entity, not
#: which kind of organisation, nor whether an unknown one is a person
SCHEMA_FTM = {
    EntitySchema.PERSON: "Person",
    EntitySchema.ORGANIZATION: "Organization",
    EntitySchema.VESSEL: "Vessel",
    EntitySchema.AIRCRAFT: "Airplane",
    EntitySchema.UNKNOWN: "LegalEntity",
}
#: what a query of each schema tells our scorer the party is (None: it may be any)
QUERY_SCHEMA: Mapping[str, EntitySchema] = {
    "Person": EntitySchema.PERSON,
    "Organization": EntitySchema.ORGANIZATION,
    "Company": EntitySchema.ORGANIZATION,
    "PublicBody": EntitySchema.ORGANIZATION,
    "Vessel": EntitySchema.VESSEL,
    "Airplane": EntitySchema.AIRCRAFT,
}


def matched_kinds(schema: str) -> frozenset[EntitySchema]:
    """The kinds of listed entity a query of this schema is matched against, as yente matches an example
    against its schema's matchable schemata: a Person against persons and legal entities, a CryptoWallet
    against nothing our lists hold."""
    if schema == THING:
        return frozenset(EntitySchema)
    names = FTM_MATCHABLE[schema]
    return frozenset(kind for kind, name in SCHEMA_FTM.items() if name in names)


class BadRequestError(ValidationError):
    """A request yente answers with 400 (an example it cannot parse, an unknown algorithm, no queries or too
    many): its clients raise their ``BadRequestError`` for it."""

    status = 400
    code = "bad-request"
    title = "Bad request"


@contextmanager
def _as_yente_refuses() -> Iterator[None]:
    """What we refuse in a request, refused with yente's status (400), not 422."""
    try:
        yield
    except BadRequestError:
        raise
    except ValidationError as error:
        raise BadRequestError(error.detail, field=error.field) from error


NAME_PROPERTIES = ("name", "alias", "previousName", "weakAlias", "abbreviation")
PART_PROPERTIES = ("firstName", "secondName", "middleName", "fatherName", "lastName")
COUNTRY_PROPERTIES = ("nationality", "citizenship", "country", "jurisdiction", "mainCountry", "flag")
ID_PROPERTIES = (
    "idNumber",
    "passportNumber",
    "registrationNumber",
    "taxNumber",
    "imoNumber",
    "innCode",
    "ogrnCode",
    "leiCode",
    "vatCode",
    "swiftBic",
)
DATE_PROPERTIES = ("birthDate", "incorporationDate")
READ_PROPERTIES = frozenset(
    (*NAME_PROPERTIES, *PART_PROPERTIES, *COUNTRY_PROPERTIES, *ID_PROPERTIES, *DATE_PROPERTIES)
)
FEATURE_DOCS = {
    "name": "Similarity of the best-matching names, part by part (typos, transliteration, order, initials).",
    "schema": "Whether the kinds of entity agree (a person is not a company or a ship).",
    "birth_date": "Agreement of the dates of birth or incorporation, to the precision both give.",
    "country": "Agreement of the countries (nationality, citizenship, address, flag).",
    "identifier": "An identifier (passport, registration, IMO, tax number) in common.",
}


def _values(properties: Mapping[str, str | list[str]], keys: Iterable[str]) -> list[str]:
    found: list[str] = []
    for key in keys:
        value = properties.get(key, [])
        found.extend(v.strip() for v in ([value] if isinstance(value, str) else value) if v and v.strip())
    return found


def query_of(example: EntityExample, key: str) -> ScreeningQuery:
    """Our screening query for a yente example: every name (the parts joined when there is no whole name),
    every date of birth or incorporation, every country, every identifier."""
    props = example.properties
    names = _values(props, NAME_PROPERTIES)
    parts = _values(props, PART_PROPERTIES)
    if parts:
        names.append(" ".join(parts))
    identifiers = tuple(_values(props, ID_PROPERTIES))
    if not names and not identifiers:
        raise ValidationError(
            f"query {key!r} needs a name (properties.name, or firstName and lastName) or an identifier "
            f"({', '.join(ID_PROPERTIES)})",
            field=f"queries.{key}.properties.name",
        )
    countries = _values(props, COUNTRY_PROPERTIES)
    dates = _values(props, DATE_PROPERTIES)
    return ScreeningQuery(
        # without a name, the query is matched by its identifiers alone
        name=names[0] if names else "",
        aliases=tuple(names[1:]),
        schema=QUERY_SCHEMA.get(example.schema_),
        birth_date=dates[0] if dates else None,
        other_birth_dates=tuple(dates[1:]),
        country=countries[0].lower() if countries else None,
        other_countries=tuple(c.lower() for c in countries[1:]),
        identifiers=identifiers,
    )


# --- responses ----------------------------------------------------------------------------------------
def entity_id(entity: ListedEntity) -> str:
    return f"{entity.source}-{entity.entity_id}"


def _stamp(entity: ListedEntity) -> str | None:
    return datetime.combine(entity.listed_on, time()).isoformat() if entity.listed_on else None


def entity_json(entity: ListedEntity) -> dict[str, Any]:
    """A listed entity in yente's entity shape, with every property the list gives."""
    properties: dict[str, list[str]] = {"name": [entity.names[0]], "topics": list(TOPICS)}
    if len(entity.names) > 1:
        properties["alias"] = list(entity.names[1:])
    if entity.birth_dates:
        key = "birthDate" if entity.schema is EntitySchema.PERSON else "incorporationDate"
        properties[key] = list(entity.birth_dates)
    if entity.countries:
        properties["nationality" if entity.schema is EntitySchema.PERSON else "country"] = list(
            entity.countries
        )
    if entity.programs:
        properties["programId"] = list(entity.programs)
    if entity.identifiers:
        properties["idNumber"] = [i.number for i in entity.identifiers]
    return {
        "id": entity_id(entity),
        "caption": entity.primary_name,
        "schema": SCHEMA_FTM[entity.schema],
        "properties": properties,
        "datasets": [entity.source],
        "referents": [],
        "target": True,
        "first_seen": _stamp(entity),
        "last_seen": None,
        "last_change": _stamp(entity),
    }


def scored_json(match: Match, threshold: float) -> dict[str, Any]:
    return {
        **entity_json(match.entity),
        "score": round(match.score, 4),
        "match": match.score >= threshold,
        "features": {name: round(value, 4) for name, (value, _note) in match.explanation.items()},
        "explanations": {
            name: {"score": round(value, 4), "detail": note}
            for name, (value, note) in match.explanation.items()
        },
        "token": None,
    }


# --- filters --------------------------------------------------------------------------------------------
def _check_schema(name: str, field: str) -> None:
    if name not in FTM_MATCHABLE and name != THING:
        raise BadRequestError(
            f"unknown schema {name!r}, or one that cannot be matched; use a matchable FollowTheMoney schema "
            f"({', '.join(sorted(FTM_MATCHABLE))}) or {THING}",
            field=field,
        )


def _excluded_kinds(names: Iterable[str]) -> frozenset[EntitySchema]:
    """The kinds of listed entity ``exclude_schema`` leaves out: as yente, those labelled with a schema named
    (excluding Company leaves out no listed entity labelled Organization)."""
    named = set()
    for name in names:
        _check_schema(name, "exclude_schema")
        named.add(name)
    return frozenset(kind for kind, label in SCHEMA_FTM.items() if label in named)


def _datasets(dataset: str, include: list[str], known: Iterable[str]) -> frozenset[str] | None:
    """The lists a request covers: ``default`` is every list; ``include_dataset`` narrows it."""
    known = set(known)
    asked = set(include) | ({dataset} if dataset != "default" else set())
    unknown = sorted(asked - known)
    if unknown:
        raise NotFoundError(
            f"no dataset {', '.join(unknown)}; known: default, {', '.join(sorted(known))}", field="dataset"
        )
    return frozenset(asked) if asked else None


def _any_topic(topics: list[str] | None) -> bool:
    """Whether listed entities can have any of ``topics`` (none asked: yes). Every entity dualuse holds
    carries the topic ``sanction``, so asking for others narrows to nothing."""
    return not topics or bool(set(topics) & set(TOPICS))


def _refuse(request: Request, allowed: frozenset[str], what: str) -> None:
    """Query parameters we do not know are refused, not ignored."""
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise ValidationError(
            f"{what} does not take {', '.join(unknown)}; it takes {', '.join(sorted(allowed))}",
            field=unknown[0],
        )


def _check_algorithm(algorithm: str) -> None:
    if algorithm.lower() not in ALGORITHM_ALIASES:
        raise ValidationError(
            f"unknown algorithm {algorithm!r}: dualuse has one, {ALGORITHM!r} (also called 'best')",
            field="algorithm",
        )


def _caller(principal: Principal, container: ContainerDep) -> bool:
    """Whether what the caller does is logged: signed-in callers are; anonymous ones only get through where
    the operator opened the API on a private network (``DUALUSE_YENTE_OPEN``)."""
    if principal.is_authenticated:
        return True
    if container.settings.yente_open:
        return False
    raise AuthenticationError("send an API key: 'Authorization: ApiKey <token>' (or Bearer)")


MATCH_PARAMS = frozenset(
    {
        "threshold",
        "cutoff",
        "limit",
        "algorithm",
        "include_dataset",
        "exclude_dataset",
        "exclude_schema",
        "exclude_entity_ids",
        "topics",
        "changed_since",
        "fuzzy",
    }
)


@router.post(
    "/match/{dataset}", response_model=MatchResponse, summary="Match entities by example (the yente API)"
)
def match(
    request: Request,
    response: Response,
    body: MatchRequest,
    principal: PrincipalDep,
    container: ContainerDep,
    uow: UowDep,
    dataset: Annotated[str, Path(description="'default' for every list, or one list such as ofac-sdn")],
    threshold: Annotated[
        float | None, Query(ge=0.0, le=1.0, description="score from which match is true")
    ] = None,
    cutoff: Annotated[
        float | None,
        Query(
            ge=0.0,
            le=1.0,
            description="candidates below it are left out (default and at most: the threshold)",
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 5,
    algorithm: Annotated[str, Query(description=f"{ALGORITHM} (or 'best')")] = "best",
    include_dataset: Annotated[list[str] | None, Query()] = None,
    exclude_dataset: Annotated[list[str] | None, Query()] = None,
    exclude_schema: Annotated[list[str] | None, Query()] = None,
    exclude_entity_ids: Annotated[list[str] | None, Query()] = None,
    topics: Annotated[list[str] | None, Query()] = None,
    changed_since: Annotated[str | None, Query()] = None,
    fuzzy: Annotated[bool, Query(description="accepted; matching always tolerates spelling")] = False,
) -> dict[str, Any]:
    """Each query's candidates from the cutoff, best first, ``match`` true from the threshold; ``total``
    counts the matches found before the limit, as yente's does. A query is matched against the kinds of
    entity its schema's matchable schemata cover (a Person against persons, a CryptoWallet against nothing
    our lists hold). Only the properties matching uses are scored (names and name parts, dates of birth or
    incorporation, countries, identifiers): the response's ``query`` echoes those, and ``unused_properties``
    names the others. What cannot be honoured is refused with 400, as yente refuses what it cannot parse."""
    del fuzzy
    with _as_yente_refuses():
        _refuse(request, MATCH_PARAMS, "/match")
        _check_algorithm(algorithm)
        record = _caller(principal, container)
        if body.weights or body.config:
            raise ValidationError("custom weights and config are not supported: send {} or leave them out")
        if changed_since:
            raise ValidationError(
                "changed_since is not supported: dualuse keeps versions of whole lists, not the date each "
                "entity last changed (see /api/v1/screening/lists for versions and deltas)",
                field="changed_since",
            )
        if not body.queries:
            raise ValidationError("send at least one query", field="queries")
        if len(body.queries) > MAX_QUERIES:
            raise ValidationError(f"send at most {MAX_QUERIES} queries a request", field="queries")
        for key, example in body.queries.items():
            _check_schema(example.schema_, f"queries.{key}.schema")
        # a query of a kind our lists hold none of (a CryptoWallet, an Address) finds nothing, whatever it gives
        screened = {key: kinds for key, e in body.queries.items() if (kinds := matched_kinds(e.schema_))}
        queries = [query_of(body.queries[key], key) for key in screened]
        _engine, versions = container.screening_index.engine(uow)
        sources = _datasets(dataset, include_dataset or [], versions)
        only = EntityFilter(
            # no entity has the topics asked for: no list is looked at
            sources=sources if _any_topic(topics) else frozenset(),
            exclude_sources=frozenset(exclude_dataset or ()),
            exclude_schemata=_excluded_kinds(exclude_schema or ()),
            exclude_keys=frozenset(_entity_keys(exclude_entity_ids or (), versions)),
        )
        options = svc.MatchOptions(cutoff=cutoff, threshold=threshold, limit=limit, only=only)
        if threshold is not None:
            check_threshold(threshold)
        results: dict[str, svc.QueryResult] = {}
        if queries:
            found, _versions = svc.match_queries(
                uow,
                principal,
                container.screening_index,
                queries,
                options,
                record=record,
                kinds=list(screened.values()),
            )
            results = dict(zip(screened, found, strict=True))
    responses: dict[str, Any] = {}
    for key, example in body.queries.items():
        result = results.get(key)
        responses[key] = {
            "status": 200,
            "results": [scored_json(m, result.threshold) for m in result.candidates] if result else [],
            "total": {"value": result.hits if result else 0, "relation": "eq"},
            "query": {
                "id": example.id,
                "schema": example.schema_,
                "properties": {
                    k: [v] if isinstance(v, str) else v
                    for k, v in example.properties.items()
                    if v and k in READ_PROPERTIES
                },
            },
            "unused_properties": sorted(
                k for k, v in example.properties.items() if v and k not in READ_PROPERTIES
            ),
        }
    response.headers["x-batch-size"] = str(len(responses))
    return {
        "responses": responses,
        "matcher": {"name": ALGORITHM, "description": _ALGORITHM_DESCRIPTION, "docs": FEATURE_DOCS},
        "limit": limit,
    }


_ALGORITHM_DESCRIPTION = (
    "dualuse's matcher: names compared part by part (typos, transliteration, word order, initials), "
    "adjusted by the schema, date of birth or incorporation, country and identifiers"
)


def _entity_keys(ids: Iterable[str], sources: Iterable[str]) -> list[tuple[str, str]]:
    return [key for value in ids if (key := split_entity_id(value, sources)) is not None]


def split_entity_id(value: str, sources: Iterable[str]) -> tuple[str, str] | None:
    """(source, entity id) of an id like ``ofac-sdn-36``: the longest known list name before a hyphen."""
    for source in sorted(sources, key=len, reverse=True):
        prefix = f"{source}-"
        if value.startswith(prefix) and len(value) > len(prefix):
            return source, value[len(prefix) :]
    return None


SEARCH_PARAMS = frozenset(
    {
        "q",
        "limit",
        "offset",
        "schema",
        "countries",
        "datasets",
        "include_dataset",
        "exclude_dataset",
        "exclude_schema",
        "topics",
        "target",
        "changed_since",
        "fuzzy",
        "simple",
        "facets",
        "filter",
        "filter_op",
        "sort",
    }
)
FACETS = ("countries", "topics", "datasets", "schema", "identifiers", "genders")
DEFAULT_FACETS = ("countries", "topics", "datasets")
FACET_LABELS = {
    "countries": "Countries",
    "topics": "Topics",
    "datasets": "Data sources",
    "schema": "Entity types",
    "identifiers": "Identifiers",
    "genders": "Genders",
}


@router.get(
    "/search/{dataset}",
    response_model=SearchResponse,
    summary="Search listed entities by name (the yente API)",
)
def search(
    request: Request,
    principal: PrincipalDep,
    container: ContainerDep,
    uow: UowDep,
    dataset: Annotated[str, Path(description="'default' for every list, or one list such as ofac-sdn")],
    q: Annotated[
        str, Query(max_length=500, description="a name, in any order or spelling, or an identifier")
    ] = "",
    limit: Annotated[int, Query(ge=0, le=MAX_LIMIT)] = 10,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
    schema: Annotated[str, Query()] = THING,
    countries: Annotated[list[str] | None, Query()] = None,
    datasets: Annotated[list[str] | None, Query(description="only entities of these lists")] = None,
    include_dataset: Annotated[list[str] | None, Query()] = None,
    exclude_dataset: Annotated[list[str] | None, Query()] = None,
    exclude_schema: Annotated[list[str] | None, Query()] = None,
    topics: Annotated[list[str] | None, Query()] = None,
    target: Annotated[bool | None, Query(description="every listed entity is a target")] = None,
    facets: Annotated[list[str] | None, Query()] = None,
    filter_: Annotated[list[str] | None, Query(alias="filter")] = None,
    filter_op: Annotated[Literal["OR", "AND"], Query()] = "OR",
    sort: Annotated[list[str] | None, Query()] = None,
    changed_since: Annotated[str | None, Query()] = None,
    fuzzy: bool = False,
    simple: bool = False,
) -> dict[str, Any]:
    """Entities whose names resemble ``q`` (the same name matching as /match, so spelling variants are found
    whether or not ``fuzzy`` is set), and those listing ``q`` as an identifier first; best first, with facets
    (countries, topics and datasets unless asked otherwise) over all that were found. Without ``q``, every
    entity the filters let through, in list order."""
    del fuzzy, simple  # matching is always tolerant of spelling; both flags are accepted for compatibility
    with _as_yente_refuses():
        _refuse(request, SEARCH_PARAMS, "/search")
        _caller(principal, container)
        if filter_ or sort or changed_since:
            raise ValidationError(
                "filter, sort and changed_since are not supported by dualuse's search: results come best first",
                field="filter" if filter_ else "sort" if sort else "changed_since",
            )
        asked_facets = DEFAULT_FACETS if facets is None else tuple(dict.fromkeys(facets))
        unknown_facets = sorted(set(asked_facets) - set(FACETS))
        if unknown_facets:
            raise ValidationError(
                f"unknown facets {', '.join(unknown_facets)}; use {', '.join(FACETS)}", field="facets"
            )
        _check_schema(schema, "schema")
        _engine, versions = container.screening_index.engine(uow)
        sources = _datasets(dataset, [*(include_dataset or []), *(datasets or [])], versions)
        wanted = matched_kinds(schema)
        codes = {c.lower() for c in countries or ()}
        every_country = filter_op == "AND"
        only = EntityFilter(
            # no entity has the topics asked for, and each is a target: nothing to look at
            sources=sources if _any_topic(topics) and target is not False else frozenset(),
            exclude_sources=frozenset(exclude_dataset or ()),
            exclude_schemata=_excluded_kinds(exclude_schema or ()) | (frozenset(EntitySchema) - wanted),
        )

        def kept(entity: ListedEntity) -> bool:
            listed = set(entity.countries)
            return not codes or (codes <= listed if every_country else bool(codes & listed))

        retrieved, complete = svc.search_entities(
            uow, container.screening_index, q, only, at_least=min(MAX_LIMIT, offset + limit + 200)
        )
        found = [entity for entity in retrieved if kept(entity)]
    page = found[offset : offset + limit]
    return {
        "results": [entity_json(entity) for entity in page],
        "facets": {name: _facet(name, found) for name in asked_facets},
        # names resembling q are found up to a number: beyond it, there may be more
        "total": {"value": len(found), "relation": "eq" if complete else "gte"},
        "limit": limit,
        "offset": offset,
    }


def _facet(name: str, found: list[ListedEntity]) -> dict[str, Any]:
    counts: Counter[str] = Counter()
    for entity in found:
        values: Iterable[str] = {
            "countries": entity.countries,
            "topics": TOPICS,
            "datasets": (entity.source,),
            "schema": (SCHEMA_FTM[entity.schema],),
            "identifiers": [i.number for i in entity.identifiers],
            "genders": (),  # the lists dualuse imports give no gender
        }[name]
        counts.update(set(values))
    return {
        "label": FACET_LABELS[name],
        "values": [{"name": v, "label": _facet_label(name, v), "count": c} for v, c in counts.most_common()],
    }


def _facet_label(facet: str, value: str) -> str:
    if facet == "countries":
        return country_name(value)
    return value


def _entity(uow: UowDep, container: ContainerDep, value: str) -> ListedEntity:
    _engine, versions = container.screening_index.engine(uow)
    key = split_entity_id(value, versions)
    if key is None:
        raise NotFoundError(f"no listed entity {value!r}: ids look like <list>-<number>, e.g. ofac-sdn-36")
    return svc.listed_entity(uow, container.screening_index, *key)


@router.get(
    "/entities/{entity_id}",
    response_model=EntityOut,
    summary="One listed entity with all its properties (the yente API)",
)
def get_entity(
    principal: PrincipalDep,
    container: ContainerDep,
    uow: UowDep,
    entity_id: Annotated[str, Path(max_length=300)],
    nested: bool = True,
) -> dict[str, Any]:
    del nested  # dualuse's lists carry no adjacent entities to nest
    _caller(principal, container)
    return entity_json(_entity(uow, container, entity_id))


@router.get(
    "/entities/{entity_id}/adjacent",
    response_model=AdjacentResponse,
    summary="Adjacent entities (the yente API; none are held)",
)
def adjacent(
    principal: PrincipalDep,
    container: ContainerDep,
    uow: UowDep,
    entity_id: Annotated[str, Path(max_length=300)],
    limit: Annotated[int, Query(ge=0, le=MAX_LIMIT)] = 10,
    offset: Annotated[int, Query(ge=0)] = 0,
    sort: Annotated[list[str] | None, Query()] = None,
) -> dict[str, Any]:
    del limit, offset, sort
    _caller(principal, container)
    return {"entity": entity_json(_entity(uow, container, entity_id)), "adjacent": {}}


@router.get(
    "/entities/{entity_id}/adjacent/{prop}",
    response_model=AdjacentByPropertyResponse,
    summary="Adjacent entities by one property (none are held)",
)
def adjacent_by_property(
    principal: PrincipalDep,
    container: ContainerDep,
    uow: UowDep,
    entity_id: Annotated[str, Path(max_length=300)],
    prop: Annotated[str, Path(max_length=100)],
    limit: Annotated[int, Query(ge=0, le=MAX_LIMIT)] = 10,
    offset: Annotated[int, Query(ge=0)] = 0,
    sort: Annotated[list[str] | None, Query()] = None,
) -> dict[str, Any]:
    del prop, sort
    _caller(principal, container)
    _entity(uow, container, entity_id)
    return {"results": [], "total": {"value": 0, "relation": "eq"}, "limit": limit, "offset": offset}


def _dataset_json(snapshot: ListSnapshot) -> dict[str, Any]:
    published = datetime.combine(snapshot.published, time()).isoformat() if snapshot.published else None
    return {
        "name": snapshot.source,
        "title": snapshot.source,
        "version": snapshot.version,
        "entity_count": len(snapshot),
        "thing_count": len(snapshot),
        "updated_at": published,
        "last_export": published,
        "tags": ["list.sanction"],
        "load": True,
        "index_current": True,
        "index_version": snapshot.version,
        "children": [],
    }


@router.get(
    "/catalog",
    response_model=CatalogResponse,
    response_model_exclude_unset=True,
    summary="The lists that can be matched against (the yente API)",
)
def catalog(principal: PrincipalDep, container: ContainerDep, uow: UowDep) -> dict[str, Any]:
    _caller(principal, container)
    snapshots = svc.list_sources(uow, container.screening_index)
    default = {
        "name": "default",
        "title": "Every list imported into dualuse",
        "entity_count": sum(len(s) for s in snapshots),
        "load": True,
        "index_current": True,
        "children": [s.source for s in snapshots],
    }
    names = ["default", *(s.source for s in snapshots)]
    return {
        "datasets": [default, *map(_dataset_json, snapshots)],
        "current": names,
        "outdated": [],
        "index_stale": False,
    }


@router.get(
    "/algorithms", response_model=AlgorithmsResponse, summary="The matching algorithm (the yente API)"
)
def algorithms() -> dict[str, Any]:
    return {
        "algorithms": [{"name": ALGORITHM, "description": _ALGORITHM_DESCRIPTION, "docs": FEATURE_DOCS}],
        "default": ALGORITHM,
        "best": ALGORITHM,
    }


@router.get(
    "/readyz",
    response_model=ReadyResponse,
    response_model_exclude_unset=True,
    responses={503: {"model": ReadyResponse, "description": "not ready: the reason is in detail"}},
    summary="Ready to match: the database answers and a list is loaded (the yente API)",
)
def readyz(container: ContainerDep) -> JSONResponse:
    try:
        with container.uow() as uow:
            loaded = bool(svc.list_sources(uow, container.screening_index))
    except Exception:
        return JSONResponse({"status": "error", "detail": "the database does not answer"}, status_code=503)
    if not loaded:
        return JSONResponse({"status": "error", "detail": "no sanctions list imported yet"}, status_code=503)
    return JSONResponse({"status": "ok"})

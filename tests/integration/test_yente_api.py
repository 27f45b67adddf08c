"""The yente API as yente's own clients use it: the real ``yente-client`` SDK (PyPI) against the running app,
every method it has, and the request fields it and other clients send, honoured or refused clearly."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from yente_client import Client
from yente_client.entities import Company, Person
from yente_client.exceptions import NotFoundError as YenteNotFound
from yente_client.models import MatchResponse

from dualuse.adapters.db import tables as t
from dualuse.adapters.sources.sanctions_formats import parse
from dualuse.bootstrap import Container
from dualuse.domain.identity import OrganisationKind, Principal, Role
from dualuse.entrypoints.http.app import create_app
from dualuse.services import screening as svc
from tests.factories import make_organisation, make_person, token_for


def _line(entity_id: str, schema: str, names: list[str], **props: list[str]) -> str:
    return json.dumps({"id": entity_id, "schema": schema, "properties": {"name": names, **props}})


ALPHA = [
    _line("a-1", "Company", ["Crimson Harbour Trading LLC"], program=["TEST"], country=["ae"]),
    _line("a-2", "Person", ["Viktor Aleksandrovich Testov"], birthDate=["1970-01-02"], nationality=["ru"]),
    _line("a-3", "Company", ["Crimson Harbour Shipping LLC"], program=["TEST"]),
    _line("a-4", "Company", ["Crimson Harbour Holdings LLC"], program=["TEST"]),
]
BETA = [
    _line("b-1", "Company", ["Crimson Harbor Trading"], program=["OTHER"]),
    _line("b-2", "Person", ["Olena Petrenko"], alias=["Elena Petrenko"], birthDate=["1981-05-05"]),
]


def _import(container: Container, folder: Path, name: str, lines: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with container.uow() as uow:
        svc.import_snapshot(
            uow, Principal.system("test"), parse("ftm", path), format_name="ftm", filename=path.name
        )


@pytest.fixture
def world(container: Container, tmp_path: Path) -> dict[str, str]:
    _import(container, tmp_path / "lists", "alpha", ALPHA)
    _import(container, tmp_path / "lists", "beta", BETA)
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    make_person(container, acme, Role.EXPORTER_ADMIN, "admin@acme.example")
    return {"acme": token_for(container, "admin@acme.example")}


def api(container: Container, token: str | None = None, scheme: str = "ApiKey") -> TestClient:
    client = TestClient(create_app(container=container))
    if token:
        client.headers["Authorization"] = f"{scheme} {token}"
    return client


def match(client: TestClient, properties: dict[str, Any], schema: str = "Company", **params: Any) -> Any:
    body = {"queries": {"q": {"schema": schema, "properties": properties}}}
    return client.post(f"/match/{params.pop('dataset', 'default')}", json=body, params=params)


# --- the real client, every method, against a running server ------------------------------------------------
@pytest.fixture
def server(container: Container, world: dict[str, str]) -> Iterator[str]:
    config = uvicorn.Config(create_app(container=container), host="127.0.0.1", port=0, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    for _ in range(200):
        if running.started and running.servers:
            break
        time.sleep(0.02)
    port = running.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)


def test_the_yente_client_works_against_the_running_app(server: str, world: dict[str, str]) -> None:
    with Client(api_key=world["acme"], base_url=server, app_name="dualuse-tests") as client:
        assert client.healthz().status == "ok"
        assert client.readyz().status == "ok"
        catalog = client.datasets()
        assert {d.name for d in catalog.datasets} == {"default", "ftm:alpha", "ftm:beta"}
        assert next(d for d in catalog.datasets if d.name == "ftm:alpha").entity_count == 4
        algorithms = client.algorithms()
        assert algorithms.best == algorithms.default == algorithms.algorithms[0].name

        result = client.match(Person(name=["Testov Viktor"], birthDate=["1970-01-02"]), threshold=0.7)
        top = result.top
        assert top is not None
        assert (top.id, top.match, top.schema_) == ("ftm:alpha-a-2", True, "Person")
        assert top.explanations["name"].score > 0.7
        assert top.explanations["name"].detail
        # candidates come back from the cutoff, flagged match only above the threshold
        loose = client.match(Company(name=["Crimson Harbour"]), threshold=0.99, cutoff=0.5, limit=10)
        assert loose.results
        assert not any(r.match for r in loose.results)

        fetched = client.fetch(top.id)
        assert fetched.caption == "Viktor Aleksandrovich Testov"
        assert fetched.properties["birthDate"] == ["1970-01-02"]
        assert client.adjacent(top.id).entity.id == top.id
        assert client.adjacent(top.id, prop="sanctions").total.value == 0
        with pytest.raises(YenteNotFound):
            client.fetch("ftm:alpha-does-not-exist")

        found = client.search("Petrenko Olena", facets=["datasets"])
        assert [r.id for r in found.results] == ["ftm:beta-b-2"]
        assert found.facets["datasets"].values[0].name == "ftm:beta"

        pairs = [("p", Person(name=["Elena Petrenko"])), ("c", Company(name=["Crimson Harbor Trading"]))]
        batch = dict(client.match_iter(pairs))
        assert batch.keys() == {"p", "c"}
        person = batch["p"]
        assert isinstance(person, MatchResponse)
        assert person.top is not None
        assert person.top.id == "ftm:beta-b-2"
        # /statements is the OpenSanctions API's, not yente's: like yente, dualuse answers 404
        with pytest.raises(YenteNotFound):
            client.statements(canonical_id=top.id)
        # client.programs() reads data.opensanctions.org, not the server: no network here, nothing of ours


# --- what clients send, honoured or refused -------------------------------------------------------------
def test_apikey_and_bearer_are_both_accepted(container: Container, world: dict[str, str]) -> None:
    props = {"name": ["Crimson Harbour Trading"]}
    assert match(api(container, world["acme"], "ApiKey"), props).status_code == 200
    assert match(api(container, world["acme"], "Bearer"), props).status_code == 200
    assert match(api(container, "du_not-a-token", "ApiKey"), props).status_code == 401
    assert match(api(container), props).status_code == 401


def test_the_open_mode_serves_anonymous_matches_and_logs_nothing(
    container: Container, world: dict[str, str]
) -> None:
    container.settings = container.settings.model_copy(update={"yente_open": True})
    before = _screenings(container)
    response = match(api(container), {"name": ["Crimson Harbour Trading"]})
    assert response.status_code == 200, response.text
    assert response.json()["responses"]["q"]["results"]
    assert _screenings(container) == before


def _screenings(container: Container) -> int:
    with container.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(t.screenings)).scalar_one())


def test_a_batch_is_one_transaction_logging_each_query(container: Container, world: dict[str, str]) -> None:
    client = api(container, world["acme"])
    body = {
        "queries": {
            f"q{i}": {"schema": "Company", "properties": {"name": "Crimson Harbour"}} for i in range(5)
        }
    }
    before = _screenings(container)
    assert client.post("/match/default", json=body).status_code == 200
    assert _screenings(container) == before + 5


def test_dataset_filters_apply_before_the_limit(container: Container, world: dict[str, str]) -> None:
    client = api(container, world["acme"])
    # the best match overall is on alpha; asked for beta with limit 1, beta's entity still comes back
    results = match(client, {"name": ["Crimson Harbour Trading LLC"]}, dataset="ftm:beta", limit=1).json()
    assert [r["id"] for r in results["responses"]["q"]["results"]] == ["ftm:beta-b-1"]
    everything = match(client, {"name": ["Crimson Harbour Trading LLC"]}, limit=10).json()
    ids = [r["id"] for r in everything["responses"]["q"]["results"]]
    assert ids[0] == "ftm:alpha-a-1"
    excluded = match(
        client,
        {"name": ["Crimson Harbour Trading LLC"]},
        limit=10,
        # a low cutoff: the siblings differ in a word each ("Shipping" / "Trading"), a conflict that scores low
        cutoff=0.2,
        exclude_dataset=["ftm:beta"],
        exclude_entity_ids=["ftm:alpha-a-1"],
    ).json()
    remaining = {r["id"] for r in excluded["responses"]["q"]["results"]}
    assert "ftm:alpha-a-1" not in remaining
    assert not any(i.startswith("ftm:beta") for i in remaining)
    assert remaining
    included = match(client, {"name": ["Crimson Harbour Trading"]}, include_dataset=["ftm:beta"]).json()
    assert {r["datasets"][0] for r in included["responses"]["q"]["results"]} == {"ftm:beta"}
    no_people = match(
        client, {"name": ["Viktor Testov"]}, schema="LegalEntity", exclude_schema=["Person"]
    ).json()
    assert all(r["schema"] != "Person" for r in no_people["responses"]["q"]["results"])
    other_topic = match(client, {"name": ["Crimson Harbour Trading LLC"]}, topics=["role.pep"]).json()
    assert other_topic["responses"]["q"]["results"] == []
    sanctioned = match(client, {"name": ["Crimson Harbour Trading LLC"]}, topics=["sanction"]).json()
    assert sanctioned["responses"]["q"]["results"]


def test_every_name_of_a_query_is_scored(container: Container, world: dict[str, str]) -> None:
    client = api(container, world["acme"])
    body = {"name": ["Completely Different Name", "Olena Petrenko"]}
    results = match(client, body, schema="Person").json()["responses"]["q"]["results"]
    assert results[0]["id"] == "ftm:beta-b-2"
    assert results[0]["match"] is True


@pytest.mark.parametrize(
    "properties",
    [{"name": "Olena Petrenko"}, {"firstName": ["Olena"], "lastName": ["Petrenko"]}],
    ids=["plain-string-name", "name-parts"],
)
def test_names_as_clients_send_them(
    container: Container, world: dict[str, str], properties: dict[str, Any]
) -> None:
    response = match(api(container, world["acme"]), properties, schema="Person")
    assert response.status_code == 200, response.text
    assert response.json()["responses"]["q"]["results"][0]["id"] == "ftm:beta-b-2"


@pytest.mark.parametrize(
    ("params", "body", "message"),
    [
        ({"algorithm": "logic-v2"}, None, "unknown algorithm"),
        ({"changed_since": "2024-01-01"}, None, "changed_since"),
        ({"facets": "countries"}, None, "does not take facets"),
        ({}, {"queries": {}}, "at least one query"),
        (
            {},
            {"queries": {f"q{i}": {"schema": "Person", "properties": {"name": ["x"]}} for i in range(101)}},
            "at most",
        ),
        (
            {},
            {"queries": {"q": {"schema": "Person", "properties": {"name": ["x"]}}}, "weights": {"name": 2}},
            "weights",
        ),
        ({}, {"queries": {"q": {"schema": "Document", "properties": {"name": ["x"]}}}}, "cannot be matched"),
        ({}, {"queries": {"q": {"schema": "Person", "properties": {"birthDate": ["1970"]}}}}, "needs a name"),
        ({"exclude_schema": "Spaceship"}, None, "unknown schema"),
    ],
)
def test_what_cannot_be_honoured_is_refused_clearly(
    container: Container, world: dict[str, str], params: dict[str, Any], body: Any, message: str
) -> None:
    body = body or {"queries": {"q": {"schema": "Person", "properties": {"name": ["Olena Petrenko"]}}}}
    response = api(container, world["acme"]).post("/match/default", json=body, params=params)
    # 400, as yente answers what it cannot parse: its clients raise BadRequestError for it
    assert response.status_code == 400, response.text
    assert message in response.text


def _results(response: httpx.Response | Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    return list(response.json()["responses"]["q"]["results"])


def test_total_counts_the_matches_found_before_the_limit(container: Container, world: dict[str, str]) -> None:
    client = api(container, world["acme"])
    props = {"name": ["Crimson Harbour Trading"]}
    everything = _results(match(client, props, limit=10, cutoff=0.2))
    matches = [r for r in everything if r["match"]]
    assert len(matches) >= 2
    assert len(everything) > len(matches)  # candidates from the cutoff that are no match
    one = match(client, props, limit=1, cutoff=0.2)
    assert len(_results(one)) == 1
    # as yente's: the matches, not the candidates, and all of them, not the page
    assert one.json()["responses"]["q"]["total"] == {"value": len(matches), "relation": "eq"}
    assert one.headers["x-batch-size"] == "1"


def test_a_query_meets_the_kinds_of_entity_its_schema_matches(
    container: Container, world: dict[str, str], tmp_path: Path
) -> None:
    _import(container, tmp_path / "more", "gamma", [_line("g-1", "Vessel", ["Crimson Harbour"])])
    client = api(container, world["acme"])

    def ids(schema: str) -> list[str]:
        return [
            r["id"] for r in _results(match(client, {"name": ["Crimson Harbour"]}, schema=schema, cutoff=0.2))
        ]

    assert ids("Vessel") == ids("Vehicle") == ["ftm:gamma-g-1"]
    assert "ftm:alpha-a-1" in ids("Company")
    assert "ftm:gamma-g-1" not in ids("Company")
    assert "ftm:gamma-g-1" in ids("Thing")
    # FollowTheMoney schemata yente matches and our lists hold none of: answered, with nothing found
    for schema in ("CryptoWallet", "Address", "BankAccount", "Security", "UserAccount", "Position"):
        response = match(client, {"name": ["Crimson Harbour"]}, schema=schema)
        assert _results(response) == []
        assert response.json()["responses"]["q"]["total"]["value"] == 0
    # as nomenklatura's enricher sends them: without a name, with what such an entity has
    wallet = match(client, {"publicKey": ["1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"]}, schema="CryptoWallet")
    assert _results(wallet) == []
    assert match(client, {"full": ["1 Main Street"]}, schema="Address").status_code == 200


def test_the_matchable_schemata_are_followthemoneys() -> None:
    from followthemoney import model

    from dualuse.entrypoints.api.routers.yente import FTM_MATCHABLE

    assert {
        schema.name: frozenset(s.name for s in schema.matchable_schemata)
        for schema in model.schemata.values()
        if schema.matchable
    } == FTM_MATCHABLE


def test_every_date_of_birth_and_country_of_a_query_counts(
    container: Container, world: dict[str, str]
) -> None:
    client = api(container, world["acme"])

    def top(dates: list[str], countries: list[str]) -> dict[str, Any]:
        props = {"name": ["Viktor Testov"], "birthDate": dates, "nationality": countries}
        return _results(match(client, props, schema="Person", cutoff=0.2))[0]

    right_first = top(["1970-01-02", "1960-01-01"], ["ru", "us"])
    right_last = top(["1960-01-01", "1970-01-02"], ["us", "ru"])
    assert right_first["id"] == right_last["id"] == "ftm:alpha-a-2"
    assert right_first["score"] == right_last["score"]
    assert right_last["match"] is True
    assert right_last["explanations"]["birth_date"]["score"] > 0
    assert right_last["explanations"]["country"]["score"] > 0
    assert top(["1960-01-01"], ["us"])["score"] < right_last["score"]


def test_a_vessel_is_matched_by_its_imo_number_with_or_without_a_name(
    container: Container, world: dict[str, str], tmp_path: Path
) -> None:
    _import(
        container,
        tmp_path / "more",
        "gamma",
        [_line("g-1", "Vessel", ["Northern Light"], imoNumber=["9187629"])],
    )
    client = api(container, world["acme"])
    for props in ({"imoNumber": ["IMO 9187629"]}, {"name": ["Southern Star"], "imoNumber": ["9187629"]}):
        found = _results(match(client, props, schema="Vessel"))
        assert [r["id"] for r in found] == ["ftm:gamma-g-1"], props
        assert found[0]["match"] is True
        assert found[0]["score"] >= 0.85
    assert (
        match(client, {"imoNumber": ["1234567"]}, schema="Vessel").json()["responses"]["q"]["results"] == []
    )


def test_exclude_schema_leaves_out_the_schema_named_only(container: Container, world: dict[str, str]) -> None:
    client = api(container, world["acme"])
    props = {"name": ["Crimson Harbour Trading LLC"]}
    # the lists say "entity", not which kind of organisation: ours are Organization, never Company
    assert "ftm:alpha-a-1" in {r["id"] for r in _results(match(client, props, exclude_schema=["Company"]))}
    assert all(
        r["schema"] != "Organization" for r in _results(match(client, props, exclude_schema=["Organization"]))
    )
    assert _results(match(client, props, algorithm="BEST"))  # algorithm names are not case-sensitive


def test_search_answers_as_yente_does(container: Container, world: dict[str, str], tmp_path: Path) -> None:
    _import(
        container,
        tmp_path / "more",
        "gamma",
        [_line("g-1", "Vessel", ["Northern Light"], imoNumber=["IMO 9187629"], flag=["ru"])],
    )
    client = api(container, world["acme"])
    everything = client.get("/search/default").json()  # no q: every entity the filters let through
    assert everything["total"] == {"value": 7, "relation": "eq"}
    assert set(everything["facets"]) == {"countries", "topics", "datasets"}  # yente's default facets
    labels = {v["name"]: v["label"] for v in everything["facets"]["countries"]["values"]}
    assert labels["ae"] == "United Arab Emirates"
    beta = client.get("/search/default", params={"datasets": "ftm:beta", "facets": "schema"}).json()
    assert {r["id"] for r in beta["results"]} == {"ftm:beta-b-1", "ftm:beta-b-2"}
    assert {v["name"] for v in beta["facets"]["schema"]["values"]} == {"Organization", "Person"}
    either = client.get("/search/default", params={"countries": ["ae", "ru"]}).json()
    assert {r["id"] for r in either["results"]} == {"ftm:alpha-a-1", "ftm:alpha-a-2", "ftm:gamma-g-1"}
    both = client.get("/search/default", params={"countries": ["ae", "ru"], "filter_op": "AND"}).json()
    assert both["results"] == []
    # an identifier is found as listed, with or without its prefix
    for q in ("9187629", "IMO 9187629"):
        found = client.get("/search/default", params={"q": q}).json()
        assert [r["id"] for r in found["results"]][:1] == ["ftm:gamma-g-1"], q
    assert client.get("/search/default", params={"q": "Northern", "target": "false"}).json()["results"] == []
    assert (
        client.get("/search/default", params={"facets": "genders"}).json()["facets"]["genders"]["values"]
        == []
    )
    assert client.get("/search/default", params={"schema": "Spaceship"}).status_code == 400


def test_unknown_datasets_and_entities_are_404(container: Container, world: dict[str, str]) -> None:
    client = api(container, world["acme"])
    assert match(client, {"name": ["x"]}, dataset="ofac-sdn").status_code == 404
    assert client.get("/entities/nothing-here").status_code == 404
    assert client.get("/search/ftm:gamma", params={"q": "x"}).status_code == 404


def test_search_filters_and_pages(container: Container, world: dict[str, str]) -> None:
    client = api(container, world["acme"])
    everything = client.get("/search/default", params={"q": "Crimson Harbour", "limit": 10}).json()
    assert everything["total"]["value"] >= 4
    page = client.get("/search/default", params={"q": "Crimson Harbour", "limit": 2, "offset": 2}).json()
    assert [r["id"] for r in page["results"]] == [r["id"] for r in everything["results"][2:4]]
    in_uae = client.get("/search/default", params={"q": "Crimson Harbour", "countries": "ae"}).json()
    assert [r["id"] for r in in_uae["results"]] == ["ftm:alpha-a-1"]
    people = client.get("/search/default", params={"q": "Petrenko", "schema": "Person"}).json()
    assert [r["id"] for r in people["results"]] == ["ftm:beta-b-2"]
    assert client.get("/search/default", params={"q": "x", "sort": "caption"}).status_code == 400
    assert api(container).get("/search/default", params={"q": "x"}).status_code == 401


def test_readyz_is_503_until_a_list_is_imported(container: Container) -> None:
    response = api(container).get("/readyz")
    assert response.status_code == 503
    assert "no sanctions list" in response.text


def test_nomenklatura_yente_enricher_matches_and_expands(
    server: str, world: dict[str, str], tmp_path: Path
) -> None:
    from followthemoney import Dataset, StatementEntity
    from nomenklatura.cache import Cache
    from nomenklatura.db import make_session
    from nomenklatura.enrich import make_enricher

    dataset = Dataset.make({"name": "screening", "title": "Screening"})
    session = make_session(f"sqlite:///{tmp_path / 'nomenklatura.db'}")
    cache = Cache(session, dataset, create=True)
    config = {
        "type": "nomenklatura.enrich.yente:YenteEnricher",
        "api": f"{server}/",
        "api_key": world["acme"],
        "dataset": "default",
        "cache_days": 0,
    }
    enricher = make_enricher(dataset, cache, config)
    proxy = StatementEntity.from_data(
        dataset,
        {
            "id": "query-1",
            "schema": "Person",
            "properties": {"name": ["Viktor Testov"], "birthDate": ["1970-01-02"], "gender": ["male"]},
        },
    )
    found = list(enricher.match(proxy))
    assert [f.id for f in found][:1] == ["ftm:alpha-a-2"]
    expanded = list(enricher.expand(proxy, found[0]))
    assert [e.id for e in expanded] == ["ftm:alpha-a-2"]
    assert "Viktor Aleksandrovich Testov" in expanded[0].get("name")
    httpx.get(f"{server}/healthz").raise_for_status()


def test_properties_matching_does_not_use_are_named_in_the_answer(
    container: Container, world: dict[str, str]
) -> None:
    response = match(
        api(container, world["acme"]), {"name": ["Olena Petrenko"], "hairColor": ["red"]}, schema="Person"
    )
    assert response.status_code == 200, response.text
    answer = response.json()["responses"]["q"]
    assert answer["unused_properties"] == ["hairColor"]
    assert answer["query"]["properties"] == {"name": ["Olena Petrenko"]}


# --- every method of both clients, and the yente-cli commands --------------------------------------------------
# programs() reads https://data.opensanctions.org/meta/programs.json by design (an absolute URL, "regardless of
# base_url"): it never asks the server, so no server can answer it, and tests reach no network.
NOT_A_SERVER_CALL = {"programs": "reads data.opensanctions.org, not the server (yente-client docstring)"}
SYNC_CALLED = {
    "healthz", "readyz", "datasets", "algorithms", "statements", "fetch", "adjacent", "search", "match",
    "match_iter", "close", "user_agent",
}  # fmt: skip
ASYNC_CALLED = (SYNC_CALLED - {"close"}) | {"aclose"}


def _public(cls: type) -> set[str]:
    return {name for name in vars(cls) if not name.startswith("_")}


def test_every_public_method_of_both_clients_is_called_below() -> None:
    """A method added to yente-client fails this test until it is exercised against the app too."""
    from yente_client import AsyncClient

    assert _public(Client) == SYNC_CALLED | set(NOT_A_SERVER_CALL)
    assert _public(AsyncClient) == ASYNC_CALLED | set(NOT_A_SERVER_CALL)


def test_the_client_filters_are_honoured_or_refused(server: str, world: dict[str, str]) -> None:
    from yente_client import BEST_ALGORITHM
    from yente_client.exceptions import APIError, BadRequestError
    from yente_client.filters import MatchFilters, SearchFilters

    with Client(api_key=world["acme"], base_url=server) as client:
        assert "yente-client" in client.user_agent
        crimson = Company(name=["Crimson Harbour Trading"])
        only_beta = client.match(crimson, datasets=["ftm:beta"], limit=1, algorithm=BEST_ALGORITHM)
        assert [r.id for r in only_beta.results] == ["ftm:beta-b-1"]  # filtered before the limit
        both = client.match(crimson, datasets=["ftm:alpha", "ftm:beta"], cutoff=0.5, limit=10)
        assert {"ftm:alpha-a-1", "ftm:beta-b-1"} <= {r.id for r in both.results}
        without_alpha = client.match(
            crimson, filters=MatchFilters(exclude_datasets=["ftm:alpha"], exclude_entities=["ftm:beta-b-1"])
        )
        assert without_alpha.results == []
        assert client.match(crimson, topics=["sanction"]).results
        assert client.match(crimson, topics=["role.pep"]).results == []  # no PEPs on our lists
        assert client.match(crimson, exclude_schemata=["Company", "Organization"]).results == []
        with pytest.raises(BadRequestError) as refused:
            client.match(crimson, changed_since="2026-01-01")
        assert refused.value.status_code == 400
        assert "changed_since is not supported" in str(refused.value)
        with pytest.raises(APIError) as weights:
            client.match(crimson, weights={"name": 2.0})
        assert "weights" in str(weights.value)

        people = client.search("Petrenko", filters=SearchFilters(schema="Person", countries=[]))
        assert [r.id for r in people.results] == ["ftm:beta-b-2"]
        assert client.search("Petrenko", schema="Company").results == []
        assert client.search("Crimson", countries=["ae"], limit=5, offset=0).total.value == 1
        assert client.search("Crimson Harbour", datasets=["ftm:beta"]).results[0].id == "ftm:beta-b-1"
        assert client.search("Crimson", fuzzy=True, simple=True, limit=2).results
        with pytest.raises(APIError, match="filter, sort and changed_since are not supported"):
            client.search("Crimson", filter=["properties.country:ae"])

        collected = dict(
            client.match_iter(
                [("ok", crimson), ("bad", Company(name=["Crimson"]))], on_error="collect", changed_since="x"
            )
        )
        assert all(type(v).__name__ == "MatchError" for v in collected.values())  # refused, reported per row
        adjacent = client.adjacent("ftm:alpha-a-2", prop="sanctions", limit=5, offset=0, sort=["caption"])
        assert adjacent.results == []
        assert client.fetch("ftm:alpha-a-2", nested=False).id == "ftm:alpha-a-2"


def test_the_async_client_works_against_the_running_app(server: str, world: dict[str, str]) -> None:
    import asyncio
    import concurrent.futures

    from yente_client import AsyncClient

    async def run() -> None:
        async with AsyncClient(api_key=world["acme"], base_url=server, app_name="dualuse-tests") as client:
            assert "dualuse-tests" in client.user_agent
            assert (await client.healthz()).status == "ok"
            assert (await client.readyz()).status == "ok"
            assert {d.name for d in (await client.datasets()).datasets} == {
                "default",
                "ftm:alpha",
                "ftm:beta",
            }
            assert (await client.algorithms()).best
            result = await client.match(Person(name=["Testov Viktor"], birthDate=["1970-01-02"]))
            assert result.top is not None
            assert result.top.id == "ftm:alpha-a-2"
            assert (await client.fetch(result.top.id)).caption == "Viktor Aleksandrovich Testov"
            assert (await client.adjacent(result.top.id)).entity.id == result.top.id
            assert (await client.adjacent(result.top.id, prop="sanctions")).total.value == 0
            found = await client.search("Olena Petrenko")
            assert found.results[0].id == "ftm:beta-b-2"
            pairs = [("p", Person(name=["Elena Petrenko"])), ("c", Company(name=["Crimson Harbor Trading"]))]
            batch = {key: response async for key, response in client.match_iter(pairs)}
            assert batch.keys() == {"p", "c"}
            with pytest.raises(YenteNotFound):
                await client.statements(canonical_id=result.top.id)
            with pytest.raises(YenteNotFound):
                await client.fetch("ftm:alpha-nobody")
        # aclose: the context manager's exit called it; calling it again is harmless
        await client.aclose()

    # in a thread of its own: an earlier test (the browser's sync API) may leave an event loop running here
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, run()).result()


def test_the_yente_cli_commands_work_against_the_running_app(
    server: str, world: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner as TyperRunner
    from yente_client.cli.main import app as yente_cli

    monkeypatch.setenv("YENTE_BASE_URL", server)
    monkeypatch.setenv("OPENSANCTIONS_API_KEY", world["acme"])
    runner = TyperRunner()

    def run(*args: str) -> Any:
        result = runner.invoke(yente_cli, list(args))
        assert result.exit_code == 0, (args, result.output)
        return json.loads(result.output) if "json" in args else result.output

    status = run("status", "-f", "json")
    assert (status["api"]["liveness"]["status"], status["api"]["readiness"]["status"]) == ("ok", "ok")
    assert {d["name"] for d in run("datasets", "-f", "json")["datasets"]} == {
        "default",
        "ftm:alpha",
        "ftm:beta",
    }
    assert run("algorithms", "-f", "json")["best"]
    assert run("fetch", "ftm:alpha-a-2", "-f", "json")["caption"] == "Viktor Aleksandrovich Testov"
    searched = run("search", "Olena Petrenko", "-f", "json")
    assert searched["results"][0]["id"] == "ftm:beta-b-2"
    matched = run(
        "match", "-s", "Person", "-p", "name=Viktor Testov", "-p", "birthDate=1970-01-02", "-f", "json"
    )
    assert matched["results"][0]["id"] == "ftm:alpha-a-2"
    rows = tmp_path / "parties.csv"
    rows.write_text("full_name\nCrimson Harbour Trading LLC\nNobody At All\n", encoding="utf-8")
    out = tmp_path / "hits.csv"
    run("screen", str(rows), str(out), "-s", "Company", "-i", "full_name=name")
    screened = out.read_text(encoding="utf-8")
    assert "ftm:alpha-a-1" in screened

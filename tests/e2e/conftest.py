"""A real server (uvicorn on a free port, in its own process) with the demo world, and headless Chromium."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from dualuse.adapters.db import migrate
from dualuse.bootstrap import bootstrap, load_demo_world, load_reference_data
from dualuse.config import Environment, Settings

CHROMIUM = Path("/usr/bin/chromium")


@dataclass(frozen=True)
class LiveServer:
    url: str
    logins: dict[str, str]  # email -> password
    database_url: str


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("live")
    database_url = f"sqlite:///{folder / 'e2e.db'}"
    secret = "e2e-secret-" + "y" * 32
    container = bootstrap(Settings(env=Environment.TEST, database_url=database_url, secret_key=secret))
    migrate.upgrade(container.engine)
    load_reference_data(container)
    logins = {login.email: login.password for login in load_demo_world(container)}
    container.engine.dispose()
    port = free_port()
    env = {
        **os.environ,
        "DUALUSE_DATABASE_URL": database_url,
        "DUALUSE_SECRET_KEY": secret,
        "DUALUSE_ENV": "test",
    }
    # the server's output goes to a file: a pipe nobody reads fills up with the access log after some
    # hundreds of requests and the server then blocks on its next log line (every later page times out)
    log = folder / "server.log"
    output_file = log.open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "dualuse.entrypoints.cli.main", "serve", "--port", str(port)],
        env=env,
        stdout=output_file,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                output_file.flush()
                pytest.fail(f"the server did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.2)
        yield LiveServer(url, logins, database_url)
    finally:
        process.terminate()
        process.wait(timeout=10)
        output_file.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    yield page
    context.close()


def page_shows(page: Any, text: str | re.Pattern[str]) -> None:
    """Wait until the page shows the text. A click that leads to another page does not wait for that page to
    load, so reading `page.content()` straight after it can read an empty document; this waits (up to
    Playwright's default 5 s) and fails with what the page showed instead."""
    from playwright.sync_api import expect

    expect(page.locator("body")).to_contain_text(text)


def started_application(page: Any) -> str:
    """The address of the draft's task list that "Start the application" leads to, once it is there."""
    page.wait_for_url(re.compile(r".*/applications/\d+$"))
    return str(page.url)


def apply_for(
    page: Any,
    server: LiveServer,
    *,
    code: str,
    description: str,
    quantity: str,
    value: str,
    end_user: str,
    destination: str,
    end_use: str,
    cn_code: str = "",
) -> str:
    """Apply through the task list as an exporter would: start, add the item, the end-user, the end use,
    check the answers, make the declaration and submit. Returns the case page's address."""
    page.goto(f"{server.url}/applications/new")
    page.get_by_label("Individual", exact=True).check()
    page.get_by_role("button", name="Start the application").click()
    page.get_by_role("link", name="Items", exact=True).click()
    page.get_by_role("link", name="Add an item").click()
    page.get_by_label("Control code of the item").fill(code)
    page.get_by_label("Item description").fill(description)
    if cn_code:
        page.get_by_label("CN code (8 digits, optional)").fill(cn_code)
    page.get_by_label("Quantity").fill(quantity)
    page.get_by_label("Value in EUR").fill(value)
    page.get_by_role("button", name="Save the item").click()
    page.get_by_role("link", name="Save and return to the application").click()
    page.get_by_role("link", name="End-user and other parties").click()
    page.get_by_role("link", name="Add the end-user").click()
    page.get_by_label("Name of the party").fill(end_user)
    page.get_by_label("Country", exact=True).fill(destination)
    page.get_by_role("button", name="Save the party").click()
    page.get_by_role("link", name="Save and return to the application").click()
    page.get_by_role("link", name="Destinations and end use").click()
    page.get_by_label("End use").fill(end_use)
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("link", name="Check your answers and submit").click()
    page_shows(page, "Check your answers")
    page.get_by_label("I declare that").check()
    page.get_by_role("button", name="Submit the application").click()
    page_shows(page, "Application submitted")
    return str(page.url)

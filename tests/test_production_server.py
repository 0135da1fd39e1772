"""The production server: scripts/serve-production (granian, scripts/serve_production.py) for real.

It runs as a separate process on a free 127.0.0.1 port with two workers
and its own SQLite file; every test stops what it started. The helpers here are
shared with tests/test_multihost.py.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from werkzeug.datastructures import Headers

ROOT = Path(__file__).resolve().parents[1]
SERVE_PRODUCTION = ROOT / "scripts" / "serve-production"
SERVER_BIN = ROOT / ".venv" / "bin" / "granian"
FORM = "/widgets/feedback-form"
GRACEFUL_TIMEOUT = 10

needs_server = pytest.mark.skipif(
    not SERVER_BIN.exists(), reason=f"{SERVER_BIN} is missing: run scripts/setup"
)
pytestmark = pytest.mark.system


def free_port() -> int:
    """A port nothing listens on now (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children(pid: int) -> list[int]:
    """Process ids whose parent is pid (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name in parentheses may hold spaces: split after it.
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def open_files(pid: int) -> list[str]:
    """What the process's file descriptors point at."""
    targets = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            targets.append(os.readlink(fd))
        except OSError:
            continue
    return targets


@dataclass
class Server:
    """One server (its main process) started by scripts/serve-production."""

    process: subprocess.Popen
    origin: str
    log_path: Path
    terminated: bool = False

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def request_lines(self) -> list[dict]:
        """The structured request log lines this server wrote so far."""
        return [json.loads(line) for line in self.log().splitlines() if line.startswith("{")]

    def terminate(self) -> None:
        """Ask for a graceful stop (SIGTERM, once) without waiting."""
        if self.process.poll() is None and not self.terminated:
            self.process.send_signal(signal.SIGTERM)
            self.terminated = True

    def stop(self) -> int | None:
        """SIGTERM, then SIGKILL of the whole group if it lingers; the exit code."""
        if self.process.poll() is None:
            self.terminate()
            try:
                self.process.wait(timeout=GRACEFUL_TIMEOUT + 5)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        return self.process.returncode


def start_server(log_path: Path, workers: int = 2, **env: str) -> Server:
    """scripts/serve-production on a free port; returns once both workers are up.

    WIDGET_* variables of the caller's shell are not passed on: the test says
    exactly which settings the server gets.
    """
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("WIDGET_")}
    environment.update(
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY=str(workers),
        SERVER_GRACEFUL_TIMEOUT=str(GRACEFUL_TIMEOUT),
        **env,
    )
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(SERVE_PRODUCTION)],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    server = Server(process, f"http://127.0.0.1:{port}", log_path)
    deadline = time.monotonic() + 60
    # Workers are forked after the master is ready (and has migrated).
    while len(children(process.pid)) < workers:
        if process.poll() is not None or time.monotonic() > deadline:
            server.stop()
            raise AssertionError(f"the server did not start:\n{server.log()}")
        time.sleep(0.05)
    while True:
        try:
            with urllib.request.urlopen(f"{server.origin}/healthz", timeout=5):
                return server
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None or time.monotonic() > deadline:
                server.stop()
                raise AssertionError(f"the server did not answer:\n{server.log()}") from None
            time.sleep(0.05)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def http(
    url: str, data: dict | None = None, headers: dict | None = None
) -> tuple[int, Headers, bytes]:
    """One request (redirects not followed): status, headers (any case), body."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with _opener.open(request, timeout=30) as response:
            return response.status, Headers(list(response.headers.items())), response.read()
    except urllib.error.HTTPError as error:
        return error.code, Headers(list(error.headers.items())), error.read()


def form_fields(origin: str, headers: dict | None = None) -> dict[str, str]:
    """The hidden fields (token, uid, page) of a freshly served feedback form."""
    status, _, body = http(f"{origin}{FORM}", headers=headers)
    assert status == 200
    return dict(re.findall(r'name="(token|uid|page)" value="([^"]*)"', body.decode()))


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """Two workers on a fresh SQLite file, rate limits off."""
    started = start_server(
        tmp_path / "server.log",
        WIDGET_DATABASE_URL=f"sqlite:///{tmp_path / 'service.sqlite3'}",
        WIDGET_SECRET_KEY="production-test-secret",
        WIDGET_RATE_LIMIT="off",
    )
    yield started
    started.stop()


@needs_server
def test_serves_health_and_widgets_with_two_workers_and_json_request_lines(
    server: Server, tmp_path: Path
) -> None:
    master = server.process.pid
    assert len(children(master)) == 2
    # The master migrated once before forking and kept no database file open.
    with sqlite3.connect(tmp_path / "service.sqlite3") as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert {"feedback", "alembic_version"} <= tables
    assert not [f for f in open_files(master) if "service.sqlite3" in f]

    status, headers, body = http(f"{server.origin}/healthz")
    assert status == 200
    assert headers["Content-Type"] == "application/json"
    # This server runs with the rate limit off.
    assert json.loads(body) == {"status": "ok", "database": "ok", "rate_limit_store": "off"}

    status, headers, body = http(
        f"{server.origin}/widgets/helpline-banner?variant=crisis",
        headers={"HX-Request": "true", "Accept-Language": "es-MX,es;q=0.9"},
    )
    html = body.decode()
    assert status == 200
    assert headers["Content-Language"] == "es"
    assert html.lstrip().startswith("<section")
    assert 'data-widget="helpline-banner"' in html and 'href="tel:988"' in html

    status, _, body = http(f"{server.origin}/widgets/substance-summary/kratom")
    assert status == 200 and b"<title>" in body and b'data-widget="substance-summary"' in body

    assert server.stop() == 0
    log = server.log()
    # The server's own access log stays off; our lines carry no address or agent.
    assert "127.0.0.1 - -" not in log and "Python-urllib" not in log
    lines = server.request_lines()
    paths = [(line["path"], line["status"]) for line in lines]
    assert ("/widgets/helpline-banner", 200) in paths
    assert ("/widgets/substance-summary/kratom", 200) in paths
    banner = next(line for line in lines if line["path"] == "/widgets/helpline-banner")
    assert banner["locale"] == "es" and banner["htmx"] is True


@needs_server
def test_sigterm_lets_a_request_in_flight_finish_then_exits_zero(
    server: Server, tmp_path: Path
) -> None:
    fields = form_fields(server.origin)
    comment = "sent across a graceful stop"
    body = urllib.parse.urlencode({**fields, "helpful": "yes", "comment": comment}).encode()
    head = (
        f"POST {FORM} HTTP/1.1\r\n"
        f"Host: {server.origin.removeprefix('http://')}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", int(server.origin.rsplit(":", 1)[1]))) as client:
        client.settimeout(30)
        # A slow client: the worker has the request and is reading its body.
        client.sendall(head + body[:20])
        time.sleep(1.0)
        server.terminate()
        signalled = time.monotonic()
        time.sleep(1.5)
        # The master waits for the request; it has not gone away.
        assert server.process.poll() is None, server.log()
        client.sendall(body[20:])
        answer = b""
        while chunk := client.recv(65536):
            answer += chunk
    status_line = answer.split(b"\r\n", 1)[0]
    assert status_line.split(b" ")[:2] == [b"HTTP/1.1", b"303"], answer[:500]
    assert server.process.wait(timeout=GRACEFUL_TIMEOUT + 5) == 0, server.log()
    assert time.monotonic() - signalled < GRACEFUL_TIMEOUT, "it waited for the kill deadline"
    with sqlite3.connect(tmp_path / "service.sqlite3") as db:
        rows = db.execute("SELECT helpful, comment FROM feedback").fetchall()
    assert rows == [(1, comment)]
    assert any(
        line["method"] == "POST" and line["status"] == 303 for line in server.request_lines()
    )


@needs_server
def test_a_chunked_body_over_the_limit_is_413_and_a_small_one_is_stored(server: Server) -> None:
    import http.client

    host, port = server.origin.removeprefix("http://").split(":")

    def post_chunked(comment: str) -> int:
        fields = form_fields(server.origin)
        body = urllib.parse.urlencode({**fields, "helpful": "yes", "comment": comment}).encode()
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        connection.request(
            "POST",
            FORM,
            body=(body[start : start + 4096] for start in range(0, len(body), 4096)),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            encode_chunked=True,
        )
        answer = connection.getresponse()
        answer.read()
        connection.close()
        return answer.status

    assert post_chunked("long words " * 2000) == 413
    assert post_chunked("sent in chunks") == 303


SLOW_CLIENTS = 50


def _slow_clients(port: int, count: int, head: bytes) -> list[socket.socket]:
    clients = []
    for _ in range(count):
        client = socket.create_connection(("127.0.0.1", port), timeout=5)
        client.sendall(head)
        clients.append(client)
    return clients


def _timed_get(url: str) -> float:
    started = time.monotonic()
    status, _, body = http(url, headers={"HX-Request": "true"})
    assert status == 200 and b'data-widget="helpline-banner"' in body
    return time.monotonic() - started


@needs_server
@pytest.mark.parametrize("slow_part", ["headers", "body"])
def test_fifty_slow_clients_do_not_keep_a_visitor_waiting(server: Server, slow_part: str) -> None:
    """Slowloris: connections that send their request a few bytes at a time, for seconds.

    The production server holds them all open, yet a normal visitor's
    request is answered within 2 s throughout (each server thread taken by a
    slow client would otherwise leave visitors waiting for the header timeout).
    """
    port = int(server.origin.rsplit(":", 1)[1])
    host = f"Host: 127.0.0.1:{port}\r\n".encode()
    if slow_part == "headers":
        head = b"GET /widgets/helpline-banner HTTP/1.1\r\n" + host
        drip = b"X-Slow: a\r\n"
    else:
        head = (
            b"POST /widgets/feedback-form HTTP/1.1\r\n" + host + b"Content-Length: 4000\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n\r\nhelpful=yes&comment="
        )
        drip = b"a"
    clients = _slow_clients(port, SLOW_CLIENTS, head)
    waits = []
    try:
        for _ in range(6):
            waits.append(_timed_get(f"{server.origin}/widgets/helpline-banner"))
            for client in clients:
                client.sendall(drip)
            time.sleep(0.4)
        # Every slow client is still connected: it was not simply dropped.
        for client in clients:
            client.sendall(drip)
    finally:
        for client in clients:
            client.close()
    assert max(waits) < 2.0, waits

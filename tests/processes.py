"""Real service processes for the tests of what workers and hosts share.

Each process runs the real WSGI app (werkzeug's threaded server) with the
WIDGET_* settings a test gives, on its own free port: several of them are
several workers or hosts, sharing only what the settings make them share (a
database, a rate-limit file, a Redis).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

FORM = "/widgets/feedback-form"
ROOT = Path(__file__).resolve().parent.parent

# Serves widget:create_app() (settings from WIDGET_*) on 127.0.0.1:<port>.
_SERVE = """
import sys
from werkzeug.serving import WSGIRequestHandler, make_server
from widget import create_app

class Quiet(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass

server = make_server("127.0.0.1", int(sys.argv[1]), create_app(), threaded=True,
                     request_handler=Quiet)
server.serve_forever()
"""


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Service:
    """One running service process."""

    process: subprocess.Popen
    origin: str
    log: Path

    def output(self) -> str:
        """What the process wrote (its request log and any error)."""
        return self.log.read_text(errors="replace")


def _wait_until_up(service: Service, deadline: float) -> None:
    while True:
        try:
            with urllib.request.urlopen(f"{service.origin}/widgets/helpline-banner", timeout=5):
                return
        except (urllib.error.URLError, ConnectionError):
            if service.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"service did not start:\n{service.output()}") from None
            time.sleep(0.05)


@contextmanager
def services(count: int, folder: Path, **settings: str) -> Iterator[list[Service]]:
    """`count` service processes with the same WIDGET_* settings; stopped afterwards."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("WIDGET_")}
    environment.update(settings, PYTHONPATH=str(ROOT))
    started: list[Service] = []
    try:
        for index in range(count):
            port = free_port()
            log = folder / f"service-{index}-{port}.log"
            with open(log, "wb") as handle:
                process = subprocess.Popen(
                    [sys.executable, "-c", _SERVE, str(port)],
                    env=environment,
                    cwd=ROOT,
                    stdout=handle,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                )
            started.append(Service(process, f"http://127.0.0.1:{port}", log))
        deadline = time.monotonic() + 60
        for service in started:
            _wait_until_up(service, deadline)
        yield started
    finally:
        for service in started:
            service.process.terminate()
        for service in started:
            try:
                service.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                service.process.kill()
                service.process.wait(timeout=10)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def http(
    url: str, data: dict | None = None, headers: dict | None = None, timeout: float = 30
) -> tuple[int, dict, bytes]:
    """One request (redirects not followed): status, headers, body."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with _opener.open(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def form_fields(origin: str, query: str = "") -> dict[str, str]:
    """The hidden fields (token, uid, page) of a freshly served feedback form."""
    status, _, body = http(f"{origin}{FORM}?{query}")
    assert status == 200
    return dict(re.findall(r'name="(token|uid|page)" value="([^"]*)"', body.decode()))


# Takes an exclusive flock on a file, says so, and holds it until told.
_HOLD_FLOCK = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
print("holding", flush=True)
sys.stdin.readline()
"""


@contextmanager
def flock_held_elsewhere(path: Path) -> Iterator[None]:
    """Another process holds the flock on `path` for the block (another worker's turn)."""
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_FLOCK, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        yield
    finally:
        holder.communicate("done\n", timeout=10)

"""Redis down is never a 500: the limit fails open to per-host counting, and /healthz says so.

Decision (docs/operations.md, "When something the service depends on fails"):
a visitor in crisis must not be refused because our counter is away, so posts
are accepted, counted per host until Redis answers again (a flood is still
bounded), and the log says it once.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from flask import Flask

from tests.feedback import FORM, fresh_fields, stored
from tests.processes import free_port

REDIS_SERVER = shutil.which("redis-server")


def _post(app: Flask) -> tuple[int, float]:
    client = app.test_client()
    fields = fresh_fields(client)
    started = time.monotonic()
    status = client.post(FORM, data={**fields, "helpful": "yes"}).status_code
    return status, time.monotonic() - started


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "widget.feedback.limitstores" and record.levelno == logging.WARNING
    ]


def test_with_nothing_listening_posts_are_accepted_per_host_and_healthz_is_degraded(
    make_app, caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app(
        RATE_LIMIT="3/minute", RATE_LIMIT_STORAGE_URL=f"redis://127.0.0.1:{free_port()}/0"
    )
    with caplog.at_level(logging.WARNING):
        results = [_post(app) for _ in range(4)]
    # Accepted, fast, and still limited (per host) while Redis is away.
    assert [status for status, _ in results] == [303, 303, 303, 429]
    assert max(took for _, took in results) < 2.0
    assert len(stored(app)) == 3
    [warning] = _warnings(caplog)
    assert "not answering" in warning and "ConnectionError" in warning
    health = app.test_client().get("/healthz")
    assert health.status_code == 200
    assert health.get_json() == {
        "status": "degraded",
        "database": "ok",
        "rate_limit_store": "unreachable",
    }


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[tuple[subprocess.Popen, int]]:
    """A redis-server of this test's own on a free port (the machine's Redis is left alone)."""
    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    process = subprocess.Popen(
        [
            REDIS_SERVER,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=1)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.RedisError:
            if time.monotonic() > deadline:
                process.kill()
                pytest.fail("our redis-server did not start")
            time.sleep(0.05)
    yield process, port
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.system
def test_a_redis_that_stops_mid_service_never_causes_a_500(
    make_app, own_redis: tuple[subprocess.Popen, int], caplog: pytest.LogCaptureFixture
) -> None:
    process, port = own_redis
    app = make_app(RATE_LIMIT="20/minute", RATE_LIMIT_STORAGE_URL=f"redis://127.0.0.1:{port}/0")
    assert _post(app)[0] == 303
    assert app.test_client().get("/healthz").get_json()["rate_limit_store"] == "ok"
    process.terminate()
    process.wait(timeout=10)
    with caplog.at_level(logging.WARNING):
        statuses = [_post(app)[0] for _ in range(3)]
    assert statuses == [303, 303, 303]
    assert len(stored(app)) == 4
    assert len(_warnings(caplog)) == 1
    health = app.test_client().get("/healthz")
    assert health.status_code == 200
    assert health.get_json()["status"] == "degraded"
    assert health.get_json()["rate_limit_store"] == "unreachable"

"""The documented limit (20 posts a minute per client) holds per host and across hosts.

Per host by default: the workers of one host share a small counts file, so
three processes together accept 20, not 3 × 20. With Redis, every host shares
one count. IPv6 clients are counted by their /64.
"""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

import pytest
import redis
from flask import Flask

from tests.feedback import FORM, fresh_fields
from tests.processes import form_fields, http, services


def _redis_missing() -> str | None:
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_timeout=1).ping()
        return None
    except redis.RedisError as error:
        return f"no Redis at 127.0.0.1:6379: {error}"


def _post_round_robin(origins: list[str], count: int) -> list[int]:
    statuses = []
    for index in range(count):
        origin = origins[index % len(origins)]
        fields = form_fields(origin)
        statuses.append(http(f"{origin}{FORM}", {**fields, "helpful": "yes"})[0])
    return statuses


@pytest.mark.system
def test_three_worker_processes_of_one_host_share_the_limit(tmp_path: Path) -> None:
    settings = {
        "WIDGET_DATABASE_URL": f"sqlite:///{tmp_path / 'host.sqlite3'}",
        "WIDGET_SECRET_KEY": "one-host-secret",
        "WIDGET_RATE_LIMIT_HOST_FILE": str(tmp_path / "rate-limits.sqlite3"),
        "WIDGET_REQUEST_LOG": "false",
    }
    with services(3, tmp_path, **settings) as running:
        statuses = _post_round_robin([service.origin for service in running], 25)
    assert statuses.count(303) == 20
    assert statuses[20:] == [429] * 5


@pytest.mark.system
def test_with_redis_two_hosts_share_one_limit(tmp_path: Path) -> None:
    missing = _redis_missing()
    if missing:
        pytest.skip(missing)
    shared = {
        "WIDGET_DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        # A new secret salts new client keys: no count left from another run.
        "WIDGET_SECRET_KEY": secrets.token_hex(8),
        "WIDGET_RATE_LIMIT_STORAGE_URL": "redis://127.0.0.1:6379/0",
        "WIDGET_REQUEST_LOG": "false",
    }
    hosts = []
    with (
        services(
            1, tmp_path, WIDGET_RATE_LIMIT_HOST_FILE=str(tmp_path / "a.sqlite3"), **shared
        ) as first,
        services(
            1, tmp_path, WIDGET_RATE_LIMIT_HOST_FILE=str(tmp_path / "b.sqlite3"), **shared
        ) as second,
    ):
        hosts = [first[0].origin, second[0].origin]
        statuses = _post_round_robin(hosts, 24)
    assert statuses.count(303) == 20
    assert statuses[20:] == [429] * 4


def _post_from(app: Flask, address: str) -> int:
    client = app.test_client()
    fields = fresh_fields(client)
    return client.post(
        FORM, data={**fields, "helpful": "yes"}, environ_base={"REMOTE_ADDR": address}
    ).status_code


def test_ipv6_clients_are_counted_by_their_64(make_app) -> None:
    app = make_app(RATE_LIMIT="3/minute")
    same_network = ["2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff:ffff:ffff:ffff"]
    assert [_post_from(app, address) for address in same_network] == [303, 303, 303]
    # Another address of the same /64 is the same client: over the limit.
    assert _post_from(app, "2001:db8:1:2:abcd::9") == 429
    # The next /64 is another client.
    assert _post_from(app, "2001:db8:1:3::1") == 303


def test_ipv4_clients_and_ipv4_mapped_addresses_are_one_client(make_app) -> None:
    app = make_app(RATE_LIMIT="2/minute")
    assert _post_from(app, "198.51.100.7") == 303
    assert _post_from(app, "::ffff:198.51.100.7") == 303
    assert _post_from(app, "198.51.100.7") == 429
    assert _post_from(app, "198.51.100.8") == 303


def test_a_counts_file_that_cannot_be_opened_fails_open_per_process(
    make_app, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the counts folder should be")
    app = make_app(RATE_LIMIT="2/minute", RATE_LIMIT_HOST_FILE=str(blocker / "counts.sqlite3"))
    with caplog.at_level(logging.WARNING):
        statuses = [_post_from(app, "203.0.113.5") for _ in range(3)]
    # Still limited, per process, while the file is unusable; never a 500.
    assert statuses == [303, 303, 429]
    warnings = [r.getMessage() for r in caplog.records if r.name == "widget.feedback.limitstores"]
    assert len(warnings) == 1 and "per process" in warnings[0]
    health = app.test_client().get("/healthz").get_json()
    assert health["status"] == "degraded" and health["rate_limit_store"] == "unreachable"


def test_limits_with_different_windows_share_the_counts_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from widget.feedback import hostlimit

    clock = [1_000_000.0]
    monkeypatch.setattr(hostlimit.time, "time", lambda: clock[0])
    limiter = hostlimit.HostLimiter(tmp_path / "counts.sqlite3")
    # A wrong report token (counted for an hour), then feedback posts two minutes later
    # (counted for a minute), which clear what has expired.
    assert limiter.hit("cw-report:a", 10, 3600)
    clock[0] += 120
    assert limiter.hit("cw-feedback:b", 20, 60)
    assert limiter.remaining("cw-report:a", 10, 3600) == 9
    clock[0] += 3600
    assert limiter.hit("cw-feedback:b", 20, 60)
    assert limiter.remaining("cw-report:a", 10, 3600) == 10

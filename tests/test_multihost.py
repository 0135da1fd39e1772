"""Several hosts, as deploy/README.md sets them up: two production-server "hosts", one
PostgreSQL database, one Redis for rate limits, nginx in front as a caching,
load-balancing proxy (deploy/nginx/care-widgets.conf, placeholders filled in).

Everything runs on 127.0.0.1 at free ports and is stopped at the end; the
database is created for this module and dropped afterwards, and only this
module's Redis keys are deleted.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.test_production_server import (
    FORM,
    ROOT,
    SERVER_BIN,
    Server,
    children,
    form_fields,
    free_port,
    http,
    open_files,
    start_server,
)

PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=test connect_timeout=3"
REDIS_URL = "redis://127.0.0.1:6379/5"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
TEMPLATE = ROOT / "deploy" / "nginx" / "care-widgets.conf"
RATE_LIMIT = 5
BANNER = "/widgets/helpline-banner?variant=compact"


def _missing() -> str | None:
    if not SERVER_BIN.exists():
        return f"{SERVER_BIN} is missing: run scripts/setup"
    if not os.access(NGINX, os.X_OK):
        return "no nginx (scripts/setup --test installs Debian's nginx-light)"
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN):
            pass
    except Exception as error:  # noqa: BLE001 (any failure means: not here)
        return f"no PostgreSQL at 127.0.0.1:5432 (user postgres, database test): {error}"
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except Exception as error:  # noqa: BLE001
        return f"no Redis at 127.0.0.1:6379: {error}"
    return None


MISSING = _missing()
pytestmark = [pytest.mark.system, pytest.mark.skipif(MISSING is not None, reason=MISSING or "")]


@dataclass
class Deployment:
    proxy: str  # nginx's origin
    hosts: list[Server]
    database_url: str
    secret: str

    def rows(self) -> list[tuple]:
        import sqlalchemy

        engine = sqlalchemy.create_engine(self.database_url)
        try:
            with engine.connect() as connection:
                query = "SELECT helpful, comment FROM feedback ORDER BY id"
                return [tuple(row) for row in connection.execute(sqlalchemy.text(query))]
        finally:
            engine.dispose()

    def posts_per_host(self) -> list[int]:
        return [
            sum(1 for line in host.request_lines() if line["method"] == "POST")
            for host in self.hosts
        ]


def render_nginx(folder: Path, listen: int, upstreams: list[str]) -> Path:
    """The deploy template with its placeholders filled, inside a minimal nginx.conf."""
    site = (
        TEMPLATE.read_text()
        .replace("__LISTEN__", f"127.0.0.1:{listen}")
        .replace("__UPSTREAM_SERVERS__", " ".join(f"server {u};" for u in upstreams))
        .replace("__CACHE_DIR__", str(folder / "cache"))
    )
    assert "__" not in site.replace("$proxy_add_x_forwarded_for", "")
    (folder / "care-widgets.conf").write_text(site)
    temp = {name: folder / name for name in ("client_body", "proxy")}
    for path in temp.values():
        path.mkdir()
    # As root, nginx's workers would otherwise run as nobody, who cannot
    # enter pytest's private temporary folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = folder / "nginx.conf"
    conf.write_text(
        f"""{user}daemon off;
worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {temp["client_body"]};
    proxy_temp_path {temp["proxy"]};
    include {folder / "care-widgets.conf"};
}}
"""
    )
    return conf


def start_nginx(folder: Path, conf: Path, origin: str) -> subprocess.Popen:
    command = [NGINX, "-p", str(folder), "-c", str(conf), "-e", str(folder / "error.log")]
    check = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(f"{origin}/healthz", timeout=5):
                return process
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise AssertionError((folder / "error.log").read_text()) from None
            time.sleep(0.05)


def _our_redis_keys(secret: str, addresses: list[str]) -> list[bytes]:
    """This module's rate-limit keys: the service hashes each address with a salt from our key."""
    import redis

    from widget.feedback.ratelimit import RateLimit

    salt = hashlib.sha256(("rate-limit:" + secret).encode()).hexdigest()
    limiter = RateLimit("off", "memory://", salt)
    client = redis.Redis.from_url(REDIS_URL)
    keys = []
    for address in addresses:
        keys += list(client.scan_iter(match=f"*{limiter.client_key(address)}*"))
    client.close()
    return keys


DIRECT_CLIENTS = [f"198.51.100.{n}" for n in (*range(1, 9), 98)]


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    import psycopg

    folder = tmp_path_factory.mktemp("multihost")
    name = f"care_widgets_multihost_{secrets.token_hex(5)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    database_url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    secret = secrets.token_hex(32)
    settings = {
        "WIDGET_DATABASE_URL": database_url,
        "WIDGET_SECRET_KEY": secret,
        "WIDGET_RATE_LIMIT": f"{RATE_LIMIT}/minute",
        "WIDGET_RATE_LIMIT_STORAGE_URL": REDIS_URL,
        "WIDGET_AUTO_MIGRATE": "false",
        "WIDGET_PROXY_COUNT": "1",
    }
    hosts: list[Server] = []
    nginx = None
    try:
        # Once per release, before the hosts serve (deploy/README.md).
        environment = {k: v for k, v in os.environ.items() if not k.startswith("WIDGET_")}
        upgrade = subprocess.run(
            [str(ROOT / ".venv" / "bin" / "flask"), "--app", "widget", "db", "upgrade"],
            env={**environment, **settings},
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert upgrade.returncode == 0, upgrade.stderr
        for label in ("a", "b"):
            hosts.append(start_server(folder / f"host-{label}.log", **settings))
        listen = free_port()
        upstreams = [host.origin.removeprefix("http://") for host in hosts]
        conf = render_nginx(folder, listen, upstreams)
        nginx = start_nginx(folder, conf, f"http://127.0.0.1:{listen}")
        yield Deployment(f"http://127.0.0.1:{listen}", hosts, database_url, secret)
    finally:
        if nginx is not None:
            nginx.send_signal(signal.SIGQUIT)  # graceful stop
            try:
                nginx.wait(timeout=15)
            except subprocess.TimeoutExpired:
                nginx.kill()
                nginx.wait(timeout=5)
        for host in hosts:
            host.terminate()
        for host in hosts:
            host.stop()
        import redis

        keys = _our_redis_keys(secret, ["127.0.0.1", *DIRECT_CLIENTS])
        if keys:
            client = redis.Redis.from_url(REDIS_URL)
            client.delete(*keys)
            client.close()
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def test_hosts_answer_directly_and_through_nginx(deployment: Deployment) -> None:
    for origin in [deployment.proxy, *(host.origin for host in deployment.hosts)]:
        status, headers, body = http(f"{origin}/healthz")
        assert status == 200
        assert json.loads(body) == {"status": "ok", "database": "ok", "rate_limit_store": "ok"}
        # Only nginx adds X-Cache-Status; a health check is never cached.
        assert headers.get("X-Cache-Status") == ("MISS" if origin == deployment.proxy else None)


def test_feedback_posted_alternately_through_both_hosts_lands_in_one_database(
    deployment: Deployment,
) -> None:
    before = deployment.rows()
    a, b = deployment.hosts
    accepted = 0
    for index, client in enumerate(DIRECT_CLIENTS[:4]):
        # The form comes from one host and is posted to the other: the hosts
        # share the signing key and the database.
        shown, posted = (a, b) if index % 2 == 0 else (b, a)
        forwarded = {"X-Forwarded-For": client}
        fields = form_fields(shown.origin, headers=forwarded)
        data = {**fields, "helpful": "yes" if index % 2 else "no", "comment": f"multi {index}"}
        status, headers, _ = http(f"{posted.origin}{FORM}", data=data, headers=forwarded)
        assert status == 303, headers
        accepted += 1
    new_rows = deployment.rows()[len(before) :]
    assert len(new_rows) == accepted == 4
    assert new_rows == [(i % 2 == 1, f"multi {i}") for i in range(4)]


def test_rate_limit_is_shared_by_the_hosts(deployment: Deployment) -> None:
    before_rows = len(deployment.rows())
    before_posts = deployment.posts_per_host()
    attempts = RATE_LIMIT + 1
    # Forms first (GET, not limited), then the posts one after another, so
    # nginx's round robin spreads the posts over both hosts.
    forms = [form_fields(deployment.proxy) for _ in range(attempts)]
    statuses = []
    for index, fields in enumerate(forms):
        # A client cannot escape the limit by sending its own X-Forwarded-For:
        # nginx appends the address it sees, and the hosts trust that alone.
        spoofed = {"X-Forwarded-For": f"192.0.2.{index + 1}"}
        data = {**fields, "helpful": "yes", "comment": f"limit {index}"}
        status, _, _ = http(f"{deployment.proxy}{FORM}", data=data, headers=spoofed)
        statuses.append(status)
    assert statuses == [303] * RATE_LIMIT + [429]
    served = [
        now - then for now, then in zip(deployment.posts_per_host(), before_posts, strict=True)
    ]
    assert sum(served) == attempts
    # Neither host alone saw more than the limit: only a shared count stops the sixth.
    assert all(2 <= count <= RATE_LIMIT for count in served), served
    assert len(deployment.rows()) == before_rows + RATE_LIMIT


def remote_ports(pid: int) -> set[int]:
    """Remote ports of the process's TCP connections (its socket inodes in /proc/net/tcp*)."""
    inodes = {t[len("socket:[") : -1] for t in open_files(pid) if t.startswith("socket:[")}
    ports = set()
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[9] in inodes and fields[3] == "01":  # ESTABLISHED
                ports.add(int(fields[2].rsplit(":", 1)[1], 16))
    return ports


def test_workers_connect_to_postgres_and_redis_the_masters_never(
    deployment: Deployment,
) -> None:
    # Traffic that needs both on every host: the health check reads the
    # database, a post is counted in Redis and stored.
    forwarded = {"X-Forwarded-For": "198.51.100.98"}
    for host in deployment.hosts:
        assert http(f"{host.origin}/healthz")[0] == 200
        data = {**form_fields(host.origin, headers=forwarded), "helpful": "yes"}
        assert http(f"{host.origin}{FORM}", data=data, headers=forwarded)[0] == 303
    for host in deployment.hosts:
        master = host.process.pid
        # Forked after preloading: no connection crossed the fork.
        assert not remote_ports(master) & {5432, 6379}
        worker_ports = set().union(*(remote_ports(pid) for pid in children(master)))
        assert {5432, 6379} <= worker_ports


def test_no_store_answers_are_never_cached(deployment: Deployment) -> None:
    for _ in range(2):
        status, headers, _ = http(f"{deployment.proxy}{FORM}?lang=es")
        assert status == 200
        assert headers["Cache-Control"] == "no-store"
        assert headers["X-Cache-Status"] == "MISS"


def test_widget_get_is_served_from_the_cache_on_repeat(deployment: Deployment) -> None:
    url = f"{deployment.proxy}{BANNER}&cache-probe=repeat"
    first = http(url, headers={"HX-Request": "true", "Accept-Language": "es-MX,es;q=0.9"})
    second = http(url, headers={"HX-Request": "true", "Accept-Language": "es-MX,es;q=0.9"})
    assert first[0] == second[0] == 200
    assert "max-age" in first[1].get("Cache-Control", ""), first[1].get("Cache-Control")
    assert first[1]["X-Cache-Status"] == "MISS"
    assert second[1]["X-Cache-Status"] == "HIT"
    assert second[2] == first[2]


def test_the_cache_keeps_one_copy_per_vary_header_value(deployment: Deployment) -> None:
    url = f"{deployment.proxy}{BANNER}&cache-probe=vary"
    answers = {}
    for language in ("es", "fr", "es", "fr"):
        status, headers, body = http(url, headers={"Accept-Language": language})
        assert status == 200
        # Never the other language's copy.
        assert headers["Content-Language"] == language
        answers.setdefault(language, []).append((headers["X-Cache-Status"], body))
    for language, ((first_status, first_body), (again_status, again_body)) in answers.items():
        assert (first_status, again_status) == ("MISS", "HIT"), language
        assert again_body == first_body
    fragment = http(url, headers={"Accept-Language": "es", "HX-Request": "true"})
    assert fragment[1]["X-Cache-Status"] == "MISS"
    assert fragment[2].lstrip().startswith(b"<section")


def test_revalidation_with_if_none_match_is_a_304_through_the_proxy(
    deployment: Deployment,
) -> None:
    url = f"{deployment.proxy}{BANNER}&cache-probe=etag"
    status, headers, _ = http(url, headers={"HX-Request": "true"})
    assert status == 200
    etag = headers.get("ETag")
    assert etag, "the widget answer carries no ETag"
    assert not etag.startswith("W/"), "a strong ETag"
    status, headers, body = http(url, headers={"HX-Request": "true", "If-None-Match": etag})
    assert status == 304
    assert body == b""
    assert headers.get("ETag") == etag
    # Another validator does not match: the whole answer again.
    status, _, body = http(url, headers={"HX-Request": "true", "If-None-Match": '"other"'})
    assert status == 200 and body


def test_the_services_own_413_passes_through_the_proxy(deployment: Deployment) -> None:
    # nginx's limit on bodies sits above the service's 16 KB, so a visitor gets
    # the service's localized answer, not nginx's page.
    fields = form_fields(deployment.proxy)
    data = {**fields, "helpful": "yes", "comment": "x" * (20 * 1024)}
    status, headers, body = http(f"{deployment.proxy}{FORM}?lang=es", data=data)
    assert status == 413
    assert headers["Content-Language"] == "es"
    assert b"nginx" not in body

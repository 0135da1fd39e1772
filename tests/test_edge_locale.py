"""The edge cache and the service choose the same language for every real-world header.

deploy/nginx/care-widgets.conf normalizes Accept-Language to one of our locales
(nginx `map` regexes) before it looks up its cache and forwards only that
value. These tests run the shipped file in real nginx: its mapping agrees
with widget/accept_language.py on every header of tests/data/
accept_language_corpus.txt, and in front of the production server each
visitor gets their language while nearly every request is a cache hit.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from http.client import HTTPConnection
from pathlib import Path

import pytest

from tests.test_production_server import (
    ROOT,
    SERVE_PRODUCTION,
    Server,
    free_port,
    http,
    start_server,
)
from widget.accept_language import accept_language_locale

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
TEMPLATE = ROOT / "deploy" / "nginx" / "care-widgets.conf"
CORPUS = Path(__file__).parent / "data" / "accept_language_corpus.txt"
BANNER = "/widgets/helpline-banner"
# The request headers the shipped cache key holds, normalized (lowercase).
KEYED_HEADERS = {"hx-request", "accept-language", "accept-encoding", "sec-fetch-dest", "origin"}

needs_nginx = pytest.mark.skipif(
    not os.access(NGINX, os.X_OK),
    reason="no nginx (scripts/setup --test installs Debian's nginx-light)",
)


def corpus() -> list[str]:
    """The corpus headers, exactly as written (tabs and spaces kept)."""
    lines = CORPUS.read_text(encoding="ascii").split("\n")
    return [line for line in lines if line.strip() and not line.startswith("#")]


def nginx_conf(folder: Path, listen: int, upstream: str, echo_port: int | None) -> Path:
    """The shipped file, placeholders filled, in a minimal nginx.conf.

    With `echo_port`, a second server answers each request with the
    Accept-Language value the shipped maps computed, and nothing else.
    """
    site = (
        TEMPLATE.read_text()
        .replace("__LISTEN__", f"127.0.0.1:{listen}")
        .replace("__UPSTREAM_SERVERS__", f"server {upstream};")
        .replace("__CACHE_DIR__", str(folder / "cache"))
    )
    (folder / "care-widgets.conf").write_text(site)
    for name in ("client_body", "proxy"):
        (folder / name).mkdir(exist_ok=True)
    echo = ""
    if echo_port is not None:
        echo = f"""
    server {{
        listen 127.0.0.1:{echo_port};
        location / {{ return 200 "[$cw_accept_language]"; }}
    }}"""
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
    client_body_temp_path {folder / "client_body"};
    proxy_temp_path {folder / "proxy"};
    include {folder / "care-widgets.conf"};{echo}
}}
"""
    )
    return conf


def run_nginx(folder: Path, conf: Path, ready_url: str) -> subprocess.Popen:
    """nginx in the foreground; returns once ready_url answers."""
    command = [NGINX, "-p", str(folder), "-c", str(conf), "-e", str(folder / "error.log")]
    check = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(ready_url, timeout=5):
                return process
        except urllib.error.HTTPError:
            return process
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise AssertionError((folder / "error.log").read_text()) from None
            time.sleep(0.05)


def stop_nginx(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGQUIT)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def test_corpus_is_large_and_varied() -> None:
    headers = corpus()
    assert len(headers) >= 1000
    assert len(set(headers)) == len(headers)
    chosen = Counter(accept_language_locale(header) for header in headers)
    # Every language of ours, and headers that name none of them.
    assert set(chosen) == {
        None,
        "en",
        "es",
        "zh-Hans",
        "zh-Hant",
        "vi",
        "tl",
        "ko",
        "ar",
        "ru",
        "fr",
    }
    assert min(chosen.values()) >= 40, chosen


@pytest.mark.system
@needs_nginx
def test_the_shipped_nginx_mapping_agrees_with_the_service_on_every_corpus_header(
    tmp_path: Path,
) -> None:
    echo_port = free_port()
    # The upstream is never asked here: only the maps run.
    conf = nginx_conf(tmp_path, free_port(), "127.0.0.1:9", echo_port)
    nginx = run_nginx(tmp_path, conf, f"http://127.0.0.1:{echo_port}/")
    disagreements = []
    try:
        connection = HTTPConnection("127.0.0.1", echo_port, timeout=10)
        for header in corpus():
            connection.request("GET", "/", headers={"Accept-Language": header})
            answer = connection.getresponse().read().decode()
            edge = re.fullmatch(r"\[(.*)\]", answer).group(1) or None
            service = accept_language_locale(header)
            if edge != service:
                disagreements.append((header, edge, service))
        connection.close()
    finally:
        stop_nginx(nginx)
    assert disagreements == [], f"{len(disagreements)} of {len(corpus())}: {disagreements[:20]}"


@pytest.fixture(scope="module")
def edge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Server]]:
    """The production server (one worker) behind the shipped nginx file."""
    if not os.access(NGINX, os.X_OK):
        pytest.skip("no nginx (scripts/setup --test installs Debian's nginx-light)")
    if not SERVE_PRODUCTION.exists():
        pytest.skip(f"{SERVE_PRODUCTION} is missing")
    folder = tmp_path_factory.mktemp("edge")
    server = start_server(
        folder / "server.log",
        workers=1,
        WIDGET_DATABASE_URL=f"sqlite:///{folder / 'edge.sqlite3'}",
        WIDGET_SECRET_KEY="edge-test-secret",
        WIDGET_RATE_LIMIT="off",
        WIDGET_PROXY_COUNT="1",
        WIDGET_PARTNERS_FILE=str(ROOT / "examples" / "partners.yaml"),
        WIDGET_REQUEST_LOG="false",
    )
    listen = free_port()
    nginx = None
    try:
        conf = nginx_conf(folder, listen, server.origin.removeprefix("http://"), None)
        proxy = f"http://127.0.0.1:{listen}"
        nginx = run_nginx(folder, conf, f"{proxy}/healthz")
        yield proxy, server
    finally:
        if nginx is not None:
            stop_nginx(nginx)
        server.stop()


@pytest.mark.system
@needs_nginx
def test_through_the_edge_every_visitor_gets_their_language_and_nearly_all_are_hits(
    edge: tuple[str, Server],
) -> None:
    proxy, _ = edge
    host, port = proxy.removeprefix("http://").split(":")
    connection = HTTPConnection(host, int(port), timeout=30)
    statuses: Counter[str] = Counter()
    wrong = []
    for header in corpus():
        request = {"Accept-Language": header, "HX-Request": "true", "Accept-Encoding": "gzip"}
        connection.request("GET", f"{BANNER}?variant=compact", headers=request)
        response = connection.getresponse()
        body = response.read()
        assert response.status == 200
        expected = accept_language_locale(header) or "en"
        rendered = response.getheader("Content-Language")
        if rendered != expected or f'lang="{expected}"'.encode() not in _gunzip(body)[:400]:
            wrong.append((header, rendered, expected))
        statuses[response.getheader("X-Cache-Status")] += 1
    connection.close()
    assert wrong == []
    hits = statuses["HIT"] / sum(statuses.values())
    # Ten languages, and no language of ours (English): eleven copies at most.
    assert statuses["MISS"] <= 11, statuses
    assert hits >= 0.97, statuses


def _gunzip(body: bytes) -> bytes:
    import gzip

    return gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body


@pytest.mark.system
@needs_nginx
def test_a_spanish_copy_is_never_served_to_an_english_reader_nor_gzip_to_a_plain_client(
    edge: tuple[str, Server],
) -> None:
    proxy, _ = edge
    url = f"{proxy}{BANNER}?variant=crisis"
    for language, encoding, expected in [
        ("es-MX,es;q=0.9", "gzip, deflate, br", "es"),
        ("en-US,en;q=0.9", "gzip, deflate, br", "en"),
        ("es-ES,es;q=0.8", "gzip, deflate, br", "es"),
        ("es-ES,es;q=0.8", "", "es"),
        ("de-DE,de;q=0.9", "gzip", "en"),
        ("", "gzip", "en"),
    ]:
        headers = {"Accept-Language": language, "Accept-Encoding": encoding}
        status, answer, body = http(url, headers=headers)
        assert status == 200
        assert answer["Content-Language"] == expected
        coding = answer.get("Content-Encoding")
        if "br" in encoding:
            assert coding == "br"
        elif "gzip" in encoding:
            assert coding == "gzip"
        else:
            assert coding is None and b"<html" in body
        # Browsers and CDNs beyond the edge still see what the answer varies on.
        assert "Accept-Language" in answer["Vary"]


@pytest.mark.system
@needs_nginx
def test_every_header_the_service_varies_on_is_in_the_edge_cache_key(
    edge: tuple[str, Server],
) -> None:
    _, server = edge
    key = re.search(r"proxy_cache_key\s+\"([^\"]+)\"", TEMPLATE.read_text()).group(1)
    assert all(name in key for name in ("$cw_htmx", "$cw_accept_language", "$cw_encoding"))
    assert "$cw_dest" in key and "$http_origin" in key
    varied = set()
    for path in [
        BANNER,
        f"{BANNER}?partner=riverside-clinic",
        "/widgets/substance-summary",
        "/widgets/substance-summary/kratom?switcher=true",
        "/widgets/substance-summary/kratom?partner=riverside-clinic",
    ]:
        for headers in ({}, {"HX-Request": "true"}, {"Sec-Fetch-Dest": "iframe"}):
            status, answer, _ = http(server.origin + path, headers=headers)
            assert status == 200, path
            varied |= {name.strip().lower() for name in answer.get("Vary", "").split(",")}
    assert varied - {""} <= KEYED_HEADERS

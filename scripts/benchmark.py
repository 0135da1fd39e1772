"""Measure the production server on this machine and print the figures (not a test).

Run through scripts/benchmark (see --help). Everything listens on 127.0.0.1 at
free ports; every server started here is stopped at the end. Figures depend on
the machine and on what else runs on it: compare runs on the same machine.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"
SERVE_PRODUCTION = ROOT / "scripts" / "serve-production"
PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=test connect_timeout=3"
FORM = "/widgets/feedback-form"
BANNER = "/widgets/helpline-banner"
SUMMARY = "/widgets/substance-summary/kratom"
SPANISH = "es-MX,es;q=0.9"
TARGET_RATIO = 0.8


@dataclass
class Settings:
    workers: int
    wrk_threads: int
    wrk_connections: int
    duration: int
    write_clients: int
    writes_per_client: int
    startup_runs: int
    # Widget and bare endpoint run in turn this many times; the medians are
    # reported, so one stall of the shared machine does not decide a ratio.
    rounds: int


FULL = Settings(4, 2, 16, 5, 32, 10, 5, 3)
QUICK = Settings(4, 2, 16, 3, 32, 3, 3, 1)


def say(text: str = "") -> None:
    print(text, flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_until_up(url: str, process: subprocess.Popen, what: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                sys.exit(f"benchmark: {what} did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.05)


# --- tools -----------------------------------------------------------------


def ensure_wrk() -> str:
    """wrk from Debian's package, installed with apt-get when missing."""
    found = shutil.which("wrk")
    if found:
        return found
    say("benchmark: installing wrk with apt-get")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        [*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", "wrk"],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    found = shutil.which("wrk")
    if not found:
        sys.exit("benchmark: wrk is still missing after apt-get")
    return found


def nginx_path() -> str | None:
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    return found if os.access(found, os.X_OK) else None


def postgres_missing() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN):
            return None
    except Exception as error:  # noqa: BLE001 (any failure means: not here)
        return f"no PostgreSQL at 127.0.0.1:5432 ({error.__class__.__name__})"


# --- the production server -------------------------------------------------


class Gunicorn:
    """scripts/serve-production with the benchmark app (service + bare endpoint)."""

    def __init__(self, folder: Path, workers: int, env: dict[str, str]) -> None:
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.log = folder / f"gunicorn-{self.port}.log"
        environment = {k: v for k, v in os.environ.items() if not k.startswith("WIDGET_")}
        environment.update(
            BIND=f"127.0.0.1:{self.port}",
            WEB_CONCURRENCY=str(workers),
            WIDGET_RATE_LIMIT="off",
            WIDGET_SECRET_KEY=secrets.token_hex(32),
            **env,
        )
        started = time.perf_counter()
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [
                    str(SERVE_PRODUCTION),
                    "--pythonpath",
                    str(ROOT / "scripts"),
                    "benchmark_app:create_bench_app()",
                ],
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        wait_until_up(f"{self.origin}/healthz", self.process, "gunicorn", self.log)
        self.ready_after = time.perf_counter() - started

    def workers(self) -> list[int]:
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    found.append(int(entry.name))
        return sorted(found)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def memory_kib(pid: int) -> tuple[int, int]:
    """Resident (RSS) and proportional (PSS: shared pages split between sharers) KiB."""
    rss = pss = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1])
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


# --- wrk -------------------------------------------------------------------


@dataclass
class Load:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    bad: int  # answers that were not 2xx/3xx, and socket errors


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * _UNITS[unit]


def run_wrk(wrk: str, settings: Settings, url: str, headers: dict[str, str]) -> Load:
    command = [
        wrk,
        f"-t{settings.wrk_threads}",
        f"-c{settings.wrk_connections}",
        f"-d{settings.duration}s",
        "--timeout",
        "10s",
        "--latency",
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", output).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", output).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    bad = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if errors:
        bad += sum(int(n) for n in errors.groups())
    return Load(rps, p50, p99, requests, bad)


def _median_load(loads: list[Load]) -> Load:
    """The run with the median throughput (its latencies belong to it)."""
    return sorted(loads, key=lambda load: load.rps)[len(loads) // 2]


def print_pair(label: str, measured: list[Load], bare: list[Load], size: int) -> None:
    ratios = sorted(m.rps / b.rps if b.rps else 0.0 for m, b in zip(measured, bare, strict=True))
    ratio = ratios[len(ratios) // 2]
    verdict = "meets" if ratio >= TARGET_RATIO else "below"
    widget, plain = _median_load(measured), _median_load(bare)
    say(
        f"  {label:<34} {widget.rps:>9.0f} req/s  p50 {widget.p50_ms:>7.2f} ms  "
        f"p99 {widget.p99_ms:>7.2f} ms"
    )
    say(
        f"  {'bare endpoint, ' + str(size) + ' bytes':<34} {plain.rps:>9.0f} req/s  "
        f"p50 {plain.p50_ms:>7.2f} ms  p99 {plain.p99_ms:>7.2f} ms"
    )
    each = ", ".join(f"{r:.2f}" for r in ratios)
    say(
        f"  ratio {ratio:.2f}, median of {len(ratios)} paired runs ({each}): "
        f"{verdict} the {TARGET_RATIO} target"
    )
    for name, loads in ((label, measured), ("bare endpoint", bare)):
        for load in loads:
            if load.bad:
                say(f"  warning: {load.bad} of {load.requests} answers to {name} failed")


def compare(
    wrk: str, settings: Settings, server: Gunicorn, label: str, path: str, headers: dict[str, str]
) -> tuple[Load, int]:
    status, _, body = fetch(server.origin + path, headers)
    if status not in (200, 304):
        sys.exit(f"benchmark: {path} answered {status}")
    size = len(body)
    bare_url = f"{server.origin}/bench/constant/{size}"
    # Warm every worker first (templates compiled, caches filled), for both.
    warm = replace(settings, duration=max(1, settings.duration // 5))
    run_wrk(wrk, warm, server.origin + path, headers)
    run_wrk(wrk, warm, bare_url, {})
    measured, bare = [], []
    for _ in range(settings.rounds):
        measured.append(run_wrk(wrk, settings, server.origin + path, headers))
        bare.append(run_wrk(wrk, settings, bare_url, {}))
    print_pair(label, measured, bare, size)
    return _median_load(measured), size


# --- steps -----------------------------------------------------------------


def step_reads(wrk: str, settings: Settings, server: Gunicorn) -> None:
    say("Widgets beside a bare endpoint of the same size (same app, same hooks)")
    fragment_headers = {"HX-Request": "true", "Accept-Language": SPANISH}
    status, headers, _ = fetch(server.origin + BANNER, fragment_headers)
    assert status == 200 and headers.get("Content-Language") == "es", headers
    compare(wrk, settings, server, "helpline banner fragment (es)", BANNER, fragment_headers)
    compare(wrk, settings, server, "kratom summary page (en)", SUMMARY, {})

    etag = headers.get("ETag")
    if not etag:
        say("  304 revalidation: skipped, the server sends no ETag on the banner")
        return
    conditional = {**fragment_headers, "If-None-Match": etag}
    status, _, _ = fetch(server.origin + BANNER, conditional)
    if status != 304:
        say(f"  304 revalidation: skipped, If-None-Match with its ETag answered {status}")
        return
    compare(wrk, settings, server, "banner revalidation (304)", BANNER, conditional)


def step_static_export(wrk: str, settings: Settings, server: Gunicorn, folder: Path) -> None:
    say("Static export served by nginx beside the same fragment from the service")
    flask = str(VENV_BIN / "flask")
    probe = subprocess.run(
        [flask, "--app", "widget", "export", "--help"], capture_output=True, text=True, cwd=ROOT
    )
    if probe.returncode != 0:
        say("  skipped: `flask --app widget export` does not exist in this version")
        return
    nginx = nginx_path()
    if nginx is None:
        say("  skipped: no nginx (scripts/setup --test installs it)")
        return
    export = folder / "export"
    env = {**os.environ, "WIDGET_SECRET_KEY": "bench", "WIDGET_RATE_LIMIT": "off"}
    env["WIDGET_DATABASE_URL"] = f"sqlite:///{folder / 'export.sqlite3'}"
    done = subprocess.run(
        [flask, "--app", "widget", "export", str(export)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )
    if done.returncode != 0:
        say(f"  skipped: the export failed: {done.stderr.strip()[-500:]}")
        return
    compare_static(wrk, settings, server, folder, export, nginx)


def compare_static(
    wrk: str, settings: Settings, server: Gunicorn, folder: Path, export: Path, nginx: str
) -> None:
    """nginx serving the exported Spanish banner fragment, then the service serving it."""
    chosen = _exported_spanish_banner_fragment(export)
    if chosen is None:
        say("  skipped: no Spanish helpline banner fragment found in the export")
        return
    port = free_port()
    conf = _static_nginx_conf(folder, export, port)
    log = folder / "nginx-static.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [nginx, "-p", str(folder), "-c", str(conf), "-e", str(folder / "nginx-error.log")],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        path = "/" + urllib.parse.quote(str(chosen.relative_to(export)))
        origin = f"http://127.0.0.1:{port}"
        wait_until_up(origin + path, process, "nginx", log)
        size = chosen.stat().st_size
        say(f"  exported file: {chosen.relative_to(export)} ({size} bytes)")
        static = run_wrk(wrk, settings, origin + path, {})
        live = run_wrk(
            wrk,
            settings,
            server.origin + BANNER,
            {"HX-Request": "true", "Accept-Language": SPANISH},
        )
        for label, load in (("nginx, static file", static), ("service, same fragment", live)):
            say(
                f"  {label:<34} {load.rps:>9.0f} req/s  p50 {load.p50_ms:>7.2f} ms  "
                f"p99 {load.p99_ms:>7.2f} ms"
            )
        say(f"  static / service: {static.rps / live.rps:.1f}x")
    finally:
        process.send_signal(signal.SIGQUIT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def _exported_spanish_banner_fragment(export: Path) -> Path | None:
    candidates = []
    for path in sorted(export.rglob("*")):
        if not path.is_file() or path.stat().st_size > 1_000_000:
            continue
        text = path.read_text(errors="replace")
        if 'data-widget="helpline-banner"' in text and 'lang="es"' in text and "<html" not in text:
            candidates.append(path)
    # The plainest one: the default variant has the shortest address.
    return min(candidates, key=lambda p: (len(str(p)), str(p))) if candidates else None


def _static_nginx_conf(folder: Path, root: Path, port: int) -> Path:
    user = "user root;\n" if os.geteuid() == 0 else ""
    for name in ("client_body", "proxy"):
        (folder / name).mkdir(exist_ok=True)
    conf = folder / "nginx-static.conf"
    conf.write_text(
        f"""{user}daemon off;
worker_processes 1;
pid {folder / "nginx-static.pid"};
error_log {folder / "nginx-error.log"} warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {folder / "client_body"};
    proxy_temp_path {folder / "proxy"};
    default_type text/html;
    server {{
        listen 127.0.0.1:{port};
        root {root};
    }}
}}
"""
    )
    return conf


def _one_writer(origin: str, count: int, index: int, statuses: list[int]) -> None:
    host, port = origin.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    try:
        for n in range(count):
            connection.request("GET", FORM)
            html = connection.getresponse().read().decode()
            fields = dict(re.findall(r'name="(token|uid|page)" value="([^"]*)"', html))
            fields.update(helpful="yes" if n % 2 else "no", comment=f"bench {index}-{n}")
            body = urllib.parse.urlencode(fields)
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            connection.request("POST", FORM, body, headers)
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
    finally:
        connection.close()


def feedback_writes(settings: Settings, server: Gunicorn) -> tuple[int, int, float]:
    """Clients each fetch a form and post it, in a loop; (accepted, sent, seconds)."""
    statuses: list[int] = []
    threads = [
        threading.Thread(
            target=_one_writer, args=(server.origin, settings.writes_per_client, i, statuses)
        )
        for i in range(settings.write_clients)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return statuses.count(303), len(statuses), elapsed


def step_writes_sqlite(settings: Settings, server: Gunicorn, database: Path) -> None:
    import sqlite3

    accepted, sent, elapsed = feedback_writes(settings, server)
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT count(*) FROM feedback").fetchone()[0]
    report_writes("SQLite (WAL)", settings, accepted, sent, elapsed, rows)


def step_writes_postgres(settings: Settings, folder: Path) -> None:
    missing = postgres_missing()
    if missing:
        say(f"  PostgreSQL: skipped, {missing}")
        return
    import psycopg

    name = f"care_widgets_bench_{secrets.token_hex(5)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    server = None
    try:
        url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        server = Gunicorn(folder, settings.workers, {"WIDGET_DATABASE_URL": url})
        accepted, sent, elapsed = feedback_writes(settings, server)
        with psycopg.connect(f"host=127.0.0.1 port=5432 user=postgres dbname={name}") as db:
            rows = db.execute("SELECT count(*) FROM feedback").fetchone()[0]
        report_writes("PostgreSQL", settings, accepted, sent, elapsed, rows)
    finally:
        if server is not None:
            server.stop()
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def report_writes(
    label: str, settings: Settings, accepted: int, sent: int, elapsed: float, rows: int
) -> None:
    check = "rows == accepted" if rows == accepted else f"MISMATCH: {rows} rows"
    say(
        f"  {label:<13} {accepted / elapsed:>7.1f} submissions/s  "
        f"({accepted} of {sent} accepted in {elapsed:.1f} s by {settings.write_clients} "
        f"clients; {rows} rows, {check})"
    )


_STARTUP = """
import sys, time
started = time.perf_counter()
import widget
imported = time.perf_counter()
app = widget.create_app({"SECRET_KEY": "x", "DATABASE_URL": sys.argv[1]})
built = time.perf_counter()
print(imported - started, built - imported)
"""


def step_startup(settings: Settings, folder: Path) -> None:
    imports, factories = [], []
    for _ in range(settings.startup_runs):
        done = subprocess.run(
            [str(VENV_BIN / "python"), "-c", _STARTUP, f"sqlite:///{folder / 'startup.sqlite3'}"],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        first, second = (float(x) for x in done.stdout.split())
        imports.append(first)
        factories.append(second)
    say(
        f"  median of {settings.startup_runs} fresh processes: import widget "
        f"{statistics.median(imports) * 1000:.0f} ms, create_app() "
        f"{statistics.median(factories) * 1000:.0f} ms"
    )


def step_memory(server: Gunicorn) -> None:
    master = memory_kib(server.process.pid)
    say(f"  master            RSS {master[0] / 1024:6.1f} MiB  PSS {master[1] / 1024:6.1f} MiB")
    for pid in server.workers():
        rss, pss = memory_kib(pid)
        say(f"  worker {pid:<10} RSS {rss / 1024:6.1f} MiB  PSS {pss / 1024:6.1f} MiB")
    say("  (PSS splits the pages a worker shares with the master and the other workers)")


def step_layout_shift() -> None:
    """The worst CLS of any widget on a partner page (scripts/benchmark_cls.py), in Chromium."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from benchmark_cls import worst_layout_shift

    worst_layout_shift(say)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short runs (about a minute)")
    args = parser.parse_args()
    settings = QUICK if args.quick else FULL
    wrk = ensure_wrk()
    load1, load5, _ = os.getloadavg()
    say(
        f"benchmark: {os.cpu_count()} CPUs, load average {load1:.2f} / {load5:.2f} "
        f"(other work on the machine lowers every figure)"
    )
    say(
        f"gunicorn: {settings.workers} workers x "
        f"{os.environ.get('GUNICORN_THREADS', '2')} threads (gthread), preloaded, "
        f"request log on, rate limits off, SQLite in a temporary folder"
    )
    say(
        f"wrk: {settings.wrk_threads} threads, {settings.wrk_connections} connections, "
        f"{settings.duration} s per run, on the same machine"
    )
    say()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="care-widgets-bench-") as tmp:
        folder = Path(tmp)
        database = folder / "bench.sqlite3"
        server = Gunicorn(
            folder, settings.workers, {"WIDGET_DATABASE_URL": f"sqlite:///{database}"}
        )
        try:
            say(f"(gunicorn answered its first /healthz {server.ready_after:.2f} s after start)")
            say()
            step_reads(wrk, settings, server)
            say()
            step_static_export(wrk, settings, server, folder)
            say()
            say("Memory after the read runs")
            step_memory(server)
            say()
            say(
                f"Feedback writes: {settings.write_clients} clients x "
                f"{settings.writes_per_client} (GET the form, POST it)"
            )
            step_writes_sqlite(settings, server, database)
        finally:
            server.stop()
        step_writes_postgres(settings, folder)
        say()
        say("Start-up")
        step_startup(settings, folder)
    say()
    step_layout_shift()
    say()
    say(f"benchmark: done in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()

"""Measure the production server on this machine and print the figures (not a test).

Run through scripts/benchmark (see --help). Everything listens on 127.0.0.1 at
free ports; every server started here is stopped at the end. Figures depend on
the machine and on what else runs on it: compare runs on the same machine.
"""

from __future__ import annotations

import argparse
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
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, replace
from json import loads as json_loads
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
# Feedback submissions per second the service should take with p99 under 100 ms.
WRITE_GOAL = 600
CORPUS = ROOT / "tests" / "data" / "accept_language_corpus.txt"


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


FULL = Settings(4, 2, 16, 5, 32, 50, 5, 3)
QUICK = Settings(4, 2, 16, 2, 32, 8, 3, 3)


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


# --- servers ---------------------------------------------------------------


class Server:
    """The service (or the bare app) under granian (scripts/serve_production.py) or gunicorn.

    `code` puts another checkout's `widget` package first on the path (to
    measure an older version); gunicorn reads that checkout's gunicorn.conf.py.
    """

    def __init__(
        self,
        folder: Path,
        kind: str,
        workers: int,
        env: dict[str, str],
        target: str | None = None,
        code: Path = ROOT,
    ) -> None:
        self.kind = kind
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.log = folder / f"{kind}-{self.port}.log"
        environment = {k: v for k, v in os.environ.items() if not k.startswith("WIDGET_")}
        environment.update(
            BIND=f"127.0.0.1:{self.port}",
            WEB_CONCURRENCY=str(workers),
            WIDGET_RATE_LIMIT="off",
            WIDGET_SECRET_KEY=secrets.token_hex(32),
            PYTHONPATH=os.pathsep.join([str(code), str(ROOT / "scripts")]),
        )
        environment.update(env)
        if kind == "granian":
            # Without a target, each server starts what it starts in production
            # (the warmed app), or plain create_app for a checkout older than that.
            if target is None and not (code / "widget" / "warmup.py").exists():
                target = "widget:create_app"
            command = [
                str(VENV_BIN / "python"),
                str(ROOT / "scripts" / "serve_production.py"),
                *([target] if target else []),
            ]
        else:
            config = str(code / "gunicorn.conf.py")
            command = [str(VENV_BIN / "gunicorn"), "--config", config]
            command += [target + "()"] if target else []
        started = time.perf_counter()
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                command,
                env=environment,
                cwd=code,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        wait_until_up(f"{self.origin}/healthz", self.process, kind, self.log)
        self.ready_after = time.perf_counter() - started

    def all_pids(self) -> list[int]:
        """The server's process and its workers."""
        return [self.process.pid, *self.workers()]

    def workers(self) -> list[int]:
        """Process ids of the workers (children of the server's process)."""
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
        """SIGTERM (graceful), then SIGKILL of the group if it lingers."""
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
    cpu_us: float = 0.0  # CPU time the server's processes spent per request


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time of these processes so far (Linux /proc)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def children_of(pid: int) -> list[int]:
    """Process ids whose parent is pid."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * _UNITS[unit]


def run_wrk(
    wrk: str,
    settings: Settings,
    url: str,
    headers: dict[str, str],
    script: list[str] = (),
    pids: list[int] = (),
) -> Load:
    """One wrk run; `script` is a Lua file and its arguments (a header per request).

    With `pids`, the CPU time those server processes spent is measured too:
    on a shared machine, CPU time per request is steadier than requests per
    second, which other work lowers at random.
    """
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
    if script:
        command += ["-s", script[0], url, "--", *script[1:]]
    else:
        command.append(url)
    cpu_before = cpu_seconds(list(pids))
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    cpu = cpu_seconds(list(pids)) - cpu_before
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
    return Load(rps, p50, p99, requests, bad, cpu * 1e6 / max(requests, 1))


def _median_load(loads: list[Load]) -> Load:
    """The run with the median throughput (its latencies belong to it)."""
    return sorted(loads, key=lambda load: load.rps)[len(loads) // 2]


def alternate(settings: Settings, first: Callable[[], Load], second: Callable[[], Load]):
    """Warm both, then run them in turn `rounds` times: (first's loads, second's loads)."""
    warm = replace(settings, duration=1)
    for run in (first, second):
        run_with(warm, run)
    ones, twos = [], []
    for _ in range(settings.rounds):
        ones.append(first())
        twos.append(second())
    return ones, twos


def run_with(settings: Settings, run: Callable[..., Load]) -> None:
    try:
        run(settings)
    except TypeError:
        run()


def print_pair(
    label: str, measured: list[Load], other_label: str, other: list[Load]
) -> tuple[float, float | None]:
    """Both medians and the median of the paired ratios measured/other."""
    ratios = sorted(m.rps / b.rps if b.rps else 0.0 for m, b in zip(measured, other, strict=True))
    ratio = ratios[len(ratios) // 2]
    for name, loads in ((label, measured), (other_label, other)):
        load = _median_load(loads)
        cpu = (
            f"  {statistics.median(o.cpu_us for o in loads):>6.0f} us CPU/req"
            if load.cpu_us
            else ""
        )
        say(
            f"  {name:<44} {load.rps:>9.0f} req/s  p50 {load.p50_ms:>7.2f} ms  "
            f"p99 {load.p99_ms:>7.2f} ms{cpu}"
        )
        for one in loads:
            if one.bad:
                say(f"  warning: {one.bad} of {one.requests} answers to {name} failed")
    each = ", ".join(f"{r:.2f}" for r in ratios)
    say(f"  throughput ratio {ratio:.2f}, median of {len(ratios)} alternating rounds ({each})")
    if all(load.cpu_us for load in (*measured, *other)):
        # Requests per CPU second: what each would serve with the machine to itself.
        per_cpu = sorted(b.cpu_us / m.cpu_us for m, b in zip(measured, other, strict=True))
        each = ", ".join(f"{r:.2f}" for r in per_cpu)
        say(f"  CPU-time ratio {per_cpu[len(per_cpu) // 2]:.2f} (requests per CPU second; {each})")
        return ratio, per_cpu[len(per_cpu) // 2]
    return ratio, None


def verdict(ratios: tuple[float, float | None], target: float) -> None:
    """Whether each ratio reaches the target."""
    throughput, cpu = ratios
    words = [f"throughput {'meets' if throughput >= target else 'below'}"]
    if cpu is not None:
        words.append(f"CPU time {'meets' if cpu >= target else 'below'}")
    say(f"  {', '.join(words)} the {target} target")


# --- the hit path against a separate bare Flask app --------------------------


def step_bare_flask(wrk: str, settings: Settings, service: Server, folder: Path, args) -> None:
    """Cached widget answers beside a minimal Flask app returning the same bytes."""
    say(f"Cached widgets beside a separate bare Flask app, same bytes, same {args.server} settings")
    fragment = {"HX-Request": "true", "Accept-Language": SPANISH}
    cases = [
        ("banner", "helpline banner fragment (es)", BANNER, fragment),
        ("summary", "kratom summary page (en)", SUMMARY, {}),
    ]
    bodies = folder / "bare"
    bodies.mkdir(exist_ok=True)
    for name, _, path, headers in cases:
        status, _, body = fetch(service.origin + path, headers)
        if status != 200:
            sys.exit(f"benchmark: {path} answered {status}")
        (bodies / name).write_bytes(body)
    bare = Server(
        folder,
        args.server,
        settings.workers,
        {"BENCH_BARE_DIR": str(bodies)},
        target="benchmark_bare:create_bare_app",
    )
    try:
        for name, label, path, headers in cases:
            size = (bodies / name).stat().st_size
            ours, theirs = alternate(
                settings,
                lambda s=settings, p=path, h=headers: run_wrk(
                    wrk, s, service.origin + p, h, pids=service.all_pids()
                ),
                lambda s=settings, n=name: run_wrk(
                    wrk, s, f"{bare.origin}/bare/{n}", {}, pids=bare.all_pids()
                ),
            )
            verdict(print_pair(label, ours, f"bare Flask app, same {size} bytes", theirs), 1.0)
    finally:
        bare.stop()


# --- the edge: nginx's cache over real-world headers ---------------------------

_CORPUS_SCRIPT = """
local headers, count, index = {}, 0, 0
function init(args)
  for line in io.lines(args[1]) do
    if line:match("%S") and not line:match("^#") then
      count = count + 1
      headers[count] = line
    end
  end
  -- Each wrk thread starts at another place in the corpus.
  index = math.random(count)
end
function request()
  index = index % count + 1
  return wrk.format("GET", nil, {["Accept-Language"] = headers[index], ["HX-Request"] = "true"})
end
"""


def _edge_nginx_conf(folder: Path, code: Path, upstream: str, ports: tuple[int, int]) -> Path:
    """The shipped file in front of the service, and a static server of the same bytes."""
    cache_port, static_port = ports
    site = (
        (code / "deploy" / "nginx" / "care-widgets.conf")
        .read_text()
        .replace("__LISTEN__", f"127.0.0.1:{cache_port}")
        .replace("__UPSTREAM_SERVERS__", f"server {upstream};")
        .replace("__CACHE_DIR__", str(folder / "cache"))
    )
    (folder / "site.conf").write_text(site)
    for name in ("client_body", "proxy"):
        (folder / name).mkdir(exist_ok=True)
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = folder / "nginx.conf"
    conf.write_text(
        f"""{user}daemon off;
worker_processes 1;
# Compiled regexes for the shipped maps (deploy/README.md recommends it).
pcre_jit on;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{ worker_connections 1024; }}
http {{
    log_format cache "$server_port $upstream_cache_status";
    access_log {folder / "access.log"} cache buffer=256k;
    client_body_temp_path {folder / "client_body"};
    proxy_temp_path {folder / "proxy"};
    default_type text/html;
    include {folder / "site.conf"};
    server {{
        listen 127.0.0.1:{static_port};
        root {folder / "static"};
    }}
}}
"""
    )
    return conf


def step_edge(wrk: str, settings: Settings, service: Server, folder: Path, args) -> None:
    """nginx serving the banner from its cache (corpus headers) beside nginx serving a file."""
    say("The edge: nginx's cache in front of the service, Accept-Language from the corpus")
    nginx = nginx_path()
    if nginx is None:
        say("  skipped: no nginx (scripts/setup --test installs it)")
        return
    edge = folder / "edge"
    (edge / "static").mkdir(parents=True)
    status, _, body = fetch(
        service.origin + BANNER, {"HX-Request": "true", "Accept-Language": SPANISH}
    )
    (edge / "static" / "banner.html").write_bytes(body)
    script = edge / "corpus.lua"
    script.write_text(_CORPUS_SCRIPT)
    ports = (free_port(), free_port())
    conf = _edge_nginx_conf(edge, args.code, service.origin.removeprefix("http://"), ports)
    command = [nginx, "-p", str(edge), "-c", str(conf), "-e", str(edge / "error.log")]
    log = edge / "nginx.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    try:
        cache_url = f"http://127.0.0.1:{ports[0]}{BANNER}"
        static_url = f"http://127.0.0.1:{ports[1]}/banner.html"
        wait_until_up(static_url, process, "nginx", log)
        lua = [str(script), str(CORPUS)]
        # One worker serves both: its CPU time per request is compared.
        nginx_pids = [process.pid, *children_of(process.pid)]
        cached, static = alternate(
            settings,
            lambda s=settings: run_wrk(wrk, s, cache_url, {}, lua, nginx_pids),
            lambda s=settings: run_wrk(wrk, s, static_url, {}, lua, nginx_pids),
        )
        ratios = print_pair(
            "banner through nginx's cache", cached, "nginx, the same bytes as a file", static
        )
        verdict(ratios, TARGET_RATIO)
    finally:
        process.send_signal(signal.SIGQUIT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
    statuses = [
        line.split()[1]
        for line in (edge / "access.log").read_text().splitlines()
        if line.startswith(f"{ports[0]} ")
    ]
    hits = statuses.count("HIT")
    say(
        f"  cache hit ratio over {len(statuses):,} requests from {corpus_size():,} distinct "
        f"headers: {hits / max(len(statuses), 1):.4f} ({len(statuses) - hits} not hits)"
    )


def corpus_size() -> int:
    lines = CORPUS.read_text().splitlines()
    return sum(1 for line in lines if line.strip() and not line.startswith("#"))


# --- servers side by side ----------------------------------------------------


def slow_clients(server: Server, count: int, seconds: float) -> tuple[float, int]:
    """`count` slowloris connections for `seconds`; the slowest normal answer and failures."""
    head = f"GET {BANNER} HTTP/1.1\r\nHost: 127.0.0.1\r\n".encode()
    clients = []
    for _ in range(count):
        client = socket.create_connection(("127.0.0.1", server.port), timeout=5)
        client.sendall(head)
        clients.append(client)
    slowest, failed = 0.0, 0
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            started = time.monotonic()
            try:
                request = urllib.request.Request(
                    server.origin + BANNER, headers={"HX-Request": "true"}
                )
                with urllib.request.urlopen(request, timeout=5) as response:
                    response.read()
            except OSError:
                failed += 1
            slowest = max(slowest, time.monotonic() - started)
            for client in clients:
                try:
                    client.sendall(b"X-Slow: a\r\n")
                except OSError:
                    pass
            time.sleep(0.3)
    finally:
        for client in clients:
            client.close()
    return slowest, failed


def graceful_stop(server: Server, in_flight: int, database: Path) -> tuple[int, int, int]:
    """Posts in flight at SIGTERM: (sent, answered 303, rows stored)."""
    fields = []
    for _ in range(in_flight):
        _, _, html = fetch(server.origin + FORM)
        found = dict(re.findall(r'name="(token|uid|page)" value="([^"]*)"', html.decode()))
        fields.append(
            urllib.parse.urlencode({**found, "helpful": "yes", "comment": "stop"}).encode()
        )
    clients = []
    for body in fields:
        client = socket.create_connection(("127.0.0.1", server.port), timeout=30)
        client.sendall(
            f"POST {FORM} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body[:10]
        )
        clients.append((client, body))
    time.sleep(0.5)
    server.process.send_signal(signal.SIGTERM)
    time.sleep(0.5)
    answered = 0
    for client, body in clients:
        try:
            client.sendall(body[10:])
            if client.recv(64).split(b" ")[1:2] == [b"303"]:
                answered += 1
        except OSError:
            pass
        finally:
            client.close()
    server.process.wait(timeout=60)
    import sqlite3

    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT count(*) FROM feedback WHERE comment = 'stop'"
        ).fetchone()[0]
    return in_flight, answered, rows


def step_servers(wrk: str, settings: Settings, folder: Path, args) -> None:
    """gunicorn (gthread) and granian (WSGI) on the same service and settings."""
    say(f"Servers: gunicorn (gthread, 2 threads), granian (WSGI), {settings.workers} workers each")
    servers = {}
    for kind in ("gunicorn", "granian"):
        database = folder / f"{kind}.sqlite3"
        servers[kind] = (
            Server(
                folder,
                kind,
                settings.workers,
                {"WIDGET_DATABASE_URL": f"sqlite:///{database}"},
                code=args.code,
            ),
            database,
        )
    try:
        headers = {"HX-Request": "true", "Accept-Language": SPANISH}
        gunicorn, granian = servers["gunicorn"][0], servers["granian"][0]
        theirs, ours = alternate(
            settings,
            lambda s=settings: run_wrk(
                wrk, s, gunicorn.origin + BANNER, headers, pids=gunicorn.all_pids()
            ),
            lambda s=settings: run_wrk(
                wrk, s, granian.origin + BANNER, headers, pids=granian.all_pids()
            ),
        )
        print_pair("granian, banner fragment (es)", ours, "gunicorn, same", theirs)
        for kind, (server, _) in servers.items():
            sizes = [memory_kib(pid) for pid in server.workers()]
            rss = statistics.median(size[0] for size in sizes) / 1024 if sizes else 0
            pss = statistics.median(size[1] for size in sizes) / 1024 if sizes else 0
            slowest, failed = slow_clients(server, 50, 3.0 if settings is QUICK else 5.0)
            say(
                f"  {kind:<9} workers: {len(sizes)}, median RSS {rss:.0f} MiB, PSS {pss:.0f} MiB; "
                f"with 50 slowloris connections a visitor waited at most {slowest:.2f} s"
                + (f" ({failed} requests failed after 5 s)" if failed else "")
            )
        for kind, (server, database) in servers.items():
            sent, answered, rows = graceful_stop(server, 16, database)
            say(
                f"  {kind:<9} SIGTERM with {sent} posts in flight: {answered} answered 303, "
                f"{rows} rows stored, {sent - answered} lost"
            )
    finally:
        for server, _ in servers.values():
            server.stop()


# --- writes ------------------------------------------------------------------


@dataclass
class Writes:
    """One run of the writes load generator against one server."""

    accepted: int
    sent: int
    elapsed: float
    p99_ms: float
    rows: int
    server_cpu_ms: float  # per accepted submission (form and post)
    client_cpu_ms: float  # the load generator's own, per submission
    database_cpu_ms: float  # PostgreSQL's backends, per accepted submission
    warmup: int  # posts accepted (and stored) before the measured ones
    load1: float  # the machine's load average when the run ended
    pace: float = 0.0  # submissions a second offered; 0: as fast as answered

    @property
    def rate(self) -> float:
        return self.accepted / self.elapsed if self.elapsed else 0.0


def _writer(server: Server, clients: int, count: int, pace: float = 0.0) -> dict:
    done = subprocess.run(
        [
            str(VENV_BIN / "python"),
            str(ROOT / "scripts" / "benchmark_writer.py"),
            server.origin,
            str(clients),
            str(count),
            *([str(pace)] if pace else []),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json_loads(done.stdout)


def feedback_writes(
    settings: Settings, server: Server, backends: Callable[[], list[int]] = list, pace: float = 0
) -> tuple:
    """Clients each fetch a form and post it, in a loop (scripts/benchmark_writer.py).

    As fast as the server answers, or with `pace` submissions a second offered
    on a fixed schedule (waits then count from when a request was due).

    Every client first sends one submission unmeasured: a worker's first
    requests load templates, catalogues and phone metadata (0.6-0.9 s of
    CPU for the first 32 submissions, once per server start), which a
    running production server has long paid. Returns accepted, sent,
    seconds, p99 ms, the server's and the load generator's CPU ms per
    submission (form and post), the database backends' CPU ms per accepted
    submission (of `backends()`) and how many warm-up posts were accepted.
    """
    warm = _writer(server, settings.write_clients, 1)["statuses"].count(303)
    pids = server.all_pids()
    cpu_before = cpu_seconds(pids)
    database_before = cpu_seconds(backends())
    result = _writer(server, settings.write_clients, settings.writes_per_client, pace)
    cpu = cpu_seconds(pids) - cpu_before
    database = cpu_seconds(backends()) - database_before
    waits, statuses = result["waits"], result["statuses"]
    p99 = statistics.quantiles(waits, n=100)[98] * 1000 if len(waits) > 1 else 0.0
    accepted = statuses.count(303)
    return (
        accepted,
        len(statuses),
        result["elapsed"],
        p99,
        cpu * 1000 / max(accepted, 1),
        result["client_cpu"] * 1000 / max(len(statuses), 1),
        database * 1000 / max(accepted, 1),
        warm,
    )


def _writes_env(folder: Path, url: str) -> dict[str, str]:
    """As in production: the rate limit on (per host file), one proxy in front."""
    return {
        "WIDGET_DATABASE_URL": url,
        "WIDGET_RATE_LIMIT": "20/minute",
        "WIDGET_PROXY_COUNT": "1",
        "WIDGET_RATE_LIMIT_HOST_FILE": str(folder / f"limits-{secrets.token_hex(4)}.sqlite3"),
    }


def _write_run(
    settings: Settings, folder: Path, args, code: Path, database: str, pace: float = 0.0
) -> Writes:
    """A fresh database and server for one run; the rows it holds afterwards are counted."""
    if database == "sqlite":
        path = folder / f"writes-{secrets.token_hex(4)}.sqlite3"
        server = Server(
            folder, args.server, settings.workers, _writes_env(folder, f"sqlite:///{path}"),
            code=code,
        )  # fmt: skip
        try:
            measured = feedback_writes(settings, server, pace=pace)
        finally:
            server.stop()
        import sqlite3

        with sqlite3.connect(path) as connection:
            rows = connection.execute("SELECT count(*) FROM feedback").fetchone()[0]
        return Writes(*measured[:4], rows, *measured[4:], os.getloadavg()[0], pace)
    import psycopg

    name = f"care_widgets_bench_{secrets.token_hex(5)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        server = Server(folder, args.server, settings.workers, _writes_env(folder, url), code=code)

        def backends() -> list[int]:
            # The service's connections, open in its pools (PIDs of their backends).
            with psycopg.connect(PG_ADMIN) as admin:
                found = admin.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = %s", (name,)
                ).fetchall()
            return [pid for (pid,) in found]

        try:
            measured = feedback_writes(settings, server, backends, pace)
        finally:
            server.stop()
        with psycopg.connect(f"host=127.0.0.1 port=5432 user=postgres dbname={name}") as db:
            rows = db.execute("SELECT count(*) FROM feedback").fetchone()[0]
        return Writes(*measured[:4], rows, *measured[4:], os.getloadavg()[0], pace)
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def in_process_submission_ms() -> float:
    """CPU ms per submission of this checkout in one process, without a server.

    The same work every time (scripts/benchmark_profile_feedback.py, SQLite):
    what it costs tells how fast the shared machine is at that moment, which
    moved the writes' figures by a third between hours of one day.
    """
    done = subprocess.run(
        [str(VENV_BIN / "python"), str(ROOT / "scripts" / "benchmark_profile_feedback.py"),
         "--count", "500"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return float(re.search(r"CPU per submission ([\d.]+) ms", done.stdout).group(1))


def step_writes(settings: Settings, folder: Path, args) -> None:
    """Feedback writes on SQLite and PostgreSQL, alternating (and the baseline's, if named)."""
    # The production default (scripts/serve_production.py: one worker per
    # CPU) beside the workers of the other sections.
    default = min(os.cpu_count() or 1, 8)
    workers = sorted({settings.workers, default}, reverse=True)
    # As fast as answered (throughput), then the goal's rate offered on a
    # schedule with the production default of workers (p99 at that rate).
    codes = [(f"{count} workers", args.code, count, 0) for count in workers]
    codes.append((f"{default} workers, {WRITE_GOAL}/s offered", args.code, default, WRITE_GOAL))
    if args.baseline:
        codes = (
            [(f"before, {settings.workers} workers", args.baseline, settings.workers, 0)]
            + [(f"after, {label}", code, count, pace) for label, code, count, pace in codes[:-1]]
            + [(f"before, {default} workers, {WRITE_GOAL}/s offered", args.baseline, default,
                WRITE_GOAL)]
            + [(f"after, {codes[-1][0]}", *codes[-1][1:])]
        )  # fmt: skip
    databases = ["sqlite"]
    missing = postgres_missing()
    if missing:
        say(f"  PostgreSQL: skipped, {missing}")
    else:
        databases.append("postgresql")
    say(
        f"Feedback writes: {settings.write_clients} clients x {settings.writes_per_client} "
        f"(GET the form, POST it with a comment to redact; rate limit on, one address per "
        f"submission), {args.server}, {settings.rounds} alternating rounds, medians"
    )
    speed = [in_process_submission_ms()]
    runs: dict[tuple[str, str], list[Writes]] = {}
    for _ in range(settings.rounds):
        for database in databases:
            for label, code, count, pace in codes:
                run = _write_run(
                    replace(settings, workers=count), folder, args, code, database, pace
                )
                runs.setdefault((database, label), []).append(run)
    speed.append(in_process_submission_ms())
    say(
        f"  The machine's speed: one submission in one process, without a server, took "
        f"{speed[0]:.2f} ms of CPU before these runs and {speed[1]:.2f} ms after"
    )
    names = {"sqlite": "SQLite (WAL)", "postgresql": "PostgreSQL"}
    for database in databases:
        for label, *_ in codes:
            report_writes(f"{names[database]}, {label}", runs[(database, label)])


def report_writes(label: str, runs: list[Writes]) -> None:
    """Medians of the rounds, and whether every run stored exactly what it acknowledged."""
    rate = statistics.median(run.rate for run in runs)
    p99 = statistics.median(run.p99_ms for run in runs)
    server_cpu = statistics.median(run.server_cpu_ms for run in runs)
    client_cpu = statistics.median(run.client_cpu_ms for run in runs)
    stored = all(run.rows == run.accepted + run.warmup for run in runs)
    check = (
        "rows == accepted in every run"
        if stored
        else "MISMATCH: "
        + ", ".join(f"{run.rows} rows for {run.accepted + run.warmup} accepted" for run in runs)
    )
    say(f"  {label}")
    say(
        f"    {rate:>6.1f} submissions/s, p99 {p99:>5.0f} ms per request "
        f"(rounds: {', '.join(f'{run.rate:.0f}' for run in runs)}/s; "
        f"{runs[0].accepted} of {runs[0].sent} accepted per run after "
        f"{runs[0].warmup} to warm up; {check})"
    )
    if runs[0].pace:
        # Offered on a schedule: did the service keep up, and how long did requests take?
        kept_up = rate >= 0.97 * runs[0].pace
        say(
            f"    p99 per round: {', '.join(f'{run.p99_ms:.0f}' for run in runs)} ms; "
            f"{'keeps up with' if kept_up else 'falls behind'} {runs[0].pace:.0f}/s offered, "
            f"p99 {'under' if p99 < 100 else 'over'} 100 ms"
        )
    cores = os.cpu_count() or 1
    database = statistics.median(run.database_cpu_ms for run in runs)
    backends = f", PostgreSQL's backends {database:.2f} ms" if database else ""
    # What the machine's cores would sustain if the service had them to itself.
    say(
        f"    CPU per submission: service {server_cpu:.2f} ms (at most "
        f"{cores * 1000 / (server_cpu + database):.0f}/s on {cores} idle cores){backends}, "
        f"load generator {client_cpu:.2f} ms; load average "
        f"{', '.join(f'{run.load1:.1f}' for run in runs)}"
    )


# --- start-up ------------------------------------------------------------------

_STARTUP = """
import sys, time
started = time.perf_counter()
import widget
imported = time.perf_counter()
app = widget.create_app({"SECRET_KEY": "x", "DATABASE_URL": sys.argv[1]})
built = time.perf_counter()
print(imported - started, built - imported)
"""


def step_startup(settings: Settings, folder: Path, args) -> None:
    say("Start-up")
    imports, factories = [], []
    for _ in range(settings.startup_runs):
        done = subprocess.run(
            [str(VENV_BIN / "python"), "-c", _STARTUP, f"sqlite:///{folder / 'startup.sqlite3'}"],
            capture_output=True,
            text=True,
            check=True,
            cwd=args.code,
            env={**os.environ, "PYTHONPATH": str(args.code)},
        )
        first, second = (float(x) for x in done.stdout.split())
        imports.append(first)
        factories.append(second)
    say(
        f"  median of {settings.startup_runs} fresh processes: import widget "
        f"{statistics.median(imports) * 1000:.0f} ms, create_app() "
        f"{statistics.median(factories) * 1000:.0f} ms"
    )


STEPS = ("bare", "edge", "servers", "writes", "startup", "redaction", "layout")


def step_redaction() -> None:
    # In its own process, so the figures do not depend on what ran before.
    script = ROOT / "scripts" / "benchmark_redaction.py"
    subprocess.run([str(VENV_BIN / "python"), str(script)], check=True, cwd=ROOT)


def step_layout_shift() -> None:
    """The worst CLS of any widget on a partner page (scripts/benchmark_cls.py), in Chromium."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from benchmark_cls import worst_layout_shift

    worst_layout_shift(say)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short runs (about two minutes)")
    parser.add_argument(
        "--only", default=",".join(STEPS), help=f"comma-separated sections of {', '.join(STEPS)}"
    )
    parser.add_argument(
        "--server", choices=("granian", "gunicorn"), default="granian",
        help="the server of the other sections (default: granian, as in production)",
    )  # fmt: skip
    parser.add_argument(
        "--code", type=Path, default=ROOT,
        help="measure the service of another checkout (an older version) with these tools",
    )  # fmt: skip
    parser.add_argument(
        "--baseline", type=Path, default=None,
        help="writes: also measure this checkout, alternating with --code (before and after)",
    )  # fmt: skip
    args = parser.parse_args()
    args.code = args.code.resolve()
    args.baseline = args.baseline.resolve() if args.baseline else None
    only = set(args.only.split(","))
    settings = QUICK if args.quick else FULL
    wrk = ensure_wrk()
    load1, load5, _ = os.getloadavg()
    say(
        f"benchmark: {os.cpu_count()} CPUs, load average {load1:.2f} / {load5:.2f} "
        f"(the machine is shared: other work lowers and scatters every figure; "
        f"compare the ratios, each measured within one run)"
    )
    say(
        f"{args.server}: {settings.workers} workers, request log on, rate limits off; "
        f"wrk: {settings.wrk_threads} threads, {settings.wrk_connections} connections, "
        f"{settings.duration} s per run, {settings.rounds} alternating rounds, medians; "
        f"code from {args.code}"
    )
    say()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="care-widgets-bench-") as tmp:
        folder = Path(tmp)
        if only & {"bare", "edge"}:
            database = folder / "reads.sqlite3"
            service = Server(
                folder, args.server, settings.workers,
                {"WIDGET_DATABASE_URL": f"sqlite:///{database}"}, code=args.code,
            )  # fmt: skip
            try:
                if "bare" in only:
                    step_bare_flask(wrk, settings, service, folder, args)
                    say()
                if "edge" in only:
                    step_edge(wrk, settings, service, folder, args)
                    say()
            finally:
                service.stop()
        if "servers" in only:
            step_servers(wrk, settings, folder, args)
            say()
        if "writes" in only:
            step_writes(settings, folder, args)
            say()
        if "startup" in only:
            step_startup(settings, folder, args)
            say()
    if "redaction" in only:
        say("Redaction of feedback comments")
        step_redaction()
        say()
    if "layout" in only:
        say("Layout shift of embedded widgets")
        step_layout_shift()
        say()
    say(f"benchmark: done in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()

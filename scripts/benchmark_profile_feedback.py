"""Profile feedback submissions in process (not a test): where a form GET and a POST spend CPU.

    .venv/bin/python scripts/benchmark_profile_feedback.py [postgresql] [--count N] [--profile]

The real app (rate limit on, one forwarded address per submission, a comment
holding a phone number to redact) through Flask's test client, on a new
SQLite file or (`postgresql`) a throwaway database on 127.0.0.1:5432, dropped
afterwards: prints the
CPU milliseconds per submission, per form GET and per POST, and with
--profile the functions that spent most of it (cProfile). The test client
adds a little of its own; scripts/benchmark measures the production server.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import re
import secrets
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from widget import create_app  # noqa: E402

FORM = "/widgets/feedback-form"
PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=test connect_timeout=3"
_TOKEN = re.compile(r'name="token" value="([^"]*)"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", nargs="?", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="care-widgets-profile-"))
    if args.database == "sqlite":
        run(args, f"sqlite:///{folder / 'feedback.sqlite3'}", folder)
        return
    import psycopg

    name = f"care_widgets_profile_{secrets.token_hex(5)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        run(args, f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", folder)
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def run(args: argparse.Namespace, url: str, folder: Path) -> None:
    """Warm up, then measure (and profile) submissions on the database at `url`."""
    app = create_app(
        {
            "SECRET_KEY": "profile-" + "x" * 24,
            "DATABASE_URL": url,
            "RATE_LIMIT": "20/minute",
            "RATE_LIMIT_HOST_FILE": str(folder / "limits.sqlite3"),
            "PROXY_COUNT": 1,
        }
    )
    client = app.test_client()
    sent = 0

    def form() -> str:
        return client.get(FORM).get_data(as_text=True)

    def submit(n: int) -> None:
        nonlocal sent
        sent += 1
        visitor = f"10.{sent // 62500 % 250}.{sent // 250 % 250}.{sent % 250 + 1}"
        token = _TOKEN.search(form()).group(1)
        fields = {
            "token": token,
            "helpful": "yes" if n % 2 else "no",
            "comment": f"bench {n} call me at 555-201-{n % 10000:04d}",
        }
        answer = client.post(FORM, data=fields, headers={"X-Forwarded-For": visitor})
        if answer.status_code != 303:
            sys.exit(f"profile: a post got {answer.status_code}")

    for n in range(30):  # warm: migrations, catalogues, the kept form
        submit(n)
    started = time.process_time()
    for n in range(args.count):
        submit(n)
    both = (time.process_time() - started) * 1000 / args.count
    started = time.process_time()
    for _ in range(args.count):
        form()
    get = (time.process_time() - started) * 1000 / args.count
    print(f"CPU per submission {both:.2f} ms: form GET {get:.2f} ms, POST {both - get:.2f} ms")
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for n in range(args.count):
            submit(n)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(50)


if __name__ == "__main__":
    main()

"""The load generator of scripts/benchmark's writes section, in a process of its own.

Each of CLIENTS keep-alive connections fetches the feedback form and posts
it back, COUNT times, like a visitor who answers "Was this page helpful?"
with a short comment. One asyncio loop drives every connection over raw
sockets: a request is a few prebuilt bytes and an answer is read by its
Content-Length, so the client costs a fraction of what the server spends
(it used to be 32 threads of http.client, which took about a core of the
two the server needs). Its own CPU time is measured and printed, so the
figure can be told apart from the server's.

Each submission comes from its own address (X-Forwarded-For, with the
service run with WIDGET_PROXY_COUNT=1 as behind nginx): the rate limit is
on, as in production, and counts every visitor once, as it would with
many visitors who each post once.

With a fourth argument PACE (submissions per second, all clients together)
the load is offered at that rate instead of as fast as the server answers:
each client starts its submissions on a fixed schedule, and a request's wait
counts from when it was due, so a server that falls behind is not flattered
by clients that waited for it (no coordinated omission).

Prints one JSON object: statuses, waits (seconds, every request), elapsed
seconds and the client's CPU seconds.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
import time
from urllib.parse import quote

FORM = "/widgets/feedback-form"
_TOKEN = re.compile(rb'name="token" value="([^"]*)"')


async def _answer(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    lowered = head.lower()
    at = lowered.find(b"\r\ncontent-length:")
    length = int(head[at + 17 : head.index(b"\r\n", at + 2)]) if at >= 0 else 0
    body = await reader.readexactly(length) if length else b""
    return status, body


async def _client(
    host: str,
    port: int,
    index: int,
    count: int,
    statuses: list[int],
    waits: list[float],
    schedule: tuple[float, float] | None = None,
) -> None:
    """`schedule`: (first start, seconds between two submissions of this client)."""
    reader, writer = await asyncio.open_connection(host, port)
    start = f"Host: {host}:{port}\r\n".encode()
    try:
        for n in range(count):
            # 10.x.y.z: a distinct visitor for every submission of the run.
            visitor = f"10.{index % 250}.{n // 250 % 250}.{n % 250 + 1}".encode()
            forwarded = b"X-Forwarded-For: " + visitor + b"\r\n"
            began = time.perf_counter()
            if schedule is not None:
                due = schedule[0] + n * schedule[1]
                if due > began:
                    await asyncio.sleep(due - began)
                began = due
            writer.write(b"GET " + FORM.encode() + b" HTTP/1.1\r\n" + start + forwarded + b"\r\n")
            status, body = await _answer(reader)
            waits.append(time.perf_counter() - began)
            found = _TOKEN.search(body)
            token = found.group(1).decode() if found else ""
            fields = (
                f"token={quote(token)}&helpful={'yes' if n % 2 else 'no'}"
                f"&comment=bench+{index}-{n}+call+me+at+555-201-{n % 10000:04d}"
            ).encode()
            began = time.perf_counter()
            writer.write(
                b"POST " + FORM.encode() + b" HTTP/1.1\r\n" + start + forwarded
                + b"Content-Type: application/x-www-form-urlencoded\r\n"
                + b"Content-Length: " + str(len(fields)).encode() + b"\r\n\r\n" + fields
            )  # fmt: skip
            status, _ = await _answer(reader)
            waits.append(time.perf_counter() - began)
            statuses.append(status)
    finally:
        writer.close()


async def _run(origin: str, clients: int, count: int, pace: float = 0.0) -> dict:
    host, port = origin.removeprefix("http://").split(":")
    statuses: list[int] = []
    waits: list[float] = []
    cpu = time.process_time()
    began = time.perf_counter()
    # Paced: each client every clients/pace seconds, the clients spread evenly.
    interval = clients / pace if pace > 0 else 0.0
    await asyncio.gather(
        *(
            _client(
                host,
                int(port),
                i,
                count,
                statuses,
                waits,
                (began + 0.05 + i * interval / clients, interval) if pace > 0 else None,
            )
            for i in range(clients)
        )
    )
    return {
        "statuses": statuses,
        "waits": waits,
        "elapsed": time.perf_counter() - began,
        "client_cpu": time.process_time() - cpu,
    }


def main() -> None:
    origin, clients, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    pace = float(sys.argv[4]) if len(sys.argv) > 4 else 0.0
    print(json.dumps(asyncio.run(_run(origin, clients, count, pace))))


if __name__ == "__main__":
    main()

"""Time redact() on 100-character comments, for scripts/benchmark (not a test).

Prints the median and 99th percentile of single calls, in milliseconds, over
comments in several languages with and without personal data: wall-clock
time, and the thread's CPU time, which other work on a shared machine does not
inflate. The goal is under 2 ms per comment (docs/redaction.md, "Speed").
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from widget.feedback.redact import redact  # noqa: E402

# Comments of 100 characters (cut or padded), as a visitor at the limit types
# them; one a line, so the lines run past the usual length.
# ruff: noqa: E501
COMMENTS = [
    "Thanks for this page. If anyone can help, my phone is 555-123-4567 and mail x@y.org, 10:30 works ok",
    "I take 20 mg twice a day and called 988 at 10:30, they helped. Clean since 2019-05-01, 34 years old",
    "Mi móvil es 612 34 56 78 y vivo en Calle de Alcalá 20, Madrid. Escríbanme a maria arroba gmail punto com",
    "我的电话13812345678，住在北京市朝阳区建国路88号，邮箱wang.li@example.cn谢谢。这个页面很有帮助，我今年34岁。",
    "Số điện thoại của tôi là 0912 345 678, nhà ở số 12 đường Lê Lợi. Cảm ơn, trang này rất hữu ích.",
    "번호는 공일공 일이삼사 오육칠팔 이에요. 서울시 강남구 테헤란로 123에 살아요. 감사합니다.",
    "رقمي ٠١٠١٢٣٤٥٦٧٨ وأسكن في شارع التحرير 12. شكرا جزيلا، هذه الصفحة مفيدة جدا لي ولعائلتي",
    "Мой телефон 8 (916) 123-45-67, живу на ул. Ленина, д. 5, кв. 12. Спасибо, очень полезно.",
    "Mon portable : 06 12 34 56 78, j'habite au 12 rue de la Paix. Merci beaucoup, très utile !",
    "call me two one two five five five zero one four seven or card 4111 1111 1111 1111 was charged",
    "Danke für die Hilfe, ich nehme 2-mal täglich 50 mg und bin seit 5 Jahren trocken. Wirklich gut.",
    "Gracias, esta página me ayudó mucho. Tengo 34 años y llevo 2 años sin consumir. Tomo 20 mg al día.",
]
ROUNDS = 300


def _figures(timings: list[float]) -> str:
    timings.sort()
    p99 = timings[int(len(timings) * 0.99)]
    return f"median {statistics.median(timings):.2f} ms, p99 {p99:.2f} ms"


def main() -> None:
    """Time every comment ROUNDS times and print the figures."""
    comments = [c[:100].ljust(100, ".") for c in COMMENTS]
    for comment in comments:
        redact(comment)  # load the word lists, facts and phone metadata first
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(ROUNDS):
        for comment in comments:
            started, started_cpu = time.perf_counter(), time.thread_time()
            redact(comment)
            cpu.append((time.thread_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
    print(
        f"  redact() on a 100-character comment ({len(wall)} calls, {len(comments)} comments"
        f" in 9 languages; goal < 2 ms; load average {os.getloadavg()[0]:.1f}):"
    )
    print(f"    CPU time    {_figures(cpu)}")
    print(f"    wall clock  {_figures(wall)}")


if __name__ == "__main__":
    main()

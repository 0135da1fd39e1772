"""A desktop on which the GNOME screen reader Orca listens to Debian's Chromium.

Orca needs what a Linux desktop gives it: an X display (Xvfb here), a D-Bus
session, the AT-SPI accessibility bus, and a browser that exposes its
accessibility tree (`--force-renderer-accessibility`). Keys must reach Orca as
a person's keys do, through the X server (xdotool), not through the browser's
debugging protocol, or Orca would never hear them. What Orca would say is
read from its debug log, where every utterance is a `SPEECH OUTPUT` line.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Playwright

from widget.audit.browser import LAUNCH_ARGS, chromium_path

# Debian packages that bring each program (scripts/setup --test installs them).
PROGRAMS = {
    "orca": "orca",
    "Xvfb": "xvfb",
    "xdotool": "xdotool",
    "dbus-launch": "dbus-x11",
    "espeak-ng": "espeak-ng",
    "speech-dispatcher": "speech-dispatcher",
}
BUS_LAUNCHER = Path("/usr/libexec/at-spi-bus-launcher")
# Orca's own words (roles, states) follow the desktop language, as for a real user.
DESKTOP_LOCALES = {"en": "C.UTF-8", "es": "es_ES.UTF-8", "ar": "ar_EG.UTF-8"}
SPEECH = re.compile(r"SPEECH OUTPUT: '(.*)'(?:\{.*\})?\s*$")
# Logged by the customizations below when Orca has generated a whole say-all
# (with no speech server, Orca logs every utterance of it in one loop, which
# on a busy machine can pause for seconds between parts).
SAY_ALL_DONE = "SAY ALL DONE"
WINDOW = (1200, 850)
# One Orca desktop at a time on this machine, whichever test worker (or
# person) starts it: Orca runs once per user (see start()), and two desktops
# at once on two cores would also starve each other's timing. Each desktop
# keeps its own display, buses and home folder; the lock only takes turns.
LOCK_FILE = Path(tempfile.gettempdir()) / "care-widgets-orca.lock"
FLUSH_EACH_LINE = """\
from orca import debug, speech

_println = debug.println


def println(*args, **kwargs):
    _println(*args, **kwargs)
    if debug.debugFile:
        debug.debugFile.flush()


debug.println = println

_say_all = speech.sayAll


def say_all(*args, **kwargs):
    _say_all(*args, **kwargs)
    println(debug.LEVEL_INFO, "SAY ALL DONE", True)


speech.sayAll = say_all
"""


def _running_orcas() -> str:
    """Every Orca of this user (Orca's own test for "another Orca is running")."""
    return subprocess.run(
        ["pgrep", "-a", "-u", str(os.getuid()), "-x", "orca"], capture_output=True, text=True
    ).stdout


def missing_programs() -> list[str]:
    """What this machine lacks to run Orca, as Debian package names."""
    missing = [package for program, package in PROGRAMS.items() if not shutil.which(program)]
    if not BUS_LAUNCHER.exists():
        missing.append("at-spi2-core")
    return missing


def missing_locale(locale: str) -> str | None:
    """The system locale Orca needs for `locale`'s words, when it is not generated."""
    wanted = DESKTOP_LOCALES[locale]
    if wanted.startswith("C."):
        return None
    available = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout
    normalized = wanted.lower().replace("utf-8", "utf8")
    return None if normalized in available.lower().split() else wanted


class OrcaDesktop:
    """Xvfb, a D-Bus session, the AT-SPI bus and Orca, started in that order."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self.home = Path(tempfile.mkdtemp(prefix="orca-desktop-"))
        self.log = self.home / "orca-debug.txt"
        self.processes: list[subprocess.Popen] = []
        language = DESKTOP_LOCALES[locale]
        self.env = {
            **os.environ,
            "HOME": str(self.home),
            "XDG_CONFIG_HOME": str(self.home / "config"),
            "XDG_DATA_HOME": str(self.home / "data"),
            "XDG_CACHE_HOME": str(self.home / "cache"),
            "XDG_RUNTIME_DIR": str(self.home),
            "LANG": language,
            "LC_ALL": language,
            "LANGUAGE": locale,
        }
        self.bus_pid: int | None = None
        self._lock: int | None = None

    def _take_turn(self) -> None:
        """Wait until no other Orca desktop runs on this machine (released by stop)."""
        self._lock = os.open(LOCK_FILE, os.O_CREAT | os.O_RDWR, 0o666)
        fcntl.flock(self._lock, fcntl.LOCK_EX)

    def _spawn(self, *command: str) -> subprocess.Popen:
        process = subprocess.Popen(
            command, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.processes.append(process)
        return process

    def start(self) -> None:
        """Bring the desktop up and wait until Orca says it is on."""
        self._take_turn()
        os.chmod(self.home, 0o700)
        # What Orca would say is read from its log, not heard: no speech server is
        # needed. Refusing speech-dispatcher's autospawn makes Orca go on at once;
        # left to try, the spawn hangs Orca for minutes on a machine without sound.
        speechd = self.home / "config" / "speech-dispatcher"
        speechd.mkdir(parents=True)
        (speechd / "speechd.conf").write_text("DisableAutoSpawn\n")
        # Orca writes its log through a buffer; an utterance could wait there
        # until the next key's and land in the wrong step. Orca loads this file
        # of the user's own Python at start: it flushes the log after each line.
        orca_data = self.home / "data" / "orca"
        orca_data.mkdir(parents=True)
        (orca_data / "orca-customizations.py").write_text(FLUSH_EACH_LINE)
        # Xvfb picks a free display itself and writes its number to a pipe:
        # two test workers starting at once never race for one display.
        read_end, write_end = os.pipe()
        process = subprocess.Popen(
            [
                "Xvfb",
                "-displayfd",
                str(write_end),
                "-screen",
                "0",
                "1280x900x24",
                "-nolisten",
                "tcp",
            ],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(write_end,),
        )
        self.processes.append(process)
        os.close(write_end)
        with os.fdopen(read_end) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise RuntimeError("Xvfb did not start (no display number)")
        display = f":{number}"
        self.env["DISPLAY"] = display
        out = subprocess.run(
            ["dbus-launch", "--sh-syntax"], env=self.env, capture_output=True, text=True
        ).stdout
        for name, value in re.findall(r"(\w+)='?([^';\n]*)'?;", out):
            self.env[name] = value
        self.bus_pid = int(self.env.get("DBUS_SESSION_BUS_PID", "0")) or None
        self._spawn(str(BUS_LAUNCHER), "--launch-immediately")
        # Orca asks the session bus where the accessibility bus is as it starts;
        # asked too early on a busy machine, it gives up ("cannot connect to the
        # desktop", status 1: seen in CI for one locale's desktop). Wait until
        # the launcher answers.
        self._wait(self._accessibility_bus_up, "the AT-SPI bus", 30)
        # Never --replace: that makes Orca SIGKILL every other Orca of this user
        # (`pgrep -u UID -x orca` in /usr/bin/orca), i.e. the desktop of the other
        # test worker: the cause of 16 failures in 18 under `pytest -n 2`. Without
        # it, Orca refuses to start while another runs, hence the lock above.
        # The previous desktop's Orca may still be exiting (terminated, not yet
        # gone): wait for it, or this Orca would refuse to start.
        self._wait(lambda: not _running_orcas(), "the previous Orca's exit", 20)
        # Even then the registry behind the bus may not answer Orca's first
        # call yet: an Orca that exits before speaking is started again, up to
        # three times, and every attempt's output is in the error.
        failures: list[str] = []
        for attempt in range(3):
            if self._start_orca(attempt, failures):
                return
            time.sleep(2)
        raise RuntimeError("Orca did not start in 3 attempts: " + " | ".join(failures))

    def _accessibility_bus_up(self) -> bool:
        """True once the session bus names the AT-SPI bus's address."""
        answer = subprocess.run(
            [
                "dbus-send",
                "--session",
                "--print-reply",
                "--dest=org.a11y.Bus",
                "/org/a11y/bus",
                "org.a11y.Bus.GetAddress",
            ],
            env=self.env,
            capture_output=True,
            text=True,
        )
        return answer.returncode == 0 and "unix:" in answer.stdout

    def _start_orca(self, attempt: int, failures: list[str]) -> bool:
        """Start Orca and wait for its first words; False (noted) if it exits before."""
        console = self.home / f"orca-console-{attempt}.txt"
        with console.open("w") as out:
            orca = subprocess.Popen(
                ["orca", f"--debug-file={self.log}"], env=self.env, stdout=out, stderr=out
            )
        self.processes.append(orca)

        def speaking() -> bool:
            return orca.poll() is not None or len(self.utterances()) > 0

        self._wait(speaking, "Orca's first words", 60)
        if orca.poll() is None:
            return True
        orca.wait()
        failures.append(
            f"status {orca.returncode} (1 is also its answer when another Orca of this "
            f"user runs); running now: {_running_orcas() or 'none'}; Orca printed: "
            + console.read_text(errors="replace")[-2000:]
        )
        return False

    def stop(self) -> None:
        """Stop every process started here, newest first, and remove the home folder."""
        for process in reversed(self.processes):
            process.terminate()
        for process in reversed(self.processes):
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                # Reaped, or Orca's next start counts this one as running (a
                # zombie still matches `pgrep -x orca`) and exits with status 1.
                process.wait()
        if self.bus_pid:
            try:
                os.kill(self.bus_pid, 15)
            except ProcessLookupError:
                pass
        shutil.rmtree(self.home, ignore_errors=True)
        if self._lock is not None:
            fcntl.flock(self._lock, fcntl.LOCK_UN)
            os.close(self._lock)
            self._lock = None

    @staticmethod
    def _wait(ready, what: str, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if ready():
                return
            time.sleep(0.1)
        raise RuntimeError(f"{what} did not come within {seconds} s")

    def utterances(self) -> list[str]:
        """Everything Orca has said so far, one string per utterance."""
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return []
        return [m.group(1) for line in text.splitlines() if (m := SPEECH.search(line))]

    def says_all(self) -> int:
        """How many say-alls Orca has finished generating so far."""
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return 0
        return text.count(SAY_ALL_DONE)

    def settle(self, said_all: int, seconds: float = 60) -> None:
        """Wait until Orca has finished say-all number `said_all` + 1 (a page read on load)."""
        self._wait(lambda: self.says_all() > said_all, "the end of Orca's say-all", seconds)

    def listen(self, since: int, quiet: float = 0.9, limit: float = 12.0) -> list[str]:
        """What Orca says after utterance `since`, once it has been quiet for `quiet` seconds.

        It waits for the first word up to `limit` (a busy machine makes Orca slow);
        a key that says nothing gives an empty list after that limit.
        """
        started = time.monotonic()
        count, last_change = len(self.utterances()), started
        while time.monotonic() - started < limit:
            time.sleep(0.1)
            now = len(self.utterances())
            if now != count:
                count, last_change = now, time.monotonic()
            elif count > since and time.monotonic() - last_change >= quiet:
                break
        return self.utterances()[since:]

    def press(self, key: str, quiet: float = 0.9, limit: float = 12.0) -> list[str]:
        """Press a key as a person would (through X) and return what Orca says."""
        since = len(self.utterances())
        subprocess.run(["xdotool", "key", "--clearmodifiers", key], env=self.env, check=True)
        return self.listen(since, quiet=quiet, limit=limit)

    def type_text(self, text: str) -> list[str]:
        """Type text key by key, as a person would, and return what Orca echoes."""
        since = len(self.utterances())
        subprocess.run(["xdotool", "type", "--delay", "120", text], env=self.env, check=True)
        return self.listen(since)

    def launch_chromium(self, playwright: Playwright) -> Browser:
        """Debian's Chromium in a real window on this desktop, its accessibility tree exposed."""
        return playwright.chromium.launch(
            executable_path=chromium_path() or None,
            headless=False,
            env=self.env,
            args=[
                *LAUNCH_ARGS,
                "--force-renderer-accessibility",
                "--disable-features=Translate,TranslateUI",
                f"--lang={self.locale}",
                "--window-position=0,0",
                f"--window-size={WINDOW[0]},{WINDOW[1]}",
            ],
        )


@contextmanager
def orca_desktop(locale: str) -> Iterator[OrcaDesktop]:
    """An Orca desktop in `locale`'s words, stopped however the block ends."""
    desktop = OrcaDesktop(locale)
    try:
        desktop.start()
        yield desktop
    finally:
        desktop.stop()

"""A lock file beside an open project, as Word, WPS and LibreOffice keep one.

Opening ``报告.nianbao`` writes ``.~lock.报告.nianbao#`` in the same folder: who
(user name), on which computer, which process, since when (JSON).  A second
instance that opens the file finds the lock and warns the clerk; the lock is
removed when the file is closed.  A lock is *stale* — left by a crash — when its
process no longer runs on this computer, or, from another computer, when it has
not been renewed for :data:`STALE_AFTER_S`; a stale lock is taken over silently.

The lock is advice, not enforcement: what keeps the second save from silently
replacing the first is the disk check of :func:`model.project.save`.
"""
from __future__ import annotations

import json
import os
import time
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from .files import hostname, pid_alive

PREFIX = ".~lock."
SUFFIX = "#"
STALE_AFTER_S = 24 * 3600
MAX_LOCK_BYTES = 4096


def lock_path(path: str | os.PathLike) -> Path:
    p = Path(path)
    return p.with_name(f"{PREFIX}{p.name}{SUFFIX}")


def _user() -> str:
    """The user's login name, as ``getpass.getuser`` finds it (the environment first)."""
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        if os.environ.get(name):
            return os.environ[name]
    try:
        import pwd          # what getpass.getuser asks next, without its terminal modules
        return pwd.getpwuid(os.getuid()).pw_name
    except (OSError, KeyError, ImportError, AttributeError):
        pass
    try:
        import getpass
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return "未知用户"


class LockInfo(NamedTuple):
    """Who holds the lock of a project file."""

    path: Path          # the lock file
    owner: str
    host: str
    pid: int
    time: float         # seconds since the epoch, when taken or last renewed

    @property
    def mine(self) -> bool:
        return self.host == hostname() and self.pid == os.getpid()

    @property
    def stale(self) -> bool:
        if self.host == hostname():
            return not pid_alive(self.pid)
        return time.time() - self.time > STALE_AFTER_S

    def describe(self) -> str:
        when = datetime.fromtimestamp(self.time).strftime("%Y-%m-%d %H:%M")
        where = "本机" if self.host == hostname() else f"计算机“{self.host}”"
        return f"{self.owner}（{where}，进程 {self.pid}）自 {when} 起"


def read_lock(path: str | os.PathLike) -> LockInfo | None:
    """The lock of project file ``path``, or None when there is none (or it is unreadable junk)."""
    lp = lock_path(path)
    try:
        if not lp.is_file() or lp.stat().st_size > MAX_LOCK_BYTES:
            return None
        d = json.loads(lp.read_text(encoding="utf-8"))
        pid = d["pid"]
        t = float(d["time"])
        if not isinstance(pid, int):
            return None
        return LockInfo(lp, str(d.get("owner") or "未知用户"), str(d.get("host") or ""), pid, t)
    except (OSError, ValueError, KeyError, TypeError):
        return None


class ProjectLock:
    """The lock this process holds on one project file."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.target = Path(path)
        self.path = lock_path(path)

    def _payload(self) -> bytes:
        return json.dumps({"owner": _user(), "host": hostname(), "pid": os.getpid(),
                           "time": time.time(), "file": self.target.name},
                          ensure_ascii=False).encode("utf-8")

    def renew(self) -> None:
        """Rewrite the lock with the current time (after a save)."""
        try:
            tmp = self.path.with_name(self.path.name + f".{os.getpid()}.tmp")
            tmp.write_bytes(self._payload())
            os.replace(tmp, self.path)
        except OSError:
            pass

    def release(self) -> None:
        """Remove the lock if it is still ours."""
        info = read_lock(self.target)
        if info is None or info.mine:
            try:
                self.path.unlink()
            except OSError:
                pass


def acquire(path: str | os.PathLike) -> tuple[ProjectLock | None, LockInfo | None]:
    """Take the lock of project file ``path``.

    Returns ``(lock, None)`` when taken (a stale lock is taken over),
    ``(None, holder)`` when another live instance holds it, and ``(None, None)``
    when no lock can be written (a read-only folder): the file is opened all the
    same, the disk check still guards the save.
    """
    lk = ProjectLock(path)
    for _ in range(3):
        try:
            fd = os.open(lk.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            info = read_lock(path)
            if info is not None and not info.mine and not info.stale:
                return None, info
            try:                   # stale, ours, or junk: take it over
                lk.path.unlink()
            except FileNotFoundError:
                pass
            except OSError:
                return None, None
            continue
        except OSError:
            return None, None
        try:
            os.write(fd, lk._payload())
        finally:
            os.close(fd)
        return lk, None
    return None, read_lock(path)

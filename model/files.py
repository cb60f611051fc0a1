"""Files on disk: reading a user's file safely, and writing one atomically.

Reading (:func:`read_capped`, :func:`check_regular`): anything that is not a
regular file — a folder named ``x.docx``, a FIFO, a device, a socket, a broken
symbolic link — is refused *before* it is opened (a FIFO would block the reader
forever, ``/dev/zero`` never ends), and the size is capped before and while
reading.  Every failure is a Chinese sentence; OS errors are given by their
Chinese reason (:func:`model.errors.os_reason`).

Writing (:func:`atomic_write`, raising OSError; :func:`write_file`, the same with
the failure said in Chinese as the caller's error): a temporary file in the same folder, named
after this process (``.NAME.<host>-<pid>.<random>.tmp``), is written, fsynced
and renamed over the target.  A symbolic link is written through (the link
stays a link, the file it points to is replaced), the file keeps its mode (a new
file gets the user's normal umask mode), and only *this* save's temporary file
is removed — plus those left by processes of this computer that no longer run
(a save or export killed half-way), never another live process's save in
progress.
"""
from __future__ import annotations

import os
import stat
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from .errors import NianbaoError, ReadError, os_reason

MB = 1024 * 1024
STALE_FOREIGN_TEMP_S = 24 * 3600    # a temp file of another computer (network folder) this old is junk


# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------

def _kind_message(p: Path, mode: int, what: str) -> str | None:
    """Why a file of ``mode`` is not read, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return f"“{p}”是文件夹，不是{what}。"
    if stat.S_ISFIFO(mode):
        return f"“{p.name}”是命名管道（FIFO），不是普通文件，已拒绝读取（读取它会一直等待）。"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return f"“{p.name}”是设备文件，不是普通文件，已拒绝读取。"
    if stat.S_ISSOCK(mode):
        return f"“{p.name}”是套接字，不是普通文件，已拒绝读取。"
    return f"“{p.name}”不是普通文件，已拒绝读取。"


def check_regular(path: str | os.PathLike, what: str = "文件",
                  error: type[NianbaoError] = ReadError) -> os.stat_result:
    """The ``stat`` of ``path`` when it is a regular file (symbolic links followed).

    Raises ``error`` with a Chinese message for a missing file, a broken link, a
    folder, a FIFO, a device or a socket — without opening anything.
    """
    p = Path(path)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        if os.path.islink(p):
            raise error(f"“{p.name}”是一个符号链接，但它指向的文件不存在（链接已失效）。") from None
        raise error(f"找不到{what}“{p}”。") from None
    except OSError as e:
        raise error(f"无法读取“{p}”：{os_reason(e)}。") from None
    msg = _kind_message(p, st.st_mode, what)
    if msg is not None:
        raise error(msg)
    return st


def open_regular(path: str | os.PathLike, what: str = "文件",
                 error: type[NianbaoError] = ReadError) -> BinaryIO:
    """``path`` opened for binary reading, refused unless it is a regular file.

    The file is opened without blocking (a FIFO swapped in after the check cannot
    hang the open) and checked again on the open descriptor.
    """
    p = Path(path)
    check_regular(p, what, error)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) \
        | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(p, flags)
    except FileNotFoundError:
        raise error(f"找不到{what}“{p}”。") from None
    except PermissionError:
        raise error(f"没有权限读取“{p}”。") from None
    except OSError as e:
        raise error(f"无法读取“{p}”：{os_reason(e)}。") from None
    try:
        msg = _kind_message(p, os.fstat(fd).st_mode, what)
        if msg is not None:
            raise error(msg)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_capped(path: str | os.PathLike, max_bytes: int, what: str = "文件",
                error: type[NianbaoError] = ReadError,
                too_large: Callable[[int], str] | None = None) -> bytes:
    """The bytes of ``path``; refuses a missing file, anything not a regular file, or one over ``max_bytes``.

    ``what`` names the kind of file in messages (``项目文件``, ``登记簿文件``);
    ``error`` is the exception class raised (a ReadError by default); ``too_large``, when given,
    words the refusal of a file of so many bytes.  The size is checked before the file is read,
    and again on what was read (the file may grow meanwhile).
    """
    p = Path(path)
    st = check_regular(p, what, error)
    if st.st_size > max_bytes:
        raise error(too_large(st.st_size) if too_large is not None else
                    f"“{p.name}”太大（{st.st_size / MB:.1f} MB，上限 {max_bytes // MB} MB），"
                    f"不像是{what}，已拒绝读取。")
    try:
        with open_regular(p, what, error) as fh:
            data = fh.read(max_bytes + 1)
    except OSError as e:
        raise error(f"读取“{p}”失败：{os_reason(e)}。") from None
    if len(data) > max_bytes:
        raise error(too_large(len(data)) if too_large is not None else
                    f"“{p.name}”太大（超过 {max_bytes // MB} MB），不像是{what}，已拒绝读取。")
    return data


# --------------------------------------------------------------------------
# The state of a file on disk (did it change since it was loaded?)
# --------------------------------------------------------------------------

def fingerprint(path: str | os.PathLike) -> tuple[int, int, str] | None:
    """``(mtime_ns, size, sha256)`` of ``path``, or None when it does not exist / cannot be read."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            return None
        import hashlib      # loaded when first needed: not before the window paints
        h = hashlib.sha256()
        with open_regular(path) as fh:
            for chunk in iter(lambda: fh.read(1024 * 1024), b""):
                h.update(chunk)
    except (OSError, NianbaoError):
        return None
    return (st.st_mtime_ns, st.st_size, h.hexdigest())


# --------------------------------------------------------------------------
# Processes (for locks, autosaves and temporary files)
# --------------------------------------------------------------------------

def hostname() -> str:
    """This computer's name (``os.uname`` where there is one: the same name as
    ``socket.gethostname``, without loading the socket module before the window shows)."""
    try:
        if hasattr(os, "uname"):
            return os.uname().nodename or "localhost"
        import socket
        return socket.gethostname() or "localhost"
    except OSError:
        return "localhost"


def _host_tag() -> str:
    import hashlib
    return hashlib.sha1(hostname().encode("utf-8", "replace")).hexdigest()[:8]


def pid_alive(pid: int) -> bool:
    """Whether a process ``pid`` runs on this computer."""
    if not isinstance(pid, int) or pid <= 0:
        return False
    if pid == os.getpid():
        return True
    if os.name == "nt":   # pragma: no cover - Windows
        import ctypes
        kernel32 = getattr(ctypes, "windll").kernel32  # noqa: B009 - Windows only
        handle = kernel32.OpenProcess(0x1000, False, pid)
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    # a zombie (killed, not yet reaped by its parent) runs no more
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[-1].split()
        if fields and fields[0] == b"Z":
            return False
    except OSError:
        pass
    return True


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------

def _default_mode() -> int:
    """The mode a new file gets from the user's umask (0644 with the usual 022)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def write_target(path: str | os.PathLike) -> Path:
    """Where a save of ``path`` writes: through a symbolic link to the file it points to."""
    p = Path(path)
    if p.is_symlink():
        return Path(os.path.realpath(p))
    return p


def temp_prefix(target: Path) -> str:
    return f".{target.name}."


def make_temp(target: Path) -> tuple[int, str]:
    """A new temporary file beside ``target``, named after this process: ``(fd, path)``."""
    folder = target.parent if str(target.parent) else Path(".")
    return tempfile.mkstemp(prefix=f"{temp_prefix(target)}{_host_tag()}-{os.getpid()}.",
                            suffix=".tmp", dir=folder)


def remove_stale_temps(target: Path) -> list[Path]:
    """Remove the temporary files of saves of ``target`` whose process no longer runs.

    Only names of our own pattern are touched: ``.NAME.<host>-<pid>.<x>.tmp`` of a
    dead process of this computer, or of another computer when a day old.  A
    temporary file of a live process (a save in progress) is never removed.
    """
    folder = target.parent if str(target.parent) else Path(".")
    prefix = temp_prefix(target)
    removed: list[Path] = []
    mine = _host_tag()
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        if not (name.startswith(prefix) and name.endswith(".tmp")):
            continue
        middle = name[len(prefix):-len(".tmp")]
        tag, _, rest = middle.partition("-")
        pid_s, dot, _ = rest.partition(".")
        if not dot or not pid_s.isdigit() or len(tag) != 8:
            continue                         # not ours: leave it
        p = folder / name
        if tag == mine:
            if pid_alive(int(pid_s)):
                continue
        else:
            try:
                if time.time() - p.lstat().st_mtime < STALE_FOREIGN_TEMP_S:
                    continue
            except OSError:
                continue
        try:
            p.unlink()
            removed.append(p)
        except OSError:
            pass
    return removed


def atomic_write(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` so that ``path`` is always the old or the new file, whole.

    Raises :class:`OSError` (the caller words it); the old file is untouched then.
    """
    target = write_target(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        mode = _default_mode()
    fd, tmp = make_temp(target)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    remove_stale_temps(target)
    try:  # make the rename itself durable
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


def write_message(path: str | os.PathLike, exc: OSError) -> str:
    """The Chinese sentence for a failed :func:`atomic_write` of ``path``."""
    p = Path(path)
    folder = p.parent if str(p.parent) else Path(".")
    if not folder.is_dir():
        return f"无法保存到“{p}”：文件夹“{folder}”不存在。"
    if isinstance(exc, PermissionError):
        hint = ("请检查文件夹是否可写" if not os.access(folder, os.W_OK)
                else "文件可能正在被其他程序（如 Word、WPS、Excel）打开")
    else:
        hint = "请检查磁盘空间和文件夹权限"
    return f"无法保存到“{p}”：{os_reason(exc)}。{hint}。"


def write_file(path: str | os.PathLike, data: bytes | str,
               error: type[NianbaoError] = NianbaoError) -> None:
    """:func:`atomic_write` of ``data`` (text as UTF-8); a failure raises ``error`` in Chinese."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        atomic_write(path, payload)
    except OSError as exc:
        raise error(write_message(path, exc)) from exc

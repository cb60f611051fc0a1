"""Reading a user's file: size-capped, with a Chinese message for every failure."""
from __future__ import annotations

import os
from pathlib import Path

from .errors import NianbaoError, ReadError

MB = 1024 * 1024


def read_capped(path: str | os.PathLike, max_bytes: int, what: str = "文件",
                error: type[NianbaoError] = ReadError) -> bytes:
    """The bytes of ``path``; refuses a missing file, a folder or one over ``max_bytes``.

    ``what`` names the kind of file in messages (``项目文件``, ``登记簿文件``);
    ``error`` is the exception class raised (a ReadError by default).  The size is checked before the
    file is read, and again on what was read (the file may grow meanwhile).
    """
    p = Path(path)
    try:
        if p.is_dir():
            raise error(f"“{p}”是文件夹，不是{what}。")
        size = p.stat().st_size
        if size > max_bytes:
            raise error(f"“{p.name}”太大（{size / MB:.1f} MB，上限 {max_bytes // MB} MB），"
                        f"不像是{what}，已拒绝读取。")
        with open(p, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise error(f"找不到{what}“{p}”。") from None
    except PermissionError:
        raise error(f"没有权限读取“{p}”。") from None
    except OSError as e:
        raise error(f"读取“{p}”失败：{e.strerror or e}。") from None
    if len(data) > max_bytes:
        raise error(f"“{p.name}”太大（超过 {max_bytes // MB} MB），不像是{what}，已拒绝读取。")
    return data

"""Errors the core raises; every message is in Chinese and shown to the user as is."""
from __future__ import annotations


class NianbaoError(Exception):
    """Base class: ``str(exc)`` is a complete Chinese sentence for the user."""


class ReadError(NianbaoError):
    """A file could not be read as a report (damaged, wrong kind, unsafe, too large)."""


class ProjectError(ReadError):
    """A ``.nianbao`` project file could not be loaded."""


class RenderError(NianbaoError):
    """A report could not be rendered (template error, sandbox violation, unwritable path)."""


# --------------------------------------------------------------------------
# Operating-system errors in Chinese (issue 14 item 17)
# --------------------------------------------------------------------------

_ERRNO_ZH: dict[str, str] = {
    "ENOENT": "文件或文件夹不存在",
    "EACCES": "没有权限",
    "EPERM": "操作不被允许（没有权限）",
    "EISDIR": "这是一个文件夹，不是文件",
    "ENOTDIR": "路径中的某一部分不是文件夹",
    "ENOSPC": "磁盘空间已满",
    "EDQUOT": "磁盘配额已用完",
    "EROFS": "磁盘或文件夹是只读的",
    "ENAMETOOLONG": "文件名或路径太长",
    "ELOOP": "符号链接层数过多（可能链接到了自身）",
    "EEXIST": "文件已存在",
    "EBUSY": "文件正被其他程序占用",
    "ETXTBSY": "文件正被其他程序占用",
    "EMFILE": "同时打开的文件太多",
    "ENFILE": "同时打开的文件太多",
    "EIO": "磁盘读写出错（输入/输出错误）",
    "ENXIO": "设备不存在或不可用",
    "ENODEV": "设备不存在或不可用",
    "EXDEV": "不能跨磁盘移动文件",
    "EFBIG": "文件太大",
    "EINVAL": "参数无效（文件名可能含有不允许的字符）",
    "EAGAIN": "资源暂时不可用，请稍后再试",
    "EWOULDBLOCK": "资源暂时不可用，请稍后再试",
    "ETIMEDOUT": "操作超时（网络盘可能已断开）",
    "ESTALE": "网络文件已失效，请重新打开所在文件夹",
    "EPIPE": "输出管道已关闭",
    "ENOMEM": "内存不足",
}


def os_reason(exc: BaseException) -> str:
    """The Chinese reason for an :class:`OSError` (by errno), never the English ``strerror``."""
    import errno as _errno

    code = getattr(exc, "errno", None)
    if isinstance(code, int):
        name = _errno.errorcode.get(code)
        if name in _ERRNO_ZH:
            return _ERRNO_ZH[name]
        return f"系统错误（错误码 {name or code}）"
    if isinstance(exc, PermissionError):
        return _ERRNO_ZH["EACCES"]
    if isinstance(exc, FileNotFoundError):
        return _ERRNO_ZH["ENOENT"]
    if isinstance(exc, IsADirectoryError):
        return _ERRNO_ZH["EISDIR"]
    return "系统错误"

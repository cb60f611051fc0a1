"""The Jinja environment: the project's templates, optionally overridden by a user folder.

Without a user folder the templates are the project's own (``templates/``).
With one, its templates take precedence (a ChoiceLoader) and every template is
rendered in Jinja's sandbox, because a user folder may hold anything.  The
project's templates stay reachable as ``nianbao/<name>`` so a user template can
extend one and override its blocks.  Both use
``StrictUndefined`` so a misspelt name fails loudly instead of printing nothing.
Every Jinja failure becomes a :class:`RenderError` with a Chinese message.

A user folder is untrusted (issue 14 items 12–13):

- every template path is resolved (symbolic links followed) and anything that
  lands outside the folder — ``p.txt → /etc/passwd``, ``root → /`` — is
  refused, as is anything not a regular file or over :data:`MAX_TEMPLATE_BYTES`;
- the work of a user template is bounded: integers (``7 ** 30000000``), string
  and list repetition (``'x' * 300000000``), format widths (``'{:>999999999}'``,
  ``|center``, ``%999999999s``), ``range`` (at most :data:`MAX_RANGE` items),
  ``lipsum``, the lines of template code run (nested loops,
  :data:`MAX_TEMPLATE_STEPS`), the wall time (:data:`MAX_RENDER_SECONDS`) and
  the output (:data:`MAX_OUTPUT_CHARS`); every failure is a Chinese RenderError.
"""
from __future__ import annotations

import os
import re
import string
import sys
import time
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from markupsafe import Markup

from ..errors import RenderError
from ..files import read_capped
from ..paths import TEMPLATES_DIR

MAX_TEMPLATE_BYTES = 1024 * 1024        # one template file
MAX_OUTPUT_CHARS = 20_000_000           # what one render may produce
MAX_STRING = 5_000_000                  # the longest string or list an operation may build
MAX_INT_BITS = 4096                     # integers of up to ~1 200 digits
MAX_WIDTH = 1000                        # a format width or precision
MAX_RANGE = 10_000                      # items of one range()
MAX_LIPSUM = 20                         # paragraphs of lipsum()
MAX_TEMPLATE_STEPS = 3_000_000          # lines of template code one render may run
MAX_RENDER_SECONDS = 15.0

TEMPLATE_NAMES = {
    "txt": "report.txt.j2",
    "html": "report.html.j2",
    "docx": "report.docx.j2",
}

BASE_PREFIX = "nianbao"

_OPTIONS: dict[str, Any] = dict(
    undefined=jinja2.StrictUndefined,
    autoescape=jinja2.select_autoescape(enabled_extensions=("html", "htm", "html.j2", "htm.j2"),
                                        default_for_string=False, default=False),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


class _Limit(RenderError):
    """A user template went past one of the bounds above."""


class _FolderLoader(jinja2.BaseLoader):
    """Templates of one user folder: resolved, inside the folder, regular files, size-capped."""

    def __init__(self, folder: str) -> None:
        self.root = os.path.realpath(folder)

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)        # refuses "..": TemplateNotFound
        candidate = os.path.join(self.root, *pieces)
        if not os.path.lexists(candidate):
            raise jinja2.TemplateNotFound(template)
        real = os.path.realpath(candidate)
        if os.path.commonpath([real, self.root]) != self.root:
            raise RenderError(f"自定义模板“{template}”是指向模板文件夹之外的链接（{real}），"
                              "为安全起见已拒绝使用。请把模板文件本身放进模板文件夹。")
        data = read_capped(real, MAX_TEMPLATE_BYTES, "模板文件", RenderError)
        try:
            source = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise RenderError(f"自定义模板“{template}”不是 UTF-8 文本，无法使用。") from None
        mtime = os.path.getmtime(real)

        def uptodate() -> bool:
            try:
                return os.path.getmtime(real) == mtime
            except OSError:
                return False
        return source, real, uptodate


def _refuse(what: str) -> _Limit:
    return _Limit(f"自定义模板{what}，超出了模板允许的计算量，已停止生成。"
                  "请检查模板中的循环、乘方、重复和格式宽度。")


def _check_size(n: int, what: str) -> None:
    if n > MAX_STRING:
        raise _refuse(f"要生成 {n} 个字符（或项）的{what}")


_WIDTH = re.compile(r"\d+")


def _check_spec(spec: str) -> None:
    for m in _WIDTH.finditer(spec or ""):
        if len(m.group(0)) > 6 or int(m.group(0)) > MAX_WIDTH:
            raise _refuse(f"使用了 {m.group(0)} 的格式宽度或精度（上限 {MAX_WIDTH}）")


_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\d*|\*)(?:\.(\d*|\*))?")


def _check_percent(fmt: str) -> None:
    for m in _PERCENT_SPEC.finditer(fmt):
        for g in m.groups():
            if g == "*":
                raise _refuse("在 % 格式中使用了“*”宽度")
            if g and (len(g) > 6 or int(g) > MAX_WIDTH):
                raise _refuse(f"使用了 {g} 的格式宽度或精度（上限 {MAX_WIDTH}）")


class _Formatter(string.Formatter):
    """str.format in the sandbox: no attribute or index access beyond the sandbox's, bounded widths."""

    def __init__(self, env: _BoundedEnvironment) -> None:
        self._env = env

    def get_field(self, field_name: str, args: Any, kwargs: Any) -> tuple[Any, str]:
        import _string  # the parser str.format itself uses

        first, rest = _string.formatter_field_name_split(field_name)
        obj = self.get_value(first, args, kwargs)
        for is_attr, i in rest:
            obj = self._env.getattr(obj, i) if is_attr else self._env.getitem(obj, i)
        return obj, first

    def format_field(self, value: Any, format_spec: str) -> Any:
        _check_spec(format_spec)
        return super().format_field(value, format_spec)


class _BoundedEnvironment(SandboxedEnvironment):
    """The sandbox with every operation a template can make expensive bounded."""

    intercepted_binops = frozenset(["**", "*", "%", "+", "//"])

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
                if right * abs(left).bit_length() > MAX_INT_BITS:
                    raise _refuse(f"要计算 {abs(left).bit_length()} 位二进制数的 {right} 次方")
        elif operator == "*":
            seq, n = (left, right) if isinstance(right, int) else (right, left)
            if isinstance(seq, (str, list, tuple)) and isinstance(n, int):
                _check_size(len(seq) * max(n, 0), "重复")
            elif isinstance(left, int) and isinstance(right, int):
                if left.bit_length() + right.bit_length() > MAX_INT_BITS:
                    raise _refuse("要计算位数过多的乘积")
        elif operator == "+":
            if isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
                _check_size(len(left) + len(right), "拼接")
        elif operator == "%" and isinstance(left, str):
            _check_percent(left)
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        f_self = value.__self__
        is_map = value.__name__ == "format_map"
        formatter = _Formatter(self)

        def bounded(*args: Any, **kwargs: Any) -> str:
            if is_map:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() 只接受一个参数")
                kwargs, args = args[0], ()
            specs = [spec or "" for _, _, spec, _ in formatter.parse(f_self)]
            if "{" in "".join(specs):
                raise _refuse("在格式说明中嵌套了替换字段")
            if isinstance(f_self, Markup):       # the sandbox's escaping formatter, widths checked
                for spec in specs:
                    _check_spec(spec)
                out = wrapped(*args, **kwargs) if not is_map else wrapped(kwargs)
                _check_size(len(out), "格式化文字")
                return out
            out = formatter.vformat(f_self, args, kwargs)
            _check_size(len(out), "格式化文字")
            return out
        return bounded

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        name = getattr(__obj, "__name__", "")
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str):
            if name in ("center", "ljust", "rjust", "zfill") and args and isinstance(args[0], int):
                if args[0] > MAX_WIDTH:
                    raise _refuse(f"要把文字补齐到 {args[0]} 个字符（上限 {MAX_WIDTH}）")
            elif name == "expandtabs" and args and isinstance(args[0], int) and args[0] > 64:
                raise _refuse("使用了过大的制表符宽度")
            elif name == "replace" and len(args) >= 2 and isinstance(args[0], str) \
                    and isinstance(args[1], str):
                hits = owner.count(args[0]) if args[0] else len(owner) + 1
                _check_size(len(owner) + hits * len(args[1]), "替换结果")
        return super().call(__context, __obj, *args, **kwargs)


def _bounded_range(*args: int) -> range:
    rng = range(*args)
    if len(rng) > MAX_RANGE:
        raise _refuse(f"使用了 {len(rng)} 项的 range()（上限 {MAX_RANGE} 项）")
    return rng


def _bounded_lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    if not all(isinstance(v, int) for v in (n, min, max)) or n > MAX_LIPSUM or max > 1000 or min > max:
        raise _refuse(f"调用 lipsum({n}) 生成过多的文字（上限 {MAX_LIPSUM} 段）")
    from jinja2.utils import generate_lorem_ipsum
    return str(generate_lorem_ipsum(n=n, html=html, min=min, max=max))


def _filter_center(value: Any, width: int = 80) -> str:
    if not isinstance(width, int) or width > MAX_WIDTH:
        raise _refuse(f"要把文字居中到 {width} 个字符（上限 {MAX_WIDTH}）")
    return str(value).center(width)


def _filter_indent(s: Any, width: int | str = 4, first: bool = False, blank: bool = False) -> str:
    if isinstance(width, int) and width > MAX_WIDTH or isinstance(width, str) and len(width) > MAX_WIDTH:
        raise _refuse("使用了过大的缩进")
    text = str(s)
    _check_size(len(text) + (text.count("\n") + 1) * (width if isinstance(width, int) else len(width)),
                "缩进结果")
    return jinja2.filters.do_indent(text, width, first, blank)


def _filter_format(value: Any, *args: Any, **kwargs: Any) -> str:
    _check_percent(str(value))
    return jinja2.filters.do_format(value, *args, **kwargs)


def _filter_replace(eval_ctx: Any, s: Any, old: str, new: str, count: int | None = None) -> str:
    text = str(s)
    hits = text.count(str(old)) if old else len(text) + 1
    _check_size(len(text) + hits * len(str(new)), "替换结果")
    return jinja2.filters.do_replace(eval_ctx, s, old, new, count)


def _filter_slice(value: Any, slices: int, fill_with: Any = None) -> Any:
    if not isinstance(slices, int) or slices > MAX_RANGE:
        raise _refuse(f"要把列表分成 {slices} 份（上限 {MAX_RANGE}）")
    return jinja2.filters.do_slice(value, slices, fill_with)


def _filter_wordwrap(environment: Any, s: str, width: int = 79, *args: Any, **kwargs: Any) -> str:
    if not isinstance(width, int) or width < 1:
        raise _refuse("使用了无效的换行宽度")
    return jinja2.filters.do_wordwrap(environment, s, width, *args, **kwargs)


_filter_replace = jinja2.pass_eval_context(_filter_replace)
_filter_wordwrap = jinja2.pass_environment(_filter_wordwrap)


@lru_cache(maxsize=8)
def _environment(user_dir: str | None) -> jinja2.Environment:
    if user_dir is None:
        return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)), **_OPTIONS)
    project = jinja2.FileSystemLoader(str(TEMPLATES_DIR))
    # the project's own templates stay reachable as "nianbao/…", so a user template
    # can {% extends "nianbao/report.html.j2" %} and override only some blocks
    loader = jinja2.ChoiceLoader([_FolderLoader(user_dir), project,
                                  jinja2.PrefixLoader({BASE_PREFIX: project})])
    env = _BoundedEnvironment(loader=loader, **_OPTIONS)
    env.globals["range"] = _bounded_range
    env.globals["lipsum"] = _bounded_lipsum
    env.filters.update(center=_filter_center, indent=_filter_indent, format=_filter_format,
                       replace=_filter_replace, slice=_filter_slice, wordwrap=_filter_wordwrap)
    return env


def _bounded_render(env: jinja2.Environment, template: jinja2.Template, context: dict[str, Any]) -> str:
    """Render ``template`` counting the lines of template code run, the time and the output."""
    deadline = time.monotonic() + MAX_RENDER_SECONDS
    steps = [0]

    def local(frame: Any, event: str, arg: Any) -> Any:
        if event == "line":
            steps[0] += 1
            if steps[0] > MAX_TEMPLATE_STEPS:
                raise _refuse(f"运行了超过 {MAX_TEMPLATE_STEPS} 步（可能是嵌套过深的循环）")
            if steps[0] % 4096 == 0 and time.monotonic() > deadline:
                raise _refuse(f"运行超过 {MAX_RENDER_SECONDS:.0f} 秒")
        return local

    def tracer(frame: Any, event: str, arg: Any) -> Any:
        if event == "call" and frame.f_globals.get("environment") is env:
            return local
        return None

    parts: list[str] = []
    size = 0
    old = sys.gettrace()
    sys.settrace(tracer)
    try:
        gen: Iterator[str] = template.generate(context)
        for chunk in gen:
            size += len(chunk)
            if size > MAX_OUTPUT_CHARS:
                raise _refuse(f"生成的文字超过 {MAX_OUTPUT_CHARS} 个字符")
            if time.monotonic() > deadline:
                raise _refuse(f"运行超过 {MAX_RENDER_SECONDS:.0f} 秒")
            parts.append(chunk)
    finally:
        sys.settrace(old)
    return "".join(parts)


def environment(template_dir: Path | None = None) -> jinja2.Environment:
    """The environment for the project's templates, or for a user folder over them (sandboxed)."""
    if template_dir is None:
        return _environment(None)
    p = Path(template_dir)
    if not p.is_dir():
        raise RenderError(f"模板文件夹“{p}”不存在或不是文件夹，请检查设置中的模板文件夹。")
    return _environment(str(p.resolve()))


def render_template(fmt: str, context: dict[str, Any], template_dir: Path | None = None) -> str:
    """Render the template for ``fmt`` ("txt", "html", "docx") with ``context``."""
    name = TEMPLATE_NAMES[fmt]
    env = environment(template_dir)
    where = "自定义模板" if template_dir is not None else "模板"
    try:
        template = env.get_template(name)
        if template_dir is None:
            return template.render(context)
        return _bounded_render(env, template, context)
    except SecurityError as exc:
        raise RenderError(f"{where}“{name}”试图访问不允许的内容，已被安全沙箱阻止：{exc}。"
                          "请检查模板，只使用报告提供的字段。") from exc
    except jinja2.TemplateNotFound as exc:
        raise RenderError(f"找不到{where}“{exc.name}”，请检查模板文件夹。") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"{where}“{exc.name or name}”第 {exc.lineno} 行有语法错误："
                          f"{exc.message}。") from exc
    except jinja2.UndefinedError as exc:
        raise RenderError(f"{where}“{name}”使用了报告中没有的名称：{exc.message}。"
                          "请检查拼写。") from exc
    except jinja2.TemplateError as exc:
        raise RenderError(f"{where}“{name}”无法生成文档：{exc}。") from exc
    except RenderError:
        raise
    except RecursionError as exc:
        raise RenderError(f"{where}“{name}”引用了自身（例如 extends 自己），无法生成文档。"
                          f"要在默认模板基础上修改，请写 {{% extends \"{BASE_PREFIX}/{name}\" %}}。") from exc
    except MemoryError as exc:
        raise RenderError(f"{where}“{name}”需要的内存过多，已停止生成。请检查模板。") from exc
    except Exception as exc:
        raise RenderError(f"{where}“{name}”运行出错（{type(exc).__name__}：{str(exc)[:200]}）。"
                          "请检查模板。") from exc

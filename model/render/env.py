"""The Jinja environment: the project's templates, optionally overridden by a user folder.

Without a user folder the templates are the project's own (``templates/``).
With one, its templates take precedence (a ChoiceLoader) and every template is
rendered in Jinja's sandbox, because a user folder may hold anything.  The
project's templates stay reachable as ``nianbao/<name>`` so a user template can
extend one and override its blocks.  Both use
``StrictUndefined`` so a misspelt name fails loudly instead of printing nothing.
Every Jinja failure becomes a :class:`RenderError` with a Chinese message.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from ..errors import RenderError
from ..paths import TEMPLATES_DIR

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


@lru_cache(maxsize=8)
def _environment(user_dir: str | None) -> jinja2.Environment:
    if user_dir is None:
        return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)), **_OPTIONS)
    project = jinja2.FileSystemLoader(str(TEMPLATES_DIR))
    # the project's own templates stay reachable as "nianbao/…", so a user template
    # can {% extends "nianbao/report.html.j2" %} and override only some blocks
    loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(user_dir), project,
                                  jinja2.PrefixLoader({BASE_PREFIX: project})])
    return SandboxedEnvironment(loader=loader, **_OPTIONS)


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
        return template.render(context)
    except SecurityError as exc:
        raise RenderError(f"{where}“{name}”试图访问不允许的内容，已被安全沙箱阻止：{exc}。"
                          "请检查模板，只使用报告提供的字段。") from exc
    except jinja2.TemplateNotFound as exc:
        raise RenderError(f"找不到{where}“{exc.name}”，请检查模板文件夹。") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"{where}“{exc.name or name}”第 {exc.lineno} 行有语法错误：{exc.message}。") from exc
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
    except (TypeError, ValueError, AttributeError, KeyError, ZeroDivisionError) as exc:
        raise RenderError(f"{where}“{name}”运行出错：{exc}。请检查模板。") from exc

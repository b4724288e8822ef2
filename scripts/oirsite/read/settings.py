"""The site's settings: what mkdocs.yml says that the content flow needs, read one way for
scripts/build.py and for the engine's hooks alike, every value checked and reported at its line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
import yaml_env_tag

from ..core.diagnostics import Diagnostics
from ..core.text import position

CONFIG_FILE = "mkdocs.yml"
ENGINE_EXTENSIONS = ("toc", "tables", "fenced_code")  # MkDocs adds these to every site's extensions


@dataclass
class Settings:
    root: Path
    docs_dir: str = "docs"
    content_dir: str = "content"
    recent_events: int = 3
    review_max_age_days: int = 365  # extra.review_max_age_days: older reviews are listed for editors
    source_max_age_years: int | None = None  # extra.source_max_age_years: entries whose sources are older are listed
    site_url: str = "http://127.0.0.1:8000/"
    site_name: str = "International Medical Relations"
    drafts: bool = False  # mkdocs serve: leftover placeholders are warnings, not errors
    # mkdocs.yml's validation.links.anchors is 'warn': a link to a missing part of a page fails the
    # (strict) build, so the check reports it first.
    check_anchors: bool = field(default=False, compare=False)
    # The Markdown extensions and their settings, as the engine uses them: the check renders risky
    # texts with them. (Not compared: the engine's copy holds the same, written its own way.)
    markdown_extensions: list | None = field(default=None, compare=False)  # None: as mkdocs.yml says
    mdx_configs: dict = field(default_factory=dict, compare=False)


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml for our settings only: ``!ENV`` as MkDocs reads it (the same library),
    MkDocs's other tags as nothing."""


_ConfigLoader.add_constructor("!ENV", yaml_env_tag.construct_env_tag)
_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def _config(root: Path, config_file: str) -> dict:
    config = yaml.load((root / config_file).read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    return config if isinstance(config, dict) else {}


def read_settings(root: Path, diagnostics: Diagnostics, config_file: str = CONFIG_FILE) -> Settings:
    """Our settings from mkdocs.yml, as ``settings_from`` makes them (the hooks call it too)."""
    try:
        config = _config(root, config_file)
    except FileNotFoundError:
        return Settings(root)
    except (ValueError, RecursionError):  # a number past int's digit limit, values nested past the stack
        diagnostics.error(config_file, 1, 1, "config", "cannot read the settings: a value is too large "
                          "(a number of thousands of digits) or nested too deep")
        return Settings(root)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        diagnostics.error(config_file, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1,
                          "config", f"cannot read the settings: {getattr(exc, 'problem', None) or exc}")
        return Settings(root)
    extensions, options = _markdown(config)
    settings = settings_from(root, docs_dir=config.get("docs_dir") or "docs", site_url=config.get("site_url"),
                             site_name=config.get("site_name"), extra=config.get("extra"), diagnostics=diagnostics,
                             config_file=config_file, markdown_extensions=extensions, mdx_configs=options)
    # validation.links.anchors (or the shorthand validation.anchors) 'warn' makes a link to a missing
    # anchor a warning, which fails the strict build (MkDocs's default is 'info').
    validation = config.get("validation") if isinstance(config.get("validation"), dict) else {}
    links = validation.get("links")
    level = links.get("anchors") if isinstance(links, dict) else None
    settings.check_anchors = str(validation.get("anchors") if level is None else level).lower() == "warn"
    return settings


def settings_from(root: Path, *, docs_dir: Any, site_url: Any, site_name: Any, extra: Any, diagnostics: Diagnostics,
                  config_file: str = CONFIG_FILE, drafts: bool = False,
                  markdown_extensions: list | None = None, mdx_configs: dict | None = None) -> Settings:
    """The one way mkdocs.yml's values become our settings, for scripts/build.py and for the hooks
    alike (so that both make equal settings, and the content flow runs once): every value checked
    and reported at its line, the folder normalized relative to the project."""
    settings = Settings(root, drafts=drafts, markdown_extensions=markdown_extensions, mdx_configs=mdx_configs or {})
    docs = Path(str(docs_dir))
    docs = (docs if docs.is_absolute() else root / docs).resolve()
    try:
        settings.docs_dir = docs.relative_to(root.resolve()).as_posix()
    except ValueError:
        diagnostics.error(config_file, _line_of(root / config_file, "docs_dir"), 1, "config",
                          f"docs_dir must be a folder inside the project, not '{docs_dir}'")
    site_url = str(site_url or settings.site_url)
    settings.site_url = site_url if site_url.endswith("/") else site_url + "/"  # as MkDocs keeps it
    settings.site_name = str(site_name or settings.site_name)
    extra = dict(extra.items()) if hasattr(extra, "items") else {}  # MkDocs's is a mapping, not a dict
    for name in ("recent_events", "review_max_age_days", "source_max_age_years"):
        value = extra.get(name, getattr(settings, name))
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            diagnostics.error(config_file, _line_of(root / config_file, name), 1, "config",
                              f"extra.{name} must be a whole number of 1 or more, not {value!r}")
        else:
            setattr(settings, name, value)
    return settings


def _line_of(config: Path, key: str) -> int:
    """The line of mkdocs.yml where ``key:`` is written (1 if it is not found)."""
    try:
        text = config.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return 1
    match = re.search(rf"^[ \t]*{re.escape(key)}[ \t]*:", text, re.MULTILINE)
    return position(text, match.start())[0] if match else 1


def engine_markdown(root: Path, config_file: str = CONFIG_FILE) -> tuple[list[str], dict[str, dict]]:
    """The Markdown extensions the engine uses for this site, and their settings."""
    try:
        return _markdown(_config(root, config_file))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, ValueError, RecursionError):
        return _markdown({})  # reported by read_settings where it matters


def _markdown(config: dict) -> tuple[list[str], dict[str, dict]]:
    """MkDocs's own extensions, then those of mkdocs.yml's ``markdown_extensions``, and their settings."""
    names: list[str] = []
    options: dict[str, dict] = {}
    for item in config.get("markdown_extensions") or []:
        if isinstance(item, dict):
            for name, value in item.items():
                names.append(str(name))
                options[str(name)] = dict(value) if isinstance(value, dict) else {}
        elif isinstance(item, str):
            names.append(item)
    return [*ENGINE_EXTENSIONS, *(name for name in names if name not in ENGINE_EXTENSIONS)], options

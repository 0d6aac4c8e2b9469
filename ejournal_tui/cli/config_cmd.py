"""`ejournal config init|show`: the settings file. `init` writes it, commented, readable by its
owner only (it may name the database server, with a password in the URL, and the backup key
file); `show` prints the settings in effect and where each came from."""

from __future__ import annotations

import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from ejournal_tui.cli.state import STATE
from ejournal_tui.i18n import register_many, t

register_many({
    "config.exists": (
        "файл настроек {path} уже есть: добавьте --force, чтобы переписать его",
        "the settings file {path} already exists: add --force to overwrite it",
    ),
    "config.cannot_write": ("не удаётся записать файл настроек {path}: {detail}", "cannot write the settings file {path}: {detail}"),
    "config.written": ("записано: {path} (доступ только владельцу)", "written: {path} (readable by its owner only)"),
    "config.file": ("файл настроек: {path} ({state})", "settings file: {path} ({state})"),
    "config.absent": ("нет; ejournal config init создаст его", "absent; ejournal config init writes one"),
    "config.mode": ("права {mode}", "mode {mode}"),
    "config.open": (
        "предупреждение: файл настроек доступен не только владельцу: выполните chmod 600 {path}",
        "warning: the settings file is readable by others: chmod 600 {path}",
    ),
    "config.unknown": ("неизвестные настройки в файле (опечатка?): {names}", "settings this program does not know (a typo?): {names}"),
})

# the command line's global options and the setting each one gives
_OPTIONS = {"db": "--db", "school": "--school", "lang": "--lang"}


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="The settings file: write a commented one, show the settings in effect.",
                        no_args_is_help=True)
    app.add_typer(group, name="config")
    group.command("init")(init_cmd)
    group.command("show")(show_cmd)


def settings_path() -> Path:
    from ejournal_tui.config import default_config_path

    return Path(STATE.config_file).expanduser() if STATE.config_file else default_config_path()


def init_cmd(
    ctx: typer.Context,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing settings file")] = False,
) -> None:
    """Write a commented settings file (mode 0600, its folder 0700 when created) at the
    configured path: --config, EJOURNAL_CONFIG_FILE or the user config directory. Settings given
    now (--db, --school, --lang, EJOURNAL_* variables, and the old file's with --force) are
    written in; the others are left commented out with an example.

    Example: EJOURNAL_BACKUP_DIRS=/srv/ejournal-backup:/mnt/nas/ejournal ejournal --config /etc/ejournal/config.toml --db postgresql+psycopg://ejournal@localhost/school config init
    """
    from ejournal_tui.config import AppConfig, render_settings_file
    from ejournal_tui.domain.errors import InvalidInput

    path = settings_path()
    if path.exists() and not force:
        raise InvalidInput(what=t("config.exists", path=path))
    try:
        loaded = AppConfig.load_traced(STATE.config_file, file_too=path.exists())
    except InvalidInput:
        loaded = AppConfig.load_traced(STATE.config_file, file_too=False)  # --force over a broken file: start afresh
    write_private(path, render_settings_file(_given_values(loaded, ctx), path))
    print(t("config.written", path=path))


def _given_values(loaded, ctx: typer.Context) -> dict[str, object]:  # noqa: ANN001
    values = {name: getattr(loaded.config, name) for name, source in loaded.sources.items() if source != "default"}
    for name, value in _option_values(ctx).items():
        values[name] = value
    return values


def _option_values(ctx: typer.Context) -> dict[str, str]:
    """Settings given as global options on this command line (not through their variables)."""
    root = ctx.find_root()
    out = {}
    for name in _OPTIONS:
        source = root.get_parameter_source(name)  # click's ParameterSource (Typer vendors click)
        if getattr(source, "name", "") == "COMMANDLINE" and root.params.get(name):
            out[name] = root.params[name]
    return out


def write_private(path: Path, content: str) -> None:
    """Write `content` to `path` readable by its owner only, whatever the umask: a new file
    (mode 0600 from its creation) renamed over the old one; a folder created on the way is 0700."""
    from ejournal_tui.domain.errors import InvalidInput

    try:
        _make_folder(path.parent)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)  # created 0600
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(content)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise InvalidInput(what=t("config.cannot_write", path=path, detail=exc.strerror or exc)) from exc


def _make_folder(folder: Path) -> None:
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for created in reversed(missing):
        created.mkdir(mode=0o700)
        os.chmod(created, 0o700)  # mkdir's mode is cut by the umask


def show_cmd(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """The settings in effect and where each came from: the command line, an environment
    variable, the settings file or the default.

    Example: ejournal config show --json
    """
    from ejournal_tui.config import AppConfig
    from ejournal_tui.i18n import set_language

    path = settings_path()
    loaded = AppConfig.load_traced(STATE.config_file)
    if "lang" not in _option_values(ctx):
        set_language(loaded.config.lang or None)  # the main callback left the file unread for `config`
    settings = _effective(loaded, ctx)
    mode = stat.S_IMODE(path.stat().st_mode) if loaded.file_exists else None
    if as_json:
        print(json.dumps({"file": str(path), "exists": loaded.file_exists,
                          "mode": f"{mode:04o}" if mode is not None else None, "unknown": loaded.unknown,
                          "settings": settings}, ensure_ascii=False))
        return
    state = t("config.mode", mode=f"{mode:04o}") if mode is not None else t("config.absent")
    print(t("config.file", path=path, state=state))
    for name, item in settings.items():
        value = item["value"]
        shown = ", ".join(value) if isinstance(value, list) else value
        print(f"  {name:<24} {shown if shown not in ('', None) else '-'}    [{item['source']}]")
    if mode is not None and mode & 0o077:
        print(t("config.open", path=path))
    if loaded.unknown:
        print(t("config.unknown", names=", ".join(loaded.unknown)))


def _effective(loaded, ctx: typer.Context) -> dict[str, dict[str, object]]:  # noqa: ANN001
    from ejournal_tui.i18n import language

    out: dict[str, dict[str, object]] = {}
    given = _option_values(ctx)
    for name, source in loaded.sources.items():
        value = getattr(loaded.config, name)
        if name in given:
            value, source = given[name], f"option {_OPTIONS[name]}"
        elif source == "file":
            source = f"file {loaded.file}"
        elif source == "default":
            value, source = _default(name, value, language())
        out[name] = {"value": _hide_password(value) if name == "db" else value, "source": source}
    return out


def _default(name: str, value: object, lang: str) -> tuple[object, str]:
    if name == "db":
        from platformdirs import user_data_path

        return f"sqlite:///{user_data_path('ejournal') / 'ejournal.db'}", "default (user data directory)"
    if name == "lang":
        return lang, "default (system locale)"
    return value, "default"


def _hide_password(url: object) -> object:
    if not isinstance(url, str) or not url:
        return url
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a malformed URL is shown as written; `db check` says what is wrong
        return url


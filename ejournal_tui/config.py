"""Program settings: a TOML file in the user config directory, overridden by environment
variables `EJOURNAL_<NAME>` and then by command-line options.

These are the workstation's settings (which database, which school, language, backup
destinations). The school's rules (DOMAIN.md's settings table) live in the database.
`render_settings_file` writes the file `ejournal config init` creates: every setting with what
it means, the ones given a value active, the others commented out with an example.
"""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from ejournal_tui.domain.errors import InvalidInput
from ejournal_tui.i18n import Phrase, register_many

register_many(
    {
        "config.no_file": ("файл настроек {file} не существует (его создаёт «ejournal config init»)",
                           "settings file {file} does not exist (ejournal config init writes one)"),
        "config.bad_file": ("файл настроек {file}: {detail}", "settings file {file}: {detail}"),
        "config.must_be_list": ("файл настроек {file}: {name} должен быть списком строк",
                                "settings file {file}: {name} must be a list of strings"),
        "config.must_be_int": ("файл настроек {file}: {name} должен быть целым числом",
                               "settings file {file}: {name} must be a whole number"),
        "config.must_be_str": ("файл настроек {file}: {name} должен быть строкой в кавычках",
                               "settings file {file}: {name} must be a string in quotes"),
        "config.not_number": ("ожидалось число, а не «{raw}»", "expected a number, got {raw!r}"),
    }
)


def default_config_path() -> Path:
    from platformdirs import user_config_path

    return user_config_path("ejournal") / "config.toml"


@dataclass
class AppConfig:
    # database URL: sqlite:///path or postgresql+psycopg://user@host/db
    db: str = ""
    # school code, when the database holds several
    school: str = ""
    # interface language: ru | en | "" (from the system locale)
    lang: str = ""
    # folders every backup is written to (two media in different rooms)
    backup_dirs: list[str] = field(default_factory=list)
    # file whose first line is the backup passphrase (the director's code)
    backup_passphrase_file: str = ""
    # connection pool size for PostgreSQL
    pool_size: int = 5
    # seconds before a silent network to PostgreSQL is given up (0: as the system does, hours)
    network_timeout: int = 10
    # seconds the PostgreSQL server may spend on one statement of the TUI (0: no limit)
    statement_timeout: int = 30
    # minutes before an idle workstation locks (overrides the school's setting when > 0)
    idle_lock_minutes: int = 0
    # parents' e-mail (notify parents): the school's mail server or mail account
    smtp_host: str = ""
    smtp_port: int = 587
    # starttls | ssl | none (none only for a server on this machine or the school's LAN)
    smtp_security: str = "starttls"
    smtp_user: str = ""
    # file whose first line is the mail account's password (never the password itself)
    smtp_password_file: str = ""
    # the sender: "Школа № 1 <journal@school1.example.org>"
    smtp_from: str = ""

    @classmethod
    def load(cls, path: str | Path | None = None) -> AppConfig:
        """The settings file (if any), then `EJOURNAL_*` variables on top."""
        return cls.load_traced(path).config

    @classmethod
    def load_traced(cls, path: str | Path | None = None, *, file_too: bool = True) -> LoadedConfig:
        """The settings with where each came from; `file_too=False` leaves the file out."""
        explicit = path or os.environ.get("EJOURNAL_CONFIG_FILE")
        file = Path(explicit).expanduser() if explicit else default_config_path()
        data = _read_file(file, required=bool(explicit)) if file_too else {}
        config, sources = cls(), {}
        for f in fields(cls):
            sources[f.name] = "default"
            if f.name in data:
                setattr(config, f.name, _checked(f.name, data[f.name], getattr(config, f.name), file))
                sources[f.name] = "file"
            env = os.environ.get(env_name(f.name))
            if env is not None:
                setattr(config, f.name, _coerce(env, getattr(config, f.name)))
                sources[f.name] = env_name(f.name)
        unknown = sorted(k for k in data if k not in sources)
        return LoadedConfig(config, sources, file, file.exists(), unknown)


@dataclass
class LoadedConfig:
    config: AppConfig
    sources: dict[str, str]  # setting -> "default" | "file" | "EJOURNAL_<NAME>"
    file: Path
    file_exists: bool
    unknown: list[str]  # keys of the file this program does not know (typos)


def env_name(setting: str) -> str:
    return f"EJOURNAL_{setting.upper()}"


def _read_file(file: Path, *, required: bool) -> dict:
    if not file.exists():
        if required:
            raise InvalidInput(what=Phrase("config.no_file", file=file))
        return {}
    try:
        return tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput(what=Phrase("config.bad_file", file=file, detail=exc)) from exc
    except OSError as exc:
        raise InvalidInput(what=Phrase("config.bad_file", file=file, detail=exc.strerror or exc)) from exc


def _checked(name: str, value: object, default: object, file: Path) -> object:
    """A value of the file, if it has the setting's type (a wrong one is named, not guessed)."""
    if isinstance(default, list):
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        kind = "list"
    elif isinstance(default, int):
        ok, kind = isinstance(value, int) and not isinstance(value, bool), "int"
    else:
        ok, kind = isinstance(value, str), "str"
    if not ok:
        raise InvalidInput(what=Phrase(f"config.must_be_{kind}", file=file, name=name))
    return value


def _coerce(raw: str, current: object) -> object:
    if isinstance(current, list):
        return [p for p in raw.split(os.pathsep) if p]
    if isinstance(current, int):
        try:
            return int(raw)
        except ValueError as exc:
            raise InvalidInput(what=Phrase("config.not_number", raw=raw)) from exc
    return raw


# what each setting means and an example of it, for the file `config init` writes
HELP: dict[str, tuple[str, object]] = {
    "db": ("Database URL: sqlite:///path/to/file.db or postgresql+psycopg://user@host/db (TLS options go\n"
           "in the URL, e.g. ?sslmode=verify-full). Default: a SQLite file in the user data directory.",
           "postgresql+psycopg://ejournal@school-server/ejournal"),
    "school": ("School code, when the database holds several schools (a district server).", "school-1"),
    "lang": ("Interface language: ru or en. Default: from the system locale.", "ru"),
    "backup_dirs": ("Folders every backup is written to: two media in different rooms\n"
                    "(`backup create --to DIR` overrides them).", ["/srv/ejournal-backup", "/mnt/nas/ejournal"]),
    "backup_passphrase_file": ("File whose first line is the backup passphrase (chmod 600); --passphrase-file\n"
                               "and EJOURNAL_BACKUP_PASSPHRASE win over it.", "/etc/ejournal/backup.key"),
    "pool_size": ("Connections to PostgreSQL this workstation keeps open.", 5),
    "network_timeout": ("Seconds of silence from the PostgreSQL server (a dead network or switch) before a\n"
                        "statement fails and the TUI offers to reconnect; 0: wait as long as the system does.", 10),
    "statement_timeout": ("Seconds the PostgreSQL server may spend on one statement of the TUI (a wait on a lock\n"
                          "held by a workstation gone silent); the CLI's backups and exports are never cut. 0: no limit.", 30),
    "idle_lock_minutes": ("Minutes before an idle workstation locks; 0: the school's own setting.", 10),
    "smtp_host": ("Parents' e-mail (ejournal notify parents): the school's mail server, or its mail provider's.",
                  "smtp.school1.example.org"),
    "smtp_port": ("Its port: 587 for starttls, 465 for ssl, 25 for a server on this machine or the school's LAN.", 587),
    "smtp_security": ("starttls, ssl, or none (none only for a server on this machine or the school's LAN).",
                      "starttls"),
    "smtp_user": ("The mail account to sign in as; empty: the server takes mail without signing in.",
                  "journal@school1.example.org"),
    "smtp_password_file": ("File whose first line is the mail account's password (chmod 600; a file others can\n"
                           "read is refused).", "/etc/ejournal/smtp.password"),
    "smtp_from": ("The sender parents see: a name and the address of the school's journal.",
                  "Школа № 1 <journal@school1.example.org>"),
}


def toml_value(value: object) -> str:
    """`value` (a string, a whole number or a list of strings) as TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    # a JSON string is a TOML basic string, but for DEL, which TOML wants escaped
    return json.dumps(str(value), ensure_ascii=False).replace("\x7f", "\\u007f")


def render_settings_file(values: dict[str, object], path: Path) -> str:
    """The commented settings file: each setting in `values` active, the others as examples."""
    lines = [
        f"# ejournal settings ({path}), written by `ejournal config init`.",
        "# Readable by its owner only: it may name the database server and the backup key file.",
        "# An environment variable EJOURNAL_<NAME> (EJOURNAL_DB, EJOURNAL_BACKUP_DIRS, …) wins over",
        "# this file; --db, --school and --lang on the command line win over both.",
        "# `ejournal config show` prints the settings in effect and where each came from.",
    ]
    for f in fields(AppConfig):
        text, example = HELP[f.name]
        lines.append("")
        lines += [f"# {line}" for line in text.splitlines()]
        if f.name in values:
            lines.append(f"{f.name} = {toml_value(values[f.name])}")
        else:
            lines.append(f"# {f.name} = {toml_value(example)}")
    return "\n".join(lines) + "\n"

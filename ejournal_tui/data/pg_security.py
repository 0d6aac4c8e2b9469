"""PostgreSQL: the register's roles, and the database's own refusal of quiet rewrites.

Two roles. The *owner* owns the tables: it runs `db upgrade`, backups and restores, and the
demo's bulk load. The *workstation role* (default `<database>_ws`) is what classroom PCs log in
as: it reads and writes the register's tables but alters nothing, and may only append to the
change log. On a district database each school's workstations log in as a role of their own
(`<ws>_<code>`, a member of the workstation role) and row-level security shows them their
school's rows only.

What the database enforces for every role but the owner (and superusers):

- `auditevent` is append-only: UPDATE, DELETE and TRUNCATE are refused by a trigger (and not
  granted). Each appended event must link to the one before it, checked at commit.
- `audithead` (the chain's head, which the program moves while appending) may only move
  forward, onto an event that exists with that sequence number and hash (checked at commit);
  a new head only starts at 0. The workstation role gets UPDATE of `seq` and `hash` only:
  the program's append statement locks and moves the head itself.
- A change to `mark`, `attendance`, `finalmark` or `lesson` commits only if the same
  transaction appended a change-log event, that is moved a chain head forward (onto an event,
  checked at commit). Moving a head sets a transaction-local marker, a keyed hash of the
  transaction id whose key only the owner can read, so a client cannot set the marker itself;
  a deferred constraint trigger checks it at commit.

What they cost a mark typed: the head's move sets the marker (one call), and at commit one
check each for the event's link, the head's event and the marker (bench/pg_guard_cost.py).
The triggers' conditions that hold for every honest write are in their WHEN clauses, so
their functions run only to refuse.

The triggers, functions and policies (which name no role) are (re)installed by every
`upgrade()` on PostgreSQL;
the roles and grants by `ejournal db upgrade` when the connecting role may create roles.
Internals live in a schema of their own (`ejournal_guard`, or `<schema>_guard` beside a
schema other than `public`) so that the register's schema holds only the register.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import IntegrityError, ProgrammingError

from ejournal_tui.data import pg_append

GUARDED_TABLES = ("mark", "attendance", "finalmark", "lesson")
LOG_TABLES = ("auditevent", "audithead")
MARKER = "ejournal.logged"

# (trigger name, table) pairs install_guards creates: db check looks for each, enabled
EXPECTED_TRIGGERS: tuple[tuple[str, str], ...] = (
    ("ejournal_append_only", "auditevent"),
    ("ejournal_append_only_truncate", "auditevent"),
    ("ejournal_event_links", "auditevent"),
    ("ejournal_head_starts", "audithead"),
    ("ejournal_head_forward", "audithead"),
    ("ejournal_head_on_event", "audithead"),
    ("ejournal_head_no_truncate", "audithead"),
    *(("ejournal_needs_event", t) for t in GUARDED_TABLES),
)
POLICY = "ejournal_school"
# what earlier versions installed and this one drops (the marker was set by the event's insert)
_RETIRED_TRIGGERS = (("ejournal_event_marks", "auditevent"),)
_RETIRED_FUNCTIONS = ("mark_logged()", "logged()")


@dataclass(frozen=True)
class Names:
    """The schema of the register, the guard schema beside it, the owner, the workstation role."""

    schema: str
    guard: str
    owner: str
    workstation: str

    @classmethod
    def of(cls, conn: Connection, workstation: str | None = None) -> Names:
        schema, db, owner = conn.execute(text(
            "SELECT current_schema(), current_database(), "
            "(SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = to_regclass('auditevent'))"
        )).one()
        return cls(schema, guard_schema(schema), owner or "", workstation or default_workstation_role(db))


def guard_schema(schema: str) -> str:
    """Where the guards of the register in `schema` live."""
    return "ejournal_guard" if schema == "public" else f"{schema}_guard"


def default_workstation_role(database: str) -> str:
    return f"{database}_ws"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def owner_problem(conn: Connection) -> tuple[str, str] | None:
    """None when this connection acts as the register's owner (or the server's superuser, or
    any role on SQLite, whose file is the database); else (the owner, the role connected): a
    workstation role, whose password every workstation holds, must not act as the owner."""
    if conn.dialect.name != "postgresql":
        return None
    n = Names.of(conn)
    user, owns = conn.execute(text("SELECT current_user, pg_catalog.pg_has_role(current_user, :o, 'USAGE')"),
                              {"o": n.owner}).one()
    return None if owns else (n.owner, user)


# --- the guards: functions, triggers, policies (no role needed but the owner) ---------------

def _not_owner(n: Names) -> str:
    return f"NOT pg_catalog.pg_has_role(CURRENT_USER, {_lit(n.owner)}::name, 'USAGE')"


def _marker(g: str) -> str:
    """The marker of this transaction: SHA-256 over the secret, the transaction id and the
    secret again. Only the owner (and so the SECURITY DEFINER functions) can read the secret,
    and a marker read back in one transaction is no use in another: the transaction id (64
    bits, never reused) is under the hash, and the secret closing the input keeps a known
    marker from being extended into another one."""
    return (f"(SELECT encode(sha256(convert_to(k.secret || ':' || pg_current_xact_id()::text || ':' || k.secret, "
            f"'UTF8')), 'hex') FROM {g}.key k)")


def guard_sql(n: Names) -> list[str]:
    """The statements that install the guards, in order (idempotent)."""
    s, g = _q(n.schema), _q(n.guard)
    # the definer's functions take nothing from the caller's search_path; the others run as
    # the caller, name everything by schema and skip the SET's cost on every call
    fn_opts = "SET search_path = pg_catalog, pg_temp"
    # The checks at commit look up one event by (school, seq). Planned while the change log is
    # small (a new school, right after ANALYZE) the lookup becomes a sequential scan, and the
    # plan stays with the session while the log grows: every commit then reads the whole log.
    # Without sequential scans the index is taken whatever the statistics say.
    by_index = "SET enable_seqscan = off"
    stmts = [
        f"CREATE SCHEMA IF NOT EXISTS {g}",
        f"REVOKE ALL ON SCHEMA {g} FROM PUBLIC",
        f"CREATE TABLE IF NOT EXISTS {g}.key (one boolean PRIMARY KEY DEFAULT true CHECK (one), secret text NOT NULL)",
        f"INSERT INTO {g}.key (secret) VALUES (md5(gen_random_uuid()::text) || md5(gen_random_uuid()::text)) "
        "ON CONFLICT DO NOTHING",
        f"REVOKE ALL ON {g}.key FROM PUBLIC",
        # which login role is which school's workstation (a district); unlisted: every school
        f"CREATE TABLE IF NOT EXISTS {g}.role_school (role_name name PRIMARY KEY, school_code text NOT NULL)",
        f"REVOKE ALL ON {g}.role_school FROM PUBLIC",
        *(f"DROP TRIGGER IF EXISTS {name} ON {s}.{table}" for name, table in _RETIRED_TRIGGERS),
        *(f"DROP FUNCTION IF EXISTS {g}.{func}" for func in _RETIRED_FUNCTIONS),
        # The register's change must come with an append: the head's move below set this
        # transaction's marker. The client can set `ejournal.logged` to anything, but not to
        # the keyed hash of its transaction id without the secret (see _marker). Set inside a
        # savepoint rolled back, the marker is rolled back with it. The definer's rights are
        # for reading the secret; a trigger function cannot be called but as a trigger.
        f"""CREATE OR REPLACE FUNCTION {g}.needs_event() RETURNS trigger LANGUAGE plpgsql
            SECURITY DEFINER {fn_opts} AS $$
            BEGIN
              IF current_setting('{MARKER}', true) IS DISTINCT FROM {_marker(g)} THEN
                RAISE EXCEPTION 'ejournal: % of %: no change-log event in the same transaction',
                  lower(TG_OP), TG_TABLE_NAME USING ERRCODE = '42501',
                  HINT = 'the register is changed through the program, which logs every change';
              END IF;
              RETURN NULL;
            END $$""",
        f"""CREATE OR REPLACE FUNCTION {g}.append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              RAISE EXCEPTION 'ejournal: the change log is append-only: % on % refused',
                TG_OP, TG_TABLE_NAME USING ERRCODE = '42501';
            END $$""",
        # one query: the head has reached the event, which follows the one before it
        f"""CREATE OR REPLACE FUNCTION {g}.event_links() RETURNS trigger LANGUAGE plpgsql {by_index} AS $$
            BEGIN
              IF NEW.prev_hash IS DISTINCT FROM coalesce((SELECT e.hash FROM {s}.auditevent e
                   WHERE e.school_id = NEW.school_id AND e.seq = NEW.seq - 1), CASE WHEN NEW.seq = 1 THEN '' END)
                 OR NOT EXISTS (SELECT 1 FROM {s}.audithead h
                   WHERE h.school_id = NEW.school_id AND h.seq >= NEW.seq) THEN
                RAISE EXCEPTION 'ejournal: change-log event % of school % does not continue the chain',
                  NEW.seq, NEW.school_id USING ERRCODE = '42501';
              END IF;
              RETURN NULL;
            END $$""",
        # called only when its trigger's WHEN found a new head not at 0
        f"""CREATE OR REPLACE FUNCTION {g}.head_starts() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              RAISE EXCEPTION 'ejournal: a change-log head starts at 0' USING ERRCODE = '42501';
            END $$""",
        # The one call of an append before its commit: a head may only move forward (within
        # its school), and moving it marks this transaction as one that appended. That it
        # landed on an event of this transaction is checked at commit (head_on_event: the
        # event it names exists; event_links: no committed event lies beyond a head, so an
        # event past the old head is this transaction's, the head's lock keeping others out).
        f"""CREATE OR REPLACE FUNCTION {g}.head_forward() RETURNS trigger LANGUAGE plpgsql
            SECURITY DEFINER {fn_opts} AS $$
            BEGIN
              IF NEW.school_id <> OLD.school_id OR NEW.seq <= OLD.seq THEN
                RAISE EXCEPTION 'ejournal: the change-log head only moves forward' USING ERRCODE = '42501';
              END IF;
              PERFORM set_config('{MARKER}', {_marker(g)}, true);
              RETURN NEW;
            END $$""",
        # the head as this move left it (a later move in the transaction queues its own check); one
        # index lookup, no join: this runs at every commit of a workstation
        f"""CREATE OR REPLACE FUNCTION {g}.head_on_event() RETURNS trigger LANGUAGE plpgsql {by_index} AS $$
            BEGIN
              IF NOT EXISTS (SELECT 1 FROM {s}.auditevent e
                   WHERE e.school_id = NEW.school_id AND e.seq = NEW.seq AND e.hash = NEW.hash) THEN
                RAISE EXCEPTION 'ejournal: the change-log head of school % is not on an event', NEW.school_id
                  USING ERRCODE = '42501';
              END IF;
              RETURN NULL;
            END $$""",
    ]
    stmts.append(f"""CREATE OR REPLACE FUNCTION {g}.schools(who name) RETURNS integer[] LANGUAGE plpgsql STABLE
            SECURITY DEFINER {fn_opts} AS $$
            BEGIN
              IF EXISTS (SELECT 1 FROM {g}.role_school WHERE role_name = who) THEN
                RETURN ARRAY(SELECT sc.id FROM {s}.school sc JOIN {g}.role_school r ON r.school_code = sc.code
                             WHERE r.role_name = who);
              END IF;
              RETURN ARRAY(SELECT id FROM {s}.school);
            END $$""")
    stmts.append(f"REVOKE ALL ON FUNCTION {g}.schools(name) FROM PUBLIC")
    stmts += pg_append.install_sql(s, g)  # not a guard: the program's append, its plan kept
    stmts += [f"REVOKE ALL ON FUNCTION {g}.{f}() FROM PUBLIC" for f in
              ("needs_event", "append_only", "event_links", "head_starts", "head_forward", "head_on_event")]
    stmts += _trigger_sql(n)
    return stmts


def _trigger_sql(n: Names) -> list[str]:
    s, g, w = _q(n.schema), _q(n.guard), _not_owner(n)
    deferred = "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
    # (name, table, timing, level, function, constraint trigger, what else WHEN must find)
    specs = [
        ("ejournal_append_only", "auditevent", "BEFORE UPDATE OR DELETE", "FOR EACH ROW", "append_only", False, ""),
        ("ejournal_append_only_truncate", "auditevent", "BEFORE TRUNCATE", "FOR EACH STATEMENT", "append_only",
         False, ""),
        ("ejournal_event_links", "auditevent", "AFTER INSERT", deferred, "event_links", True, ""),
        # every append makes sure its school has a head (INSERT … ON CONFLICT DO NOTHING): a
        # condition here costs nothing like a function call
        ("ejournal_head_starts", "audithead", "BEFORE INSERT", "FOR EACH ROW", "head_starts", False,
         "(NEW.seq IS DISTINCT FROM 0 OR NEW.hash IS DISTINCT FROM '')"),
        ("ejournal_head_forward", "audithead", "BEFORE UPDATE", "FOR EACH ROW", "head_forward", False, ""),
        ("ejournal_head_on_event", "audithead", "AFTER UPDATE", deferred, "head_on_event", True, ""),
        ("ejournal_head_no_truncate", "audithead", "BEFORE TRUNCATE OR DELETE", "FOR EACH STATEMENT",
         "append_only", False, ""),
        *(("ejournal_needs_event", t, "AFTER INSERT OR UPDATE OR DELETE", deferred, "needs_event", True, "")
          for t in GUARDED_TABLES),
    ]
    out = []
    for name, table, timing, level, func, constraint, also in specs:
        # the owner's own writes (restore, demo) queue nothing: WHEN is evaluated at once
        when = f"WHEN ({w}{f' AND {also}' if also else ''})"
        kind = "CONSTRAINT TRIGGER" if constraint else "TRIGGER"
        out.append(f"DROP TRIGGER IF EXISTS {name} ON {s}.{table}")
        out.append(f"CREATE {kind} {name} {timing} ON {s}.{table} {level} {when} EXECUTE FUNCTION {g}.{func}()")
    return out


def school_tables(conn: Connection, schema: str) -> list[str]:
    """The tables of the register whose rows carry `school_id` (the logs included)."""
    return list(conn.execute(text(
        "SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables t "
        "ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
        "WHERE c.table_schema = :s AND c.column_name = 'school_id' AND t.table_type = 'BASE TABLE' "
        "ORDER BY 1"), {"s": schema}).scalars())


def policy_sql(n: Names, tables: Iterable[str] | None = None, *, district: bool = True) -> list[str]:
    """Row-level security: a district school's login role sees and writes its school's rows
    only: `schools(role)` (the owner's function, over the owner's mapping) gives the schools a
    role may see; a role not in the mapping (a school's own server) sees every school. The owner
    is not subject to it (nor superusers)."""
    s, g = _q(n.schema), _q(n.guard)
    # one call per query (an InitPlan), not a subquery per row or per policy
    mine = f"= ANY ((SELECT {g}.schools(CURRENT_USER))::integer[])"
    rules = {"school": f"id {mine}", "groupmember": f"group_id IN (SELECT id FROM {s}.studygroup)"}
    for table in tables or ():
        rules[table] = f"school_id {mine}"
    out = []
    for table, rule in rules.items():
        out.append(f"DROP POLICY IF EXISTS {POLICY} ON {s}.{_q(table)}")
        if not district:  # one school: nothing to hide, and each query would pay for the check
            out.append(f"ALTER TABLE {s}.{_q(table)} DISABLE ROW LEVEL SECURITY")
            continue
        out += [f"ALTER TABLE {s}.{_q(table)} ENABLE ROW LEVEL SECURITY",
                f"CREATE POLICY {POLICY} ON {s}.{_q(table)} TO PUBLIC USING ({rule}) WITH CHECK ({rule})"]
    return out


def is_district(conn: Connection, n: Names) -> bool:
    """Row-level security is on once a school has a login role of its own (`db school-role`),
    or the database holds several schools."""
    return bool(conn.execute(text(
        f"SELECT EXISTS (SELECT 1 FROM {_q(n.guard)}.role_school) OR (SELECT count(*) FROM {_q(n.schema)}.school) > 1"
    )).scalar())


# --- roles and grants -----------------------------------------------------------------------

def grant_sql(n: Names, tables: Iterable[str]) -> list[str]:
    """What the workstation role may do: the register's tables, append to the change log."""
    s, g, ws = _q(n.schema), _q(n.guard), _q(n.workstation)
    register = [t for t in tables if t not in (*LOG_TABLES, "alembic_version")]
    out = [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {ws}",
        f"REVOKE CREATE ON SCHEMA {s} FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA {s}, {g} TO {ws}",
        f"GRANT SELECT ON {s}.alembic_version TO {ws}",
        f"GRANT SELECT, INSERT ON {s}.auditevent, {s}.audithead TO {ws}",
        # the program's append locks and moves the head; the triggers keep it honest
        f"GRANT UPDATE (seq, hash) ON {s}.audithead TO {ws}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {ws}",
        f"GRANT EXECUTE ON FUNCTION {g}.schools(name) TO {ws}",
        pg_append.grant_sql(g, ws),
    ]
    if register:
        out.append(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {', '.join(f'{s}.{_q(t)}' for t in register)} TO {ws}")
    return out


def role_sql(name: str, password: str | None, member_of: str | None = None) -> list[str]:
    """CREATE ROLE for a workstation role: NOLOGIN, or LOGIN with a password."""
    login = f"LOGIN PASSWORD {_lit(password)}" if password else "NOLOGIN"
    limits = "NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION INHERIT"
    out = [f"CREATE ROLE {_q(name)} {login} {limits}"]
    if member_of:
        out.append(f"GRANT {_q(member_of)} TO {_q(name)}")
    return out


@dataclass
class InstallReport:
    role: str = ""
    login: bool = False
    created: list[str] = field(default_factory=list)   # roles made now
    dba_sql: list[str] = field(default_factory=list)   # what a DBA must run, then `db upgrade` again
    granted: bool = False


def _all_tables(conn: Connection, schema: str) -> list[str]:
    return list(conn.execute(text(
        "SELECT tablename FROM pg_tables WHERE schemaname = :s ORDER BY 1"), {"s": schema}).scalars())


def _run(conn: Connection, stmt: str) -> None:
    # the driver reads % as a placeholder even without parameters; PL/pgSQL's RAISE uses it
    conn.exec_driver_sql(stmt.replace("%", "%%"))


def role_exists(conn: Connection, name: str) -> bool:
    return conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).first() is not None


def may_create_roles(conn: Connection) -> bool:
    return bool(conn.execute(text(
        "SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")).scalar())


def install_guards(conn: Connection, workstation: str | None = None) -> Names:
    """(Re)install the triggers, functions and policies; run by the tables' owner."""
    n = Names.of(conn, workstation)
    if not n.owner:
        return n  # no schema yet
    for stmt in guard_sql(n):
        _run(conn, stmt)
    install_policies(conn, n)
    return n


def install_policies(conn: Connection, n: Names) -> None:
    for stmt in policy_sql(n, school_tables(conn, n.schema), district=is_district(conn, n)):
        _run(conn, stmt)


def install(engine: Engine, workstation: str | None = None, password: str | None = None) -> InstallReport:
    """The guards, the workstation role (made when this role may make roles; NOLOGIN without a
    password) and its grants, in one transaction. Run by the tables' owner at every upgrade."""
    with engine.begin() as conn:
        if not install_guards(conn).owner:
            return InstallReport()
        return _ensure_role(conn, Names.of(conn, workstation), password)


def _ensure_role(conn: Connection, n: Names, password: str | None) -> InstallReport:
    report = InstallReport(role=n.workstation)
    if not role_exists(conn, n.workstation):
        if not may_create_roles(conn):
            report.dba_sql = role_sql(n.workstation, "…" if password else None)
            return report
        try:
            with conn.begin_nested():  # another process may be making it at this moment
                for stmt in role_sql(n.workstation, password):
                    _run(conn, stmt)
            report.created.append(n.workstation)
        except (ProgrammingError, IntegrityError):
            if not role_exists(conn, n.workstation):
                raise
    elif password:
        _run(conn, f"ALTER ROLE {_q(n.workstation)} LOGIN PASSWORD {_lit(password)}")
    for stmt in grant_sql(n, _all_tables(conn, n.schema)):
        _run(conn, stmt)
    report.granted = True
    report.login = bool(conn.execute(text("SELECT rolcanlogin FROM pg_roles WHERE rolname = :n"),
                                     {"n": n.workstation}).scalar())
    return report


def add_school_role(engine: Engine, school_code: str, workstation: str | None = None,
                    password: str | None = None) -> str:
    """A district school's workstation login role `<ws>_<code>`: the workstation role's rights,
    its school's rows only. Returns the role's name."""
    with engine.begin() as conn:
        n = Names.of(conn, workstation)
        name = f"{n.workstation}_{school_code}".lower()
        if not role_exists(conn, name):
            for stmt in role_sql(name, password, member_of=n.workstation):
                _run(conn, stmt)
        elif password:
            _run(conn, f"ALTER ROLE {_q(name)} LOGIN PASSWORD {_lit(password)}")
        conn.execute(text(
            f"INSERT INTO {_q(n.guard)}.role_school (role_name, school_code) VALUES (:r, :c) "
            "ON CONFLICT (role_name) DO UPDATE SET school_code = EXCLUDED.school_code"), {"r": name, "c": school_code})
        install_policies(conn, n)
    return name


# --- db check -------------------------------------------------------------------------------

def check(conn: Connection, workstation: str | None = None) -> list[str]:
    """What is missing or wrong in the roles, grants, triggers and policies (empty: all in place)."""
    n = Names.of(conn, workstation)
    problems = _check_guards(conn, n)
    if not role_exists(conn, n.workstation):
        return [*problems, f"workstation role {n.workstation} does not exist (run 'ejournal db upgrade' as the owner, "
                           "or have the DBA create it)"]
    return problems + _check_role(conn, n) + _check_grants(conn, n) + _check_policies(conn, n)


def _check_guards(conn: Connection, n: Names) -> list[str]:
    found = set(conn.execute(text(
        "SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = :s AND t.tgenabled IN ('O', 'A')"),
        {"s": n.schema}).all())
    problems = [f"trigger {name} on {table} is missing or disabled"
                for name, table in EXPECTED_TRIGGERS if (name, table) not in found]
    keys = conn.execute(text("SELECT count(*) FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace "
                             "WHERE s.nspname = :g AND c.relname IN ('key', 'role_school')"), {"g": n.guard}).scalar()
    if keys != 2:
        problems.append(f"guard schema {n.guard} is missing or incomplete")
    return problems


def _check_role(conn: Connection, n: Names) -> list[str]:
    row = conn.execute(text(
        "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolcanlogin, "
        "pg_has_role(rolname, :o, 'MEMBER') FROM pg_roles WHERE rolname = :w"),
        {"o": n.owner, "w": n.workstation}).one()
    problems = [f"workstation role {n.workstation} has {attr}" for attr, on in
                zip(("SUPERUSER", "BYPASSRLS", "CREATEROLE", "CREATEDB"), row[:4], strict=True) if on]
    if row[5]:
        problems.append(f"workstation role {n.workstation} is a member of the owner {n.owner}")
    schools = conn.execute(text(f"SELECT count(*) FROM {_q(n.schema)}.school")).scalar() or 0
    if row[4] and schools > 1:
        problems.append(f"workstation role {n.workstation} can log in and sees every school of this district "
                        f"database: make it NOLOGIN and give each school its own role ('ejournal db school-role CODE')")
    unmapped = conn.execute(text(
        f"SELECT r.role_name FROM {_q(n.guard)}.role_school r LEFT JOIN pg_roles p ON p.rolname = r.role_name "
        "WHERE p.oid IS NULL OR NOT pg_has_role(p.oid, :w, 'MEMBER')"), {"w": n.workstation}).scalars()
    problems += [f"school role {name} is missing or not a member of {n.workstation}" for name in unmapped]
    return problems


def _check_grants(conn: Connection, n: Names) -> list[str]:
    problems = []
    must = [(t, p) for t in GUARDED_TABLES for p in ("SELECT", "INSERT", "UPDATE", "DELETE")]
    must += [("auditevent", "INSERT"), ("audithead", "INSERT")]
    never = [("auditevent", p) for p in ("UPDATE", "DELETE", "TRUNCATE")]
    never += [("audithead", p) for p in ("DELETE", "TRUNCATE")]
    never += [(t, p) for t in GUARDED_TABLES for p in ("TRUNCATE", "TRIGGER")]
    for (table, priv), want in [*((x, True) for x in must), *((x, False) for x in never)]:
        has = conn.execute(text("SELECT has_table_privilege(:w, :t, :p)"),
                           {"w": n.workstation, "t": f"{_q(n.schema)}.{table}", "p": priv}).scalar()
        if has != want:
            problems.append(f"workstation role {n.workstation} {'lacks' if want else 'has'} {priv} on {table}")
    if conn.execute(text("SELECT has_schema_privilege(:w, :s, 'CREATE')"), {"w": n.workstation, "s": n.schema}).scalar():
        problems.append(f"workstation role {n.workstation} may create objects in schema {n.schema}")
    owned = conn.execute(text(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace "
        "WHERE s.nspname = :s AND pg_has_role(:w, c.relowner, 'USAGE')"), {"s": n.schema, "w": n.workstation}).scalar()
    if owned:
        problems.append(f"workstation role {n.workstation} owns {owned} object(s) in schema {n.schema}")
    return problems


def _check_policies(conn: Connection, n: Names) -> list[str]:
    if not is_district(conn, n):
        return []
    tables = ["school", "groupmember", *school_tables(conn, n.schema)]
    rows = dict(conn.execute(text(
        "SELECT c.relname, c.relrowsecurity AND EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid "
        "AND p.polname = :p) FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace "
        "WHERE s.nspname = :s AND c.relkind = 'r'"), {"s": n.schema, "p": POLICY}).all())
    return [f"row-level security for the workstation role is missing on {t}" for t in tables if not rows.get(t)]

"""Our own PostgreSQL 15 cluster for the local stack, from the OS packages.

Why our own cluster instead of the system one: it lives entirely in the stack dir
(data, socket, log), listens on 127.0.0.1:SOUQ_PG_PORT only, and can be created,
started and stopped without touching anything the OS runs. PostgreSQL refuses to
run as root, so when we are root every server command runs as the `postgres` user
(`runuser`) on a directory we hand over to it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

from core.config import Settings
from devstack import service_process as sp

PG_BIN = Path("/usr/lib/postgresql/15/bin")
PACKAGE = "postgresql-15"
SETTING = "SOUQ_PG_PORT"
# A local development server: nothing replicates from it, so WAL can be minimal (a COPY
# into a table truncated in the same transaction then writes no WAL at all: the bench
# loader's case), and memory can be what a 24 GiB machine affords instead of initdb's
# conservative defaults. Durability settings (fsync) stay on: a crash must not corrupt data.
TUNING = ("wal_level = minimal\n"
          "max_wal_senders = 0\n"
          "shared_buffers = 256MB\n"
          "maintenance_work_mem = 256MB\n"
          "max_wal_size = 4GB\n")
# Idempotent: create what is missing, (re)set the password, never drop anything.
PROVISION_SQL = """
SELECT format('CREATE ROLE %I', :'role') WHERE NOT EXISTS
    (SELECT FROM pg_roles WHERE rolname = :'role') \\gexec
SELECT format('ALTER ROLE %I LOGIN CREATEDB PASSWORD %L', :'role', :'password') \\gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role') WHERE NOT EXISTS
    (SELECT FROM pg_database WHERE datname = :'db') \\gexec
"""


def database_targets(settings: Settings) -> list[tuple[str, str, str]]:
    """(role, password, database) for each configured URL that points at our cluster."""
    targets = []
    for url in (settings.database_url, settings.test_database_url):
        parts = urlsplit(url)
        if parts.hostname not in ("127.0.0.1", "localhost") or parts.port != settings.pg_port:
            continue
        role, db = unquote(parts.username or "souq"), parts.path.lstrip("/") or "souq"
        targets.append((role, unquote(parts.password or ""), db))
    return targets


def _tool(name: str) -> str:
    """Absolute path of a system tool, even when PATH is minimal (cron, IDEs)."""
    return shutil.which(name, path=f"{os.defpath}:/usr/sbin:/sbin") or name


# Where clusters go when the postgres user cannot reach the stack dir (a
# checkout under a private temp dir, as CI makes): postgres's own home.
FALLBACK_ROOT = Path("/var/lib/postgresql/souq-stacks")


def others_can_traverse(path: Path) -> bool:
    """True when every parent of `path` lets other users (postgres) pass through."""
    return all(not parent.exists() or parent.stat().st_mode & 0o001 for parent in path.parents)


def cluster_root(stack: Path) -> Path:
    """The cluster's home: inside the stack dir when postgres can reach it, else a
    per-stack folder under postgres's home (named from the stack dir's hash, so
    two checkouts never share a cluster)."""
    if others_can_traverse(stack) or os.geteuid() != 0:
        return stack / "postgres"
    digest = hashlib.sha1(str(stack).encode()).hexdigest()[:12]
    return FALLBACK_ROOT / digest


class PostgresServer:
    """Our PostgreSQL cluster: init, start, provision role and databases, stop."""

    name = "postgres"
    setting = SETTING

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.port = settings.pg_port
        self.stack = Path(settings.stack_dir).resolve()
        self.root = cluster_root(self.stack)  # owned by the postgres user
        self.data = self.root / "data"
        self.sockets = self.root / "run"
        self.log = self.root / "server.log"
        self.pid_file = self.data / "postmaster.pid"  # written by postgres itself
        self.signature = sp.Signature("postgres", frozenset([str(self.data)]))  # postgres -D <data>

    def _as_pg(self, argv: list[str]) -> list[str]:
        if os.geteuid() != 0:
            return argv
        return [_tool("runuser"), "-u", "postgres", "--", *argv]

    def _run(self, argv: list[str], what: str, stdin: str | None = None) -> str:
        result = subprocess.run(self._as_pg(argv), input=stdin, capture_output=True, text=True,
                                cwd=self.root, start_new_session=True, check=False)
        if result.returncode != 0:
            raise sp.StackError(f"postgres: {what} failed (exit {result.returncode}):\n"
                                f"{(result.stdout + result.stderr).strip()}\n"
                                f"server log: {self.log}\n{sp.tail(self.log, 10)}")
        return result.stdout

    def _ensure_binaries(self) -> None:
        if not (PG_BIN / "pg_ctl").exists():
            sp.install_os_packages([PACKAGE])
        if not (PG_BIN / "pg_ctl").exists():
            raise sp.StackError(f"PostgreSQL 15 not found in {PG_BIN}; install {PACKAGE}")

    def _prepare_dirs(self) -> None:
        """Create our directories and hand them to postgres; it must reach them."""
        self.stack.mkdir(parents=True, exist_ok=True)
        self.stack.chmod(self.stack.stat().st_mode | 0o711)  # others may traverse, not list
        if self.root.parent == FALLBACK_ROOT:
            FALLBACK_ROOT.mkdir(parents=True, exist_ok=True)
            (self.stack / "postgres-location.txt").write_text(f"{self.root}\n")
        for path in (self.root, self.sockets):
            path.mkdir(exist_ok=True)
            if os.geteuid() == 0:
                shutil.chown(path, "postgres", "postgres")
        probe = subprocess.run(self._as_pg([_tool("test"), "-w", str(self.root)]), check=False)
        if probe.returncode != 0:
            raise sp.StackError(f"postgres: the postgres user cannot write {self.root}; make its "
                                f"parent directories traversable (chmod o+x) or set "
                                f"SOUQ_STACK_DIR to a directory it can reach")

    def _initdb(self) -> None:
        if (self.data / "PG_VERSION").exists():
            return
        shutil.rmtree(self.data, ignore_errors=True)  # a half-made cluster from a crash
        self._run([str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-E", "UTF8",
                   "--locale=C.UTF-8", "--auth-local=peer", "--auth-host=scram-sha-256"],
                  "initdb")
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write("\n# Souq local stack: port, addresses and socket dir.\n"
                       "include_if_exists = 'souq.conf'\n")

    def _write_conf(self) -> None:
        """Our settings file, rewritten at every start (so a new release's tuning applies)."""
        conf = self.data / "souq.conf"
        conf.write_text(f"port = {self.port}\n"
                        "listen_addresses = '127.0.0.1'\n"
                        f"unix_socket_directories = '{self.sockets}'\n"
                        + TUNING)
        if os.geteuid() == 0:
            shutil.chown(conf, "postgres", "postgres")

    def running_pid(self) -> int | None:
        return sp.owned_pid(self.pid_file, self.signature)

    def running_port(self) -> int | None:
        """The port recorded in postmaster.pid (line 4) by the running server."""
        try:
            return int(self.pid_file.read_text().splitlines()[3])
        except (OSError, IndexError, ValueError):
            return None

    def provision(self) -> None:
        """Create the role(s) and databases named by the settings' URLs, idempotently."""
        for role, password, db in database_targets(self.settings):
            self._run([str(PG_BIN / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                       "-h", str(self.sockets), "-p", str(self.port), "-d", "postgres",
                       "-v", f"role={role}", "-v", f"password={password}", "-v", f"db={db}",
                       "-f", "-"], f"creating role {role} / database {db}", PROVISION_SQL)

    def up(self, timeout_s: float = 60.0) -> str:
        pid = self.running_pid()
        if pid is not None:
            port = self.running_port()
            if port != self.port:
                raise sp.StackError(f"postgres already runs on port {port}, but {SETTING}="
                                    f"{self.port}; run `souq stack down` first")
            self.provision()
            return f"postgres: already running (pid {pid})"
        self._ensure_binaries()
        sp.require_port_free(self.name, self.port, SETTING)
        self._prepare_dirs()
        self._initdb()
        self._write_conf()
        self.pid_file.unlink(missing_ok=True)  # not a live server of ours: stale
        self._run([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w",
                   "-t", str(int(timeout_s)), "-s", "start"], "pg_ctl start")
        self.provision()
        if not sp.wait_until(self.healthy, timeout_s):
            raise sp.StackError(f"postgres started but refuses connections; log: {self.log}\n"
                                f"{sp.tail(self.log, 15)}")
        return f"postgres: started (pid {self.running_pid()})"

    def _connect_check(self) -> str | None:
        """Server version if the app's role can log in to its database, else None."""
        import psycopg  # here, so `souq stack --help` does not pay for it

        targets = database_targets(self.settings)
        role, password, db = targets[0] if targets else ("postgres", "", "postgres")
        try:
            with psycopg.connect(host=sp.LOOPBACK, port=self.port, user=role, password=password,
                                 dbname=db, connect_timeout=2) as conn:
                row = conn.execute("SHOW server_version").fetchone()
        except psycopg.Error:
            return None
        return str(row[0]) if row else "?"

    def healthy(self) -> bool:
        return self._connect_check() is not None

    def down(self, timeout_s: float = 60.0) -> str:
        # SIGINT is PostgreSQL's "fast" shutdown: it does not wait for clients to leave.
        return sp.stop_owned(self.name, self.running_pid(), self.signature, timeout_s,
                             signal.SIGINT)

    def status(self) -> sp.ServiceStatus:
        pid = self.running_pid()
        port = (self.running_port() if pid else None) or self.port
        out = sp.ServiceStatus(self.name, f"postgresql://{sp.LOOPBACK}:{port}", port, SETTING,
                               "stopped", pid=pid, logs=[str(self.log)])
        if pid is None:
            return sp.mark_if_foreign(out, self.port)
        version = self._connect_check() if port == self.port else None
        out.healthy = version is not None
        out.state = "healthy" if out.healthy else "unhealthy"
        dbs = ", ".join(db for _, _, db in database_targets(self.settings))
        out.detail = (f"PostgreSQL {version}, databases {dbs}" if version
                      else f"not accepting logins for the app role (see {self.log})")
        return out

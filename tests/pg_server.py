"""Throwaway PostgreSQL server for the test run.

``start()`` initialises a fresh cluster in a temporary folder, runs it on
127.0.0.1 (plus a unix socket inside that folder) on a free port, creates the
database ``salon_test`` and returns a :class:`PgServer` whose ``url`` is a
SQLAlchemy URL for the psycopg 3 driver. ``stop()`` kills it and removes the
folder. Setting ``SALON_DESK_TEST_PG_URL`` makes ``start()`` hand out that
existing server instead (and ``stop()`` leaves it alone).

Durability is switched off (fsync, synchronous_commit, full_page_writes): the
data lives for one test run only.

This module has no pytest dependency, so it can be used from a conftest, a
benchmark or by hand: ``python tests/pg_server.py`` is a self-check.
"""

from __future__ import annotations

import atexit
import os
import pwd
import re
import shlex
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

ENV_URL = "SALON_DESK_TEST_PG_URL"
DB_NAME = "salon_test"
SUPERUSER = "postgres"
FALLBACK_OS_USER = "salontest"

FIX_HINT = (
    "To fix: install the Debian package 'postgresql' "
    "(scripts/install-system-deps.sh does it, or `apt-get install -y postgresql`), "
    f"or point {ENV_URL} at an existing server "
    "(e.g. postgresql+psycopg://user:password@localhost:5432/salon_test), "
    "or set SALON_DESK_SKIP_POSTGRES=1 to run without the PostgreSQL tests."
)

_SERVER_SETTINGS = """
# added by tests/pg_server.py: a throwaway server, speed over durability
listen_addresses = '127.0.0.1'
unix_socket_directories = '{socket_dir}'
fsync = off
synchronous_commit = off
full_page_writes = off
timezone = 'UTC'
log_timezone = 'UTC'
max_connections = 100
"""


class PgServer:
    """A running PostgreSQL server for tests; ``url`` is a SQLAlchemy URL."""

    def __init__(
        self,
        url: str,
        *,
        base_dir: Path | None = None,
        bin_dir: Path | None = None,
        run_as: str | None = None,
        port: int | None = None,
    ) -> None:
        self.url = url
        self.base_dir = base_dir
        self.bin_dir = bin_dir
        self.run_as = run_as
        self.port = port
        self._stopped = base_dir is None

    @property
    def external(self) -> bool:
        """True when the server came from SALON_DESK_TEST_PG_URL (never stopped here)."""
        return self.base_dir is None

    @property
    def data_dir(self) -> Path | None:
        return None if self.base_dir is None else self.base_dir / "data"

    @property
    def log_path(self) -> Path | None:
        return None if self.base_dir is None else self.base_dir / "server.log"

    def stop(self) -> None:
        """Stop the server at once and remove its folder; safe to call twice."""
        if self._stopped:
            return
        self._stopped = True
        assert self.base_dir is not None and self.bin_dir is not None
        try:
            _run(
                [str(self.bin_dir / "pg_ctl"), "stop", "-D", str(self.data_dir),
                 "-m", "immediate", "-w", "-t", "30"],
                run_as=self.run_as, cwd=self.base_dir, check=False,
            )
        finally:
            shutil.rmtree(self.base_dir, ignore_errors=True)

    def __enter__(self) -> PgServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"PgServer(url={self.url!r}, external={self.external})"


def start() -> PgServer:
    """Start a throwaway server (or use SALON_DESK_TEST_PG_URL); raise RuntimeError on failure."""
    external = os.environ.get(ENV_URL, "").strip()
    if external:
        return PgServer(_psycopg_url(external))
    bin_dir = find_bin_dir()
    run_as = _os_user_for_server()
    base_dir = _make_base_dir(run_as)
    server: PgServer | None = None
    try:
        _initdb(bin_dir, base_dir, run_as)
        server = _start_on_free_port(bin_dir, base_dir, run_as)
        _createdb(bin_dir, server.port or 0, base_dir)
    except BaseException:
        if server is not None:
            server.stop()
        else:
            shutil.rmtree(base_dir, ignore_errors=True)
        raise
    atexit.register(server.stop)  # a safety net if the caller forgets
    return server


# --- finding the binaries -------------------------------------------------


def find_bin_dir() -> Path:
    """The folder holding initdb and pg_ctl: newest /usr/lib/postgresql/N/bin, else PATH."""
    candidates = []
    for path in Path("/usr/lib/postgresql").glob("*/bin"):
        if (path / "initdb").is_file() and (path / "pg_ctl").is_file():
            candidates.append((_version_key(path.parent.name), path))
    if candidates:
        return max(candidates)[1]
    initdb = shutil.which("initdb")
    if initdb:
        folder = Path(initdb).resolve().parent
        if (folder / "pg_ctl").is_file():
            return folder
    raise RuntimeError(
        "PostgreSQL server binaries (initdb, pg_ctl) not found in "
        "/usr/lib/postgresql/*/bin or on PATH.\n" + FIX_HINT
    )


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", name)) or (0,)


# --- running as a non-root user ----------------------------------------------


def _os_user_for_server() -> str | None:
    """PostgreSQL refuses to run as root: pick (or create) an unprivileged user."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", FALLBACK_OS_USER):
        if _user_exists(name):
            return name
    _checked(
        ["useradd", "--system", "--user-group", "--no-create-home",
         "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin",
         FALLBACK_OS_USER],
        what=f"creating the system user {FALLBACK_OS_USER!r} to run PostgreSQL as",
    )
    return FALLBACK_OS_USER


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _as_user(argv: Sequence[str], run_as: str | None) -> list[str]:
    if run_as is None:
        return list(argv)
    if shutil.which("runuser"):
        return ["runuser", "-u", run_as, "--", *argv]
    return ["su", "-s", "/bin/sh", run_as, "-c", shlex.join(argv)]


def _make_base_dir(run_as: str | None) -> Path:
    """A fresh folder the server user owns and can reach."""
    parent = tempfile.gettempdir()
    if run_as is not None and not _world_traversable(Path(parent)):
        parent = "/tmp"  # e.g. TMPDIR under /root: the server user cannot enter it
    base = Path(tempfile.mkdtemp(prefix="salon-pg-", dir=parent))
    if run_as is not None:
        entry = pwd.getpwnam(run_as)
        os.chown(base, entry.pw_uid, entry.pw_gid)
    return base


def _world_traversable(path: Path) -> bool:
    path = path.resolve()
    return all(os.stat(p).st_mode & 0o001 for p in (path, *path.parents))


# --- the server itself --------------------------------------------------------


def _initdb(bin_dir: Path, base_dir: Path, run_as: str | None) -> None:
    common = [str(bin_dir / "initdb"), "-D", str(base_dir / "data"),
              "--username", SUPERUSER, "--auth", "trust", "--encoding", "UTF8",
              "--no-sync"]
    # A UTF-8 ctype so lower()/upper() fold umlauts; plain C folds only ASCII.
    result = _run([*common, "--locale", "C.UTF-8"], run_as=run_as, cwd=base_dir)
    if result.returncode != 0:
        shutil.rmtree(base_dir / "data", ignore_errors=True)
        result = _run([*common, "--locale", "C"], run_as=run_as, cwd=base_dir)
    if result.returncode != 0:
        raise RuntimeError(
            f"initdb failed (exit {result.returncode}):\n{_tail(result.stdout)}\n"
            + FIX_HINT
        )
    conf = base_dir / "data" / "postgresql.conf"
    with conf.open("a", encoding="utf-8") as handle:
        handle.write(_SERVER_SETTINGS.format(socket_dir=base_dir))


def _start_on_free_port(bin_dir: Path, base_dir: Path, run_as: str | None) -> PgServer:
    """Start the server; retry on a new port if another process grabbed ours."""
    log_path = base_dir / "server.log"
    last_output = ""
    for _attempt in range(3):
        port = _free_port()
        result = _run(
            [str(bin_dir / "pg_ctl"), "start", "-D", str(base_dir / "data"),
             "-l", str(log_path), "-w", "-t", "60", "-o", f"-p {port}"],
            run_as=run_as, cwd=base_dir,
        )
        if result.returncode == 0:
            return PgServer(
                f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{port}/{DB_NAME}",
                base_dir=base_dir, bin_dir=bin_dir, run_as=run_as, port=port,
            )
        last_output = result.stdout
        _run([str(bin_dir / "pg_ctl"), "stop", "-D", str(base_dir / "data"),
              "-m", "immediate", "-w"], run_as=run_as, cwd=base_dir, check=False)
        if "already in use" not in _read_tail(log_path):
            break
    raise RuntimeError(
        "PostgreSQL did not start.\n"
        f"pg_ctl said:\n{_tail(last_output)}\n"
        f"server log (tail):\n{_read_tail(log_path)}\n" + FIX_HINT
    )


def _createdb(bin_dir: Path, port: int, base_dir: Path) -> None:
    createdb = bin_dir / "createdb"
    if not createdb.is_file():
        createdb = Path(shutil.which("createdb") or "createdb")
    _checked(
        [str(createdb), "-h", "127.0.0.1", "-p", str(port), "-U", SUPERUSER, DB_NAME],
        what=f"creating the database {DB_NAME}",
        log_path=base_dir / "server.log",
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _psycopg_url(url: str) -> str:
    """Make a postgres:// or postgresql:// URL use the psycopg 3 driver."""
    scheme, sep, rest = url.partition("://")
    if sep and scheme in ("postgres", "postgresql"):
        return f"postgresql+psycopg://{rest}"
    return url


# --- subprocess helpers ---------------------------------------------------------


def _run(
    argv: Sequence[str], *, run_as: str | None = None, cwd: Path | None = None,
    check: bool = False,
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["LC_MESSAGES"] = "C"
    try:
        return subprocess.run(
            _as_user(argv, run_as), cwd=cwd, env=env, check=check, text=True,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, timeout=120,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise RuntimeError(f"could not run {argv[0]}: {exc}\n{FIX_HINT}") from exc


def _checked(argv: Sequence[str], *, what: str, log_path: Path | None = None) -> None:
    result = _run(argv)
    if result.returncode != 0:
        log = f"\nserver log:\n{_read_tail(log_path)}" if log_path else ""
        raise RuntimeError(
            f"{what} failed (exit {result.returncode}):\n{_tail(result.stdout)}{log}\n"
            + FIX_HINT
        )


def _tail(text: str, lines: int = 30) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


def _read_tail(path: Path | None, lines: int = 30) -> str:
    if path is None:
        return ""
    try:
        return _tail(path.read_text(encoding="utf-8", errors="replace"), lines)
    except OSError as exc:
        return f"(no log: {exc})"


def _self_check() -> None:
    """Start a server, connect with psycopg, print its version and stop it."""
    import psycopg
    from sqlalchemy.engine import make_url

    server = start()
    try:
        conninfo = make_url(server.url).set(drivername="postgresql")
        with psycopg.connect(conninfo.render_as_string(hide_password=False)) as conn:
            row = conn.execute("SELECT version(), current_database()").fetchone()
        assert row is not None
        print(f"url: {server.url}")
        print(f"database: {row[1]}")
        print(row[0])
    finally:
        server.stop()
    if server.base_dir is not None and server.base_dir.exists():
        raise SystemExit(f"temporary folder left behind: {server.base_dir}")
    print("ok")


if __name__ == "__main__":
    _self_check()

"""Persistent state in SQLite (WAL mode).

Every ARM write runs in one `BEGIN IMMEDIATE` transaction (read, check, write), so concurrent
writers to the same resource are serialised and none of their updates is lost, and an answer is
only sent after the commit: a restart keeps every acknowledged write.  Each resource row carries
a version number that is bumped on every write; work done outside a transaction (reconciling a
git source) is only written back if the version it started from is still current.

Secret values never reach this file: callers store protected-setting *keys* only.
"""
import json
import os
import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Optional

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS resources (
    key TEXT PRIMARY KEY,          -- lower-cased ARM id
    kind TEXT NOT NULL,            -- resourceGroup | cluster | fluxConfiguration | extension
    parent TEXT,                   -- lower-cased ARM id of the parent (cluster or group)
    id TEXT NOT NULL,              -- ARM id in the caller's casing
    body TEXT NOT NULL,            -- JSON as returned by GET
    extra TEXT NOT NULL,           -- JSON: emulator-internal state
    version INTEGER NOT NULL,
    created REAL NOT NULL,
    updated REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS resources_by_parent ON resources(parent, kind, created);
CREATE TABLE IF NOT EXISTS operations (
    op_id TEXT PRIMARY KEY,
    resource_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    action TEXT NOT NULL,          -- create | update | delete
    status_id TEXT NOT NULL,       -- ARM id of the operation-status resource
    running_status TEXT NOT NULL,  -- Creating | Updating | Deleting
    outcome TEXT NOT NULL,         -- Succeeded | Failed (decided when the operation starts)
    error_code TEXT,
    error_message TEXT,
    started REAL NOT NULL,
    due REAL NOT NULL,
    settled INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS operations_by_resource ON operations(resource_key, settled);
CREATE TABLE IF NOT EXISTS flux_sources (  -- Flux source objects a configuration's reconcile reported
    owner TEXT NOT NULL,           -- lower-cased ARM id of the fluxConfiguration
    cluster TEXT NOT NULL,         -- lower-cased ARM id of its cluster
    kind TEXT NOT NULL,
    namespace TEXT,
    name TEXT
);
CREATE INDEX IF NOT EXISTS flux_sources_by_cluster ON flux_sources(cluster);
CREATE INDEX IF NOT EXISTS flux_sources_by_owner ON flux_sources(owner);
"""
# Status kinds another configuration's objects may refer to (sourceRef, chartRef).
SOURCE_STATUS_KINDS = ("GitRepository", "HelmRepository", "OCIRepository", "Bucket", "HelmChart")


@dataclass
class Record:
    key: str
    kind: str
    parent: Optional[str]
    id: str
    body: dict
    extra: dict = field(default_factory=dict)
    version: int = 0
    created: float = 0.0
    updated: float = 0.0


@dataclass
class Operation:
    op_id: str
    resource_key: str
    kind: str
    action: str
    status_id: str
    running_status: str
    outcome: str
    error_code: Optional[str]
    error_message: Optional[str]
    started: float
    due: float
    settled: bool = False

    def status_at(self, now):
        return self.outcome if now >= self.due else self.running_status


def _record(row):
    if row is None:
        return None
    return Record(key=row[0], kind=row[1], parent=row[2], id=row[3], body=json.loads(row[4]),
                  extra=json.loads(row[5]), version=row[6], created=row[7], updated=row[8])


def _operation(row):
    if row is None:
        return None
    return Operation(*row[:11], settled=bool(row[11]))


_RECORD_COLUMNS = "key, kind, parent, id, body, extra, version, created, updated"
_OP_COLUMNS = ("op_id, resource_key, kind, action, status_id, running_status, outcome, error_code, "
               "error_message, started, due, settled")


class Tx:
    """Queries and writes on one connection, inside the caller's transaction."""

    def __init__(self, conn):
        self.conn = conn

    # -- resources -------------------------------------------------------------------------
    def get(self, key):
        return _record(self.conn.execute(
            "SELECT {} FROM resources WHERE key = ?".format(_RECORD_COLUMNS), (key.lower(),)).fetchone())

    def children(self, parent, kind):
        rows = self.conn.execute(
            "SELECT {} FROM resources WHERE parent = ? AND kind = ? ORDER BY created, key".format(_RECORD_COLUMNS),
            (parent.lower(), kind)).fetchall()
        return [_record(r) for r in rows]

    def of_kind(self, kind):
        rows = self.conn.execute(
            "SELECT {} FROM resources WHERE kind = ? ORDER BY created, key".format(_RECORD_COLUMNS), (kind,)).fetchall()
        return [_record(r) for r in rows]

    def put(self, record, now=None):
        """Insert or replace; bumps and returns the record's version."""
        now = time.time() if now is None else now
        record.key = record.key.lower()
        record.version += 1
        if not record.created:
            record.created = now
        record.updated = now
        self.conn.execute(
            "INSERT OR REPLACE INTO resources ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)".format(_RECORD_COLUMNS),
            (record.key, record.kind, record.parent.lower() if record.parent else None, record.id,
             json.dumps(record.body), json.dumps(record.extra), record.version, record.created, record.updated))
        return record.version

    def delete(self, key):
        self.conn.execute("DELETE FROM resources WHERE key = ?", (key.lower(),))
        self.conn.execute("DELETE FROM flux_sources WHERE owner = ?", (key.lower(),))

    def delete_tree(self, key):
        """Delete a resource and everything below it (children of a cluster or group)."""
        key = key.lower()
        escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        self.conn.execute("DELETE FROM resources WHERE key = ? OR key LIKE ? ESCAPE '\\'",
                          (key, escaped + "/%"))
        self.conn.execute("DELETE FROM flux_sources WHERE owner = ? OR owner LIKE ? ESCAPE '\\'",
                          (key, escaped + "/%"))

    # -- the source objects of a cluster's configurations (so one reconcile reads no sibling) -------
    def set_flux_sources(self, owner, cluster, statuses):
        owner = owner.lower()
        self.conn.execute("DELETE FROM flux_sources WHERE owner = ?", (owner,))
        self.conn.executemany(
            "INSERT INTO flux_sources (owner, cluster, kind, namespace, name) VALUES (?, ?, ?, ?, ?)",
            [(owner, cluster.lower(), s.get("kind"), s.get("namespace"), s.get("name")) for s in statuses or []
             if s.get("kind") in SOURCE_STATUS_KINDS])

    def flux_sources(self, cluster, exclude_owner=None):
        """[{kind, namespace, name}] of the source objects reported by the cluster's other configurations."""
        rows = self.conn.execute("SELECT kind, namespace, name FROM flux_sources WHERE cluster = ? AND owner != ?",
                                 (cluster.lower(), (exclude_owner or "").lower())).fetchall()
        return [{"kind": k, "namespace": ns, "name": n} for k, ns, n in rows]

    # -- operations ------------------------------------------------------------------------
    def add_operation(self, op):
        self.conn.execute(
            "INSERT INTO operations ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)".format(_OP_COLUMNS),
            (op.op_id, op.resource_key.lower(), op.kind, op.action, op.status_id, op.running_status, op.outcome,
             op.error_code, op.error_message, op.started, op.due, int(op.settled)))

    def operation(self, op_id):
        return _operation(self.conn.execute(
            "SELECT {} FROM operations WHERE op_id = ?".format(_OP_COLUMNS), (op_id.lower(),)).fetchone())

    def unsettled(self, resource_key):
        rows = self.conn.execute(
            "SELECT {} FROM operations WHERE resource_key = ? AND settled = 0 ORDER BY started".format(_OP_COLUMNS),
            (resource_key.lower(),)).fetchall()
        return [_operation(r) for r in rows]

    def mark_settled(self, op_id):
        self.conn.execute("UPDATE operations SET settled = 1 WHERE op_id = ?", (op_id.lower(),))

    # -- meta ------------------------------------------------------------------------------
    def meta(self, key, default=None):
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set_meta(self, key, value):
        self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, json.dumps(value)))


def _private_files(path):
    """The database and its WAL/shared-memory files are readable by their owner only (SQLite gives the
    -wal and -shm files the database file's mode)."""
    if not os.path.exists(path):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    for name in (path, path + "-wal", path + "-shm", path + "-journal"):
        try:
            os.chmod(name, 0o600)
        except OSError:
            pass


class Store:
    def __init__(self, path):
        self.path = path
        self._local = threading.local()
        _private_files(path)
        conn = self._connect()
        conn.executescript(_SCHEMA)
        _private_files(path)
        with self.write() as tx:
            if not tx.meta("flux_sources_indexed"):     # a data dir from before the index: fill it once
                for record in tx.of_kind("fluxConfiguration"):
                    tx.set_flux_sources(record.key, record.parent, record.body["properties"].get("statuses"))
                tx.set_meta("flux_sources_indexed", True)

    def _connect(self):
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=30000")
            self._local.conn = conn
        return conn

    @contextmanager
    def write(self):
        """One serialised read-modify-write transaction."""
        conn = self._connect()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield Tx(conn)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @contextmanager
    def read(self):
        """A consistent snapshot for reads."""
        conn = self._connect()
        conn.execute("BEGIN")
        try:
            yield Tx(conn)
        finally:
            conn.execute("COMMIT")

    def close(self):
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

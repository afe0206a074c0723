"""Test-control endpoints under /_emulator/ (not ARM), and the request log and fault list behind them.

All but /_emulator/health need the header `X-IDENTITY-HEADER: $IDENTITY_HEADER`.

  GET    /_emulator/health      {"status": "ok"} (no secret needed; for readiness checks)
  GET    /_emulator/info        base URL, subscription, tenant, settings, clusters
  GET    /_emulator/requests    the request log: [{method, path, query, status, category, ...}]
                                (?category=arm to keep ARM traffic only; ?since=<seq>)
  DELETE /_emulator/requests    clear the log
  POST   /_emulator/faults      {"match": "<path substring>", "method": "PUT", "code": "...",
                                 "message": "...", "count": 1, "status": null}: the next `count`
                                writes whose method and path match end with an operation that
                                fails (or, with "status": 4xx/5xx, are answered with that error
                                right away)
  GET    /_emulator/faults      the faults not used yet;  DELETE clears them
  POST   /_emulator/clock       {"advanceSeconds": N}: move the emulator's clock forward (tests finish
                                long-running operations and reach sync intervals without sleeping);
                                GET answers {"now": <epoch seconds>, "offsetSeconds": ...}
  POST   /_emulator/reconcile, /_emulator/clusters, /_emulator/source-maps: see live.py
"""
import collections
import hmac
import threading
import time

from .responses import ArmError, empty, ok

SECRET_KEYS = ("configurationprotectedsettings",)
SECRET_SOURCE_FIELDS = {"accountkey", "sastoken", "clientsecret", "clientcertificate", "clientcertificatepassword",
                        "privatekey", "cacertificate"}
REDACTED = "<redacted>"


def redact(value, parent_key=""):
    """A copy of a request body with protected settings and source secrets replaced."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            low = key.lower()
            if low in SECRET_KEYS and isinstance(item, dict):
                out[key] = {k: (REDACTED if v is not None else None) for k, v in item.items()}
            elif low in SECRET_SOURCE_FIELDS and isinstance(item, str):
                out[key] = REDACTED
            else:
                out[key] = redact(item, low)
        return out
    if isinstance(value, list):
        return [redact(v, parent_key) for v in value]
    return value


class RequestLog:
    def __init__(self, limit=20000):
        self._entries = collections.deque(maxlen=limit)
        self._lock = threading.Lock()
        self._seq = 0

    def add(self, entry):
        with self._lock:
            self._seq += 1
            entry["seq"] = self._seq
            self._entries.append(entry)

    def entries(self, category=None, since=0):
        with self._lock:
            return [dict(e) for e in self._entries
                    if e["seq"] > since and (category is None or e["category"] == category)]

    def clear(self):
        with self._lock:
            self._entries.clear()


class Faults:
    def __init__(self):
        self._faults = []
        self._lock = threading.Lock()

    def add(self, fault):
        with self._lock:
            self._faults.append(fault)

    def list(self):
        with self._lock:
            return [dict(f) for f in self._faults]

    def clear(self):
        with self._lock:
            self._faults.clear()

    def take(self, method, path):
        """The first matching fault (its count decremented), or None."""
        with self._lock:
            for fault in self._faults:
                if fault["method"] not in ("*", method.upper()):
                    continue
                if fault["match"].lower() not in path.lower():
                    continue
                fault["count"] -= 1
                if fault["count"] <= 0:
                    self._faults.remove(fault)
                return dict(fault)
        return None


def _parse_fault(body):
    if not isinstance(body, dict) or not isinstance(body.get("match"), str) or not body["match"]:
        raise ArmError(400, "InvalidFault", 'A fault needs at least {"match": "<substring of the resource path>"}.')
    status = body.get("status")
    if status is not None and (not isinstance(status, int) or not 400 <= status <= 599):
        raise ArmError(400, "InvalidFault", "'status' must be an HTTP error status (400-599) or null.")
    count = body.get("count", 1)
    if not isinstance(count, int) or count < 1:
        raise ArmError(400, "InvalidFault", "'count' must be a positive integer.")
    return {"match": body["match"], "method": str(body.get("method") or "*").upper(),
            "code": body.get("code"), "message": body.get("message"), "status": status, "count": count}


def check_secret(app, headers):
    given = headers.get("X-IDENTITY-HEADER") or ""
    if not hmac.compare_digest(given.encode(), app.secret.encode()):
        raise ArmError(401, "Unauthorized", "The /_emulator/ endpoints need the header "
                                            "'X-IDENTITY-HEADER: $IDENTITY_HEADER'.")


def handle(ctx, tail):
    app, req = ctx.app, ctx.req
    what = [t.lower() for t in tail]
    if what == ["health"] and req.method in ("GET", "HEAD"):
        return ok({"status": "ok", "pid": app.pid})
    check_secret(app, req.headers)
    from . import live              # POST reconcile, clusters, source-maps: see live.py
    answer = live.handle(ctx, what)
    if answer is not None:
        return answer
    if what == ["info"] and req.method == "GET":
        return ok(app.info())
    if what == ["requests"]:
        if req.method == "GET":
            since = int(req.query.get("since") or 0)
            return ok({"value": app.requests.entries(req.query.get("category"), since)})
        if req.method == "DELETE":
            app.requests.clear()
            return empty(204)
    if what == ["clock"]:
        if req.method == "POST":
            body = req.json()
            step = body.get("advanceSeconds") if isinstance(body, dict) else None
            if isinstance(step, bool) or not isinstance(step, (int, float)) or step < 0:
                raise ArmError(400, "InvalidClock", 'Send {"advanceSeconds": <non-negative number>}.')
            app.clock_offset += step
        if req.method in ("GET", "POST"):
            return ok({"now": app.now(), "offsetSeconds": app.clock_offset})
    if what == ["faults"]:
        if req.method == "POST":
            fault = _parse_fault(req.json())
            app.faults.add(fault)
            return ok(fault, status=201)
        if req.method == "GET":
            return ok({"value": app.faults.list()})
        if req.method == "DELETE":
            app.faults.clear()
            return empty(204)
    raise ArmError(404, "NotFound", "No emulator control endpoint {} /_emulator/{}.".format(req.method, "/".join(tail)))


def log_entry(req, status, category, started):
    return {
        "method": req.method, "path": req.path, "query": req.query_string, "status": status,
        "category": category, "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "startedAt": round(started, 3),     # epoch seconds, for measuring (make bench: how late a poll saw completion)
        "durationMs": int((time.time() - started) * 1000),
        "command": req.headers.get("CommandName"), "clientRequestId": req.headers.get("x-ms-client-request-id"),
        "body": redact(req.json_or_none()) if req.body else None,
    }

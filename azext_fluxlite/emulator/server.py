"""HTTPS server and routing (requests are parsed in request.py).

One ThreadingHTTPServer on the loopback interface; TLS is negotiated in the handler thread so a
slow client never blocks the accept loop.  Routing matches path segments case-insensitively and
hands each ARM path to the module that owns it.
"""
import os
import socket
import ssl
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import (auth, catalogue, cluster_lists, clusters, control, extensions_rp, flux_rp, providers, resource_graph,
               scc_rp, tls)
from . import partner_rps
from .clusters import ClusterPath
from .config import DB_FILE, SECRET_FILE, SIGNING_KEY_FILE, tighten_data_dir
from .request import MAX_BODY_BYTES, Request
from .responses import ArmError, new_guid, ok
from .store import Store

KC = "microsoft.kubernetesconfiguration"


class Context:
    """What a handler needs: the request, the app, and absolute URLs back to this emulator."""

    def __init__(self, app, req):
        self.app, self.req = app, req
        self.settings, self.store = app.settings, app.store
        self.base_url = app.base_url        # the listening address; never the Host header a client sent

    def now(self):
        """The emulator's clock: wall time plus what a test advanced it by (/_emulator/clock)."""
        return self.app.now()

    def principal(self):
        """(name, type) of the caller, for systemData."""
        return auth.principal(self.req.claims)

    def url(self, path):
        return self.base_url.rstrip("/") + "/" + path.lstrip("/")


def _category(req):
    first = req.lower[0] if req.lower else ""
    if first == "metadata" or req.lower[-1:] == ["openid-configuration"]:
        return "metadata"
    if first == "msi":
        return "identity"
    if first == "_emulator":
        return "control"
    return "arm"


class Emulator:
    """The application: settings, persistent state, secret, request log, faults, routing."""

    def __init__(self, settings):
        self.settings = settings
        self.pid = os.getpid()
        tighten_data_dir(settings.data_dir)
        self.secret = _load_secret(settings.path(SECRET_FILE))              # IDENTITY_HEADER: printed, shared
        self.signing_key = _load_secret(settings.path(SIGNING_KEY_FILE))    # signs tokens: never printed
        self.clock_offset = 0.0
        self.store = Store(settings.path(DB_FILE))
        self.requests = control.RequestLog()
        self.faults = control.Faults()
        self.base_url = None
        self.started = time.time()
        with self.store.write() as tx:
            for rg, rp, ctype, name in settings.clusters:
                clusters.seed(tx, settings, rg, rp, ctype, name)

    def info(self):
        s = self.settings
        with self.store.read() as tx:
            seeded = [r.id for r in tx.of_kind("cluster")]
        return {"baseUrl": self.base_url, "subscriptionId": s.subscription_id, "tenantId": s.tenant_id,
                "dataDir": s.data_dir, "operationSeconds": s.operation_seconds, "retryAfter": s.retry_after,
                "pageSize": s.page_size, "reconcileSeconds": s.reconcile_seconds,
                "sourceMap": [{"url": u, "path": p} for u, p in s.source_map], "clusters": seeded, "pid": self.pid}

    def now(self):
        return time.time() + self.clock_offset

    def authenticate(self, req):
        """Check credentials before the body is read: a bearer token for ARM, the secret for control paths."""
        category = _category(req)
        if category == "arm":
            req.claims = auth.check_bearer(self.signing_key, self.settings, req.headers)
        elif category == "control" and req.lower[1:] != ["health"]:
            control.check_secret(self, req.headers)

    def handle(self, req):
        ctx = Context(self, req)
        try:
            return self._route(ctx)
        except ArmError as exc:
            return exc.response()

    def _route(self, ctx):
        req, low, seg = ctx.req, ctx.req.lower, ctx.req.segments
        if low == ["metadata", "endpoints"] and req.method == "GET":
            return ok(auth.metadata_endpoints(ctx.base_url, self.settings, req.api_version))
        if low[1:] in (["v2.0", ".well-known", "openid-configuration"], [".well-known", "openid-configuration"]) \
                and req.method == "GET":
            return auth.openid_configuration(ctx.base_url, seg[0])
        if low == ["msi", "token"] and req.method == "GET":
            return auth.identity_token(req, self.secret, self.signing_key, self.settings)
        if low and low[0] == "_emulator":
            return control.handle(ctx, seg[1:])
        if req.claims is None:
            self.authenticate(req)
        if not req.api_version:
            raise ArmError(400, "MissingApiVersionParameter",
                           "The api-version query parameter (?api-version=) is required for all requests.")
        side = partner_rps.route(ctx)      # the partner extension types' side resources
        if side is not None:
            return side
        if low == ["providers", "microsoft.resourcegraph", "resources"]:
            return resource_graph.handle(ctx)
        if low == ["tenants"] and req.method == "GET":
            return auth.list_tenants(self.settings)
        if low == ["subscriptions"] and req.method == "GET":
            return auth.list_subscriptions(self.settings)
        if len(low) < 2 or low[0] != "subscriptions":
            raise _no_route(req)
        sub = seg[1]
        auth.check_subscription(self.settings, sub)
        rest = low[2:]
        if not rest and req.method == "GET":
            return auth.get_subscription(self.settings, sub)
        if rest and rest[0] == "providers":
            if len(rest) >= 5 and rest[1] == KC and rest[2] == "locations" and rest[4] == "extensiontypes":
                providers.check_api_version("locations/extensionTypes" + ("/versions" if len(rest) > 6 else ""),
                                            req.api_version, seg[5])
                return catalogue.handle_location(ctx, sub, seg[5], seg[7:])
            if len(rest) == 3 and cluster_lists.is_cluster_collection(rest[1], rest[2]):
                return cluster_lists.handle(ctx, sub, None, seg[3], seg[4])
            return providers.handle(ctx, sub, seg[3:])
        if rest and rest[0] == "resourcegroups":
            if len(rest) == 1 and req.method == "GET":
                return clusters.list_groups(ctx)
            if len(rest) == 2:
                return clusters.handle_group(ctx, sub, seg[3])
            if len(rest) == 5 and rest[2] == "providers" and cluster_lists.is_cluster_collection(rest[3], rest[4]):
                return cluster_lists.handle(ctx, sub, seg[3], seg[5], seg[6])
            if len(rest) >= 6 and rest[2] == "providers":
                cpath = ClusterPath(sub, seg[3], seg[5], seg[6], seg[7])
                if len(rest) == 6:
                    return clusters.handle_cluster(ctx, cpath)
                if len(rest) >= 9 and rest[6] == "providers" and rest[7] == KC:
                    return self._kubernetes_configuration(ctx, cpath, rest[8], seg[11:])
        raise _no_route(req)

    def _kubernetes_configuration(self, ctx, cpath, collection, tail):
        cpath.check_type(ctx.req.api_version)
        providers.check_api_version(collection, ctx.req.api_version)
        if collection == "fluxconfigurations":
            return flux_rp.handle(ctx, cpath, tail)
        if collection == "extensions":
            return extensions_rp.handle(ctx, cpath, tail)
        if collection == "extensiontypes":
            return catalogue.handle_cluster(ctx, cpath, tail)
        if collection == "sourcecontrolconfigurations":
            return scc_rp.handle(ctx, cpath, tail)       # Flux v1 leftovers
        raise ArmError(404, "InvalidResourceType",
                       "The resource type '{}' could not be found in the namespace 'Microsoft.KubernetesConfiguration' "
                       "for api version '{}'.".format(collection, ctx.req.api_version))


def _no_route(req):
    return ArmError(404, "NotFound", "The fluxlite emulator has no ARM operation {} {}.".format(req.method, req.path))


def _load_secret(path):
    try:
        with open(path, encoding="utf-8") as f:
            secret = f.read().strip()
        if secret:
            return secret
    except OSError:
        pass
    secret = new_guid().replace("-", "") + new_guid().replace("-", "")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(secret)
    return secret


DRAIN_BYTES = 64 * 1024 * 1024     # at most this much of an unread body is read (and dropped) after the answer
DRAIN_SECONDS = 5


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True      # headers and body go out in two writes: no 40 ms delayed-ACK stall
    server_version = "fluxlite-emulator"
    sys_version = ""

    def _read_body(self):
        """The request body, at most MAX_BODY_BYTES (else ArmError 413; the connection is then closed)."""
        too_large = ArmError(413, "RequestEntityTooLarge", "The request content is larger than the {} bytes ARM "
                                                           "accepts.".format(MAX_BODY_BYTES))
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks, total = [], 0
            while True:
                try:
                    size = int(self.rfile.readline(64).split(b";")[0].strip() or b"0", 16)
                except ValueError:
                    raise ArmError(400, "InvalidRequestContent", "The chunked request body is malformed.") from None
                total += size
                if total > MAX_BODY_BYTES:
                    raise too_large
                if size == 0:
                    self.rfile.readline(64)
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline(64)
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise ArmError(400, "InvalidRequestContent", "The Content-Length header is not a number.") from None
        if length > MAX_BODY_BYTES:
            raise too_large
        return self.rfile.read(length) if length > 0 else b""

    def _has_body(self):
        length = (self.headers.get("Content-Length") or "0").strip()
        return not length.isdigit() or int(length) > 0

    def _serve(self):
        started = time.time()
        app = self.server.app
        req = Request(self.command, self.path, self.headers, b"")
        try:
            try:
                app.authenticate(req)           # before a byte of the body is read
                req.body = self._read_body()
            except ArmError as exc:
                if self._has_body() or "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
                    self.close_connection = True     # the unread body must not be parsed as the next request
                response = exc.response()
            else:
                response = app.handle(req)
        except Exception as exc:            # a bug: answer like ARM does, keep serving, leave a trace
            traceback.print_exc(file=sys.stderr)
            response = ArmError(500, "InternalServerError", "The fluxlite emulator failed: {!r}".format(exc)).response()
        self.send_response(response.status)
        headers = {"Cache-Control": "no-cache", "Pragma": "no-cache", "Expires": "-1",
                   "x-ms-request-id": new_guid(), "x-ms-correlation-request-id": new_guid()}
        client_id = self.headers.get("x-ms-client-request-id")
        if client_id:
            headers["x-ms-client-request-id"] = client_id
        headers.update(response.headers)
        if self.close_connection:
            headers["Connection"] = "close"
        for key, value in headers.items():
            self.send_header(key, value)
        payload = b"" if self.command == "HEAD" else response.body
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if payload:
            self.wfile.write(payload)
        app.requests.add(control.log_entry(req, response.status, _category(req), started))
        if self.close_connection and req.body == b"" and self._has_body():
            self._discard_unread_body()

    def _discard_unread_body(self):
        """After a 401/413 sent without reading the body: drop what the client still sends (bounded), so a
        client that writes its whole body before reading (requests, az) gets the answer, not a reset."""
        self.wfile.flush()
        deadline, left = time.monotonic() + DRAIN_SECONDS, DRAIN_BYTES
        try:
            self.connection.settimeout(1)
            while left > 0 and time.monotonic() < deadline:
                chunk = self.rfile.read1(min(left, 65536))
                if not chunk:
                    break
                left -= len(chunk)
        except (OSError, ValueError):
            pass

    do_GET = do_PUT = do_PATCH = do_DELETE = do_POST = do_HEAD = _serve

    def log_message(self, format, *args):     # noqa: A002 - quiet; the request log has it all
        pass


class EmulatorHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, address):
        self.app = None             # set by serve(), after the port is bound
        self.ssl_context = None
        family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.address_family = family
        super().__init__(address, _Handler)

    def finish_request(self, request, client_address):
        request.settimeout(60)
        try:
            request = self.ssl_context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return
        try:
            super().finish_request(request, client_address)
        finally:
            try:
                request.close()
            except OSError:
                pass

    def handle_error(self, request, client_address):
        pass        # dropped connections and TLS errors are the client's business


def bind(host, port):
    """Listen on the loopback interface (OSError when the port is taken); serve() starts answering."""
    return EmulatorHTTPServer(("::1" if host == "::1" else "127.0.0.1", port))


def serve(app, port, server=None):
    """Bind on the loopback interface (unless `server` is bound already); return (server, thread), running."""
    host = app.settings.host
    server = server or bind(host, port)
    server.app = app
    server.ssl_context = tls.server_context(app.settings.data_dir)
    bound = server.server_address[1]
    shown = "[::1]" if host == "::1" else "127.0.0.1"
    app.base_url = "https://{}:{}/".format(shown, bound)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    thread.start()
    return server, thread

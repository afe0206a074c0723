"""Changes to a running emulator: reconcile now, add clusters, add source maps (the /_emulator/ endpoints).

  POST /_emulator/reconcile     {"names": ["cluster-config", ...]} (optional; default: every flux
                                configuration): the next read of each reconciles at once, fetching
                                the source again, as `flux reconcile` does on a cluster.
  POST /_emulator/clusters      {"cluster": "RG/CLUSTER_TYPE/NAME"}: create a cluster (kept in the state).
  POST /_emulator/source-maps   {"url": URL, "path": PATH, "auth": METHOD or null}: map a source to a
                                local directory (sources.py), for this run of the emulator.

Each answers what it did; a bad body is a 400 that says what to send.
"""
import os

from . import clusters
from .config import parse_cluster, parse_source_map
from .responses import ArmError, ok
from .sources import parse_source_auth

FLUX_KIND = "fluxConfiguration"


def _body(ctx):
    body = ctx.req.json() if ctx.req.body else {}
    if not isinstance(body, dict):
        raise ArmError(400, "InvalidRequestContent", "Send a JSON object.")
    return body


def reconcile(ctx):
    """Mark flux configurations due now; answers the names marked."""
    names = _body(ctx).get("names")
    if names is not None and (not isinstance(names, list) or not all(isinstance(n, str) for n in names)):
        raise ArmError(400, "InvalidRequestContent", 'Send {"names": ["<configuration name>", ...]} or {}.')
    wanted = {n.lower() for n in names} if names else None
    now = ctx.now()
    marked = []
    with ctx.store.write() as tx:
        for record in tx.of_kind(FLUX_KIND):
            name = record.body.get("name") or record.id.rsplit("/", 1)[-1]
            if wanted is not None and name.lower() not in wanted:
                continue
            record.extra["reconcile_due"] = now
            record.extra.pop("reconciled_at", None)
            tx.put(record, now)
            marked.append(record.id)
    missing = sorted(wanted - {m.rsplit("/", 1)[-1].lower() for m in marked}) if wanted else []
    if missing:
        raise ArmError(404, "ResourceNotFound", "No flux configuration named {} in the emulator.".format(
            ", ".join(missing)))
    return ok({"reconciling": marked})


def add_cluster(ctx):
    text = _body(ctx).get("cluster")
    try:
        rg, rp, ctype, name = parse_cluster(text if isinstance(text, str) else "")
    except ValueError as exc:
        raise ArmError(400, "InvalidRequestContent", str(exc)) from None
    with ctx.store.write() as tx:
        clusters.seed(tx, ctx.settings, rg, rp, ctype, name)
    return ok({"cluster": clusters.ClusterPath(ctx.settings.subscription_id, rg, rp, ctype, name).id}, status=201)


def add_source_map(ctx):
    body = _body(ctx)
    url, path, method = body.get("url"), body.get("path"), body.get("auth")
    if not isinstance(url, str) or not isinstance(path, str) or not url or not path or \
            not (method is None or isinstance(method, str)):
        raise ArmError(400, "InvalidRequestContent", 'Send {"url": "<source url>", "path": "<local directory>", '
                                                     '"auth": null or "ssh|https|https:USER|bucket|blob|oci|'
                                                     'secret:NAME"}.')
    try:
        url, path = parse_source_map("{}={}".format(url, path))
        auth = parse_source_auth("{}={}".format(url, method)) if method else None
    except ValueError as exc:
        raise ArmError(400, "InvalidRequestContent", str(exc)) from None
    if not os.path.exists(path):
        raise ArmError(400, "InvalidRequestContent", "--source-map: no such directory: {}".format(path))
    settings = ctx.settings
    settings.source_map = [(u, p) for u, p in settings.source_map if u != url] + [(url, path)]
    current_auth = [(u, m) for u, m in settings.source_auth if u != url]
    settings.source_auth = current_auth + ([auth] if auth else [])
    return ok({"url": url, "path": path, "auth": method}, status=201)


ROUTES = {("reconcile",): reconcile, ("clusters",): add_cluster, ("source-maps",): add_source_map}


def handle(ctx, what):
    """The answer for POST /_emulator/<what>, or None when `what` is not one of these endpoints."""
    route = ROUTES.get(tuple(what))
    if route is None or ctx.req.method != "POST":
        return None
    return route(ctx)

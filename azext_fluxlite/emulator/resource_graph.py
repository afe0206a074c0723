"""Azure Resource Graph: `POST /providers/Microsoft.ResourceGraph/resources`.

Two tables, each row shaped as Resource Graph shows it (type and resourceGroup lower-cased):
`resources` holds the clusters, `kubernetesconfigurationresources` the fluxConfigurations and
extensions, read as a GET would (operations settled, reconciled when due).  Queries run in the
KQL subset of kql.py; paging follows the service: `options.$top` (at most 1000, default 100),
`$skip`, and `$skipToken` in the answer while rows remain.
"""
from . import extensions_rp, flux_rp
from .clusters import ClusterPath
from .kql import KqlError, run
from .responses import ArmError, ok

API_VERSIONS = ("2019-04-01", "2020-04-01-preview", "2021-03-01", "2022-10-01", "2024-04-01")
MAX_TOP = 1000
DEFAULT_TOP = 100


def _row(body, settings, cluster_id=None):
    rid = body.get("id") or ""
    parts = rid.split("/")
    return {"id": rid, "name": body.get("name"), "type": str(body.get("type") or "").lower(),
            "tenantId": settings.tenant_id, "kind": "", "location": body.get("location") or "",
            "resourceGroup": parts[4].lower() if len(parts) > 4 else "", "subscriptionId": parts[2] if len(parts) > 2
            else "", "managedBy": "", "sku": None, "plan": None, "properties": body.get("properties") or {},
            "tags": body.get("tags") or {}, "identity": body.get("identity"), "zones": None,
            "extendedLocation": None, **({"clusterId": cluster_id} if cluster_id else {})}


def _cluster_rows(ctx):
    with ctx.store.read() as tx:
        return [_row(r.body, ctx.settings) for r in tx.of_kind("cluster")]


def _configuration_rows(ctx):
    with ctx.store.read() as tx:
        clusters = {r.key: r for r in tx.of_kind("cluster")}
        children = [(r.kind, r.key, r.parent) for kind in ("fluxConfiguration", "extension") for r in tx.of_kind(kind)]
    rows = []
    for kind, key, parent in children:
        cluster = clusters.get(parent)
        if cluster is None:
            continue
        p = cluster.id.split("/")
        cpath = ClusterPath(p[2], p[4], p[6], p[7], p[8])
        record = (flux_rp if kind == "fluxConfiguration" else extensions_rp).current(ctx, cpath, key)
        if record is not None:
            rows.append(_row(dict(record.body, location=cluster.body.get("location")), ctx.settings))
    return rows


def _options(body):
    options = body.get("options") or {}
    if not isinstance(options, dict):
        raise ArmError(400, "BadRequest", "'options' must be a JSON object.")
    try:
        top = int(options.get("$top") or DEFAULT_TOP)
        skip = int(options.get("$skip") or 0) + int(options.get("$skipToken") or 0)
    except (TypeError, ValueError):
        raise ArmError(400, "BadRequest", "'$top', '$skip' and '$skipToken' must be numbers.") from None
    if not 1 <= top <= MAX_TOP:
        raise ArmError(400, "BadRequest", "'$top' must be between 1 and {}.".format(MAX_TOP))
    return top, max(0, skip), str(options.get("resultFormat") or "objectArray")


def handle(ctx):
    req = ctx.req
    if req.method != "POST":
        raise ArmError(405, "MethodNotAllowed", "Resource Graph queries are POSTed.")
    if req.api_version not in API_VERSIONS:
        raise ArmError(400, "InvalidApiVersionParameter", "The api-version '{}' is invalid. The supported versions "
                                                          "are '{}'.".format(req.api_version, ", ".join(API_VERSIONS)))
    body = req.json()
    if not isinstance(body, dict) or not isinstance(body.get("query"), str) or not body["query"].strip():
        raise ArmError(400, "BadRequest", "The request needs a 'query' (a KQL string).")
    subscriptions = body.get("subscriptions")
    if subscriptions is not None and ctx.settings.subscription_id.lower() not in [str(s).lower() for s in
                                                                                   subscriptions]:
        rows_source = {"resources": list, "kubernetesconfigurationresources": list}
    else:
        rows_source = {"resources": lambda: _cluster_rows(ctx),
                       "kubernetesconfigurationresources": lambda: _configuration_rows(ctx)}
    top, skip, result_format = _options(body)
    try:
        rows = run(body["query"], rows_source)
    except KqlError as exc:
        raise ArmError(400, "BadRequest", "Query is invalid: {}. The fluxlite emulator serves a subset of KQL "
                                          "(where, project, extend, order by, take, distinct).".format(exc)) from None
    chunk = rows[skip:skip + top]
    data = chunk
    if result_format.lower() == "table":
        columns = list(dict.fromkeys(k for r in chunk for k in r))
        data = {"columns": [{"name": c, "type": "object"} for c in columns],
                "rows": [[r.get(c) for c in columns] for r in chunk]}
    answer = {"totalRecords": len(rows), "count": len(chunk), "resultTruncated": "false", "facets": [], "data": data}
    if skip + top < len(rows):
        answer["$skipToken"] = str(skip + top)
    return ok(answer)

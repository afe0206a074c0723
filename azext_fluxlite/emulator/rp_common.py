"""What fluxConfigurations and extensions share: routing, delete, merge-patch, paging, faults, preconditions."""
from collections import namedtuple
from contextlib import contextmanager

from azext_fluxlite.core.merge import merge_patch  # noqa: F401  (the emulator's modules import it from here)

from . import operations
from .clusters import require_cluster
from .responses import ArmError, conflict, empty, ok

# How one child resource type of a cluster (fluxConfigurations, extensions) is served:
# current(ctx, cpath, key) -> settled Record or None; missing(name) -> the 404 error;
# put/patch(ctx, cpath, name, key) -> response; force_deleted() -> the answer to forceDelete=true.
ChildResource = namedtuple("ChildResource", "kind collection what current missing put patch force_deleted")


def without_nulls(value):
    """A copy of a writable block with every null member left out (objects only; lists keep their items):
    the official schema has no nulls for them, so an unset field is absent rather than null."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    return value


def page(ctx, items, collection_id):
    """One page of a collection: {"value": [...]}, plus "nextLink" (absolute URL) unless it is the last page."""
    size = ctx.settings.page_size
    try:
        start = max(0, int(ctx.req.query.get("$skiptoken") or 0))
    except ValueError:
        raise ArmError(400, "InvalidSkipToken", "The $skipToken is not valid.") from None
    body = {"value": items[start:start + size]}
    if start + size < len(items):
        body["nextLink"] = "{}?api-version={}&$skipToken={}".format(ctx.url(collection_id), ctx.req.api_version,
                                                                   start + size)
    return ok(body)


def request_object(ctx):
    body = ctx.req.json()
    if not isinstance(body, dict):
        raise ArmError(400, "InvalidRequestContent", "The request content must be a JSON object.")
    props = body.get("properties")
    if props is None:
        props = {}
    if not isinstance(props, dict):
        raise ArmError(400, "InvalidRequestContent", "The 'properties' of the request must be a JSON object.")
    return body, props


def fault_for(ctx):
    """A fault injected for this write: raise it now when it asks for an HTTP error, else return it."""
    fault = ctx.app.faults.take(ctx.req.method, ctx.req.path)
    if fault and fault.get("status"):
        raise ArmError(fault["status"], fault.get("code") or "InjectedFault",
                       fault.get("message") or "Fault injected through the fluxlite emulator.")
    return fault


def check_not_busy(tx, record, what, now=None):
    """409 when another operation on the resource is still running."""
    running = operations.running(tx, record.key, now)
    if running is not None:
        raise conflict("Operation already in progress: {} is being {} (operation {}). Wait for it to finish, "
                       "then retry.".format(what, _verb(running.running_status), running.op_id),
                       code="OperationAlreadyInProgress")


def _verb(status):
    return {"Creating": "created", "Updating": "updated", "Deleting": "deleted"}.get(status, status.lower())


def protected_keys(settings):
    """Keys of protected settings (values are dropped here and never stored)."""
    if settings is None:
        return []
    if not isinstance(settings, dict):
        raise ArmError(400, "InvalidRequestContent", "configurationProtectedSettings must be a JSON object.")
    return sorted(k for k, v in settings.items() if v is not None)


def merge_protected_keys(current, patch):
    keys = set(current or [])
    for key, value in (patch or {}).items():
        if value is None:
            keys.discard(key)
        else:
            keys.add(key)
    return sorted(keys)


def force_delete_requested(ctx):
    return str(ctx.req.query.get("forcedelete", "")).lower() == "true"


@contextmanager
def child_write(ctx, cpath, key):
    """A write transaction on one child resource: (tx, now, existing record or None).

    `now` is read after the lock is taken, so an operation committed meanwhile counts as older;
    operations that are due are settled first, and the cluster must exist.
    """
    with ctx.store.write() as tx:
        now = ctx.now()
        require_cluster(tx, cpath)
        operations.settle(tx, key, now)
        yield tx, now, tx.get(key)


def handle_child(ctx, cpath, tail, spec):
    """Route a request under `{cluster}/providers/Microsoft.KubernetesConfiguration/<collection>`."""
    req = ctx.req
    if not tail:
        if req.method != "GET":
            raise ArmError(405, "MethodNotAllowed", "The collection only supports GET.")
        with ctx.store.read() as tx:
            require_cluster(tx, cpath)
            keys = [r.key for r in tx.children(cpath.key, spec.kind)]
        bodies = [r.body for r in (spec.current(ctx, cpath, k) for k in keys) if r is not None]
        return page(ctx, bodies, cpath.child_id(spec.collection))
    name = tail[0]
    key = cpath.child_id(spec.collection, name).lower()
    if len(tail) == 3 and tail[1].lower() in ("operations", "operationresults") and req.method == "GET":
        def final_body():
            record = spec.current(ctx, cpath, key)
            return record.body if record else None
        return operations.status_response(ctx, key, tail[2], tail[1].lower() == "operationresults", final_body)
    if len(tail) != 1:
        raise ArmError(404, "NotFound", "No ARM operation {} {}.".format(req.method, req.path))
    if req.method == "GET":
        with ctx.store.read() as tx:
            require_cluster(tx, cpath)
        record = spec.current(ctx, cpath, key)
        if record is None:
            raise spec.missing(name)
        return ok(record.body)
    if req.method == "PUT":
        return spec.put(ctx, cpath, name, key)
    if req.method == "PATCH":
        return spec.patch(ctx, cpath, name, key)
    if req.method == "DELETE":
        return delete_child(ctx, cpath, key, spec)
    raise ArmError(405, "MethodNotAllowed", "The method '{}' is not allowed.".format(req.method))


def delete_child(ctx, cpath, key, spec):
    """DELETE: 204 when absent, at once with forceDelete=true, else a Deleting operation (202)."""
    force = force_delete_requested(ctx)
    with child_write(ctx, cpath, key) as (tx, now, existing):
        if existing is None:
            return empty(204)
        check_not_busy(tx, existing, "{} '{}'".format(spec.what, existing.body["name"]), now)
        if force:
            tx.delete(key)
            return spec.force_deleted()
        fault = fault_for(ctx)
        existing.body["properties"]["provisioningState"] = "Deleting"
        op = operations.start(tx, ctx, existing, spec.kind, "delete", fault, now)
        tx.put(existing, now)
    return empty(202, operations.lro_headers(ctx, op, ctx.req.api_version))

"""Long-running operations, computed lazily from stored timestamps.

A write starts an operation row whose outcome (Succeeded, or Failed when a fault was injected) and
due time (start + --operation-seconds) are decided up front and committed with the write.  Nothing
runs in the background: whoever reads the resource or its operation status after the due time
"settles" it (applies the final provisioningState, removes a deleted resource) inside a write
transaction.  Because all of this is in SQLite, an emulator restarted mid-operation still
finishes it on the next read.
"""
import time

from .responses import ArmError, Response, empty, new_guid, ok
from .store import Operation

RUNNING_STATUS = {"create": "Creating", "update": "Updating", "delete": "Deleting"}

# kind -> function(tx, record, op, now) applying a settled operation's effect.
_FINISHERS = {}


def register_finisher(kind, function):
    _FINISHERS[kind] = function


def start(tx, ctx, record, kind, action, fault=None, now=None):
    """Record a new operation on `record` (already written or about to be) and return it."""
    now = time.time() if now is None else now
    op_id = new_guid()
    failed = fault is not None
    op = Operation(op_id=op_id, resource_key=record.key, kind=kind, action=action,
                   status_id="{}/operations/{}".format(record.id, op_id),
                   running_status=RUNNING_STATUS[action],
                   outcome="Failed" if failed else "Succeeded",
                   error_code=(fault or {}).get("code") if failed else None,
                   error_message=(fault or {}).get("message") if failed else None,
                   started=now, due=now + ctx.settings.operation_seconds)
    if failed and not op.error_code:
        op.error_code = "ExtensionOperationFailed" if kind == "extension" else "FluxConfigurationOperationFailed"
    if failed and not op.error_message:
        op.error_message = "The operation failed (fault injected through the fluxlite emulator)."
    tx.add_operation(op)
    return op


def lro_headers(ctx, op, api_version):
    """Azure-AsyncOperation + Location, absolute URLs back to this emulator."""
    query = "?api-version=" + api_version
    headers = {
        "Azure-AsyncOperation": ctx.url(op.status_id) + query,
        "Location": ctx.url(op.status_id.replace("/operations/", "/operationResults/")) + query,
    }
    if ctx.settings.retry_after:
        headers["Retry-After"] = str(ctx.settings.retry_after)
    return headers


def running(tx, key, now=None):
    """The operation still in progress on a resource, or None."""
    now = time.time() if now is None else now
    for op in tx.unsettled(key):
        if op.due > now:
            return op
    return None


def settle(tx, key, now=None):
    """Apply every due operation of a resource, oldest first (call inside a write transaction)."""
    now = time.time() if now is None else now
    for op in tx.unsettled(key):
        if op.due > now:
            break
        record = tx.get(key)
        if record is not None:
            _FINISHERS[op.kind](tx, record, op, now)
        tx.mark_settled(op.op_id)


def ensure_settled(store, key, now=None):
    """Settle due operations of a resource, taking the write lock only when there is work."""
    now = time.time() if now is None else now
    with store.read() as tx:
        due = any(op.due <= now for op in tx.unsettled(key))
    if due:
        with store.write() as tx:
            settle(tx, key, now)


def status_response(ctx, resource_key, op_id, results=False, final_body=None):
    """GET .../operations/{id} (Azure-AsyncOperation) or .../operationResults/{id} (Location)."""
    now = ctx.now()
    ensure_settled(ctx.store, resource_key, now)
    with ctx.store.read() as tx:
        op = tx.operation(op_id)
    if op is None or op.resource_key != resource_key.lower():
        raise ArmError(404, "OperationNotFound", "The operation '{}' could not be found.".format(op_id))
    status = op.status_at(now)
    terminal = status in ("Succeeded", "Failed", "Canceled")
    headers = {}
    if not terminal and ctx.settings.retry_after:
        headers["Retry-After"] = str(ctx.settings.retry_after)
    if results:
        if not terminal:
            headers["Location"] = ctx.url(op.status_id.replace("/operations/", "/operationResults/")) + \
                "?api-version=" + ctx.req.api_version
            return empty(202, headers)
        if status == "Failed":
            raise ArmError(400, op.error_code, op.error_message)
        if op.action == "delete" or final_body is None:
            return empty(204)
        return Response(200, final_body())
    body = {"id": op.status_id, "name": op.op_id, "status": status}
    if status == "Failed":
        body["error"] = {"code": op.error_code, "message": op.error_message}
    return ok(body, headers=headers)

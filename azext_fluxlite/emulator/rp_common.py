"""What fluxConfigurations and extensions share: merge-patch, paging, faults, write preconditions."""
import copy
import time

from . import operations
from .responses import ArmError, conflict, ok


def merge_patch(target, patch):
    """RFC 7386 JSON merge patch: objects merge recursively, null deletes, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def page(ctx, items, collection_id):
    """One page of a collection: {"value": [...], "nextLink": absolute URL or null}."""
    size = ctx.settings.page_size
    try:
        start = max(0, int(ctx.req.query.get("$skiptoken") or 0))
    except ValueError:
        raise ArmError(400, "InvalidSkipToken", "The $skipToken is not valid.") from None
    chunk = items[start:start + size]
    next_link = None
    if start + size < len(items):
        next_link = "{}?api-version={}&$skipToken={}".format(ctx.url(collection_id), ctx.req.api_version, start + size)
    return ok({"value": chunk, "nextLink": next_link})


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


def now():
    return time.time()

"""Microsoft.KubernetesConfiguration/fluxConfigurations: PUT, PATCH, GET, list, DELETE, operations.

Defaults and validation are in flux_schema.py.  Protected settings and the secret fields of
azureBlob/ociRepository sources are accepted and dropped: only the protected-setting keys are
stored, and responses carry `configurationProtectedSettings: {}` like the live service.
"""
import copy

from . import extensions_rp, operations, reconcile
from .flux_schema import NAME_RE, PATCHABLE, READ_ONLY_DEFAULTS, SOURCE_KINDS, WRITABLE, normalize, secret_given
from .responses import empty, k8s_time, not_found, ok, system_data, validation_failed
from .rp_common import (ChildResource, check_not_busy, child_write, fault_for, handle_child, merge_patch,
                        merge_protected_keys, protected_keys, request_object, without_nulls)
from .store import Record

FLUX_TYPE = "Microsoft.KubernetesConfiguration/fluxConfigurations"
KIND = "fluxConfiguration"
COLLECTION = "fluxConfigurations"


# Writable properties left out of answers when unset: the source blocks the configuration does not use.
def _compose(ctx, record, writable, readonly, now):
    props = without_nulls(writable)
    props["configurationProtectedSettings"] = {}
    props.update(readonly)
    created = record.created or now
    record.body = {"id": record.id, "name": record.body.get("name") or record.id.rsplit("/", 1)[-1],
                   "type": FLUX_TYPE, "systemData": system_data(created, now, ctx.principal(),
                                                                record.body.get("systemData")),
                   "properties": props}


def _missing(name):
    return not_found("Flux configuration with name '{}' not found.".format(name))


def _finish(tx, record, op, now):
    props = record.body["properties"]
    if op.action == "delete" and op.outcome == "Succeeded":
        tx.delete(record.key)
        return
    if op.outcome == "Succeeded":
        props["provisioningState"] = "Succeeded"
        record.extra["reconcile_due"] = op.due + record.extra.get("reconcile_delay", 0)
    else:
        props["provisioningState"] = "Failed"
        props["errorMessage"] = op.error_message
        if op.action != "delete":
            props["complianceState"] = "Unknown"
    tx.put(record, now)


operations.register_finisher(KIND, _finish)


def _reconcile_due(record, now):
    extra, props = record.extra, record.body["properties"]
    due = extra.get("reconcile_due")
    if due is None or now < due or props.get("provisioningState") != "Succeeded":
        return False
    if extra.get("flux_missing"):
        return True             # the microsoft.flux extension is back: reconcile at once
    last = extra.get("reconciled_at")
    if last is None or last < due:
        return True
    block = props.get(SOURCE_KINDS[props["sourceKind"].lower()][1]) or {}
    return now - last >= (block.get("syncIntervalInSeconds") or 600)


def current(ctx, cpath, key):
    """The stored configuration after settling due operations and reconciling when due (or None).

    Only this configuration's row (and the cluster's flux extension) is read; what other configurations
    define that this one may refer to comes from the flux_sources index, so a GET costs the same however
    many siblings the cluster holds.  Without a Succeeded microsoft.flux extension nothing reconciles.
    """
    now = ctx.now()
    operations.ensure_settled(ctx.store, key, now)
    with ctx.store.read() as tx:
        record = tx.get(key)
        if record is None or record.body["properties"].get("provisioningState") != "Succeeded":
            return record
        problem = extensions_rp.flux_extension_problem(tx, cpath.key)
        if problem is None and not _reconcile_due(record, now):
            return record
        others = tx.flux_sources(cpath.key, exclude_owner=key) if problem is None else None
    if problem is not None:
        return _not_reconciled(ctx, record, problem, now)
    result = reconcile.reconcile_configuration(ctx.settings, record.body["name"], record.body["properties"],
                                               others, now, protected_keys=record.extra.get("protected_keys"))
    with ctx.store.write() as tx:
        latest = tx.get(key)
        if latest is None or latest.version != record.version:
            return latest
        latest.body["properties"].update(result)
        latest.extra["reconciled_at"] = now
        latest.extra.pop("flux_missing", None)
        tx.put(latest, now)
        tx.set_flux_sources(key, cpath.key, latest.body["properties"].get("statuses"))
        return latest


def _not_reconciled(ctx, record, problem, now):
    """No Flux on the cluster: compliance is Unknown and errorMessage says why (written once per change)."""
    props = record.body["properties"]
    if record.extra.get("flux_missing") == problem and props.get("errorMessage") == problem:
        return record
    with ctx.store.write() as tx:
        latest = tx.get(record.key)
        if latest is None or latest.version != record.version:
            return latest
        latest.body["properties"].update(complianceState="Unknown", errorMessage=problem,
                                         statusUpdatedAt=k8s_time(now))
        latest.extra["flux_missing"] = problem
        tx.put(latest, now)
        return latest


def _put(ctx, cpath, name, key):
    _, props = request_object(ctx)
    fault = fault_for(ctx)
    with child_write(ctx, cpath, key) as (tx, now, existing):
        if existing is not None:
            check_not_busy(tx, existing, "flux configuration '{}'".format(existing.body["name"]), now)
        elif not NAME_RE.match(name) or len(name) > 63:
            raise validation_failed("Invalid flux configuration name '{}': use lower-case letters, digits, '-' and "
                                    "'.', starting and ending with a letter or digit (at most 63 characters)."
                                    .format(name))
        writable = normalize(props, existing.body["name"] if existing else name)
        keys = protected_keys(props.get("configurationProtectedSettings"))
        if existing is not None:
            old = existing.body["properties"]
            for field in ("scope", "namespace"):
                if writable[field] != old.get(field):
                    raise validation_failed(
                        "The '{}' of flux configuration '{}' cannot be changed from '{}' to '{}': it is set when the "
                        "configuration is created. Delete the configuration and create it again to change it."
                        .format(field, existing.body["name"], old.get(field), writable[field]))
            readonly = {k: old.get(k, v) for k, v in READ_ONLY_DEFAULTS.items()}
            record = existing
        else:
            readonly = dict(READ_ONLY_DEFAULTS)
            record = Record(key=key, kind=KIND, parent=cpath.key, id=cpath.child_id(COLLECTION, name), body={"name": name})
        readonly.update(provisioningState="Updating" if existing else "Creating", complianceState="Pending",
                        errorMessage="")
        _compose(ctx, record, writable, readonly, now)
        record.extra = {"protected_keys": keys, "reconcile_delay": ctx.settings.reconcile_seconds}
        op = operations.start(tx, ctx, record, KIND, "update" if existing else "create", fault, now)
        tx.put(record, now)
    return ok(record.body, status=200 if existing else 201,
              headers=operations.lro_headers(ctx, op, ctx.req.api_version))


def _patch(ctx, cpath, name, key):
    _, props = request_object(ctx)
    fault = fault_for(ctx)
    with child_write(ctx, cpath, key) as (tx, now, existing):
        if existing is None:
            raise _missing(name)
        old = existing.body["properties"]
        check_not_busy(tx, existing, "flux configuration '{}'".format(existing.body["name"]), now)
        for field in ("scope", "namespace"):
            if props.get(field) is not None and str(props[field]).lower() != str(old.get(field)).lower():
                raise validation_failed("The '{}' of a flux configuration cannot be changed by an update; delete "
                                        "the configuration and create it again.".format(field))
        current_writable = {k: copy.deepcopy(old.get(k)) for k in WRITABLE}
        patch = {k: v for k, v in props.items() if k in PATCHABLE}
        merged = merge_patch(current_writable, patch)
        writable = normalize(merged, existing.body["name"])
        keys = merge_protected_keys(existing.extra.get("protected_keys"), props.get("configurationProtectedSettings"))
        changed = without_nulls(writable) != without_nulls(current_writable) or keys != existing.extra.get("protected_keys") or secret_given(props)
        readonly = {k: old.get(k, v) for k, v in READ_ONLY_DEFAULTS.items()}
        existing.extra["protected_keys"] = keys
        if not changed:
            # Nothing to change: answer 200 at once, and sync the source again on the next read.
            existing.extra["reconcile_due"] = now
            tx.put(existing, now)
            return ok(existing.body)
        readonly.update(provisioningState="Updating", complianceState="Pending", errorMessage="")
        _compose(ctx, existing, writable, readonly, now)
        existing.extra["reconcile_delay"] = ctx.settings.reconcile_seconds
        existing.extra.pop("reconcile_due", None)
        op = operations.start(tx, ctx, existing, KIND, "update", fault, now)
        tx.put(existing, now)
    return ok(existing.body, status=202, headers=operations.lro_headers(ctx, op, ctx.req.api_version))


SPEC = ChildResource(kind=KIND, collection=COLLECTION, what="flux configuration", current=current,
                     missing=_missing, put=_put, patch=_patch, force_deleted=lambda: empty(200))


def handle(ctx, cpath, tail):
    return handle_child(ctx, cpath, tail, SPEC)

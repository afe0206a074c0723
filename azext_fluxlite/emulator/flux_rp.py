"""Microsoft.KubernetesConfiguration/fluxConfigurations: PUT, PATCH, GET, list, DELETE, operations.

Server-side defaults and validation follow the 2025-04-01 schema (see the reference
arm-protocol.md §4.1/§4.2).  Protected settings and the secret fields of azureBlob/ociRepository
sources are accepted and dropped: only the protected-setting keys are stored, and responses carry
`configurationProtectedSettings: {}` like the live service.
"""
import copy
import re
import time

from . import operations, reconcile
from .clusters import require_cluster
from .responses import ArmError, empty, not_found, ok, system_data, validation_failed
from .rp_common import (check_not_busy, fault_for, force_delete_requested, merge_patch, merge_protected_keys, page,
                        protected_keys, request_object)
from .store import Record

FLUX_TYPE = "Microsoft.KubernetesConfiguration/fluxConfigurations"
KIND = "fluxConfiguration"
COLLECTION = "fluxConfigurations"

SOURCE_KINDS = {"gitrepository": ("GitRepository", "gitRepository"), "bucket": ("Bucket", "bucket"),
                "azureblob": ("AzureBlob", "azureBlob"), "ocirepository": ("OCIRepository", "ociRepository")}
BLOCKS = ["gitRepository", "bucket", "azureBlob", "ociRepository"]
SOURCE_DEFAULTS = {
    "gitRepository": {"url": None, "timeoutInSeconds": 600, "syncIntervalInSeconds": 600, "repositoryRef": None,
                      "sshKnownHosts": None, "httpsUser": None, "httpsCACert": None, "localAuthRef": None,
                      "provider": None},
    "bucket": {"url": None, "bucketName": None, "insecure": True, "timeoutInSeconds": 600,
               "syncIntervalInSeconds": 600, "accessKey": None, "localAuthRef": None},
    "azureBlob": {"url": None, "containerName": None, "timeoutInSeconds": 600, "syncIntervalInSeconds": 600,
                  "servicePrincipal": None, "accountKey": None, "sasToken": None, "managedIdentity": None,
                  "localAuthRef": None},
    "ociRepository": {"url": None, "timeoutInSeconds": 600, "syncIntervalInSeconds": 600, "repositoryRef": None,
                      "layerSelector": None, "verify": None, "insecure": False, "useWorkloadIdentity": False,
                      "serviceAccountName": None, "tlsConfig": None, "localAuthRef": None},
}
REF_FIELDS = {"gitRepository": ["branch", "tag", "semver", "commit"], "ociRepository": ["tag", "semver", "digest"]}
# Secret fields inside source blocks: accepted, never stored or returned.
SECRET_PATHS = {"azureBlob": [("accountKey",), ("sasToken",), ("servicePrincipal", "clientSecret"),
                              ("servicePrincipal", "clientCertificate"), ("servicePrincipal", "clientCertificatePassword")],
                "ociRepository": [("tlsConfig", "clientCertificate"), ("tlsConfig", "privateKey"),
                                  ("tlsConfig", "caCertificate")]}
KUSTOMIZATION_DEFAULTS = {"path": "", "dependsOn": None, "timeoutInSeconds": 600, "syncIntervalInSeconds": 600,
                          "retryIntervalInSeconds": None, "prune": False, "force": False, "wait": True,
                          "postBuild": None}
_INT_FIELDS = ("timeoutInSeconds", "syncIntervalInSeconds", "retryIntervalInSeconds")
_BOOL_FIELDS = ("prune", "force", "wait")
WRITABLE = ["scope", "namespace", "sourceKind", "suspend"] + BLOCKS + \
    ["kustomizations", "waitForReconciliation", "reconciliationWaitDuration"]
PATCHABLE = ["sourceKind", "suspend"] + BLOCKS + ["kustomizations"]
READ_ONLY_DEFAULTS = {"statuses": [], "repositoryPublicKey": "", "sourceSyncedCommitId": None, "sourceUpdatedAt": None,
                      "statusUpdatedAt": None, "complianceState": "Pending", "provisioningState": None,
                      "errorMessage": ""}
NAME_RE = re.compile(r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")


def _bad(message):
    return ArmError(400, "InvalidRequestContent", message)


def _check_int(value, field):
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise _bad("'{}' must be a non-negative integer number of seconds.".format(field))


def _normalize_block(block, given):
    out = dict(SOURCE_DEFAULTS[block])
    for key, value in given.items():
        if value is not None or key not in out or SOURCE_DEFAULTS[block].get(key) is None:
            out[key] = value
    for field in ("timeoutInSeconds", "syncIntervalInSeconds"):
        _check_int(out.get(field), "{}.{}".format(block, field))
    if block in REF_FIELDS:
        ref = out.get("repositoryRef")
        if ref is not None and not isinstance(ref, dict):
            raise _bad("{}.repositoryRef must be a JSON object.".format(block))
        if ref is not None:
            out["repositoryRef"] = dict({f: None for f in REF_FIELDS[block]}, **ref)
    for path in SECRET_PATHS.get(block, []):
        holder = out
        for part in path[:-1]:
            holder = holder.get(part) if isinstance(holder, dict) else None
        if isinstance(holder, dict) and path[-1] in holder:
            holder[path[-1]] = None
    if not out.get("url"):
        raise validation_failed("The '{}' source must specify a url.".format(block))
    return out


def _normalize_kustomizations(given, config_name):
    if given is None:
        given = {}
    if not isinstance(given, dict):
        raise _bad("'kustomizations' must be a JSON object mapping names to kustomizations.")
    out = {}
    for name, k in given.items():
        if k is None:
            continue
        if not isinstance(k, dict):
            raise _bad("Kustomization '{}' must be a JSON object.".format(name))
        if not NAME_RE.match(name) or len(name) > 63:
            raise validation_failed("Invalid kustomization name '{}': use lower-case letters, digits, '-' and '.', "
                                    "starting and ending with a letter or digit.".format(name))
        item = dict(KUSTOMIZATION_DEFAULTS)
        for key, value in k.items():
            if key == "name":
                continue
            if value is None and KUSTOMIZATION_DEFAULTS.get(key) is not None:
                continue            # null on a defaulted field means "back to the default"
            item[key] = value
        for field in _INT_FIELDS:
            _check_int(item.get(field), "kustomizations.{}.{}".format(name, field))
        for field in _BOOL_FIELDS:
            if not isinstance(item.get(field), bool):
                raise _bad("'kustomizations.{}.{}' must be true or false.".format(name, field))
        if not isinstance(item.get("path"), str):
            raise _bad("'kustomizations.{}.path' must be a string.".format(name))
        deps = item.get("dependsOn")
        if deps is not None:
            if not isinstance(deps, list):
                raise _bad("'kustomizations.{}.dependsOn' must be a list of kustomization names.".format(name))
            item["dependsOn"] = [d.get("kustomizationName") if isinstance(d, dict) else d for d in deps]
        out[name] = dict({"name": name}, **item)
    _check_dependencies(out, config_name)
    return out


def _check_dependencies(kustomizations, config_name):
    for name, k in kustomizations.items():
        for dep in k.get("dependsOn") or []:
            if not isinstance(dep, str) or dep not in kustomizations:
                raise validation_failed(
                    "Kustomization '{}' depends on '{}', which is not a kustomization of flux configuration '{}'. "
                    "Kustomizations can only depend on kustomizations of the same configuration."
                    .format(name, dep, config_name))
            if dep == name:
                raise validation_failed("Kustomization '{}' cannot depend on itself.".format(name))
    state = {}

    def visit(name, trail):
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            cycle = trail[trail.index(name):] + [name]
            raise validation_failed("Kustomization dependencies form a cycle: {}.".format(" -> ".join(cycle)))
        state[name] = "visiting"
        for dep in kustomizations[name].get("dependsOn") or []:
            visit(dep, trail + [name])
        state[name] = "done"

    for name in kustomizations:
        visit(name, [])


def normalize(props, config_name):
    """The writable properties of a configuration with server-side defaults filled in; 400 when invalid."""
    out = {}
    scope = props.get("scope") or "cluster"
    if not isinstance(scope, str) or scope.lower() not in ("cluster", "namespace"):
        raise validation_failed("Invalid scope '{}'. Allowed values are 'cluster' and 'namespace'.".format(scope))
    out["scope"] = scope.lower()
    namespace = props.get("namespace") or "default"
    if not isinstance(namespace, str) or not NAME_RE.match(namespace) or len(namespace) > 63:
        raise validation_failed("Invalid namespace '{}': a namespace must consist of lower-case letters, digits and "
                                "'-', and start and end with a letter or digit (at most 63 characters)."
                                .format(namespace))
    out["namespace"] = namespace
    kind_given = props.get("sourceKind") or "GitRepository"
    known = SOURCE_KINDS.get(str(kind_given).lower())
    if known is None:
        raise validation_failed("Invalid source kind '{}'. Allowed values are GitRepository, Bucket, AzureBlob and "
                                "OCIRepository.".format(kind_given))
    kind, active = known
    out["sourceKind"] = kind
    suspend = props.get("suspend")
    if suspend is not None and not isinstance(suspend, bool):
        raise _bad("'suspend' must be true or false.")
    out["suspend"] = bool(suspend)
    for block in BLOCKS:
        out[block] = None
    given = props.get(active)
    if not isinstance(given, dict):
        raise validation_failed("Invalid source kind match. Config with specified source kind '{}' must contain "
                                "corresponding body specified in the properties.".format(kind))
    out[active] = _normalize_block(active, given)
    out["kustomizations"] = _normalize_kustomizations(props.get("kustomizations"), config_name)
    out["waitForReconciliation"] = props.get("waitForReconciliation")
    out["reconciliationWaitDuration"] = props.get("reconciliationWaitDuration")
    return out


def _secret_given(props):
    if any(v is not None for v in (props.get("configurationProtectedSettings") or {}).values()):
        return True
    for block, paths in SECRET_PATHS.items():
        for path in paths:
            holder = props.get(block)
            for part in path:
                holder = holder.get(part) if isinstance(holder, dict) else None
            if holder is not None:
                return True
    return False


def _compose(record, writable, readonly, now):
    props = dict(writable)
    props["configurationProtectedSettings"] = {}
    props.update(readonly)
    created = record.created or now
    record.body = {"id": record.id, "name": record.body.get("name") or record.id.rsplit("/", 1)[-1],
                   "type": FLUX_TYPE, "systemData": system_data(created, now), "properties": props}


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
    last = extra.get("reconciled_at")
    if last is None or last < due:
        return True
    block = props.get(SOURCE_KINDS[props["sourceKind"].lower()][1]) or {}
    return now - last >= (block.get("syncIntervalInSeconds") or 600)


def current(ctx, cpath, key):
    """The stored configuration after settling due operations and reconciling when due (or None)."""
    now = time.time()
    operations.ensure_settled(ctx.store, key, now)
    with ctx.store.read() as tx:
        record = tx.get(key)
        if record is None or not _reconcile_due(record, now):
            return record
        others = [r.body["properties"].get("statuses") or [] for r in tx.children(cpath.key, KIND) if r.key != key]
    result = reconcile.reconcile_configuration(ctx.settings, record.body["name"], record.body["properties"],
                                               [s for group in others for s in group], now)
    with ctx.store.write() as tx:
        latest = tx.get(key)
        if latest is None or latest.version != record.version:
            return latest
        latest.body["properties"].update(result)
        latest.extra["reconciled_at"] = now
        tx.put(latest, now)
        return latest


def handle(ctx, cpath, tail):
    req = ctx.req
    if not tail:
        if req.method != "GET":
            raise ArmError(405, "MethodNotAllowed", "The collection only supports GET.")
        with ctx.store.read() as tx:
            require_cluster(tx, cpath)
            keys = [r.key for r in tx.children(cpath.key, KIND)]
        bodies = [r.body for r in (current(ctx, cpath, k) for k in keys) if r is not None]
        return page(ctx, bodies, cpath.child_id(COLLECTION))
    name = tail[0]
    key = cpath.child_id(COLLECTION, name).lower()
    if len(tail) == 3 and tail[1].lower() in ("operations", "operationresults") and req.method == "GET":
        def final_body():
            record = current(ctx, cpath, key)
            return record.body if record else None
        return operations.status_response(ctx, key, tail[2], tail[1].lower() == "operationresults", final_body)
    if len(tail) != 1:
        raise ArmError(404, "NotFound", "No ARM operation {} {}.".format(req.method, req.path))
    if req.method == "GET":
        with ctx.store.read() as tx:
            require_cluster(tx, cpath)
        record = current(ctx, cpath, key)
        if record is None:
            raise _missing(name)
        return ok(record.body)
    if req.method == "PUT":
        return _put(ctx, cpath, name, key)
    if req.method == "PATCH":
        return _patch(ctx, cpath, name, key)
    if req.method == "DELETE":
        return _delete(ctx, cpath, name, key)
    raise ArmError(405, "MethodNotAllowed", "The method '{}' is not allowed.".format(req.method))


def _put(ctx, cpath, name, key):
    _, props = request_object(ctx)
    fault = fault_for(ctx)
    now = time.time()
    with ctx.store.write() as tx:
        require_cluster(tx, cpath)
        operations.settle(tx, key, now)
        existing = tx.get(key)
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
        _compose(record, writable, readonly, now)
        record.extra = {"protected_keys": keys, "reconcile_delay": ctx.settings.reconcile_seconds}
        op = operations.start(tx, ctx, record, KIND, "update" if existing else "create", fault, now)
        tx.put(record, now)
    return ok(record.body, status=200 if existing else 201,
              headers=operations.lro_headers(ctx, op, ctx.req.api_version))


def _patch(ctx, cpath, name, key):
    _, props = request_object(ctx)
    fault = fault_for(ctx)
    now = time.time()
    with ctx.store.write() as tx:
        require_cluster(tx, cpath)
        operations.settle(tx, key, now)
        existing = tx.get(key)
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
        changed = writable != current_writable or keys != existing.extra.get("protected_keys") or _secret_given(props)
        readonly = {k: old.get(k, v) for k, v in READ_ONLY_DEFAULTS.items()}
        existing.extra["protected_keys"] = keys
        if not changed:
            # Nothing to change: answer 200 at once, and sync the source again on the next read.
            existing.extra["reconcile_due"] = now
            tx.put(existing, now)
            return ok(existing.body)
        readonly.update(provisioningState="Updating", complianceState="Pending", errorMessage="")
        _compose(existing, writable, readonly, now)
        existing.extra["reconcile_delay"] = ctx.settings.reconcile_seconds
        existing.extra.pop("reconcile_due", None)
        op = operations.start(tx, ctx, existing, KIND, "update", fault, now)
        tx.put(existing, now)
    return ok(existing.body, status=202, headers=operations.lro_headers(ctx, op, ctx.req.api_version))


def _delete(ctx, cpath, name, key):
    now = time.time()
    force = force_delete_requested(ctx)
    with ctx.store.write() as tx:
        require_cluster(tx, cpath)
        operations.settle(tx, key, now)
        existing = tx.get(key)
        if existing is None:
            return empty(204)
        if force:
            tx.delete(key)
            return empty(200)
        check_not_busy(tx, existing, "flux configuration '{}'".format(existing.body["name"]), now)
        fault = fault_for(ctx)
        existing.body["properties"]["provisioningState"] = "Deleting"
        op = operations.start(tx, ctx, existing, KIND, "delete", fault, now)
        tx.put(existing, now)
    return empty(202, operations.lro_headers(ctx, op, ctx.req.api_version))

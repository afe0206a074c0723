"""Microsoft.KubernetesConfiguration/extensions: PUT, PATCH, GET, list, DELETE, operations.

Server-side defaults follow the live 2025-03-01 answers (reference arm-protocol.md §4.3,
k8s-extension.md §8.3): autoUpgradeMinorVersion true, autoUpgradeMode compatible, releaseTrain
Stable, scope from the type's catalogue entry, currentVersion once installed, a principalId when a
SystemAssigned identity is asked for.  Protected settings come back as keys with blank values; the
values are never stored.
"""
import re

from . import catalogue, operations
from .responses import ArmError, new_guid, not_found, ok, system_data, validation_failed
from .rp_common import (ChildResource, check_not_busy, child_write, fault_for, handle_child, merge_patch,
                        merge_protected_keys, protected_keys, request_object, without_nulls)
from .store import Record

EXT_TYPE = "Microsoft.KubernetesConfiguration/extensions"
KIND = "extension"
COLLECTION = "extensions"
MODES = ("none", "patch", "compatible")
# The body the live service returns for a forced delete (a serialised .NET HttpResponseMessage).
FORCE_DELETE_BODY = {"version": "1.1", "content": {"headers": []}, "statusCode": 200, "reasonPhrase": "OK",
                     "headers": [], "trailingHeaders": [], "requestMessage": None, "isSuccessStatusCode": True}


NAME_RE = re.compile(r"^[A-Za-z0-9]([-A-Za-z0-9._]*[A-Za-z0-9])?$")
FLUX_TYPE = "microsoft.flux"


def flux_extension_problem(tx, cluster_key):
    """Why Flux cannot reconcile on a cluster (its microsoft.flux extension is missing, not installed yet or
    failed), or None when the extension is installed and Succeeded.  Read in the caller's transaction."""
    flux = [r for r in tx.children(cluster_key, KIND)
            if str(r.body["properties"].get("extensionType", "")).lower() == FLUX_TYPE]
    if not flux:
        return ("The microsoft.flux extension is not installed on the cluster, so no Flux controller reconciles "
                "this configuration. Install it: az k8s-extension create --extension-type microsoft.flux -n flux ...")
    state = flux[0].body["properties"].get("provisioningState")
    if state != "Succeeded":
        return ("The microsoft.flux extension '{}' of the cluster is {} (provisioningState {}), so this configuration "
                "is not reconciled.".format(flux[0].body["name"], "failed" if state == "Failed" else "not installed yet",
                                            state))
    return None


def _missing(name):
    return not_found("Extension instance with name '{}' not found.".format(name))


def _settings_map(value, field):
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ArmError(400, "InvalidRequestContent", "'{}' must be a JSON object of strings.".format(field))
    return {k: (v if isinstance(v, str) or v is None else str(v).lower() if isinstance(v, bool) else str(v))
            for k, v in value.items()}


def _upgrade(props, old=None):
    """(autoUpgradeMinorVersion, autoUpgradeMode, releaseTrain, version) with defaults and checks."""
    old = old or {}
    auto = props.get("autoUpgradeMinorVersion", old.get("autoUpgradeMinorVersion"))
    mode = props.get("autoUpgradeMode")
    if auto is not None and not isinstance(auto, bool):
        raise ArmError(400, "InvalidRequestContent", "'autoUpgradeMinorVersion' must be true or false.")
    if mode is not None:
        if not isinstance(mode, str) or mode.lower() not in MODES:
            raise validation_failed("Invalid value '{}' for autoUpgradeMode. Allowed values are: none, patch, "
                                    "compatible.".format(mode))
        mode = mode.lower()
        if "autoUpgradeMinorVersion" not in props:
            auto = mode != "none"
    elif "autoUpgradeMinorVersion" in props and auto is not None:
        mode = "compatible" if auto else "none"
    else:
        mode = old.get("autoUpgradeMode")
    if auto is None:
        auto = True
    if mode is None:
        mode = "compatible" if auto else "none"
    train = props.get("releaseTrain") if "releaseTrain" in props else old.get("releaseTrain")
    version = props.get("version") if "version" in props else old.get("version")
    return auto, mode, train or "Stable", version


def _check_version(ext_type, entry, auto, version):
    if version is None:
        return
    if auto:
        raise validation_failed("To pin to specific version, auto-upgrade-minor-version must be set to 'false'.")
    if entry is not None and version not in catalogue.all_versions(entry):
        raise validation_failed("Version '{}' of extension type '{}' is not available. Available versions: {}."
                                .format(version, ext_type, ", ".join(catalogue.all_versions(entry))))


def _scope(given, name, entry, ext_type):
    if given is not None and not isinstance(given, dict):
        raise ArmError(400, "InvalidRequestContent", "'scope' must be a JSON object.")
    given = {k: v for k, v in (given or {}).items() if v is not None}
    if "cluster" in given and "namespace" in given:
        raise validation_failed("Only one of scope 'cluster' and scope 'namespace' can be specified.")
    default_ns = entry["defaultReleaseNamespace"] if entry else name
    if "namespace" in given:
        if entry is not None and not entry["namespaceScope"]:
            raise validation_failed("Extension type '{}' cannot be installed at namespace scope; use cluster scope."
                                    .format(ext_type))
        target = (given["namespace"] or {}).get("targetNamespace") or name
        return {"namespace": {"targetNamespace": target}}
    if not given and entry is not None and entry["defaultScope"] == "namespace":
        return {"namespace": {"targetNamespace": name}}
    release = (given.get("cluster") or {}).get("releaseNamespace") or default_ns
    return {"cluster": {"releaseNamespace": release}}


def _identity(given, old, tenant_id):
    if given is None:
        return old
    if not isinstance(given, dict):
        raise ArmError(400, "InvalidRequestContent", "'identity' must be a JSON object.")
    kind = given.get("type")
    if kind is None or str(kind).lower() == "none":
        return None
    if str(kind).lower() != "systemassigned":
        raise validation_failed("Identity type '{}' is not supported; use SystemAssigned.".format(kind))
    principal = (old or {}).get("principalId") or new_guid()
    return {"type": "SystemAssigned", "principalId": principal, "tenantId": tenant_id}


# Unset writable fields are left out (the official schema has no nulls for them), as are errorInfo,
# customLocationSettings and packageUri when unset (absent from live answers too).
_OMIT_WHEN_NULL = ("errorInfo", "customLocationSettings", "packageUri", "version", "aksAssignedIdentity",
                   "extensionState")


def _properties(ext_type, auto, mode, train, version, scope, settings, keys, readonly):
    props = {
        "extensionType": ext_type, "autoUpgradeMinorVersion": auto, "autoUpgradeMode": mode, "releaseTrain": train,
        "version": version, "currentVersion": readonly.get("currentVersion"), "scope": scope,
        "provisioningState": readonly.get("provisioningState"), "configurationSettings": settings,
        "configurationProtectedSettings": {k: "" for k in keys}, "statuses": readonly.get("statuses") or [],
        "aksAssignedIdentity": None, "isSystemExtension": False, "extensionState": None,
        "additionalDetails": {"docs": None, "releaseNotes": None, "troubleshootingGuide": None},
        "errorInfo": readonly.get("errorInfo"), "customLocationSettings": None, "packageUri": None,
    }
    return _strip(props)


def _strip(props):
    props = {k: v for k, v in props.items() if v is not None or k not in _OMIT_WHEN_NULL}
    details = without_nulls(props.get("additionalDetails") or {})
    if details:
        props["additionalDetails"] = details
    else:
        props.pop("additionalDetails", None)
    return props


def _finish(tx, record, op, now):
    props = record.body["properties"]
    if op.action == "delete" and op.outcome == "Succeeded":
        tx.delete(record.key)
        return
    if op.outcome == "Succeeded":
        props["provisioningState"] = "Succeeded"
        props["currentVersion"] = props.get("version") or \
            catalogue.latest_version(props["extensionType"], props.get("releaseTrain")) or props.get("currentVersion")
        props["statuses"] = []
        props.pop("errorInfo", None)
    else:
        props["provisioningState"] = "Failed"
        props["statuses"] = [{"code": "InstallationFailed", "displayStatus": None, "level": None,
                              "message": op.error_message, "time": None}]
        props["errorInfo"] = {"code": op.error_code, "message": op.error_message}
    tx.put(record, now)


operations.register_finisher(KIND, _finish)


def current(ctx, cpath, key):  # pylint: disable=unused-argument
    operations.ensure_settled(ctx.store, key, ctx.now())
    with ctx.store.read() as tx:
        return tx.get(key)


def _put(ctx, cpath, name, key):
    body, props = request_object(ctx)
    if not NAME_RE.match(name) or len(name) > 253:
        raise validation_failed("Invalid extension name '{}': use letters, digits, '-', '_' and '.', starting and "
                                "ending with a letter or digit (at most 253 characters).".format(name))
    fault = fault_for(ctx)
    with child_write(ctx, cpath, key) as (tx, now, existing):
        old = existing.body["properties"] if existing else {}
        if existing is not None:
            check_not_busy(tx, existing, "extension '{}'".format(existing.body["name"]), now)
        ext_type = props.get("extensionType") or old.get("extensionType")
        if not ext_type or not isinstance(ext_type, str):
            raise validation_failed("The extensionType of extension '{}' is required.".format(name))
        if existing is not None and ext_type.lower() != old["extensionType"].lower():
            raise validation_failed("The extensionType of extension '{}' cannot be changed from '{}' to '{}'."
                                    .format(name, old["extensionType"], ext_type))
        entry = catalogue.lookup(ext_type)
        if entry is None:
            raise validation_failed("Extension type '{}' is not available. The fluxlite emulator's catalogue has: {}."
                                    .format(ext_type, ", ".join(sorted(catalogue.TYPES))))
        if cpath.cluster_type.lower() not in entry["supportedClusterTypes"]:
            raise validation_failed("Extension type '{}' is not supported on cluster type '{}'."
                                    .format(ext_type, cpath.cluster_type))
        auto, mode, train, version = _upgrade(props)
        _check_version(ext_type, entry, auto, version)
        scope = _scope(props.get("scope"), name, entry, ext_type)
        if existing is not None and scope != old.get("scope"):
            raise validation_failed("The scope of extension '{}' cannot be changed after it is created.".format(name))
        if existing is None and not entry["allowMultipleInstances"]:
            for other in tx.children(cpath.key, KIND):
                if other.body["properties"]["extensionType"].lower() == ext_type.lower():
                    raise validation_failed(
                        "Extension type '{}' allows only one instance per cluster, and extension '{}' of that type "
                        "already exists.".format(ext_type, other.body["name"]))
        settings = _settings_map(props.get("configurationSettings"), "configurationSettings")
        keys = protected_keys(props.get("configurationProtectedSettings"))
        readonly = {"currentVersion": old.get("currentVersion"), "statuses": old.get("statuses"),
                    "provisioningState": "Updating" if existing else "Creating"}
        record = existing or Record(key=key, kind=KIND, parent=cpath.key, id=cpath.child_id(COLLECTION, name),
                                    body={"name": name})
        created = record.created or now
        out = {"id": record.id, "name": record.body["name"], "type": EXT_TYPE,
               "properties": _properties(ext_type, auto, mode, train, version, scope, settings, keys, readonly),
               "identity": _identity(body.get("identity"), (existing.body.get("identity") if existing else None),
                                     ctx.settings.tenant_id),
               "systemData": system_data(created, now, ctx.principal(),
                                         existing.body.get("systemData") if existing else None)}
        if out["identity"] is None:
            del out["identity"]
        if body.get("plan") is not None:
            out["plan"] = body["plan"]
        record.body = out
        record.extra = {"protected_keys": keys}
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
        check_not_busy(tx, existing, "extension '{}'".format(existing.body["name"]), now)
        old = existing.body["properties"]
        for field in ("extensionType", "scope"):
            if props.get(field) is not None and props[field] != old.get(field):
                raise validation_failed("The {} of an extension cannot be changed by an update.".format(field))
        entry = catalogue.lookup(old["extensionType"])
        auto, mode, train, version = _upgrade(props, old)
        _check_version(old["extensionType"], entry, auto, version)
        settings = merge_patch(old.get("configurationSettings") or {},
                               _settings_map(props.get("configurationSettings"), "configurationSettings"))
        keys = merge_protected_keys(existing.extra.get("protected_keys"), props.get("configurationProtectedSettings"))
        secrets_given = any(v is not None for v in (props.get("configurationProtectedSettings") or {}).values())
        new = dict(old, autoUpgradeMinorVersion=auto, autoUpgradeMode=mode, releaseTrain=train, version=version,
                   configurationSettings=settings, configurationProtectedSettings={k: "" for k in keys})
        new = _strip(new)
        if new == old and not secrets_given:
            return ok(existing.body)
        new["provisioningState"] = "Updating"
        existing.body["properties"] = new
        existing.body["systemData"] = system_data(existing.created, now, ctx.principal(),
                                                  existing.body.get("systemData"))
        existing.extra["protected_keys"] = keys
        op = operations.start(tx, ctx, existing, KIND, "update", fault, now)
        tx.put(existing, now)
    return ok(existing.body, status=202, headers=operations.lro_headers(ctx, op, ctx.req.api_version))


SPEC = ChildResource(kind=KIND, collection=COLLECTION, what="extension", current=current, missing=_missing,
                     put=_put, patch=_patch, force_deleted=lambda: ok(FORCE_DELETE_BODY))


def handle(ctx, cpath, tail):
    return handle_child(ctx, cpath, tail, SPEC)

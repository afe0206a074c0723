"""The fluxConfiguration schema as the service applies it: server-side defaults and validation.

Defaults and field rules follow the 2025-04-01 API (reference arm-protocol.md §4.1/§4.2); errors are
the service's ARM errors (400 ValidationFailed / InvalidRequestContent).  Secret fields of
azureBlob and ociRepository sources are accepted and blanked here, so they are never stored.
"""
import re

from azext_fluxlite.core import service_defaults

from .responses import ArmError, validation_failed

SOURCE_KINDS = {"gitrepository": ("GitRepository", "gitRepository"), "bucket": ("Bucket", "bucket"),
                "azureblob": ("AzureBlob", "azureBlob"), "ocirepository": ("OCIRepository", "ociRepository")}
BLOCKS = ["gitRepository", "bucket", "azureBlob", "ociRepository"]
# Every writable field of each source block, with the service's default where it has one.
_SOURCE_FIELDS = {
    "gitRepository": ["url", "timeoutInSeconds", "syncIntervalInSeconds", "repositoryRef", "sshKnownHosts",
                      "httpsUser", "httpsCACert", "localAuthRef", "provider"],
    "bucket": ["url", "bucketName", "insecure", "timeoutInSeconds", "syncIntervalInSeconds", "accessKey",
               "localAuthRef"],
    "azureBlob": ["url", "containerName", "timeoutInSeconds", "syncIntervalInSeconds", "servicePrincipal",
                  "accountKey", "sasToken", "managedIdentity", "localAuthRef"],
    "ociRepository": ["url", "timeoutInSeconds", "syncIntervalInSeconds", "repositoryRef", "layerSelector", "verify",
                      "insecure", "useWorkloadIdentity", "serviceAccountName", "tlsConfig", "localAuthRef"],
}
SOURCE_DEFAULTS = {block: dict(dict.fromkeys(fields), **service_defaults.SOURCE_DEFAULTS[block])
                   for block, fields in _SOURCE_FIELDS.items()}
REF_FIELDS = {"gitRepository": ["branch", "tag", "semver", "commit"], "ociRepository": ["tag", "semver", "digest"]}
# Secret fields inside source blocks: accepted, never stored or returned.
SECRET_PATHS = {"azureBlob": [("accountKey",), ("sasToken",), ("servicePrincipal", "clientSecret"),
                              ("servicePrincipal", "clientCertificate"), ("servicePrincipal", "clientCertificatePassword")],
                "ociRepository": [("tlsConfig", "clientCertificate"), ("tlsConfig", "privateKey"),
                                  ("tlsConfig", "caCertificate")]}
KUSTOMIZATION_DEFAULTS = dict(dict.fromkeys(["path", "dependsOn", "timeoutInSeconds", "syncIntervalInSeconds",
                                             "retryIntervalInSeconds", "prune", "force", "wait", "postBuild"]),
                              **service_defaults.KUSTOMIZATION_DEFAULTS)
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


def secret_given(props):
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

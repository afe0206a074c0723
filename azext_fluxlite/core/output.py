"""Shape ARM wire JSON into the JSON the original commands print.

The originals print the flattened SDK model: the resource fields and the `properties` fields side by
side at the top level, every model attribute present (null when absent), nested objects likewise
complete.  Scripts rely on that (`--query complianceState`), so fluxlite prints the same shape.
A schema here is a dict: key -> None (a leaf), a nested schema dict, ("list", schema) or
("map", schema).  Keys the service sends that a schema does not know are kept as they are.
"""
import copy

SYSTEM_DATA = dict.fromkeys(["createdBy", "createdByType", "createdAt",
                             "lastModifiedBy", "lastModifiedByType", "lastModifiedAt"])

_GIT = {
    "url": None, "timeoutInSeconds": None, "syncIntervalInSeconds": None,
    "repositoryRef": dict.fromkeys(["branch", "tag", "semver", "commit"]),
    "sshKnownHosts": None, "httpsUser": None, "httpsCACert": None, "localAuthRef": None, "provider": None,
}
_BUCKET = dict.fromkeys(["url", "bucketName", "insecure", "timeoutInSeconds", "syncIntervalInSeconds",
                         "accessKey", "localAuthRef"])
_AZURE_BLOB = {
    "url": None, "containerName": None, "timeoutInSeconds": None, "syncIntervalInSeconds": None,
    "servicePrincipal": dict.fromkeys(["clientId", "tenantId", "clientSecret", "clientCertificate",
                                       "clientCertificatePassword", "clientCertificateSendChain"]),
    "accountKey": None, "sasToken": None, "managedIdentity": {"clientId": None}, "localAuthRef": None,
}
_OCI = {
    "url": None, "timeoutInSeconds": None, "syncIntervalInSeconds": None,
    "repositoryRef": dict.fromkeys(["tag", "semver", "digest"]),
    "layerSelector": dict.fromkeys(["mediaType", "operation"]),
    "verify": {"provider": None, "verificationConfig": None,
               "matchOidcIdentity": ("list", dict.fromkeys(["issuer", "subject"]))},
    "insecure": None, "useWorkloadIdentity": None, "serviceAccountName": None,
    "tlsConfig": dict.fromkeys(["clientCertificate", "privateKey", "caCertificate"]),
    "localAuthRef": None,
}
KUSTOMIZATION = {
    "name": None, "path": None, "dependsOn": None, "timeoutInSeconds": None, "syncIntervalInSeconds": None,
    "retryIntervalInSeconds": None, "prune": None, "force": None, "wait": None,
    "postBuild": {"substitute": None,
                  "substituteFrom": ("list", dict.fromkeys(["kind", "name", "optional"]))},
}
OBJECT_STATUS = {
    "name": None, "namespace": None, "kind": None, "complianceState": None,
    "appliedBy": dict.fromkeys(["name", "namespace"]),
    "statusConditions": ("list", dict.fromkeys(["lastTransitionTime", "message", "reason", "status", "type"])),
    "helmReleaseProperties": {
        "lastRevisionApplied": None, "helmChartRef": dict.fromkeys(["name", "namespace"]),
        "failureCount": None, "installFailureCount": None, "upgradeFailureCount": None,
    },
}
FLUX_CONFIGURATION = {
    "id": None, "name": None, "type": None, "systemData": SYSTEM_DATA,
    "scope": None, "namespace": None, "sourceKind": None, "suspend": None,
    "gitRepository": _GIT, "bucket": _BUCKET, "azureBlob": _AZURE_BLOB, "ociRepository": _OCI,
    "kustomizations": ("map", KUSTOMIZATION),
    "configurationProtectedSettings": None, "statuses": ("list", OBJECT_STATUS),
    "repositoryPublicKey": None, "sourceSyncedCommitId": None, "sourceUpdatedAt": None,
    "statusUpdatedAt": None, "waitForReconciliation": None, "reconciliationWaitDuration": None,
    "complianceState": None, "provisioningState": None, "errorMessage": None,
}
EXTENSION = {
    "id": None, "name": None, "type": None, "systemData": SYSTEM_DATA,
    "identity": dict.fromkeys(["principalId", "tenantId", "type"]),
    "plan": dict.fromkeys(["name", "publisher", "product", "promotionCode", "version"]),
    # No autoUpgradeMode: the originals' model (k8s-extension.md §4.9) prints what the service sends, and
    # a service that does not send it must not be shown a `null` mode (it is kept when it is sent).
    "extensionType": None, "autoUpgradeMinorVersion": None, "releaseTrain": None,
    "version": None,
    "scope": {"cluster": {"releaseNamespace": None}, "namespace": {"targetNamespace": None}},
    "configurationSettings": None, "configurationProtectedSettings": None, "provisioningState": None,
    "statuses": ("list", dict.fromkeys(["code", "displayStatus", "level", "message", "time"])),
    "errorInfo": None, "customLocationSettings": None, "packageUri": None,
    "aksAssignedIdentity": dict.fromkeys(["principalId", "tenantId", "type"]),
    "isSystemExtension": None, "currentVersion": None,
}

# Output names that differ from the wire: the originals print the git CA field as `httpsCaCert`.
_RENAMES = {"httpsCACert": "httpsCaCert"}


def _shape(value, schema):
    if value is None:
        return None
    if schema is None:
        return copy.deepcopy(value)
    if isinstance(schema, tuple):
        kind, item_schema = schema
        if kind == "list" and isinstance(value, list):
            return [_shape(item, item_schema) for item in value]
        if kind == "map" and isinstance(value, dict):
            return {key: _shape(item, item_schema) for key, item in value.items()}
        return copy.deepcopy(value)
    if not isinstance(value, dict):
        return copy.deepcopy(value)
    out = {}
    for key, sub in schema.items():
        out[_RENAMES.get(key, key)] = _shape(value.get(key), sub)
    for key, item in value.items():
        if key not in schema:
            out[_RENAMES.get(key, key)] = copy.deepcopy(item)
    return out


def flatten_resource(resource, schema):
    """Lift `properties` to the top level and fill in every attribute of `schema`."""
    if resource is None:
        return None
    flat = {k: v for k, v in resource.items() if k != "properties"}
    flat.update(resource.get("properties") or {})
    return _shape(flat, schema)


def shape_flux_configuration(resource):
    return flatten_resource(resource, FLUX_CONFIGURATION)


def shape_kustomizations(kustomizations):
    return _shape(kustomizations or {}, ("map", KUSTOMIZATION))


def shape_statuses(statuses):
    return _shape(statuses or [], ("list", OBJECT_STATUS))


def shape_extension(resource):
    return flatten_resource(resource, EXTENSION)

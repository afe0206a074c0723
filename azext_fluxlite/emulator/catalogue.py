"""The extension-type catalogue and its eight read-only endpoints (by location and by cluster).

Bodies have the live 2023-05-01-preview shape (reference k8s-extension.md §8.2): flat
`clusterScopeSettings`, `planInfo`, versions with `unsupportedKubernetesVersions`.  With
api-version 2024-11-01-preview or later, `clusterScopeSettings` takes the newer nested shape.
"""
from .clusters import require_cluster
from .responses import ArmError, not_found, ok
from .rp_common import page

_ALL = ["connectedclusters", "managedclusters", "provisionedclusters", "appliances"]


def _type(description, publisher, namespace, versions, clusters=None, scope="cluster", multiple=False,
          identity=False, namespace_scope=True):
    return {"description": description, "publisher": publisher, "defaultReleaseNamespace": namespace,
            "versions": versions, "supportedClusterTypes": clusters or _ALL, "defaultScope": scope,
            "allowMultipleInstances": multiple, "isManagedIdentityRequired": identity,
            "namespaceScope": namespace_scope}


# Versions per release train, newest first.
TYPES = {
    "microsoft.flux": _type("Flux Extension for controllers and CRs from the Weaveworks team", "Microsoft",
                            "flux-system",
                            {"Stable": ["1.17.3", "1.17.2", "1.16.3", "1.15.1"], "Preview": ["1.18.0"]},
                            clusters=["connectedclusters", "managedclusters", "provisionedclusters", "fleets"],
                            namespace_scope=False),
    "microsoft.dapr": _type("Dapr runtime for distributed applications", "Microsoft", "dapr-system",
                            {"Stable": ["1.15.4", "1.14.4"]}),
    "microsoft.azuremonitor.containers": _type("Container insights for Kubernetes", "Microsoft",
                                               "azuremonitor-containers", {"Stable": ["3.1.26", "3.1.25"]},
                                               identity=True, namespace_scope=False),
    "microsoft.azurekeyvaultsecretsprovider": _type("Azure Key Vault secrets provider for the Secrets Store CSI driver",
                                                    "Microsoft", "kube-system", {"Stable": ["1.6.5", "1.5.6"]},
                                                    namespace_scope=False),
    "microsoft.policyinsights": _type("Azure Policy for Kubernetes", "Microsoft", "kube-system",
                                      {"Stable": ["1.10.1", "1.9.2"]}, identity=True, namespace_scope=False),
    "microsoft.openservicemesh": _type("Open Service Mesh", "Microsoft", "arc-osm-system", {"Stable": ["1.2.10"]},
                                       clusters=["connectedclusters"], namespace_scope=False),
    # the other partner types of `az k8s-extension` (extension/partners/)
    "microsoft.azuremonitor.containers.metrics": _type("Azure Monitor managed service for Prometheus", "Microsoft",
                                                       "kube-system", {"Stable": ["6.11.0", "6.10.0"]},
                                                       identity=True, namespace_scope=False),
    "microsoft.azuredefender.kubernetes": _type("Microsoft Defender for Containers", "Microsoft", "mdc",
                                                {"Stable": ["0.7.9", "0.7.8"]}, identity=True, namespace_scope=False),
    "microsoft.azureml.kubernetes": _type("Azure Machine Learning training and inference", "Microsoft", "azureml",
                                          {"Stable": ["1.1.75", "1.1.74"]}, identity=True, namespace_scope=False),
    "microsoft.dataprotection.kubernetes": _type("Azure Backup for AKS", "Microsoft", "dataprotection-microsoft",
                                                 {"Stable": ["25.6.1", "25.5.0"]}, clusters=["managedclusters"],
                                                 namespace_scope=False),
}


def lookup(extension_type):
    return TYPES.get((extension_type or "").lower())


def all_versions(entry, release_train=None):
    if release_train:
        for train, versions in entry["versions"].items():
            if train.lower() == release_train.lower():
                return list(versions)
        return []
    return [v for versions in entry["versions"].values() for v in versions]


def latest_version(extension_type, release_train=None):
    entry = lookup(extension_type)
    if entry is None:
        return None
    versions = all_versions(entry, release_train or "Stable") or all_versions(entry, "Stable")
    return versions[0] if versions else None


def _modern(api_version):
    return (api_version or "") >= "2024-11-01-preview"


def type_body(base, name, entry, api_version):
    type_id = "{}/extensionTypes/{}".format(base, name)
    if entry["defaultScope"] == "cluster" or not entry["namespaceScope"]:
        settings = {"allowMultipleInstances": entry["allowMultipleInstances"],
                    "defaultReleaseNamespace": entry["defaultReleaseNamespace"]}
        if _modern(api_version):
            settings = {"id": type_id + "/clusterScopeSettings/default", "name": "default",
                        "type": "Microsoft.KubernetesConfiguration/extensionTypes/clusterScopeSettings",
                        "properties": settings}
    else:
        settings = None
    return {
        "id": type_id, "name": name, "type": "Microsoft.KubernetesConfiguration/extensionTypes",
        "properties": {
            "extensionType": name, "description": entry["description"], "isSystemExtension": False,
            "publisher": entry["publisher"], "isManagedIdentityRequired": entry["isManagedIdentityRequired"],
            "supportedClusterTypes": list(entry["supportedClusterTypes"]),
            "supportedScopes": {"defaultScope": entry["defaultScope"], "clusterScopeSettings": settings},
            "planInfo": {"offerId": None, "planId": None, "publisherId": entry["publisher"]},
        },
    }


def version_body(base, name, version, entry, api_version):
    body = {
        "id": "{}/extensionTypes/{}/versions/{}".format(base, name, version),
        "name": version, "type": "Microsoft.KubernetesConfiguration/extensionTypes/versions",
        "properties": {"version": version,
                       "unsupportedKubernetesVersions": {"connectedCluster": None, "provisionedCluster": None,
                                                         "managedCluster": None, "appliances": None}},
    }
    if _modern(api_version):
        body["properties"]["supportedClusterTypes"] = list(entry["supportedClusterTypes"])
    return body


def _missing_type(name):
    return not_found("Extension type '{}' was not found.".format(name))


def _filtered_types(query, cluster_type):
    for name, entry in TYPES.items():
        if cluster_type and cluster_type.lower() not in entry["supportedClusterTypes"]:
            continue
        if query.get("publisherid") and query["publisherid"].lower() != entry["publisher"].lower():
            continue
        if query.get("offerid") or query.get("planid"):
            continue            # no marketplace (plan) types in the emulator's catalogue
        if query.get("releasetrain") and not all_versions(entry, query["releasetrain"]):
            continue
        yield name, entry


def _filtered_versions(query, entry):
    versions = all_versions(entry, query.get("releasetrain"))
    major = query.get("majorversion")
    if major:
        versions = [v for v in versions if v.split(".")[0] == str(major)]
    if str(query.get("showlatest", "")).lower() == "true":
        versions = versions[:1]
    return versions


def handle(ctx, base, tail, cluster_type=None):
    """`base` is the path before /extensionTypes; `tail` is what follows .../extensionTypes: [], [name], [name, 'versions'], [name, 'versions', v]."""
    req = ctx.req
    if req.method != "GET":
        raise ArmError(405, "MethodNotAllowed", "Extension types are read-only.")
    api = req.api_version
    query = req.query
    ctype = cluster_type or query.get("clustertype")
    if not tail:
        items = [type_body(base, n, e, api) for n, e in _filtered_types(query, ctype)]
        return page(ctx, items, base + "/extensionTypes")
    name = tail[0].lower()
    entry = TYPES.get(name)
    if entry is None or (cluster_type and cluster_type.lower() not in entry["supportedClusterTypes"]):
        raise _missing_type(tail[0])
    if len(tail) == 1:
        return ok(type_body(base, name, entry, api))
    if tail[1].lower() != "versions" or len(tail) > 3:
        raise ArmError(404, "NotFound", "No ARM operation GET {}.".format(req.path))
    if len(tail) == 2:
        items = [version_body(base, name, v, entry, api) for v in _filtered_versions(query, entry)]
        return page(ctx, items, "{}/extensionTypes/{}/versions".format(base, name))
    if tail[2] not in all_versions(entry):
        raise not_found("Version '{}' of extension type '{}' was not found.".format(tail[2], name))
    return ok(version_body(base, name, tail[2], entry, api))


def handle_location(ctx, sub, location, tail):
    base = "/subscriptions/{}/providers/Microsoft.KubernetesConfiguration/locations/{}".format(sub, location)
    return handle(ctx, base, tail)


def handle_cluster(ctx, cpath, tail):
    with ctx.store.read() as tx:
        require_cluster(tx, cpath)
    return handle(ctx, cpath.id + "/providers/Microsoft.KubernetesConfiguration", tail, cluster_type=cpath.cluster_type)

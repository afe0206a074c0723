"""Resource-provider registration (`GET /subscriptions/{sub}/providers[/{namespace}]`).

Every provider reads as Registered; Microsoft.KubernetesConfiguration lists its resource types
with the api-versions the live RP advertises, so registration checks in az and in scripts pass.
"""
from .responses import ArmError, ok

_KC_TYPES = [
    ("extensions", ["2025-03-01", "2024-11-01", "2023-05-01", "2022-11-01", "2022-07-01", "2022-03-01",
                    "2020-07-01-preview"]),
    ("fluxConfigurations", ["2025-04-01", "2024-11-01", "2024-04-01-preview", "2023-05-01", "2022-11-01",
                            "2022-07-01", "2022-03-01", "2022-01-01-preview", "2021-11-01-preview",
                            "2021-06-01-preview"]),
    ("extensionTypes", ["2024-11-01-preview", "2023-05-01-preview", "2022-01-15-preview"]),
    ("locations/extensionTypes", ["2024-11-01-preview", "2023-05-01-preview", "2022-01-15-preview"]),
    ("locations/extensionTypes/versions", ["2024-11-01-preview", "2023-05-01-preview", "2022-01-15-preview"]),
    ("sourceControlConfigurations", ["2023-05-01", "2022-11-01", "2022-07-01", "2022-03-01", "2021-03-01"]),
    ("operations", ["2025-04-01", "2025-03-01", "2024-11-01", "2023-05-01", "2022-03-01"]),
]

_OTHER_TYPES = {
    "microsoft.kubernetes": ("Microsoft.Kubernetes", [("connectedClusters", ["2024-01-01", "2021-10-01"])]),
    "microsoft.containerservice": ("Microsoft.ContainerService", [
        ("managedClusters", ["2025-01-01", "2024-09-01", "2022-11-01"]),
        ("fleets", ["2026-06-01", "2025-03-01"])]),
    "microsoft.hybridcontainerservice": ("Microsoft.HybridContainerService", [
        ("provisionedClusters", ["2024-01-01", "2022-05-01-preview"])]),
    "microsoft.resourceconnector": ("Microsoft.ResourceConnector", [("appliances", ["2022-10-27", "2021-10-31-preview"])]),
}

LOCATIONS = ["East US", "East US 2", "West US 2", "West US 3", "North Europe", "West Europe", "UK South",
             "Southeast Asia", "Australia East"]


def check_api_version(resource_type, api_version, location="eastus"):
    """ARM's 400 for an api-version the Microsoft.KubernetesConfiguration type does not serve."""
    for name, versions in _KC_TYPES:
        if name.lower() == resource_type.lower():
            if api_version.lower() in versions:
                return
            raise ArmError(400, "NoRegisteredProviderFound",
                           "No registered resource provider found for location '{}' and API version '{}' for type "
                           "'{}'. The supported api-versions are '{}'. The supported locations are '{}'."
                           .format(location, api_version, name, ", ".join(versions),
                                   ", ".join(loc.replace(" ", "").lower() for loc in LOCATIONS)))
    raise ArmError(400, "InvalidResourceType",
                   "The resource type '{}' could not be found in the namespace 'Microsoft.KubernetesConfiguration' for "
                   "api version '{}'.".format(resource_type, api_version))


def _provider(sub, namespace, types):
    return {
        "id": "/subscriptions/{}/providers/{}".format(sub, namespace),
        "namespace": namespace,
        "registrationState": "Registered",
        "registrationPolicy": "RegistrationRequired",
        "resourceTypes": [{"resourceType": name, "locations": LOCATIONS, "apiVersions": versions,
                           "capabilities": "SupportsExtension"} for name, versions in types],
    }


def provider_body(sub, namespace):
    low = namespace.lower()
    if low == "microsoft.kubernetesconfiguration":
        return _provider(sub, "Microsoft.KubernetesConfiguration", _KC_TYPES)
    if low in _OTHER_TYPES:
        canonical, types = _OTHER_TYPES[low]
        return _provider(sub, canonical, types)
    return _provider(sub, namespace, [])


def handle(ctx, sub, tail):
    """/subscriptions/{sub}/providers[/{namespace}[/register|/unregister]]"""
    method = ctx.req.method
    if not tail and method == "GET":
        names = ["Microsoft.KubernetesConfiguration"] + [v[0] for v in _OTHER_TYPES.values()]
        return ok({"value": [provider_body(sub, n) for n in names]})
    if len(tail) == 1 and method == "GET":
        return ok(provider_body(sub, tail[0]))
    if len(tail) == 2 and tail[1].lower() in ("register", "unregister") and method == "POST":
        return ok(provider_body(sub, tail[0]))
    raise ArmError(404, "NotFound", "No ARM operation {} {}.".format(method, ctx.req.path))

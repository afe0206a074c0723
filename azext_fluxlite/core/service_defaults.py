"""The defaults the Microsoft.KubernetesConfiguration service fills in for fluxConfigurations (2025-04-01).

A field a PUT leaves out gets these on the service (arm-protocol.md §4.1/§4.2); what-if, the fleet's
create-or-update comparison and the emulator all use this one table.
"""

FLUX_DEFAULTS = {"scope": "cluster", "namespace": "default", "sourceKind": "GitRepository", "suspend": False}
SOURCE_DEFAULTS = {
    "gitRepository": {"timeoutInSeconds": 600, "syncIntervalInSeconds": 600},
    "bucket": {"timeoutInSeconds": 600, "syncIntervalInSeconds": 600, "insecure": True},
    "azureBlob": {"timeoutInSeconds": 600, "syncIntervalInSeconds": 600},
    "ociRepository": {"timeoutInSeconds": 600, "syncIntervalInSeconds": 600, "insecure": False,
                      "useWorkloadIdentity": False},
}
KUSTOMIZATION_DEFAULTS = {"path": "", "timeoutInSeconds": 600, "syncIntervalInSeconds": 600, "prune": False,
                          "force": False, "wait": True}

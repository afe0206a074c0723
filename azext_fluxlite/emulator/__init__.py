"""fluxlite's embedded ARM emulator.

A local stand-in for the parts of Azure Resource Manager that fluxlite (and Microsoft's own
`k8s-configuration` / `k8s-extension` extensions) talk to: cloud metadata, a managed-identity
token endpoint so `az login --identity` works, subscriptions and provider registration, cluster
resources, and the Microsoft.KubernetesConfiguration API (fluxConfigurations, extensions,
extensionTypes) with long-running operations that behave like the live service.  A flux
configuration whose source the emulator can read (a git repository, or a local directory mapped to
a bucket, blob container or OCI repository: sources.py) is "reconciled": the ref is checked out with
the real `git`, every kustomization is built by the GitOps build engine (azext_fluxlite.gitops, the
real kustomize when installed), and `statuses` / `complianceState` are filled from what the
repository really contains (reconcile.py).

Start it with ``az fluxlite emulator start`` (``python -m azext_fluxlite.emulator start`` in a development
venv); it keeps its own az profile in its data dir, and ``az fluxlite emulator env`` points a shell at it.
"""

DEFAULT_SUBSCRIPTION_ID = "5b3f1a62-8c7e-4d1b-9a55-2f6c0e7d4a19"
DEFAULT_TENANT_ID = "9d2c4e71-3b5a-4f08-8e16-7a0b1c2d3e4f"
DEFAULT_CLOUD_NAME = "FluxliteEmulator"
DEFAULT_LOCATION = "eastus"

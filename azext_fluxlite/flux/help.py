# pylint: disable=line-too-long
"""Help of `az k8s-configuration flux ...`."""
from knack.help_files import helps

from azext_fluxlite.flux.v1 import help as _help_flux_v1  # noqa: F401  pylint: disable=unused-import

CLUSTER = "-g my-rg -c my-cluster -t connectedClusters"

helps["k8s-configuration"] = """
type: group
short-summary: Manage resources from Microsoft.KubernetesConfiguration (fluxlite).
"""

helps["k8s-configuration flux"] = """
type: group
short-summary: Manage Flux v2 Kubernetes configurations.
long-summary: >
    A flux configuration tells the microsoft.flux cluster extension which source (git repository,
    bucket, Azure Blob container or OCI repository) to reconcile, and which paths in it to apply as
    kustomizations. The first 'flux create' on a cluster installs the extension.
"""

helps["k8s-configuration flux create"] = """
type: command
short-summary: Create a Flux v2 Kubernetes configuration.
long-summary: >
    Every input is checked before anything is sent. Without --kustomization a kustomization named
    'kustomization-1' is created at the root of the source. Kustomization keys: name (required), path,
    dependsOn, timeout, syncInterval, retryInterval, prune, force, disableHealthCheck; booleans take
    true/false/yes/no/1/0; durations take 1h2m5s, 10m, 90s or plain seconds. In zsh quote brackets
    ('dependsOn=["infra"]') or write dependsOn=infra,apps. Secrets (--https-key, --ssh-private-key,
    --bucket-secret-key, --account-key, --sas-token, --sp-client-secret, ...) also take @FILE or - (stdin).
examples:
  - name: Create a configuration with two kustomizations, apps depending on infra (the GitOps tutorial).
    text: az k8s-configuration flux create -g flux-demo-rg -c flux-demo-arc -n cluster-config --namespace cluster-config -t connectedClusters --scope cluster -u https://github.com/Azure/gitops-flux2-kustomize-helm-mt --branch main --kustomization name=infra path=./infrastructure prune=true --kustomization name=apps path=./apps/staging prune=true dependsOn=infra
  - name: Substitute ${cluster_env} and variables from a ConfigMap in the built manifests (works in bash, zsh and PowerShell).
    text: az k8s-configuration flux create -g my-rg -c my-cluster -t connectedClusters -n my-config -u https://github.com/org/repo --branch main --kustomization name=apps path=./apps substitute=cluster_env=prod substituteFrom=ConfigMap/cluster-vars
  - name: Create a configuration from a private repository over ssh, the key read from a file.
    text: az k8s-configuration flux create -g my-rg -c my-cluster -t managedClusters -n my-config -u ssh://git@github.com/org/repo --branch main --ssh-private-key-file ~/.ssh/flux_ed25519 --known-hosts-file ./known_hosts --kustomization name=apps path=./apps prune=true
  - name: Create a configuration from a private https repository, the token read from standard input (pipe it in), so it is never on the command line.
    text: az k8s-configuration flux create -g my-rg -c my-cluster -t connectedClusters -n my-config -u https://dev.azure.com/org/project/_git/repo --branch main --https-user git --https-key - --kustomization name=apps path=./apps
  - name: Create a configuration from an S3-compatible bucket.
    text: az k8s-configuration flux create -g my-rg -c my-cluster -t connectedClusters -n my-config --kind bucket -u https://s3.amazonaws.com --bucket-name my-bucket --bucket-access-key AKIAEXAMPLE --bucket-secret-key @./secret-key.txt --kustomization name=apps path=./apps
  - name: Create a configuration from an Azure Blob container with a managed identity.
    text: az k8s-configuration flux create -g my-rg -c my-cluster -t managedClusters -n my-config --kind azblob -u https://mystorage.blob.core.windows.net --container-name manifests --mi-client-id 00000000-0000-0000-0000-000000000000
  - name: In a pipeline, create it and fail unless everything it deploys becomes compliant within 15 minutes.
    text: az k8s-configuration flux create -g my-rg -c my-cluster -t connectedClusters -n my-config -u https://github.com/org/repo --branch main --kustomization name=apps path=./apps prune=true --wait-for-compliance --compliance-timeout 15m
  - name: See the exact request before sending it (nothing is written).
    text: az k8s-configuration flux create -g my-rg -c my-cluster -t connectedClusters -n my-config -u https://github.com/org/repo --branch main --kustomization name=apps path=./apps --dry-run
  - name: See the Flux objects it will create, as YAML (nothing is written).
    text: az k8s-configuration flux create -g my-rg -c my-cluster -t connectedClusters -n my-config -u https://github.com/org/repo --branch main --kustomization name=apps path=./apps --dry-run --export-format flux
  - name: Create a configuration from an OCI repository, using workload identity.
    text: az k8s-configuration flux create -g my-rg -c my-cluster -t managedClusters -n my-config --kind oci -u oci://ghcr.io/owner/repo/manifests/podinfo --tag latest --use-workload-identity
"""

helps["k8s-configuration flux update"] = """
type: command
short-summary: Update a Flux v2 Kubernetes configuration.
long-summary: >
    Only what you pass is changed; kustomizations you do not name are kept. Secrets are not returned by
    the service, so pass them again when you change the source's authentication.
examples:
  - name: Point the configuration at another branch and suspend it.
    text: az k8s-configuration flux update -g my-rg -c my-cluster -t connectedClusters -n my-config --branch release --suspend
  - name: Add or change a kustomization.
    text: az k8s-configuration flux update -g my-rg -c my-cluster -t connectedClusters -n my-config --kustomization name=apps path=./apps/production prune=true
  - name: Switch the source to a bucket without a prompt.
    text: az k8s-configuration flux update -g my-rg -c my-cluster -t connectedClusters -n my-config --kind bucket -u https://s3.amazonaws.com --bucket-name my-bucket --local-auth-ref bucket-secret --yes
"""

helps["k8s-configuration flux wait"] = """
type: command
short-summary: Wait until a Flux v2 Kubernetes configuration reaches a condition.
long-summary: >
    Prints a line each time what it sees changes. --compliant fails at once when provisioning failed,
    and when the configuration stays Non-Compliant for 2 minutes (Flux reports that briefly while it
    converges), listing the objects that are not compliant.
examples:
  - name: Wait until the configuration and everything it deployed is compliant, at most 20 minutes.
    text: az k8s-configuration flux wait -g my-rg -c my-cluster -t connectedClusters -n my-config --compliant --interval 10 --timeout 1200
  - name: Wait until a create sent with --no-wait has finished.
    text: az k8s-configuration flux wait -g my-rg -c my-cluster -t connectedClusters -n my-config --created
  - name: Wait until it is deleted.
    text: az k8s-configuration flux wait -g my-rg -c my-cluster -t connectedClusters -n my-config --deleted
"""

helps["k8s-configuration flux list"] = """
type: command
short-summary: List all Flux v2 Kubernetes configurations of a cluster.
examples:
  - name: List the configurations as a table.
    text: az k8s-configuration flux list -g my-rg -c my-cluster -t connectedClusters -o table
"""

helps["k8s-configuration flux show"] = """
type: command
short-summary: Show a Flux v2 Kubernetes configuration.
examples:
  - name: Show a configuration.
    text: az k8s-configuration flux show -g my-rg -c my-cluster -t connectedClusters -n my-config
  - name: Print only whether it is compliant.
    text: az k8s-configuration flux show -g my-rg -c my-cluster -t connectedClusters -n my-config --query complianceState -o tsv
"""

helps["k8s-configuration flux delete"] = """
type: command
short-summary: Delete a Flux v2 Kubernetes configuration.
long-summary: >
    With prune enabled on a kustomization, deleting the configuration also deletes the objects it
    deployed; you are asked to confirm that too. Deleting a configuration that does not exist only warns.
examples:
  - name: Delete a configuration without prompts.
    text: az k8s-configuration flux delete -g my-rg -c my-cluster -t connectedClusters -n my-config --yes
  - name: Remove a configuration from Azure at once, without waiting for the cluster.
    text: az k8s-configuration flux delete -g my-rg -c my-cluster -t connectedClusters -n my-config --force --yes
"""

helps["k8s-configuration flux status"] = """
type: command
short-summary: Show what Flux is doing with a configuration, the way 'flux get' and 'flux tree' would.
long-summary: >
    The source with the revision it fetched and whether it is ready, then each kustomization in
    dependency order with its Ready condition, compliance, applied revision and message, and under each
    the objects it applied that are not compliant (--all lists every object). On a terminal the states
    are coloured; a configuration that is not reconciled (no microsoft.flux extension, say) says why.
    With -o json (or --query) the same view is returned as data: {"name", "complianceState",
    "errorMessage", "source": {...}, "kustomizations": [{"name", "ready", "complianceState", "revision",
    "message", "objects"}], ...}. It reads the configuration through Azure only; no kubeconfig is needed.
examples:
  - name: See the state of a configuration and of what it deployed.
    text: az k8s-configuration flux status -g my-rg -c my-cluster -t connectedClusters -n my-config
  - name: Follow the reconciliation for ten minutes, printing only what changes; exit 0 if it ends Compliant.
    text: az k8s-configuration flux status -g my-rg -c my-cluster -t connectedClusters -n my-config --watch --timeout 10m
  - name: Every object with its state, as JSON.
    text: az k8s-configuration flux status -g my-rg -c my-cluster -t connectedClusters -n my-config --all -o json
"""

helps["k8s-configuration flux suspend"] = """
type: command
short-summary: Suspend the reconciliation of a Flux v2 Kubernetes configuration (no prompt).
long-summary: The same PATCH as 'az k8s-configuration flux update --suspend'; 'flux resume' undoes it.
examples:
  - name: Suspend a configuration.
    text: az k8s-configuration flux suspend -g my-rg -c my-cluster -t connectedClusters -n my-config
"""

helps["k8s-configuration flux resume"] = """
type: command
short-summary: Resume the reconciliation of a suspended Flux v2 Kubernetes configuration (no prompt).
long-summary: The same PATCH as 'az k8s-configuration flux update --suspend false'.
examples:
  - name: Resume a configuration without waiting for the operation to finish.
    text: az k8s-configuration flux resume -g my-rg -c my-cluster -t connectedClusters -n my-config --no-wait
"""

helps["k8s-configuration flux build"] = """
type: command
short-summary: Build and check a repository locally, the way the cluster will, before you merge.
long-summary: >
    Builds every kustomization path from --source-dir in dependsOn order, with the real kustomize when
    it is installed (kustomize build, else kubectl kustomize, else a built-in builder; stderr says which),
    as Flux does: a path without kustomization.yaml gets the one Flux generates, a kustomization with
    substitute= or substituteFrom= gets strict post-build substitution (a variable with no default that
    nothing sets is an error; without them, variables stay as written, with a warning), and objects
    without a namespace get the configuration's. It checks that every object is valid YAML with apiVersion, kind and metadata.name,
    that Flux objects (GitRepository, OCIRepository, Bucket, HelmRepository, HelmChart, HelmRelease,
    Kustomization) match the Flux 2.6 CRDs, that each HelmRelease's chart source is defined by the
    repository, that dependsOn names exist and form no cycle, and that no file outside the repository is
    read. Failures are printed with file and line; the exit code is non-zero on any. -o json gives
    {"kustomizations": [{"name", "path", "objects"}], "errors": [...]}. With -k no Azure login is needed;
    -n with -g, -c and -t builds the kustomizations of an existing configuration.
examples:
  - name: Check the tutorial repository with the kustomizations the tutorial creates.
    text: az k8s-configuration flux build --source-dir . -k name=infra path=./infrastructure -k name=apps path=./apps/staging dependsOn=infra
  - name: Build the kustomizations of an existing configuration from a local checkout and print the objects as JSON.
    text: az k8s-configuration flux build --source-dir . -n cluster-config -g my-rg -c my-cluster -t connectedClusters -o json
  - name: Check post-build substitution with the values the configuration sets.
    text: az k8s-configuration flux build --source-dir . -k name=apps path=./apps substitute=cluster_env=prod
"""

helps["k8s-configuration flux kustomization"] = """
type: group
short-summary: Manage the kustomizations of a Flux v2 Kubernetes configuration.
"""

helps["k8s-configuration flux kustomization create"] = """
type: command
short-summary: Create a kustomization in a Flux v2 Kubernetes configuration.
examples:
  - name: Add a kustomization that applies after infra.
    text: az k8s-configuration flux kustomization create -g my-rg -c my-cluster -t connectedClusters -n my-config -k apps --path ./apps/staging --depends-on infra --prune
  - name: Add a kustomization with post-build variable substitution.
    text: az k8s-configuration flux kustomization create -g my-rg -c my-cluster -t connectedClusters -n my-config -k apps --path ./apps --substitute cluster_env=prod replicas=2 --substitute-from ConfigMap/cluster-vars Secret/cluster-secrets:optional
"""

helps["k8s-configuration flux kustomization update"] = """
type: command
short-summary: Update a kustomization of a Flux v2 Kubernetes configuration.
long-summary: Only the flags you pass are changed (health checks stay as they are unless you pass --disable-health-check).
examples:
  - name: Change the path and turn on prune, force and no health checks.
    text: az k8s-configuration flux kustomization update -g my-rg -c my-cluster -t connectedClusters -n my-config -k apps --path ./my/new-path --prune --force --disable-health-check
"""

helps["k8s-configuration flux kustomization list"] = """
type: command
short-summary: List the kustomizations of a Flux v2 Kubernetes configuration.
long-summary: The table lists them in dependency order, so what applies first comes first.
examples:
  - name: List the kustomizations as a table.
    text: az k8s-configuration flux kustomization list -g my-rg -c my-cluster -t connectedClusters -n my-config -o table
"""

helps["k8s-configuration flux kustomization show"] = """
type: command
short-summary: Show a kustomization of a Flux v2 Kubernetes configuration.
examples:
  - name: Show a kustomization.
    text: az k8s-configuration flux kustomization show -g my-rg -c my-cluster -t connectedClusters -n my-config -k apps
"""

helps["k8s-configuration flux kustomization delete"] = """
type: command
short-summary: Delete a kustomization from a Flux v2 Kubernetes configuration.
long-summary: A kustomization that others depend on cannot be deleted until they no longer depend on it.
examples:
  - name: Delete a kustomization without prompts.
    text: az k8s-configuration flux kustomization delete -g my-rg -c my-cluster -t connectedClusters -n my-config -k apps --yes
"""

helps["k8s-configuration flux deployed-object"] = """
type: group
short-summary: See the objects a Flux v2 Kubernetes configuration deployed.
"""

helps["k8s-configuration flux deployed-object list"] = """
type: command
short-summary: List the objects deployed by a Flux v2 Kubernetes configuration, with their compliance.
examples:
  - name: List the deployed objects as a table.
    text: az k8s-configuration flux deployed-object list -g my-rg -c my-cluster -t connectedClusters -n my-config -o table
"""

helps["k8s-configuration flux deployed-object show"] = """
type: command
short-summary: Show one object deployed by a Flux v2 Kubernetes configuration.
examples:
  - name: Show a HelmRelease.
    text: az k8s-configuration flux deployed-object show -g my-rg -c my-cluster -t connectedClusters -n my-config --object-name podinfo --object-namespace my-config --object-kind HelmRelease
"""

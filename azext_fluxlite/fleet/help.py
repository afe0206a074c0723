# pylint: disable=line-too-long
"""Help of `az k8s-configuration fleet ...`."""
from knack.help_files import helps


helps["k8s-configuration fleet"] = """
type: group
short-summary: Apply one Flux configuration to many clusters, safely, and see where it stands.
long-summary: >
    Select clusters with --cluster-ids, --resource-group/-g (AKS and Arc-enabled clusters, or those of
    --cluster-type), --tags KEY=VALUE (alone: the whole subscription) and --graph-query (an Azure Resource
    Graph query returning cluster ids); the options combine. 'fleet list-clusters' shows what a selection
    resolves to. Clusters are worked on in parallel (--max-parallel, default 10) through one login and one
    connection pool; when Azure throttles (429), the whole run slows down for the Retry-After it asks for
    instead of failing clusters. Each command prints one result per cluster; when clusters failed, the
    results are still printed, then one ERROR line names the failed clusters and the exit code is 1.
"""

helps["k8s-configuration fleet apply"] = """
type: command
short-summary: Create or update a Flux configuration on every selected cluster.
long-summary: >
    Takes every source, auth and --kustomization argument of 'flux create', with the same checks and the same
    request body per cluster; microsoft.flux is installed where it is missing. A cluster whose configuration
    already equals the desired one is not written to and is reported 'unchanged'; others are 'created' or
    'updated' (with the changed fields). Read-only fields are not compared, and neither are protected settings
    (secrets), which Azure never returns: use --rotate-secrets to write new secret values everywhere. A
    configuration whose last operation failed is written again; one with another --scope or --namespace
    fails without a write (they cannot change). --canary N applies to the first N clusters
    alone first; --max-failures N starts no new cluster after N failures; clusters not started are 'skipped'.
examples:
  - name: Apply the GitOps tutorial's configuration to every AKS and Arc-enabled cluster of a resource group.
    text: az k8s-configuration fleet apply -g flux-demo-rg -n cluster-config --namespace cluster-config --scope cluster -u https://github.com/Azure/gitops-flux2-kustomize-helm-mt --branch main -k name=infra path=./infrastructure prune=true -k name=apps path=./apps/staging prune=true dependsOn=infra
  - name: See what it would do on the production clusters of the subscription, writing nothing.
    text: az k8s-configuration fleet apply --tags env=prod -n cluster-config --namespace cluster-config -u https://github.com/Azure/gitops-flux2-kustomize-helm-mt --branch main -k name=apps path=./apps/staging --dry-run -o table
  - name: Roll out to two canary clusters first, wait for compliance, and stop after three failures.
    text: az k8s-configuration fleet apply -g flux-demo-rg -n cluster-config --namespace cluster-config -u https://github.com/Azure/gitops-flux2-kustomize-helm-mt --branch main -k name=apps path=./apps/staging --canary 2 --wait-for-compliance --max-failures 3
"""

helps["k8s-configuration fleet status"] = """
type: command
short-summary: Show a Flux configuration's state on every selected cluster.
long-summary: >
    One row per cluster: provisioningState, complianceState, sourceRevision, the number of non-compliant
    objects and the first failing object's message (a cluster without the configuration says so). All
    clusters are read with one paged Azure Resource Graph query; where Resource Graph is not available,
    each cluster is read with a GET instead and a warning says so. Resource Graph trails Azure Resource
    Manager by a few seconds after a write.
examples:
  - name: Show the tutorial configuration's state on the clusters of a resource group.
    text: az k8s-configuration fleet status -g flux-demo-rg -n cluster-config -o table
  - name: List the clusters where it is not compliant.
    text: az k8s-configuration fleet status -g flux-demo-rg -n cluster-config --query "[?complianceState!='Compliant'].cluster" -o tsv
"""

helps["k8s-configuration fleet delete"] = """
type: command
short-summary: Delete a Flux configuration from every selected cluster.
long-summary: >
    Asks once (--yes or 'az config set core.disable_confirm_prompt=true' skip it). Where kustomizations
    have prune enabled, the objects they deployed are deleted from the cluster too. Clusters without the
    configuration are reported 'unchanged'.
examples:
  - name: Delete the tutorial configuration from the clusters of a resource group without prompting.
    text: az k8s-configuration fleet delete -g flux-demo-rg -n cluster-config --yes
"""

helps["k8s-configuration fleet list-clusters"] = """
type: command
short-summary: Show which clusters a selection resolves to, before anything is applied.
examples:
  - name: List the AKS and Arc-enabled clusters of a resource group.
    text: az k8s-configuration fleet list-clusters -g flux-demo-rg -o table
  - name: Select with a Resource Graph query kept in a file, e.g. resources | where type =~ 'microsoft.kubernetes/connectedclusters' and tags.env == 'prod' | project id
    text: az k8s-configuration fleet list-clusters --graph-query @prod-arc-clusters.kql
"""

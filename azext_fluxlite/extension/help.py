"""Help for `az k8s-extension ...` and `az k8s-extension extension-types ...`."""
from knack.help_files import helps  # pylint: disable=unused-import

helps["k8s-extension"] = """
type: group
short-summary: Manage extensions (such as microsoft.flux) on Kubernetes clusters.
long-summary: >
  Drop-in replacement for the k8s-extension CLI extension: same commands, options and output. Every
  option is checked before anything is sent to Azure, and mistakes are reported in one line that names
  the option to fix.
"""

helps["k8s-extension create"] = """
type: command
short-summary: Create (install) an extension instance on a cluster.
long-summary: >
  Configuration settings are plain strings on the wire. The output includes the configuration settings;
  protected settings are returned with their keys only. Avoid passing secrets on the command line: use
  --config-protected-file instead (see http://aka.ms/clisecrets).
  With --version, turn auto-upgrade off (--auto-upgrade-mode none). --target-namespace needs
  --scope namespace and --release-namespace needs --scope cluster.
  Seven types are handled as Microsoft's k8s-extension handles them, side resources included:
  microsoft.dapr, microsoft.openservicemesh, microsoft.azuredefender.kubernetes,
  microsoft.azuremonitor.containers, microsoft.azuremonitor.containers.metrics,
  microsoft.azureml.kubernetes and microsoft.dataprotection.kubernetes. With --dry-run they list
  every request they would send (the reads among them are made).
examples:
  - name: See what Container Insights would create for a cluster (workspace, data collection rule), without writing
    text: >
      az k8s-extension create -g my-rg -c my-arc -t connectedClusters --name azuremonitor-containers
      --extension-type microsoft.azuremonitor.containers --dry-run
  - name: Install the Flux extension on an AKS cluster
    text: az k8s-extension create -g my-rg -c my-aks -t managedClusters --name flux --extension-type microsoft.flux
  - name: Install Flux on an Arc-enabled cluster with the image automation and image reflector controllers
    text: >
      az k8s-extension create -g my-rg -c my-arc -t connectedClusters --name flux --extension-type microsoft.flux
      --config image-automation-controller.enabled=true image-reflector-controller.enabled=true
  - name: Install Flux on AKS using the (pre-created) kubelet identity for authentication
    text: >
      az k8s-extension create -g my-rg -c my-aks -t managedClusters --name flux --extension-type microsoft.flux
      --config useKubeletIdentity=true
  - name: Install Flux with workload identity (protected values from a JSON file)
    text: >
      az k8s-extension create -g my-rg -c my-aks -t managedClusters --name flux --extension-type microsoft.flux
      --config workloadIdentity.enable=true workloadIdentity.azureClientId=00000000-0000-0000-0000-000000000000
      --config-protected-file ./flux-secrets.json
  - name: Install Flux on an AKS Fleet hub (only microsoft.flux is supported on fleets)
    text: >
      az k8s-extension create -g my-rg -c my-fleet -t fleets --name flux --extension-type microsoft.flux
      --scope cluster
  - name: Pin a specific version of an extension
    text: >
      az k8s-extension create -g my-rg -c my-arc -t connectedClusters --name dapr --extension-type microsoft.dapr
      --release-train stable --version 1.6.0 --auto-upgrade-mode none
  - name: Install an extension into one namespace
    text: >
      az k8s-extension create -g my-rg -c my-arc -t connectedClusters --name contoso
      --extension-type microsoft.contoso.samples --scope namespace --target-namespace contoso
  - name: Install a Marketplace extension
    text: >
      az k8s-extension create -g my-rg -c my-aks -t managedClusters --name traefik
      --extension-type traefiklabs.traefikproxy --plan-name PLAN-ID --plan-product PRODUCT-ID
      --plan-publisher PUBLISHER-ID
"""

helps["k8s-extension update"] = """
type: command
short-summary: Update the mutable properties of an extension instance.
long-summary: >
  Changing configuration settings asks for confirmation (skip it with --yes) because not every extension
  type supports changing them. A settings file and key=value options may be combined: the options win.
  For microsoft.flux, the settings below are supported by the service (all values are strings).
  Controllers - source-controller.enabled, helm-controller.enabled, kustomize-controller.enabled,
  notification-controller.enabled (default true), image-automation-controller.enabled,
  image-reflector-controller.enabled (default false).
  Log levels (info, error, debug) - <controller>.log-level for each controller above;
  fluxconfig-agent.log-level and fluxconfig-controller.log-level accept info and error.
  Other - multiTenancy.enforce, helm-controller.detectDrift, helm-controller.outOfMemoryWatch.enabled,
  helm-controller.outOfMemoryWatch.memoryThreshold, helm-controller.outOfMemoryWatch.interval,
  source-controller.ssh-host-key-args, <controller>.resources.limits.memory,
  kustomize-controller.concurrent, kustomize-controller.requeue-dependency, setKubeServiceHostFqdn.
examples:
  - name: Turn on Helm drift detection for Flux
    text: >
      az k8s-extension update -g my-rg -c my-aks -t managedClusters --name flux
      --config helm-controller.detectDrift=true --yes
  - name: Enable Helm OOM watch with a 70% memory threshold
    text: >
      az k8s-extension update -g my-rg -c my-aks -t managedClusters --name flux
      --config helm-controller.outOfMemoryWatch.enabled=true helm-controller.outOfMemoryWatch.memoryThreshold=70
      helm-controller.outOfMemoryWatch.interval=700ms
  - name: Lower the log level of Flux controllers to error
    text: >
      az k8s-extension update -g my-rg -c my-arc -t connectedClusters --name flux
      --config source-controller.log-level=error kustomize-controller.log-level=error
      fluxconfig-agent.log-level=error fluxconfig-controller.log-level=error
  - name: Give the source-controller more memory
    text: >
      az k8s-extension update -g my-rg -c my-arc -t connectedClusters --name flux
      --config source-controller.resources.limits.memory=2Gi source-controller.resources.requests.memory=300Mi
  - name: Use RSA-SHA2 host key algorithms for Azure DevOps SSH repositories
    text: >
      az k8s-extension update -g my-rg -c my-arc -t connectedClusters --name flux
      --config source-controller.ssh-host-key-args="--ssh-hostkey-algos=rsa-sha2-512,rsa-sha2-256"
  - name: Opt out of Flux multi-tenancy
    text: >
      az k8s-extension update -g my-rg -c my-aks -t managedClusters --name flux --config multiTenancy.enforce=false
  - name: Replace protected settings from a JSON file
    text: >
      az k8s-extension update -g my-rg -c my-aks -t managedClusters --name my-ext
      --config-protected-file ./secrets.json --yes
  - name: Follow only patch releases
    text: az k8s-extension update -g my-rg -c my-aks -t managedClusters --name flux --auto-upgrade-mode patch
"""

helps["k8s-extension delete"] = """
type: command
short-summary: Delete an extension instance.
long-summary: >
  Delete the Flux configurations of a cluster before deleting its microsoft.flux extension. An extension
  that does not exist is reported as a warning and the command succeeds.
examples:
  - name: Delete the Flux extension without a prompt
    text: az k8s-extension delete -g my-rg -c my-aks -t managedClusters --name flux --yes
  - name: Force-delete an extension stuck in a failed state
    text: az k8s-extension delete -g my-rg -c my-arc -t connectedClusters --name flux --force --yes
"""

helps["k8s-extension list"] = """
type: command
short-summary: List the extension instances of a cluster.
examples:
  - name: List the extensions of an Arc-enabled cluster as a table
    text: az k8s-extension list -g my-rg -c my-arc -t connectedClusters -o table
  - name: Names of the extensions that failed
    text: >
      az k8s-extension list -g my-rg -c my-aks -t managedClusters
      --query "[?provisioningState=='Failed'].name" -o tsv
"""

helps["k8s-extension show"] = """
type: command
short-summary: Show an extension instance.
examples:
  - name: Show the Flux extension
    text: az k8s-extension show -g my-rg -c my-aks -t managedClusters --name flux
  - name: Installed version and state
    text: >
      az k8s-extension show -g my-rg -c my-aks -t managedClusters --name flux
      --query "{version:currentVersion, state:provisioningState}"
"""

helps["k8s-extension extension-types"] = """
type: group
short-summary: Discover the extension types and versions available in a region or on a cluster.
"""

helps["k8s-extension extension-types list-by-location"] = """
type: command
short-summary: List the extension types available in a region.
examples:
  - name: Extension types available for Arc clusters in eastus
    text: az k8s-extension extension-types list-by-location --location eastus --cluster-type connectedClusters
"""

helps["k8s-extension extension-types show-by-location"] = """
type: command
short-summary: Show an extension type as offered in a region.
examples:
  - name: Show the Flux extension type in eastus
    text: az k8s-extension extension-types show-by-location --location eastus --extension-type microsoft.flux
"""

helps["k8s-extension extension-types list-versions-by-location"] = """
type: command
short-summary: List the versions of an extension type available in a region.
examples:
  - name: Flux versions available in eastus
    text: >
      az k8s-extension extension-types list-versions-by-location --location eastus --extension-type microsoft.flux
  - name: Only the latest stable Flux 1.x version
    text: >
      az k8s-extension extension-types list-versions-by-location --location eastus --extension-type microsoft.flux
      --release-train stable --major-version 1 --show-latest
"""

helps["k8s-extension extension-types show-version-by-location"] = """
type: command
short-summary: Show one version of an extension type in a region.
examples:
  - name: Show Flux 1.17.3 in eastus
    text: >
      az k8s-extension extension-types show-version-by-location --location eastus
      --extension-type microsoft.flux --version 1.17.3
"""

helps["k8s-extension extension-types list-by-cluster"] = """
type: command
short-summary: List the extension types that can be installed on a cluster.
examples:
  - name: Extension types for an AKS cluster
    text: az k8s-extension extension-types list-by-cluster -g my-rg -c my-aks -t managedClusters -o table
"""

helps["k8s-extension extension-types show-by-cluster"] = """
type: command
short-summary: Show an extension type as available to a cluster.
examples:
  - name: Show the Flux extension type for an Arc-enabled cluster
    text: >
      az k8s-extension extension-types show-by-cluster -g my-rg -c my-arc -t connectedClusters
      --extension-type microsoft.flux
"""

helps["k8s-extension extension-types list-versions-by-cluster"] = """
type: command
short-summary: List the versions of an extension type that can be installed on a cluster.
examples:
  - name: Flux versions for an AKS cluster
    text: >
      az k8s-extension extension-types list-versions-by-cluster -g my-rg -c my-aks -t managedClusters
      --extension-type microsoft.flux
"""

helps["k8s-extension extension-types show-version-by-cluster"] = """
type: command
short-summary: Show one version of an extension type for a cluster.
examples:
  - name: Show Flux 1.17.3 for an Arc-enabled cluster
    text: >
      az k8s-extension extension-types show-version-by-cluster -g my-rg -c my-arc -t connectedClusters
      --extension-type microsoft.flux --version 1.17.3
"""

helps["k8s-extension extension-types show"] = """
type: command
short-summary: Show an extension type in a region (deprecated; use show-by-location).
"""

helps["k8s-extension extension-types list"] = """
type: command
short-summary: List the extension types of a cluster (deprecated; use list-by-cluster).
"""

helps["k8s-extension extension-types list-versions"] = """
type: command
short-summary: List the versions of an extension type for a cluster (deprecated; use list-versions-by-cluster).
"""

helps["k8s-extension wait"] = """
type: command
short-summary: Wait until an extension instance reaches a condition.
examples:
  - name: Wait until an extension created with --no-wait is installed.
    text: az k8s-extension wait -g my-rg -c my-cluster -t connectedClusters -n flux --created --interval 10
  - name: Wait until it is deleted.
    text: az k8s-extension wait -g my-rg -c my-cluster -t connectedClusters -n flux --deleted
"""

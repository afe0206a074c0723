# pylint: disable=line-too-long
"""Help of `az k8s-configuration flux export` and `az k8s-configuration flux kustomization graph`."""
from knack.help_files import helps

helps["k8s-configuration flux export"] = """
type: command
short-summary: Export a flux configuration as an ARM template, a Bicep file or the Flux objects it creates.
long-summary: >
    Reads the configuration (nothing is changed) and prints it, or writes it to --file. arm is a
    deployment template holding the configuration as an extension resource of the cluster; bicep is the
    same as a Bicep file that references the cluster as an existing resource; both keep only the
    settable properties and can be deployed to the cluster's resource group with 'az deployment group
    create'. flux is the GitRepository, Bucket or OCIRepository and one Kustomization per kustomization
    (named <configuration>-<kustomization>) that the microsoft.flux extension creates on the cluster, with
    the service's defaults spelled out (interval and timeout 10m, prune false, wait true).
    Secret values are never exported, and the service does not return them: arm and bicep get a secure
    parameter for each secret the configuration uses (give it when you deploy), flux gets a secretRef
    and a comment listing the keys that secret must hold. Where the service's answer does not tell
    which credential is in use (an Azure Blob account key or SAS token, for example), the parameter is
    optional: left empty, the field is not set. Source timeouts are written in minutes, as the Flux
    source CRDs require.
examples:
  - name: Export a configuration as a Bicep file, to keep it in source control.
    text: az k8s-configuration flux export -g my-rg -c my-cluster -t connectedClusters -n cluster-config --export-format bicep --file cluster-config.bicep
  - name: Export an ARM template to config.json; to move the configuration to another cluster of the resource group, edit "scope" in it and run 'az deployment group create -g my-rg --template-file config.json --parameters httpsKey=@./https-key.b64'.
    text: az k8s-configuration flux export -g my-rg -c my-cluster -t managedClusters -n cluster-config --file config.json
  - name: Show the Flux objects the extension manages, to compare with 'kubectl get gitrepositories,kustomizations -A'.
    text: az k8s-configuration flux export -g my-rg -c my-cluster -t connectedClusters -n cluster-config --export-format flux
"""

helps["k8s-configuration flux kustomization graph"] = """
type: command
short-summary: Draw the dependsOn graph of a configuration's kustomizations (Mermaid or Graphviz DOT).
long-summary: >
    Each arrow goes from a kustomization to one that depends on it, so the graph reads in the order Flux
    applies them; every box shows the kustomization's name and path. A dependsOn entry that names no
    kustomization of the configuration is drawn dashed and marked "not found", and kustomizations on a
    dependency cycle are outlined in red. Nothing is changed.
examples:
  - name: Print the graph as a Mermaid flowchart (paste it into a ```mermaid block of a README).
    text: az k8s-configuration flux kustomization graph -g my-rg -c my-cluster -t connectedClusters -n cluster-config
  - name: Write a Graphviz graph for an SVG image ('dot -Tsvg kustomizations.dot -o kustomizations.svg' renders it).
    text: az k8s-configuration flux kustomization graph -g my-rg -c my-cluster -t managedClusters -n cluster-config --format dot --file kustomizations.dot
"""

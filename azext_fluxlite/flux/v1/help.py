# pylint: disable=line-too-long
"""Help of the deprecated Flux v1 commands."""
from knack.help_files import helps

helps["k8s-configuration list"] = """
type: command
short-summary: List Flux v1 Kubernetes configurations (This command is for Flux v1, to use the newer Flux v2, run "az k8s-configuration flux list").
examples:
  - name: List the Flux v1 configurations left on a cluster, as a table.
    text: az k8s-configuration list -g my-rg -c my-cluster -t connectedClusters -o table
"""

helps["k8s-configuration show"] = """
type: command
short-summary: Show details of a Flux v1 Kubernetes configuration (This command is for Flux v1, to use the newer Flux v2, run "az k8s-configuration flux show").
examples:
  - name: Show a Flux v1 configuration.
    text: az k8s-configuration show -g my-rg -c my-cluster -t connectedClusters -n my-v1-config
"""

helps["k8s-configuration delete"] = """
type: command
short-summary: Delete a Flux v1 Kubernetes configuration (This command is for Flux v1, to use the newer Flux v2, run "az k8s-configuration flux delete").
long-summary: A cluster that still has Flux v1 configurations cannot get the microsoft.flux extension that Flux v2 needs; delete them first.
examples:
  - name: Delete a Flux v1 configuration without a prompt.
    text: az k8s-configuration delete -g my-rg -c my-cluster -t connectedClusters -n my-v1-config --yes
"""

"""Arguments of `az k8s-configuration flux export` and `flux kustomization graph`.

The cluster and configuration arguments (-g, -c, -t, --cluster-rp, -n) come from the
`k8s-configuration flux` context in `_params_flux`.
"""
from azure.cli.core.commands.parameters import get_enum_type

# flux_export.EXPORT_FORMATS and flux_graph.GRAPH_FORMATS (a test keeps them equal): not imported here,
# because arguments load on every fluxlite command and the exporters pull in PyYAML and the source checks.
EXPORT_FORMATS = ("arm", "bicep", "flux")
GRAPH_FORMATS = ("mermaid", "dot")

FILE_HELP = "Write the {} to this file (replacing it) instead of standard output."


def load_export_arguments(loader):
    with loader.argument_context("k8s-configuration flux export") as c:
        c.argument("export_format", options_list=["--export-format"], arg_type=get_enum_type(EXPORT_FORMATS),
                   help="Format of the export. arm: a deployment template (JSON); bicep: a Bicep file; flux: "
                        "the Flux source and Kustomization objects (YAML) the microsoft.flux extension creates. "
                        "Secrets are never exported: arm and bicep get a secure parameter per secret, flux "
                        "a secretRef and a comment listing the keys the secret must hold.")
        c.argument("file_path", options_list=["--file"], help=FILE_HELP.format("export"))

    with loader.argument_context("k8s-configuration flux kustomization graph") as c:
        c.argument("graph_format", options_list=["--format"], arg_type=get_enum_type(GRAPH_FORMATS),
                   help="Format of the graph. mermaid: a Mermaid flowchart (renders in GitHub and Azure DevOps "
                        "markdown); dot: a Graphviz digraph.")
        c.argument("file_path", options_list=["--file"], help=FILE_HELP.format("graph"))

"""Arguments of the Flux v1 commands: -g, -c, -t (and -n for show and delete), as in the original; no --cluster-rp."""
from azure.cli.core.commands.parameters import get_enum_type

from azext_fluxlite.core.cluster import FLUX_CLUSTER_TYPES


def load_v1_arguments(loader):
    for command in ("list", "show", "delete"):
        with loader.argument_context("k8s-configuration " + command) as c:
            c.argument("cluster_name", options_list=["--cluster-name", "-c"], help="Name of the Kubernetes cluster.")
            c.argument("cluster_type", options_list=["--cluster-type", "-t"],
                       arg_type=get_enum_type(FLUX_CLUSTER_TYPES),
                       help="Specify Arc connected clusters or AKS managed clusters or provisioned clusters.")
            if command != "list":
                c.argument("name", options_list=["--name", "-n"], help="Name of the Flux v1 configuration.")
    with loader.argument_context("k8s-configuration delete") as c:
        c.argument("yes", options_list=["--yes", "-y"], action="store_true", help="Do not prompt for confirmation.")

"""`az k8s-configuration list|show|delete`: the deprecated Flux v1 commands, as k8s-configuration 2.3.0 has them."""
# pylint: disable=unused-argument
from azext_fluxlite._az_arm import arm_client
from azext_fluxlite._az_prompt import confirm
from azext_fluxlite.core.cluster import HYBRID_RP
from azext_fluxlite.flux.v1 import operations

DELETE_PROMPT = "Are you sure you want to perform this operation?"


def _cluster(cmd, resource_group_name, cluster_type, cluster_name):
    arm = arm_client(cmd.cli_ctx)
    # No --cluster-rp here: the provider follows from the cluster type alone, as in the original.
    rp = HYBRID_RP if (cluster_type or "").lower() == "provisionedclusters" else None
    return arm, arm.cluster(resource_group_name, cluster_type, cluster_name, rp)


def list_source_control(cmd, resource_group_name, cluster_name, cluster_type):
    arm, cluster = _cluster(cmd, resource_group_name, cluster_type, cluster_name)
    return [operations.shape(item) for item in operations.list_configurations(arm, cluster)]


def show_source_control(cmd, resource_group_name, cluster_name, cluster_type, name):
    arm, cluster = _cluster(cmd, resource_group_name, cluster_type, cluster_name)
    return operations.shape(operations.get_configuration(arm, cluster, name))


def delete_source_control(cmd, resource_group_name, cluster_name, cluster_type, name, yes=False):
    confirm(cmd.cli_ctx, DELETE_PROMPT, yes)
    arm, cluster = _cluster(cmd, resource_group_name, cluster_type, cluster_name)
    operations.delete_configuration(arm, cluster, name)

"""The Log Analytics workspace of Container Insights and Microsoft Defender: default one, id and keys."""
from azext_fluxlite.core.cluster import arm_id
from azext_fluxlite.core.errors import InvalidArgumentValueError, ResourceNotFoundError

from .base import logger, resource_id_parts
from .regions import DOMAINS, default_workspace_region, normalize_region

CLUSTER_API = "2020-01-01-preview"
HYBRID_CLUSTER_API = "2022-05-01-preview"
GROUP_API = "2024-11-01"
WORKSPACE_API = "2015-11-01-preview"
WORKSPACE_SDK_API = "2021-12-01-preview"
SHARED_KEYS_API = "2020-08-01"
WORKSPACE_ID_KEY = "logAnalyticsWorkspaceResourceID"
NOT_USED = "<not_used>"


def cluster_api(cluster):
    return HYBRID_CLUSTER_API if cluster.cluster_type == "provisionedClusters" else CLUSTER_API


def cluster_location(calls, cluster):
    body = calls.get(cluster.resource_id, cluster_api(cluster), what="cluster '{}'".format(cluster.cluster_name))
    return normalize_region(body.get("location"))


def workspace_id(subscription, group, name):
    return arm_id(subscription, group, "Microsoft.OperationalInsights", "workspaces", name)


def check_workspace_id(value):
    """The user's workspace resource id, stripped; one line naming the setting when it is not an id."""
    value = (value or "").strip()
    parts = resource_id_parts(value)
    if parts is None or parts["namespace"].lower() != "microsoft.operationalinsights" \
            or parts["type"].lower() != "workspaces":
        raise InvalidArgumentValueError(
            "--configuration-settings logAnalyticsWorkspaceResourceID: {} is not a valid Azure resource ID.".format(
                value))
    return value


def ensure_default_workspace(calls, cluster, cloud):
    """The id of the default workspace of the cluster's region, created (with its group) when missing."""
    location = cluster_location(calls, cluster)
    try:
        found = default_workspace_region(cloud, location)
    except ValueError:
        raise InvalidArgumentValueError(
            "Wrong cloud ({}) setting for region {}, please use \"az cloud set ...\"".format(cloud, location)) from None
    if found is None:
        logger.warning("AKS Monitoring addon not supported in cloud : %s", cloud)
        found = ("eastus", "EUS")
    region, code = found
    subscription = calls.subscription_id
    group = "DefaultResourceGroup-" + code
    ws_id = workspace_id(subscription, group, "DefaultWorkspace-{}-{}".format(subscription, code))
    group_path = "/subscriptions/{}/resourcegroups/{}".format(subscription, group)
    if calls.exists(group_path, GROUP_API, what="resource group '{}'".format(group)):
        if calls.get(ws_id, WORKSPACE_API, missing_ok=True) is not None:
            return ws_id
    else:
        calls.send("PUT", group_path, GROUP_API, {"location": region})
    calls.send("PUT", ws_id, WORKSPACE_API, {"location": region, "properties": {"sku": {"name": "standalone"}}},
               what="Log Analytics workspace")
    return ws_id


def add_workspace_keys(calls, args, ws_id, use_aad):
    """Protected wsid/key settings (key auth reads the primary shared key) and the workspace id setting."""
    try:
        workspace = calls.get(ws_id, WORKSPACE_SDK_API, what="Log Analytics workspace")
    except ResourceNotFoundError:
        raise InvalidArgumentValueError(
            "--configuration-settings logAnalyticsWorkspaceResourceID: Fails to retrieve workspace by {}".format(
                ws_id)) from None
    customer_id = (workspace.get("properties") or {}).get("customerId")
    key = NOT_USED
    if not use_aad:
        keys = calls.send("POST", ws_id + "/sharedKeys", SHARED_KEYS_API, what="Log Analytics workspace keys",
                          dry_result={"primarySharedKey": "REDACTED"})
        key = (keys or {}).get("primarySharedKey")
    protected = args.protected
    for prefix in ("omsagent", "amalogs"):
        protected[prefix + ".secret.wsid"] = customer_id
        protected[prefix + ".secret.key"] = key
    domain = DOMAINS.get((args.cloud or "").lower())
    if domain:
        args.settings["omsagent.domain"] = domain
        args.settings["amalogs.domain"] = domain
    args.settings[WORKSPACE_ID_KEY] = ws_id

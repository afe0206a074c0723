"""microsoft.azuremonitor.containers (Container Insights): a Log Analytics workspace and, with managed
identity auth (the default), a data collection rule and its association with the cluster.

Everything is checked before the first request; `skipPrerequisites=true` skips every side call.
Delete removes the association and the rule (and the ingestion endpoint in high log scale mode).
"""
import json
import re

from azext_fluxlite.core.arm import EXTENSION_API_VERSION
from azext_fluxlite.core.errors import InvalidArgumentValueError

from azext_fluxlite.core.cluster import arm_id

from .base import DefaultHandler, insights_id, is_true, logger, resource_id_parts
from .loganalytics import (WORKSPACE_API, WORKSPACE_ID_KEY, add_workspace_keys, check_workspace_id,
                           cluster_location, ensure_default_workspace)
from .regions import normalize_region

EXTENSION_TYPE = "microsoft.azuremonitor.containers"
NAME = NAMESPACE = "azuremonitor-containers"
DC_API = "2022-06-01"
LOCATIONS_API = "2019-11-01"
SOLUTION_API = "2015-11-01-preview"
DEPLOYMENT_API = "2024-11-01"
DCRA_NAME = "ContainerInsightsExtension"
DEFAULT_STREAMS = ["Microsoft-ContainerInsights-Group-Default"]
HIGH_SCALE_STREAMS = [
    "Microsoft-ContainerLog", "Microsoft-ContainerLogV2-HighScale", "Microsoft-KubeEvents",
    "Microsoft-KubePodInventory", "Microsoft-KubeNodeInventory", "Microsoft-KubePVInventory",
    "Microsoft-KubeServices", "Microsoft-KubeMonAgentEvents", "Microsoft-InsightsMetrics",
    "Microsoft-ContainerInventory", "Microsoft-ContainerNodeInventory", "Microsoft-Perf"]
SKIP = "skipPrerequisites"
DCS = "dataCollectionSettings"
HIGH_SCALE = "amalogs.enableHighLogScaleMode"
PROXY = "proxyEndpoint"


def single_instance_warnings(extension_type, name, namespace):
    logger.warning("Ignoring name, release-namespace and scope parameters since %s only supports cluster scope and "
                   "single instance of this extension.", extension_type)
    logger.warning("Defaulting to extension name '%s' and release-namespace '%s'", name, namespace)


def force_single_instance(args, name, namespace):
    single_instance_warnings(args.extension_type, name, namespace)
    args.name, args.release_namespace, args.scope, args.target_namespace = name, namespace, "cluster", None


def uses_aad(settings):
    value = settings["omsagent.useAADAuth"] if "omsagent.useAADAuth" in settings else settings.get("amalogs.useAADAuth")
    return is_true(value)


def _bad(setting, message):
    return InvalidArgumentValueError("--configuration-settings {}: {}".format(setting, message))


def data_collection_settings(settings):
    """The checked dataCollectionSettings JSON object (None when not given)."""
    text = settings.get(DCS)
    if text is None:
        return None
    try:
        dcs = json.loads(text) if isinstance(text, str) else text
    except ValueError:
        raise _bad(DCS, "not valid JSON: write it as a JSON object, e.g. {\"interval\": \"1m\"}") from None
    if not isinstance(dcs, dict):
        raise _bad(DCS, "must be a JSON object, e.g. {\"interval\": \"1m\"}")
    if "interval" in dcs:
        interval = str(dcs["interval"])
        if not re.match(r"^[0-9]+[m]$", interval):
            raise _bad(DCS, "interval format must be in <number>m")
        if not 1 <= int(interval[:-1]) <= 30:
            raise _bad(DCS, "interval value MUST be in the range from 1m to 30m")
    if "namespaceFilteringMode" in dcs and str(dcs["namespaceFilteringMode"]).lower() not in ("off", "exclude", "include"):
        raise _bad(DCS, "namespaceFilteringMode value MUST be either Off or Exclude or Include")
    if "namespaces" in dcs and not isinstance(dcs["namespaces"], list):
        raise _bad(DCS, "namespaces must be an array type")
    if "enableContainerLogV2" in dcs and not isinstance(dcs["enableContainerLogV2"], bool):
        raise _bad(DCS, "enableContainerLogV2Value value MUST be either true or false")
    if "streams" in dcs and not isinstance(dcs["streams"], list):
        raise _bad(DCS, "streams must be an array type")
    return dcs


def check_monitoring_settings(args, aad):
    """The pure part of the settings routine (renames, checks, proxy copies); returns (dcs, high scale)."""
    settings, protected = args.settings, args.protected
    if "loganalyticsworkspaceresourceid" in settings:
        settings[WORKSPACE_ID_KEY] = settings.pop("loganalyticsworkspaceresourceid")
    dcs = data_collection_settings(settings) if aad else None
    high_scale = settings.get(HIGH_SCALE)
    if high_scale is not None and not isinstance(high_scale, bool) and str(high_scale).lower() not in ("true", "false"):
        raise _bad(HIGH_SCALE, "amalogs.enableHighLogScaleMode value MUST be either true or false")
    proxy = protected.get(PROXY)
    if proxy is not None:
        if not str(proxy).startswith(("http://", "https://")) or str(proxy).count("://") != 1:
            raise InvalidArgumentValueError(
                "--configuration-protected-settings proxyEndpoint: proxyEndpoint url should in this format "
                "http(s)://<user>:<pwd>@<proxyhost>:<port>")
        protected["omsagent.proxy"] = proxy
        protected["amalogs.proxy"] = proxy
    if settings.get(WORKSPACE_ID_KEY):
        settings[WORKSPACE_ID_KEY] = check_workspace_id(settings[WORKSPACE_ID_KEY])
    return dcs, is_true(high_scale)


class ContainerInsightsHandler(DefaultHandler):

    def create(self, args, calls, prompts):
        force_single_instance(args, NAME, NAMESPACE)
        if is_true(args.settings.get(SKIP)):
            return args
        args.settings.setdefault("amalogs.useAADAuth", "true")
        aad = uses_aad(args.settings)
        dcs, high_scale = check_monitoring_settings(args, aad)
        ws_id = args.settings.get(WORKSPACE_ID_KEY) or ensure_default_workspace(calls, args.cluster, args.cloud)
        if aad:
            ensure_dcr(calls, args.cluster, ws_id, dcs, high_scale)
        else:
            ensure_solution(calls, ws_id)
        add_workspace_keys(calls, args, ws_id, aad)
        return args

    def delete(self, name, cluster, existing, calls, prompts):
        existing = calls.get(cluster.child_path("extensions", name), EXTENSION_API_VERSION) or existing
        settings = (existing.get("properties") or {}).get("configurationSettings") or {}
        if is_true(settings.get(SKIP)) or not uses_aad(settings):
            return
        dcra = "{}/providers/Microsoft.Insights/dataCollectionRuleAssociations/{}".format(cluster.resource_id, DCRA_NAME)
        if _get_retrying(calls, dcra) is not None:
            calls.send("DELETE", dcra, DC_API, missing_ok=True)
        ws_id = settings.get(WORKSPACE_ID_KEY)
        if not ws_id:
            logger.warning("Workspace region could not be determined. Skipping DCR and DCE deletion.")
            return
        try:
            workspace = calls.get(ws_id, WORKSPACE_API)
        except Exception:  # pylint: disable=broad-except
            logger.warning("Skipping DCR and DCE deletion due to inability to determine workspace region")
            return
        dcr_id = dcr_path(cluster, normalize_region(workspace.get("location")))
        dcr = calls.get(dcr_id, DC_API, missing_ok=True)
        if dcr is None:
            return
        calls.send("DELETE", dcr_id, DC_API, missing_ok=True)
        dce_id = (dcr.get("properties") or {}).get("dataCollectionEndpointId")
        if is_true(settings.get(HIGH_SCALE)) and dce_id:
            calls.send("DELETE", dce_id, DC_API, missing_ok=True)


def _get_retrying(calls, path, tries=3):
    for _ in range(tries):
        try:
            return calls.get(path, DC_API)
        except Exception:  # pylint: disable=broad-except
            continue
    return None


def dcr_path(cluster, ws_region):
    return insights_id(cluster, "dataCollectionRules", "MSCI-{}-{}".format(ws_region, cluster.cluster_name)[:64])


def _streams(dcs, high_scale):
    if dcs and dcs.get("streams"):
        streams = list(dcs["streams"])
        if high_scale:
            streams = [s + "-HighScale" if s == "Microsoft-ContainerLogV2" else s for s in streams]
        return streams
    return list(HIGH_SCALE_STREAMS if high_scale else DEFAULT_STREAMS)


def ensure_dcr(calls, cluster, ws_id, dcs, high_scale):
    """The data collection rule (and its ingestion endpoint in high log scale mode) and its association."""
    region = cluster_location(calls, cluster)
    workspace = calls.get(ws_id, WORKSPACE_API, what="Log Analytics workspace")
    ws_region = normalize_region(workspace.get("location"))
    dce_id = None
    if high_scale:
        dce_name = "MSCI-ingest-{}-{}".format(ws_region, cluster.cluster_name)[:43].rstrip("-")
        dce_id = insights_id(cluster, "dataCollectionEndpoints", dce_name)
        calls.send("PUT", dce_id, DC_API, {"location": ws_region, "kind": "Linux",
                                           "properties": {"networkAcls": {"publicNetworkAccess": "Enabled"}}})
    calls.get("/subscriptions/{}/locations".format(calls.subscription_id), LOCATIONS_API)
    dcr_id = dcr_path(cluster, ws_region)
    old = calls.get(dcr_id, DC_API, missing_ok=True)
    streams = _streams(dcs, high_scale)
    settings = dict(dcs) if dcs else {}
    settings.setdefault("enableContainerLogV2", True)
    body = {"location": ws_region, "tags": (old or {}).get("tags"), "kind": "Linux", "properties": {
        "dataSources": {"extensions": [{"name": "ContainerInsightsExtension", "streams": streams,
                                        "extensionName": "ContainerInsights",
                                        "extensionSettings": {"dataCollectionSettings": settings}}]},
        "dataFlows": [{"streams": streams, "destinations": ["la-workspace"]}],
        "destinations": {"logAnalytics": [{"workspaceResourceId": ws_id, "name": "la-workspace"}]},
        "dataCollectionEndpointId": dce_id}}
    calls.send("PUT", dcr_id, DC_API, body, what="data collection rule")
    dcra = "{}/providers/Microsoft.Insights/dataCollectionRuleAssociations/{}".format(cluster.resource_id, DCRA_NAME)
    calls.send("PUT", dcra, DC_API, {"location": region, "properties": {
        "dataCollectionRuleId": dcr_id, "description": "routes monitoring data to a Log Analytics workspace"}},
        what="data collection rule association")


def ensure_solution(calls, ws_id):
    """Key auth: the ContainerInsights solution on the workspace, deployed when missing."""
    import time
    parts = resource_id_parts(ws_id)
    solution = arm_id(parts["subscription"], parts["resource_group"], "Microsoft.OperationsManagement", "solutions",
                      "ContainerInsights({})".format(parts["name"]))
    if calls.get(solution, SOLUTION_API, missing_ok=True) is not None:
        return
    workspace = calls.get(ws_id, WORKSPACE_API, what="Log Analytics workspace")
    stamp = int(time.time() * 1000)
    deployment = "/subscriptions/{}/resourcegroups/{}/providers/Microsoft.Resources/deployments/" \
                 "arc-k8s-monitoring-{}".format(parts["subscription"], parts["resource_group"], stamp)
    calls.send("PUT", deployment, DEPLOYMENT_API, solution_deployment(ws_id, workspace.get("location"), stamp),
               what="Container Insights solution deployment")


def solution_deployment(ws_id, ws_region, stamp):
    template = {
        "$schema": "https://schema.management.azure.com/schemas/2015-01-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "parameters": {"workspaceResourceId": {"type": "string"}, "workspaceRegion": {"type": "string"},
                       "solutionDeploymentName": {"type": "string"}},
        "resources": [{
            "type": "Microsoft.Resources/deployments", "name": "[parameters('solutionDeploymentName')]",
            "apiVersion": "2017-05-10", "subscriptionId": "[split(parameters('workspaceResourceId'),'/')[2]]",
            "resourceGroup": "[split(parameters('workspaceResourceId'),'/')[4]]",
            "properties": {"mode": "Incremental", "template": {
                "$schema": "https://schema.management.azure.com/schemas/2015-01-01/deploymentTemplate.json#",
                "contentVersion": "1.0.0.0", "parameters": {}, "variables": {},
                "resources": [{
                    "apiVersion": "2015-11-01-preview", "type": "Microsoft.OperationsManagement/solutions",
                    "location": "[parameters('workspaceRegion')]",
                    "name": "[Concat('ContainerInsights', '(', split(parameters('workspaceResourceId'),'/')[8], ')')]",
                    "properties": {"workspaceResourceId": "[parameters('workspaceResourceId')]"},
                    "plan": {"name": "[Concat('ContainerInsights', '(', split(parameters('workspaceResourceId'),"
                                     "'/')[8], ')')]",
                             "product": "[Concat('OMSGallery/', 'ContainerInsights')]",
                             "promotionCode": "", "publisher": "Microsoft"}}]}}}]}
    return {"properties": {"mode": "Incremental", "template": template, "parameters": {
        "workspaceResourceId": {"value": ws_id}, "workspaceRegion": {"value": ws_region},
        "solutionDeploymentName": {"value": "ContainerInsights-{}".format(stamp)}}}}

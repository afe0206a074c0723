"""microsoft.azuremonitor.containers.metrics (managed Prometheus): an Azure Monitor workspace, a data
collection endpoint, rule and association, optionally a Grafana link, and the recording rules.

Delete removes the Prometheus rule associations, rules, endpoints and the three recording rule groups.
"""
import uuid

from azext_fluxlite.core.arm import EXTENSION_API_VERSION
from azext_fluxlite.core.errors import FluxliteError, ValidationError

from azext_fluxlite.core.cluster import arm_id

from .base import DefaultHandler, insights_id, is_true, logger
from .loganalytics import GROUP_API, cluster_location
from .regions import closest_monitor_region, normalize_region

NAME = "azuremonitor-metrics"
NAMESPACE = "kube-system"
RP_API = "2021-04-01"
RP_LOCATION_API = "2022-01-01"
MAC_API = "2023-04-03"
DC_API = "2022-06-01"
GRAFANA_API = "2022-08-01"
ROLE_API = "2022-04-01"
ALERTS_API = "2023-01-01-preview"
RULES_API = "2023-03-01"
PROVIDERS = ("microsoft.insights", "microsoft.alertsmanagement", "microsoft.monitor", "microsoft.dashboard")
UNSUPPORTED_CLOUDS = ("ussec", "usnat", "usdod")
AMW_KEY = "azure-monitor-workspace-resource-id"
GRAFANA_KEY = "grafana-resource-id"
MONITORING_READER = "b0d8363b-8ddd-447d-831f-62ca05bff136"
STREAM = "Microsoft-PrometheusMetrics"


def _setting(settings, key):
    for name, value in settings.items():
        if name.lower() == key:
            return value
    return None


def dce_name(region, cluster_name):
    name = "MSProm-{}-{}".format(region, cluster_name)[:44]
    name = "".join(ch for ch in name if ch.isalnum() or ch == "-")
    while name and not name[-1].isalnum():
        name = name[:-1]
    return name


def rule_group_path(cluster, name):
    from urllib.parse import quote
    return arm_id(cluster.subscription_id, cluster.resource_group, "Microsoft.AlertsManagement",
                  "prometheusRuleGroups", quote(name, safe="-"))


class MetricsHandler(DefaultHandler):

    def create(self, args, calls, prompts):
        args.name, args.release_namespace, args.scope, args.target_namespace = NAME, NAMESPACE, "cluster", None
        args.release_train = args.release_train or "stable"
        if is_true(args.settings.get("skipPrerequisites")):
            return args
        if (args.cloud or "").lower() in UNSUPPORTED_CLOUDS:
            raise ValidationError("{} does not support Azure Managed Prometheus yet.".format(args.cloud))
        register_providers(calls)
        cluster = args.cluster
        region = cluster_location(calls, cluster)
        amw_id, amw_region = azure_monitor_workspace(calls, args.settings, region)
        logger.warning("Using Azure Monitor Workspace (stores prometheus metrics) : %s", amw_id)
        data_collection(calls, cluster, region, amw_id, amw_region)
        grafana = _setting(args.settings, GRAFANA_KEY)
        if grafana:
            link_grafana(calls, grafana, amw_id)
        recording_rules(calls, cluster, amw_id, amw_region)
        return args

    def delete(self, name, cluster, existing, calls, prompts):
        existing = calls.get(cluster.child_path("extensions", name), EXTENSION_API_VERSION) or existing
        settings = (existing.get("properties") or {}).get("configurationSettings") or {}
        if is_true(settings.get("skipPrerequisites")):
            return
        listing = calls.get(cluster.resource_id + "/providers/Microsoft.Insights/dataCollectionRuleAssociations",
                            DC_API) or {}
        associations = [a for a in listing.get("value") or []
                        if (a.get("properties") or {}).get("dataCollectionRuleId")]
        rules = {}
        for association in associations:
            dcr_id = association["properties"]["dataCollectionRuleId"]
            rules[dcr_id] = (calls.get(dcr_id, DC_API, missing_ok=True) or {}).get("properties", {}).get(
                "dataCollectionEndpointId")
        for association in associations:
            dcr_id = association["properties"]["dataCollectionRuleId"]
            dcr = calls.get(dcr_id, DC_API, missing_ok=True) or {}
            flows = (dcr.get("properties") or {}).get("dataFlows") or [{}]
            if STREAM.lower() not in [s.lower() for s in flows[0].get("streams") or []]:
                continue
            calls.send("DELETE", association["id"], DC_API, missing_ok=True)
            calls.send("DELETE", dcr_id, DC_API, missing_ok=True)
            if rules.get(dcr_id):
                calls.send("DELETE", rules[dcr_id], DC_API, missing_ok=True)
        for group in ("NodeRecordingRulesRuleGroup-{}", "KubernetesRecordingRulesRuleGroup-{}",
                      "UXRecordingRulesRuleGroup - {}"):
            calls.send("DELETE", rule_group_path(cluster, group.format(cluster.cluster_name)), RULES_API)


def register_providers(calls):
    sub = calls.subscription_id
    listing = calls.get("/subscriptions/{}/providers".format(sub), RP_API,
                        params={"$select": "namespace,registrationstate"}) or {}
    state = {(p.get("namespace") or "").lower(): p.get("registrationState") for p in listing.get("value") or []}
    for rp in PROVIDERS:
        if state.get(rp) != "Registered":
            logger.warning("Registering %s RP for the subscription %s", rp, sub)
            calls.send("POST", "/subscriptions/{}/providers/{}/register".format(sub, rp), RP_API)


def azure_monitor_workspace(calls, settings, cluster_region):
    """(id, region) of the given Azure Monitor workspace, or of the default one (created when missing)."""
    given = _setting(settings, AMW_KEY)
    if given:
        amw_id = given.strip().lower()
        amw = calls.get(amw_id, MAC_API, what="Azure Monitor workspace")
        return amw_id, normalize_region(amw.get("location"))
    provider = calls.get("/providers/Microsoft.Monitor", RP_LOCATION_API) or {}
    locations = []
    for resource_type in provider.get("resourceTypes") or []:
        if (resource_type.get("resourceType") or "").lower() == "accounts":
            locations = [normalize_region(loc) for loc in resource_type.get("locations") or []]
    region = cluster_region if cluster_region in locations else (locations[0] if locations else "eastus")
    sub = calls.subscription_id
    group = "DefaultResourceGroup-" + region
    name = "DefaultAzureMonitorWorkspace-{}".format(region)[:43]
    amw_id = arm_id(sub, group, "microsoft.monitor", "accounts", name)
    group_path = "/subscriptions/{}/resourcegroups/{}".format(sub, group)
    if calls.exists(group_path, GROUP_API):
        amw = calls.get(amw_id, MAC_API, missing_ok=True)
        if amw is not None:
            return amw_id, normalize_region(amw.get("location")) or region
    else:
        calls.send("PUT", group_path, GROUP_API, {"location": region})
    calls.send("PUT", amw_id, MAC_API, {"location": region, "properties": {}}, what="Azure Monitor workspace")
    return amw_id, region


def data_collection(calls, cluster, cluster_region, amw_id, amw_region):
    region = closest_monitor_region(amw_region)
    dce = dce_name(region, cluster.cluster_name)
    dce_id = insights_id(cluster, "dataCollectionEndpoints", dce)
    calls.send("PUT", dce_id, DC_API, {"name": dce, "location": amw_region, "kind": "Linux", "properties": {}},
               what="data collection endpoint")
    dcr_id = insights_id(cluster, "dataCollectionRules", "MSProm-{}-{}".format(region, cluster.cluster_name)[:64])
    calls.send("PUT", dcr_id, DC_API, {"location": amw_region, "kind": "Linux", "properties": {
        "dataCollectionEndpointId": dce_id,
        "dataSources": {"prometheusForwarder": [{"name": "PrometheusDataSource", "streams": [STREAM],
                                                 "labelIncludeFilter": {}}]},
        "dataFlows": [{"destinations": ["MonitoringAccount1"], "streams": [STREAM]}],
        "description": "DCR description",
        "destinations": {"monitoringAccounts": [{"accountResourceId": amw_id, "name": "MonitoringAccount1"}]}}},
        what="data collection rule")
    dcra = "ContainerInsightsMetricsExtension-{}-{}".format(closest_monitor_region(cluster_region),
                                                            cluster.cluster_name)[:64]
    calls.send("PUT", "{}/providers/Microsoft.Insights/dataCollectionRuleAssociations/{}".format(
        cluster.resource_id, dcra), DC_API, {"location": cluster_region, "properties": {
            "dataCollectionRuleId": dcr_id,
            "description": "Promtheus data collection association between DCR, DCE and target AKS resource"}},
        what="data collection rule association")


def link_grafana(calls, grafana_id, amw_id):
    grafana_id = grafana_id.strip().lower()
    grafana = calls.get(grafana_id, GRAFANA_API, what="Azure Managed Grafana")
    principal = (grafana.get("identity") or {}).get("principalId")
    try:
        calls.send("PUT", "{}/providers/Microsoft.Authorization/roleAssignments/{}".format(amw_id, uuid.uuid4()),
                   ROLE_API, {"properties": {
                       "roleDefinitionId": "{}/providers/Microsoft.Authorization/roleDefinitions/{}".format(
                           amw_id, MONITORING_READER),
                       "principalId": principal}})
    except FluxliteError as exc:
        if "409" not in str(exc) and "conflict" not in str(exc).lower():
            logger.warning("Could not give Grafana read access to the Azure Monitor workspace (%s): assign it the "
                           "Monitoring Data Reader role on %s yourself.", exc, amw_id)
    integrations = ((grafana.get("properties") or {}).get("grafanaIntegrations") or {}).get(
        "azureMonitorWorkspaceIntegrations") or []
    if any((item.get("azureMonitorWorkspaceResourceId") or "").lower() == amw_id.lower() for item in integrations):
        return
    body = dict(grafana)
    properties = dict(body.get("properties") or {})
    links = dict(properties.get("grafanaIntegrations") or {})
    links["azureMonitorWorkspaceIntegrations"] = list(integrations) + [{"azureMonitorWorkspaceResourceId": amw_id}]
    properties["grafanaIntegrations"] = links
    body["properties"] = properties
    calls.send("PUT", grafana_id, GRAFANA_API, body, what="Azure Managed Grafana")


def _recording_templates(listing):
    for template in (listing or {}).get("value") or []:
        properties = template.get("properties") or {}
        resources = (properties.get("rulesArmTemplate") or {}).get("resources")
        if (properties.get("alertRuleType") or "").lower() != "microsoft.alertsmanagement/prometheusrulegroups" \
                or not isinstance(resources, list) or not resources:
            continue
        rules = (resources[0].get("properties") or {}).get("rules") or []
        if all(isinstance(rule, dict) and "record" in rule and "expression" in rule
               for resource in resources for rule in (resource.get("properties") or {}).get("rules") or []):
            yield template.get("name") or "", rules


def recording_rules(calls, cluster, amw_id, amw_region):
    listing = calls.get(amw_id + "/providers/microsoft.alertsManagement/alertRuleRecommendations", ALERTS_API)
    for name, rules in _recording_templates(listing):
        if "win" in name.lower():
            continue
        group = "{}-{}".format(name, cluster.cluster_name)
        path = rule_group_path(cluster, group)
        body = {"id": path, "name": group, "type": "Microsoft.AlertsManagement/prometheusRuleGroups",
                "location": amw_region, "properties": {"scopes": [amw_id], "enabled": True,
                                                       "clusterName": cluster.cluster_name, "interval": "PT1M",
                                                       "rules": rules}}
        for attempt in range(3):
            try:
                calls.send("PUT", path, RULES_API, body, what="recording rule group '{}'".format(group))
                break
            except FluxliteError:
                if attempt == 2:
                    raise

"""Azure Monitor metrics (managed Prometheus): providers, workspace, DCE/DCR/DCRA, Grafana, recording rules."""
from azext_fluxlite.core.errors import ValidationError
from azext_fluxlite.extension.partners import handler_for

import pytest

from tests.unit.partner_fakes import SUB, FakePrompts, cluster, create_args, side_calls

AMM = "microsoft.azuremonitor.containers.metrics"
C = cluster("connectedClusters", name="arcWest")
INS = "/subscriptions/{}/resourceGroups/rg1/providers/Microsoft.Insights/".format(SUB)
AMW = "/subscriptions/{}/resourcegroups/mon/providers/microsoft.monitor/accounts/amw1".format(SUB)
GRAFANA = "/subscriptions/{}/resourcegroups/mon/providers/microsoft.dashboard/grafana/g1".format(SUB)
RULES = AMW + "/providers/microsoft.alertsManagement/alertRuleRecommendations"
PROVIDERS = "/subscriptions/{}/providers".format(SUB)


def template(name, rules):
    return {"name": name, "properties": {"alertRuleType": "Microsoft.AlertsManagement/prometheusRuleGroups",
                                         "rulesArmTemplate": {"resources": [{"properties": {"rules": rules}}]}}}


def answers(**extra):
    base = {
        ("GET", PROVIDERS): {"value": [{"namespace": "Microsoft.Insights", "registrationState": "Registered"},
                                       {"namespace": "Microsoft.AlertsManagement", "registrationState": "Registered"},
                                       {"namespace": "Microsoft.Monitor", "registrationState": "Registered"}]},
        ("GET", C.resource_id): {"location": "westeurope"},
        ("GET", AMW): {"location": "East US"},
        ("GET", RULES): {"value": [template("NodeRecordingRulesRuleGroup", [{"record": "a", "expression": "b"}]),
                                   template("NodeRecordingRulesRuleGroup-Win", [{"record": "a", "expression": "b"}]),
                                   template("Alerts", [{"alert": "a", "expression": "b"}])]},
    }
    base.update(extra)
    return base


def test_create_with_a_workspace_sends_the_originals_requests_in_order(caplog):
    client, calls = side_calls(answers())
    args = create_args(AMM, settings={"Azure-Monitor-Workspace-Resource-ID": AMW.upper().replace("SUBSCRIPTIONS",
                                                                                                 "subscriptions")})
    args.cluster = C
    handler_for(AMM).create(args, calls, FakePrompts())
    dce, dcr = INS + "dataCollectionEndpoints/MSProm-eastus-arcWest", INS + "dataCollectionRules/MSProm-eastus-arcWest"
    dcra = C.resource_id + "/providers/Microsoft.Insights/dataCollectionRuleAssociations/" \
                           "ContainerInsightsMetricsExtension-westeurope-arcWest"
    group = "/subscriptions/{}/resourceGroups/rg1/providers/Microsoft.AlertsManagement/prometheusRuleGroups/" \
            "NodeRecordingRulesRuleGroup-arcWest".format(SUB)
    assert [(m, p.lower(), a) for m, p, a in client.calls()] == [(m, p.lower(), a) for m, p, a in [
        ("GET", PROVIDERS, "2021-04-01"),
        ("POST", PROVIDERS + "/microsoft.dashboard/register", "2021-04-01"),
        ("GET", C.resource_id, "2020-01-01-preview"),
        ("GET", AMW, "2023-04-03"),
        ("PUT", dce, "2022-06-01"), ("PUT", dcr, "2022-06-01"), ("PUT", dcra, "2022-06-01"),
        ("GET", RULES, "2023-01-01-preview"),
        ("PUT", group, "2023-03-01")]]
    assert client.sent[0][4] == {"$select": "namespace,registrationstate"}
    assert client.sent[4][3] == {"name": "MSProm-eastus-arcWest", "location": "eastus", "kind": "Linux",
                                 "properties": {}}
    assert client.sent[6][3]["location"] == "westeurope"
    assert client.sent[5][3]["properties"]["destinations"] == {
        "monitoringAccounts": [{"accountResourceId": AMW, "name": "MonitoringAccount1"}]}
    assert (args.name, args.release_namespace, args.release_train) == ("azuremonitor-metrics", "kube-system", "stable")
    assert "Registering microsoft.dashboard RP for the subscription" in caplog.text


def test_default_workspace_is_made_in_the_cluster_region():
    monitor = {"resourceTypes": [{"resourceType": "accounts", "locations": ["East US", "West Europe"]}]}
    client, calls = side_calls(answers())
    client.answers[("GET", "/providers/microsoft.monitor")] = monitor
    client.answers[("GET", "/subscriptions/{}/resourcegroups/defaultresourcegroup-westeurope/providers/microsoft.monitor"
                    "/accounts/defaultazuremonitorworkspace-westeurope/providers/microsoft.alertsmanagement/"
                    "alertrulerecommendations".format(SUB))] = {"value": []}
    args = create_args(AMM)
    args.cluster = C
    handler_for(AMM).create(args, calls, FakePrompts())
    rg = "/subscriptions/{}/resourcegroups/DefaultResourceGroup-westeurope".format(SUB)
    amw = "/subscriptions/{}/resourceGroups/DefaultResourceGroup-westeurope/providers/microsoft.monitor/accounts/" \
          "DefaultAzureMonitorWorkspace-westeurope".format(SUB)
    sent = [(m, p) for m, p, _ in client.calls()]
    start = sent.index(("GET", "/providers/Microsoft.Monitor"))
    assert sent[start + 1:start + 4] == [("HEAD", rg), ("PUT", rg), ("PUT", amw)]


def test_grafana_link_adds_the_workspace_to_grafana():
    grafana = {"identity": {"principalId": "p1"}, "properties": {"grafanaIntegrations": {}}}
    client, calls = side_calls(answers())
    client.answers[("GET", GRAFANA)] = grafana
    args = create_args(AMM, settings={"azure-monitor-workspace-resource-id": AMW, "grafana-resource-id": GRAFANA})
    args.cluster = C
    handler_for(AMM).create(args, calls, FakePrompts())
    role = [s for s in client.sent if "roleAssignments" in s[1]][0]
    assert role[3]["properties"]["principalId"] == "p1"
    put = [s for s in client.sent if s[0] == "PUT" and s[1] == GRAFANA][0]
    assert put[3]["properties"]["grafanaIntegrations"]["azureMonitorWorkspaceIntegrations"] == [
        {"azureMonitorWorkspaceResourceId": AMW}]


def test_unsupported_cloud_and_skip():
    _, calls = side_calls()
    with pytest.raises(ValidationError, match="ussec does not support Azure Managed Prometheus yet."):
        handler_for(AMM).create(create_args(AMM, cloud="ussec"), calls, FakePrompts())
    client, calls = side_calls()
    handler_for(AMM).create(create_args(AMM, settings={"skipPrerequisites": "true"}), calls, FakePrompts())
    assert client.sent == []


def test_delete_removes_prometheus_dcra_dcr_dce_and_rule_groups():
    dcr = INS + "dataCollectionRules/MSProm-eastus-arcWest"
    dce = INS + "dataCollectionEndpoints/MSProm-eastus-arcWest"
    dcra = C.resource_id + "/providers/Microsoft.Insights/dataCollectionRuleAssociations/x"
    ext_path = C.child_path("extensions", "azuremonitor-metrics")
    client, calls = side_calls({
        ("GET", ext_path): {"properties": {"configurationSettings": {}}},
        ("GET", C.resource_id + "/providers/Microsoft.Insights/dataCollectionRuleAssociations"): {"value": [
            {"id": dcra, "properties": {"dataCollectionRuleId": dcr}}]},
        ("GET", dcr): {"properties": {"dataCollectionEndpointId": dce,
                                      "dataFlows": [{"streams": ["Microsoft-PrometheusMetrics"]}]}}})
    prompts = FakePrompts()
    handler_for(AMM).delete("azuremonitor-metrics", C, {}, calls, prompts)
    deletes = [p for m, p, _ in client.calls() if m == "DELETE"]
    assert deletes[:3] == [dcra, dcr, dce]
    assert [d.rsplit("/", 1)[1] for d in deletes[3:]] == [
        "NodeRecordingRulesRuleGroup-arcWest", "KubernetesRecordingRulesRuleGroup-arcWest",
        "UXRecordingRulesRuleGroup%20-%20arcWest"]
    assert prompts.confirmed == []

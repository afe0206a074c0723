"""Container Insights and Microsoft Defender: workspace, keys, data collection rule and association."""
import json

import pytest

from azext_fluxlite.core.errors import InvalidArgumentValueError
from azext_fluxlite.extension.partners import handler_for

from tests.unit.partner_fakes import SUB, FakePrompts, cluster, create_args, side_calls

CI = "microsoft.azuremonitor.containers"
DEFENDER = "microsoft.azuredefender.kubernetes"
ARC = cluster("connectedClusters").resource_id
AKS = cluster("managedClusters").resource_id
RG = "/subscriptions/{}/resourcegroups/DefaultResourceGroup-EUS".format(SUB)
WS = ("/subscriptions/{0}/resourceGroups/DefaultResourceGroup-EUS/providers/Microsoft.OperationalInsights/"
      "workspaces/DefaultWorkspace-{0}-EUS".format(SUB))
MY_WS = "/subscriptions/{}/resourceGroups/mon/providers/Microsoft.OperationalInsights/workspaces/ws1".format(SUB)
DCR = "/subscriptions/{}/resourceGroups/rg1/providers/Microsoft.Insights/dataCollectionRules/MSCI-westus2-c1".format(SUB)


def workspace(location="West US 2"):
    return {"location": location, "properties": {"customerId": "cust-1"}}


def create(ext_type, settings=None, protected=None, answers=None, ctype="connectedClusters", cloud="AzureCloud"):
    answers = dict(answers or {})
    answers.setdefault(("GET", "/subscriptions/{}/locations".format(SUB)), {"value": []})
    client, calls = side_calls(answers)
    args = create_args(ext_type, ctype, name="whatever", settings=settings, protected=protected, cloud=cloud,
                       scope="cluster", release_namespace="ignored")
    handler_for(ext_type).create(args, calls, FakePrompts())
    return args, client


def test_ci_forces_name_and_namespace_and_skip_makes_no_call(caplog):
    args, client = create(CI, {"skipPrerequisites": "TRUE"})
    assert (args.name, args.release_namespace, args.scope) == ("azuremonitor-containers",) * 2 + ("cluster",)
    assert client.sent == []
    assert "Ignoring name, release-namespace and scope parameters since microsoft.azuremonitor.containers" in caplog.text
    assert "Defaulting to extension name 'azuremonitor-containers' and release-namespace " \
           "'azuremonitor-containers'" in caplog.text


def test_ci_with_workspace_creates_dcr_and_association_in_order():
    answers = {("GET", ARC): {"location": "eastus"}, ("GET", MY_WS): workspace()}
    args, client = create(CI, {"loganalyticsworkspaceresourceid": MY_WS}, answers=answers)
    assert client.calls() == [
        ("GET", ARC, "2020-01-01-preview"),
        ("GET", MY_WS, "2015-11-01-preview"),
        ("GET", "/subscriptions/{}/locations".format(SUB), "2019-11-01"),
        ("GET", DCR, "2022-06-01"),
        ("PUT", DCR, "2022-06-01"),
        ("PUT", ARC + "/providers/Microsoft.Insights/dataCollectionRuleAssociations/ContainerInsightsExtension",
         "2022-06-01"),
        ("GET", MY_WS, "2021-12-01-preview"),
    ]
    dcr = client.sent[4][3]
    assert dcr["location"] == "westus2" and dcr["properties"]["dataCollectionEndpointId"] is None
    assert dcr["properties"]["dataSources"]["extensions"][0]["streams"] == ["Microsoft-ContainerInsights-Group-Default"]
    assert dcr["properties"]["dataSources"]["extensions"][0]["extensionSettings"] == {
        "dataCollectionSettings": {"enableContainerLogV2": True}}
    assert client.sent[5][3] == {"location": "eastus", "properties": {
        "dataCollectionRuleId": DCR, "description": "routes monitoring data to a Log Analytics workspace"}}
    assert args.settings["logAnalyticsWorkspaceResourceID"] == MY_WS
    assert "loganalyticsworkspaceresourceid" not in args.settings
    assert args.settings["amalogs.useAADAuth"] == "true"
    assert args.protected == {"omsagent.secret.wsid": "cust-1", "amalogs.secret.wsid": "cust-1",
                              "omsagent.secret.key": "<not_used>", "amalogs.secret.key": "<not_used>"}


def test_ci_default_workspace_is_created_with_its_group_when_missing():
    answers = {("GET", ARC): {"location": "westcentralus"}, ("GET", WS): workspace("eastus")}
    args, client = create(CI, {"amalogs.useAADAuth": "false"}, answers=answers)
    calls = client.calls()
    assert calls[:4] == [("GET", ARC, "2020-01-01-preview"), ("HEAD", RG, "2024-11-01"), ("PUT", RG, "2024-11-01"),
                         ("PUT", WS, "2015-11-01-preview")]
    assert client.sent[2][3] == {"location": "eastus"}
    assert client.sent[3][3] == {"location": "eastus", "properties": {"sku": {"name": "standalone"}}}
    # key auth: the solution (missing) is deployed, then the shared key is read
    assert calls[4][1].endswith("/Microsoft.OperationsManagement/solutions/ContainerInsights(DefaultWorkspace-{}-EUS)"
                                .format(SUB))
    assert calls[6][0] == "PUT" and "/deployments/arc-k8s-monitoring-" in calls[6][1]
    assert calls[-2:] == [("GET", WS, "2021-12-01-preview"), ("POST", WS + "/sharedKeys", "2020-08-01")]
    assert args.settings["logAnalyticsWorkspaceResourceID"] == WS


def test_unknown_cloud_warns_and_uses_eastus(caplog):
    answers = {("GET", ARC): {"location": "westeurope"}, ("HEAD", RG): {}, ("GET", WS): workspace("eastus")}
    _, client = create(DEFENDER, answers=answers, cloud="fluxlite-emulator")
    assert "AKS Monitoring addon not supported in cloud : fluxlite-emulator" in caplog.text
    assert ("HEAD", RG, "2024-11-01") in client.calls()


@pytest.mark.parametrize("dcs, message", [
    ({"interval": "5"}, "interval format must be in <number>m"),
    ({"interval": "31m"}, "interval value MUST be in the range from 1m to 30m"),
    ({"namespaceFilteringMode": "All"}, "namespaceFilteringMode value MUST be either Off or Exclude or Include"),
    ({"namespaces": "kube-system"}, "namespaces must be an array type"),
    ({"enableContainerLogV2": "yes"}, "enableContainerLogV2Value value MUST be either true or false"),
    ({"streams": "x"}, "streams must be an array type"),
])
def test_ci_data_collection_settings_are_checked_before_any_call(dcs, message):
    client, calls = side_calls()
    args = create_args(CI, settings={"dataCollectionSettings": json.dumps(dcs)})
    with pytest.raises(InvalidArgumentValueError) as err:
        handler_for(CI).create(args, calls, FakePrompts())
    assert str(err.value) == "--configuration-settings dataCollectionSettings: " + message
    assert client.sent == []


def test_ci_bad_proxy_and_workspace_id_are_refused():
    with pytest.raises(InvalidArgumentValueError, match="proxyEndpoint url should in this format"):
        create(CI, protected={"proxyEndpoint": "proxy:3128"})
    with pytest.raises(InvalidArgumentValueError, match="not-an-id is not a valid Azure resource ID."):
        create(CI, {"logAnalyticsWorkspaceResourceID": "not-an-id"})


def test_ci_high_log_scale_adds_the_ingestion_endpoint_and_streams():
    answers = {("GET", AKS): {"location": "eastus"}, ("GET", MY_WS): workspace()}
    dcs = json.dumps({"streams": ["Microsoft-ContainerLogV2"]})
    _, client = create(CI, {"logAnalyticsWorkspaceResourceID": MY_WS, "amalogs.enableHighLogScaleMode": "true",
                            "dataCollectionSettings": dcs}, answers=answers, ctype="managedClusters")
    dce = client.sent[2]
    assert dce[0] == "PUT" and dce[1].endswith("/dataCollectionEndpoints/MSCI-ingest-westus2-c1")
    dcr = [s for s in client.sent if s[0] == "PUT" and "dataCollectionRules" in s[1]][0][3]
    assert dcr["properties"]["dataFlows"][0]["streams"] == ["Microsoft-ContainerLogV2-HighScale"]
    assert dcr["properties"]["dataCollectionEndpointId"] == dce[1]
    assert client.sent[-2][1] == AKS + "/providers/Microsoft.Insights/dataCollectionRuleAssociations/" \
                                       "ContainerInsightsExtension"


def test_defender_uses_key_auth_with_the_given_workspace_only():
    args, client = create(DEFENDER, {"logAnalyticsWorkspaceResourceID": MY_WS},
                          answers={("GET", MY_WS): workspace(), ("POST", MY_WS + "/sharedKeys"): {
                              "primarySharedKey": "k3y"}})
    assert client.calls() == [("GET", MY_WS, "2021-12-01-preview"), ("POST", MY_WS + "/sharedKeys", "2020-08-01")]
    assert (args.name, args.release_namespace) == (DEFENDER, "mdc")
    assert args.settings["amalogs.useAADAuth"] == "False"
    assert args.protected["amalogs.secret.key"] == "k3y"


def test_ci_delete_removes_association_then_rule():
    ext = {"properties": {"configurationSettings": {"amalogs.useAADAuth": "true",
                                                    "logAnalyticsWorkspaceResourceID": MY_WS}}}
    c = cluster("connectedClusters")
    ext_path = c.child_path("extensions", "azuremonitor-containers")
    dcra = ARC + "/providers/Microsoft.Insights/dataCollectionRuleAssociations/ContainerInsightsExtension"
    client, calls = side_calls({("GET", ext_path): ext, ("GET", dcra): {"id": dcra}, ("GET", MY_WS): workspace(),
                                ("GET", DCR): {"properties": {}}})
    prompts = FakePrompts()
    handler_for(CI).delete("azuremonitor-containers", c, ext, calls, prompts)
    assert [(m, p) for m, p, _ in client.calls()] == [("GET", ext_path), ("GET", dcra), ("DELETE", dcra),
                                                       ("GET", MY_WS), ("GET", DCR), ("DELETE", DCR)]
    assert prompts.confirmed == []          # no confirmation prompt, as the original

"""`az k8s-extension` for the partner extension types, in-process, with ARM answered by `responses`."""
import json

import responses

from tests.commands.conftest import ARM, SUB

EXT = "/providers/Microsoft.KubernetesConfiguration/extensions/"
API = "api-version=2025-03-01"
AKS = "/subscriptions/{}/resourceGroups/rg1/providers/Microsoft.ContainerService/managedClusters/aks".format(SUB)
ARC = "/subscriptions/{}/resourceGroups/rg1/providers/Microsoft.Kubernetes/connectedClusters/c1".format(SUB)
WS = "/subscriptions/{}/resourceGroups/mon/providers/Microsoft.OperationalInsights/workspaces/ws1".format(SUB)
SA = "/subscriptions/{}/resourceGroups/bk/providers/Microsoft.Storage/storageAccounts/sa1".format(SUB)
DP_SETTINGS = ("--configuration-settings blobContainer=c1 storageAccount=sa1 storageAccountResourceGroup=bk "
               "storageAccountSubscriptionId={}".format(SUB))


def ext_url(cluster, name):
    return ARM + cluster + EXT + name + "?" + API


def resource(cluster, name, ext_type, **props):
    properties = {"extensionType": ext_type, "autoUpgradeMinorVersion": False, "version": "1.6.0",
                  "releaseTrain": "stable", "provisioningState": "Succeeded", "configurationSettings": {},
                  "configurationProtectedSettings": {}, "statuses": []}
    properties.update(props)
    return {"id": cluster + EXT + name, "name": name, "type": "Microsoft.KubernetesConfiguration/extensions",
            "properties": properties}


def sent(arm):
    return [(c.request.method, c.request.url.split("?")[0][len(ARM):]) for c in arm.calls]


def test_dapr_on_aks_sends_no_identity_and_its_release_namespace(arm, run_az):
    arm.add(responses.PUT, ext_url(AKS, "dapr"), json=resource(AKS, "dapr", "microsoft.dapr"), status=200)
    res = run_az("k8s-extension create -g rg1 -c aks -t managedClusters -n dapr --extension-type Microsoft.Dapr "
                 "--configuration-settings skipExistingDaprCheck=true")
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.writes[0].body) == {"properties": {
        "extensionType": "microsoft.dapr", "releaseTrain": "stable",
        "scope": {"cluster": {"releaseNamespace": "dapr-system"}},
        "configurationSettings": {"skipExistingDaprCheck": "true", "global.clusterType": "managedclusters"},
        "configurationProtectedSettings": {}}}


def test_dapr_on_arc_has_no_identity_either(arm, run_az):
    arm.add(responses.PUT, ext_url(ARC, "dapr"), json=resource(ARC, "dapr", "microsoft.dapr"), status=200)
    res = run_az("k8s-extension create -g rg1 -c c1 -t connectedClusters -n dapr --extension-type microsoft.dapr "
                 "--configuration-settings skipExistingDaprCheck=true")
    assert res.exit_code == 0, res.stderr
    assert "identity" not in json.loads(res.writes[0].body)


def test_dapr_question_without_a_terminal_says_which_settings_answer_it(arm, run_az):
    res = run_az("k8s-extension create -g rg1 -c aks -t managedClusters -n dapr --extension-type microsoft.dapr")
    assert res.exit_code != 0
    assert "skipExistingDaprCheck=true" in res.stderr and "Traceback" not in res.stderr
    assert res.writes == []


def test_dapr_question_answered_at_the_terminal(arm, run_az):
    arm.add(responses.PUT, ext_url(AKS, "dapr-old"), json=resource(AKS, "dapr-old", "microsoft.dapr"), status=200)
    res = run_az("k8s-extension create -g rg1 -c aks -t managedClusters -n dapr --extension-type microsoft.dapr",
                 answers=["y", "dapr-old", "apps"])
    assert res.exit_code == 0, res.stderr
    body = json.loads(res.writes[0].body)["properties"]
    assert body["scope"] == {"cluster": {"releaseNamespace": "apps"}}
    assert body["configurationSettings"]["global.ha.enabled"] == "false"


def test_dapr_namespace_scope_is_one_line_naming_the_flag(arm, run_az):
    res = run_az("k8s-extension create -g rg1 -c aks -t managedClusters -n dapr --extension-type microsoft.dapr "
                 "--scope namespace --target-namespace x")
    assert res.exit_code == 1
    assert "--scope: Invalid scope 'namespace'. This extension can be installed only at 'cluster' scope." in res.stderr
    assert len(arm.calls) == 0


def test_dapr_update_adds_apply_crds(arm, run_az):
    arm.add(responses.GET, ext_url(AKS, "dapr"), json=resource(AKS, "dapr", "microsoft.dapr"))
    arm.add(responses.PATCH, ext_url(AKS, "dapr"), json=resource(AKS, "dapr", "microsoft.dapr"), status=200)
    res = run_az("k8s-extension update -g rg1 -c aks -t managedClusters -n dapr --version 1.5.0 "
                 "--auto-upgrade-mode none")
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.writes[0].body)["properties"]["configurationSettings"] == {"hooks.applyCrds": "false"}


def test_container_insights_dry_run_lists_every_side_call_and_writes_nothing(arm, run_az):
    arm.add(responses.GET, ARM + ARC, json={"location": "eastus"})
    arm.add(responses.GET, ARM + WS, json={"location": "westus2", "properties": {"customerId": "cid"}})
    arm.add(responses.GET, ARM + "/subscriptions/{}/locations".format(SUB), json={"value": []})
    arm.add(responses.GET, ARM + "/subscriptions/{}/resourceGroups/rg1/providers/Microsoft.Insights/"
            "dataCollectionRules/MSCI-westus2-c1".format(SUB), status=404, json={"error": {"code": "ResourceNotFound",
                                                                                     "message": "not found"}})
    res = run_az("k8s-extension create -g rg1 -c c1 -t connectedClusters -n ci --extension-type "
                 "microsoft.azuremonitor.containers --configuration-settings logAnalyticsWorkspaceResourceID={} "
                 "--dry-run".format(WS))
    assert res.exit_code == 0, res.stderr
    planned = json.loads(res.stdout)
    methods = [(p["method"], p["url"].split("?")[0].rsplit("/", 1)[-1]) for p in planned]
    assert methods == [("GET", "c1"), ("GET", "ws1"), ("GET", "locations"), ("GET", "MSCI-westus2-c1"),
                       ("PUT", "MSCI-westus2-c1"), ("PUT", "ContainerInsightsExtension"), ("GET", "ws1"),
                       ("PUT", "azuremonitor-containers")]
    assert planned[-1]["body"]["properties"]["configurationSettings"]["logAnalyticsWorkspaceResourceID"] == WS
    assert [c.request.method for c in arm.calls] == ["GET"] * 5     # reads only
    assert res.writes == []


def test_container_insights_bad_interval_is_rejected_before_any_request(arm, run_az):
    res = run_az(["k8s-extension", "create", "-g", "rg1", "-c", "c1", "-t", "connectedClusters", "-n", "ci",
                  "--extension-type", "microsoft.azuremonitor.containers", "--configuration-settings",
                  'dataCollectionSettings={"interval": "45m"}'])
    assert res.exit_code == 1
    assert "--configuration-settings dataCollectionSettings: interval value MUST be in the range from 1m to 30m" \
        in res.stderr
    assert len(arm.calls) == 0


def test_data_protection_location_mismatch_exits_non_zero_without_a_put(arm, run_az):
    arm.add(responses.GET, ARM + SA, json={"location": "westeurope", "properties": {}})
    arm.add(responses.GET, ARM + AKS, json={"location": "eastus"})
    res = run_az("k8s-extension create -g rg1 -c aks -t managedClusters -n backup --extension-type "
                 "microsoft.dataprotection.kubernetes " + DP_SETTINGS)
    assert res.exit_code != 0
    assert "are not in the same location" in res.stderr
    assert res.writes == []


def test_data_protection_on_arc_is_refused(arm, run_az):
    res = run_az("k8s-extension create -g rg1 -c c1 -t connectedClusters -n backup --extension-type "
                 "microsoft.dataprotection.kubernetes " + DP_SETTINGS)
    assert res.exit_code == 1
    assert "Invalid cluster type 'connectedClusters'. This extension can only be installed for managed clusters." \
        in res.stderr


def test_container_insights_delete_removes_its_rule_without_asking(arm, run_az):
    ext = resource(ARC, "azuremonitor-containers", "microsoft.azuremonitor.containers", configurationSettings={
        "amalogs.useAADAuth": "true", "logAnalyticsWorkspaceResourceID": WS})
    dcra = ARC + "/providers/Microsoft.Insights/dataCollectionRuleAssociations/ContainerInsightsExtension"
    dcr = "/subscriptions/{}/resourceGroups/rg1/providers/Microsoft.Insights/dataCollectionRules/" \
          "MSCI-westus2-c1".format(SUB)
    arm.add(responses.GET, ext_url(ARC, "azuremonitor-containers"), json=ext)
    arm.add(responses.GET, ARM + dcra, json={"id": dcra})
    arm.add(responses.DELETE, ARM + dcra, status=200)
    arm.add(responses.GET, ARM + WS, json={"location": "westus2"})
    arm.add(responses.GET, ARM + dcr, json={"properties": {}})
    arm.add(responses.DELETE, ARM + dcr, status=200)
    arm.add(responses.DELETE, ARM + ARC + EXT + "azuremonitor-containers", status=200)
    res = run_az("k8s-extension delete -g rg1 -c c1 -t connectedClusters -n azuremonitor-containers")
    assert res.exit_code == 0, res.stderr
    assert sent(arm) == [("GET", ARC + EXT + "azuremonitor-containers"), ("GET", ARC + EXT + "azuremonitor-containers"),
                         ("GET", dcra), ("DELETE", dcra), ("GET", WS), ("GET", dcr), ("DELETE", dcr),
                         ("DELETE", ARC + EXT + "azuremonitor-containers")]


def test_default_type_delete_still_asks(arm, run_az):
    arm.add(responses.GET, ext_url(ARC, "kv"), json=resource(ARC, "kv", "microsoft.azurekeyvaultsecretsprovider"))
    res = run_az("k8s-extension delete -g rg1 -c c1 -t connectedClusters -n kv")
    assert res.exit_code != 0
    assert "--yes" in res.stderr
    assert res.writes == []


def test_azureml_relay_key_never_shows_not_even_with_debug(arm, run_az):
    ns = "/subscriptions/{0}/resourceGroups/rg1/providers/Microsoft.Relay/namespaces/c1{1}rg1relay".format(
        SUB, SUB.replace("-", ""))
    hc = ns + "/hybridConnections/c1"
    rule = hc + "/authorizationRules/azureml_rw"
    secret = "Endpoint=sb://ns/;SharedAccessKeyName=azureml_rw;SharedAccessKey=S3CR3TKEY"
    arm.add(responses.GET, ARM + ARC, json={"location": "eastus", "properties": {"totalNodeCount": 3}})
    arm.add(responses.GET, ARM + hc, status=404, json={"error": {"code": "NotFound", "message": "no"}})
    for path in (ns, hc, rule):
        arm.add(responses.PUT, ARM + path, json={"id": path}, status=200)
    arm.add(responses.POST, ARM + rule + "/listKeys", json={"primaryConnectionString": secret,
                                                            "primaryKey": "S3CR3TKEY"})
    arm.add(responses.PUT, ext_url(ARC, "aml"), json=resource(ARC, "aml", "microsoft.azureml.kubernetes",
                                                               configurationProtectedSettings={
                                                                   "relayServerConnectionString": secret}))
    res = run_az("k8s-extension create -g rg1 -c c1 -t connectedClusters -n aml --extension-type "
                 "microsoft.azureml.kubernetes --configuration-settings enableTraining=true --debug")
    assert res.exit_code == 0, res.stderr
    put = json.loads(res.writes[-1].body)
    assert put["properties"]["configurationProtectedSettings"]["relayServerConnectionString"] == secret
    assert put["identity"] == {"type": "SystemAssigned"}
    assert "listKeys" in res.stderr and "REDACTED" in res.stderr      # the trace is there, without the key
    assert "S3CR3TKEY" not in res.stdout + res.stderr


def test_namespace_scope_without_target_namespace_gets_the_types_own_answer(arm, run_az):
    # The original lets the type's handler answer --scope namespace before asking for --target-namespace.
    res = run_az("k8s-extension create -g rg1 -c aks -t managedClusters -n osm "
                 "--extension-type microsoft.openservicemesh --scope namespace")
    assert res.exit_code == 1
    assert "Invalid scope 'namespace'.  This extension can be installed only at 'cluster' scope." in res.stderr
    assert "--target-namespace" not in res.stderr and len(arm.calls) == 0


def test_container_insights_with_namespace_scope_alone_is_installed_cluster_wide(arm, run_az):
    arm.add(responses.PUT, ext_url(AKS, "azuremonitor-containers"),
            json=resource(AKS, "azuremonitor-containers", "microsoft.azuremonitor.containers"), status=200)
    res = run_az("k8s-extension create -g rg1 -c aks -t managedClusters -n ci "
                 "--extension-type microsoft.azuremonitor.containers --scope namespace "
                 "--configuration-settings skipPrerequisites=true")
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.writes[0].body)["properties"]["scope"] == {
        "cluster": {"releaseNamespace": "azuremonitor-containers"}}


def test_generic_type_with_namespace_scope_still_needs_target_namespace(arm, run_az):
    res = run_az("k8s-extension create -g rg1 -c aks -t managedClusters -n x --extension-type contoso.widget "
                 "--scope namespace")
    assert res.exit_code == 1
    assert "--target-namespace must be given" in res.stderr and len(arm.calls) == 0

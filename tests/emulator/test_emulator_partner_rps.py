"""The emulator's side resources of the partner extension types (workspaces, DCR/DCRA, keys, storage)."""
from .emulator_harness import ARC, SUB

RG = "/subscriptions/{}/resourceGroups/flux-demo-rg".format(SUB)
WS = RG + "/providers/Microsoft.OperationalInsights/workspaces/ws1"
DCRA = ARC + "/providers/Microsoft.Insights/dataCollectionRuleAssociations/ContainerInsightsExtension"


def test_workspace_put_get_keys_and_delete(emulator):
    res = emulator.put(WS, {"location": "eastus", "properties": {"sku": {"name": "standalone"}}},
                       api="2015-11-01-preview")
    assert res.status_code == 201, res.text
    body = emulator.get(WS, api="2021-12-01-preview").json()
    assert body["type"] == "Microsoft.OperationalInsights/workspaces" and body["location"] == "eastus"
    customer = body["properties"]["customerId"]
    assert emulator.put(WS, {"location": "eastus"}, api="2015-11-01-preview").status_code == 200
    assert emulator.get(WS, api="2021-12-01-preview").json()["properties"]["customerId"] == customer
    keys = emulator.call("POST", WS + "/sharedKeys", api="2020-08-01").json()
    assert keys["primarySharedKey"] and keys["primarySharedKey"] != keys["secondarySharedKey"]
    assert emulator.delete(WS, api="2015-11-01-preview").status_code == 200
    res = emulator.get(WS, api="2015-11-01-preview")
    assert res.status_code == 404 and res.json()["error"]["code"] == "ResourceNotFound"
    assert emulator.call("POST", WS + "/sharedKeys", api="2020-08-01").status_code == 404


def test_missing_group_and_missing_parent_are_404(emulator):
    res = emulator.put(WS.replace("flux-demo-rg", "nope"), {"location": "eastus"}, api="2015-11-01-preview")
    assert res.status_code == 404 and res.json()["error"]["code"] == "ResourceGroupNotFound"
    hc = RG + "/providers/Microsoft.Relay/namespaces/ns1/hybridConnections/c1"
    res = emulator.put(hc, {"properties": {}}, api="2017-04-01")
    assert res.status_code == 404 and res.json()["error"]["code"] == "ParentResourceNotFound"
    res = emulator.put(DCRA.replace("flux-demo-arc", "ghost"), {"properties": {}}, api="2022-06-01")
    assert res.status_code == 404 and res.json()["error"]["code"] == "ParentResourceNotFound"


def test_association_below_a_cluster_is_listed_and_goes_with_the_cluster(emulator):
    res = emulator.put(DCRA, {"location": "eastus", "properties": {"dataCollectionRuleId": "x"}}, api="2022-06-01")
    assert res.status_code == 201, res.text
    assert res.json()["type"] == "Microsoft.Insights/dataCollectionRuleAssociations"
    listed = emulator.get(DCRA.rsplit("/", 1)[0], api="2022-06-01").json()["value"]
    assert [item["name"] for item in listed] == ["ContainerInsightsExtension"]
    assert emulator.delete(ARC, api="2024-01-01").status_code == 200
    assert emulator.get(DCRA, api="2022-06-01").status_code == 404


def test_relay_keys_storage_endpoints_monitor_provider_and_locations(emulator):
    ns = RG + "/providers/Microsoft.Relay/namespaces/ns1"
    rule = ns + "/hybridConnections/c1/authorizationRules/azureml_rw"
    for path in (ns, ns + "/hybridConnections/c1", rule):
        assert emulator.put(path, {"location": "eastus", "properties": {}}, api="2017-04-01").status_code == 201
    keys = emulator.call("POST", rule + "/listKeys", api="2017-04-01").json()
    assert keys["primaryConnectionString"].startswith("Endpoint=sb://ns1.servicebus.windows.net/;")
    sa = RG + "/providers/Microsoft.Storage/storageAccounts/sa1"
    emulator.put(sa, {"location": "westeurope", "kind": "StorageV2"}, api="2025-08-01")
    account = emulator.get(sa, api="2025-08-01").json()
    assert account["properties"]["primaryEndpoints"]["blob"] == "https://sa1.blob.core.windows.net/"
    monitor = emulator.get("/providers/Microsoft.Monitor", api="2022-01-01").json()
    assert monitor["resourceTypes"][0]["resourceType"] == "accounts"
    names = [loc["name"] for loc in emulator.get("/subscriptions/{}/locations".format(SUB), api="2019-11-01")
             .json()["value"]]
    assert "eastus" in names and "westeurope" in names

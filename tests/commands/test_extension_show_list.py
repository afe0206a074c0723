"""`az k8s-extension show` and `list`: output shape, paging, errors and tables."""
import json

import responses

ARM = "https://management.azure.com"
SUB = "00000000-0000-0000-0000-000000000000"
API = "api-version=2025-03-01"
CC = "/subscriptions/{}/resourceGroups/rg1/providers/Microsoft.Kubernetes/connectedClusters/c1".format(SUB)
COLLECTION = CC + "/providers/Microsoft.KubernetesConfiguration/extensions"
SHOW = "k8s-extension show -g rg1 -c c1 -t connectedClusters -n flux"
LIST = "k8s-extension list -g rg1 -c c1 -t connectedClusters"


def resource(name="flux", ext_type="microsoft.flux", plan=None, **props):
    properties = {"extensionType": ext_type, "autoUpgradeMinorVersion": True, "autoUpgradeMode": "compatible",
                  "releaseTrain": "Stable", "version": None, "currentVersion": "1.17.3",
                  "scope": {"cluster": {"releaseNamespace": "flux-system"}}, "provisioningState": "Succeeded",
                  "configurationSettings": {"multiTenancy.enforce": "false"},
                  "configurationProtectedSettings": {"token": ""}, "statuses": [], "aksAssignedIdentity": None,
                  "isSystemExtension": False, "extensionState": None,
                  "additionalDetails": {"docs": None, "releaseNotes": None, "troubleshootingGuide": None}}
    properties.update(props)
    body = {"id": COLLECTION + "/" + name, "name": name, "type": "Microsoft.KubernetesConfiguration/extensions",
            "identity": {"type": "SystemAssigned", "principalId": "p1"}, "properties": properties,
            "systemData": {"createdBy": None, "createdByType": None,
                           "createdAt": "2026-11-21T10:00:00.1234567+00:00", "lastModifiedBy": None,
                           "lastModifiedByType": None, "lastModifiedAt": "2026-11-21T10:05:00.1234567+00:00"}}
    if plan:
        body["plan"] = plan
    return body


def item_url(name="flux"):
    return ARM + COLLECTION + "/" + name + "?" + API


def test_show_prints_the_flattened_resource(arm, run_az):
    arm.add(responses.GET, item_url(), json=resource())
    res = run_az(SHOW)
    assert res.exit_code == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["name"] == "flux" and out["extensionType"] == "microsoft.flux"
    assert out["scope"] == {"cluster": {"releaseNamespace": "flux-system"}, "namespace": None}
    assert out["configurationProtectedSettings"] == {"token": ""}
    assert out["identity"] == {"principalId": "p1", "tenantId": None, "type": "SystemAssigned"}
    assert out["systemData"]["lastModifiedAt"] == "2026-11-21T10:05:00.1234567+00:00"
    # Fields the 2025-03-01 service adds are kept; nothing stays nested under `properties`.
    assert out["extensionState"] is None and "properties" not in out
    assert out["resourceGroup"] == "rg1"


def test_show_query_like_a_script(arm, run_az):
    arm.add(responses.GET, item_url(), json=resource())
    res = run_az(SHOW + " --query currentVersion -o tsv")
    assert res.exit_code == 0, res.stderr
    assert res.stdout.strip() == "1.17.3"


def test_show_missing_extension_exits_3_with_a_clear_message(arm, run_az):
    arm.add(responses.GET, item_url(), status=404, json={"error": {
        "code": "ResourceNotFound", "message": "Extension instance with name 'flux' not found.", "additionalInfo": []}})
    res = run_az(SHOW)
    assert res.exit_code == 3
    assert ("Extension 'flux' was not found on cluster Microsoft.Kubernetes/connectedClusters/c1 in resource "
            "group 'rg1'.") in res.stderr
    assert "Traceback" not in res.stderr


def test_show_missing_cluster_points_at_the_cluster(arm, run_az):
    arm.add(responses.GET, item_url(), status=404, json={"error": {
        "code": "ResourceNotFound", "message": "The Resource 'Microsoft.Kubernetes/connectedClusters/c1' under "
                                               "resource group 'rg1' was not found."}})
    res = run_az(SHOW)
    assert res.exit_code == 3
    assert "Verify that --cluster-type is correct" in res.stderr


def test_list_follows_next_link(arm, run_az):
    next_link = ARM + COLLECTION + "?" + API + "&$skipToken=page2"
    arm.add(responses.GET, ARM + COLLECTION + "?" + API,
            json={"value": [resource("flux")], "nextLink": next_link})
    arm.add(responses.GET, next_link, json={"value": [resource("dapr", "microsoft.dapr")], "nextLink": None})
    res = run_az(LIST)
    assert res.exit_code == 0, res.stderr
    out = json.loads(res.stdout)
    assert [e["name"] for e in out] == ["flux", "dapr"]
    assert all(e["resourceGroup"] == "rg1" for e in out)
    assert out[1]["extensionType"] == "microsoft.dapr"


def test_list_empty(arm, run_az):
    arm.add(responses.GET, ARM + COLLECTION + "?" + API, json={"value": [], "nextLink": None})
    res = run_az(LIST)
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.stdout) == []


def test_list_table_has_a_real_plan_publisher_column(arm, run_az):
    plan = {"name": "plan1", "publisher": "containous", "product": "offer1"}
    arm.add(responses.GET, ARM + COLLECTION + "?" + API, json={"value": [
        resource("flux", version="1.17.3"), resource("traefik", "traefiklabs.traefikproxy", plan=plan)]})
    res = run_az(LIST + " -o table")
    assert res.exit_code == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0].split() == ["Name", "ExtensionType", "Version", "ProvisioningState", "LastModifiedAt",
                                "Plan_name", "Plan_publisher", "Plan_product", "IsSystemExtension"]
    assert lines[2].split() == ["flux", "microsoft.flux", "1.17.3", "Succeeded", "2026-11-21T10:05:00.1234567+00:00",
                                "False"]
    assert lines[3].split() == ["traefik", "traefiklabs.traefikproxy", "Succeeded",
                                "2026-11-21T10:05:00.1234567+00:00", "plan1", "containous", "offer1", "False"]


def test_show_table(arm, run_az):
    arm.add(responses.GET, item_url(), json=resource())
    res = run_az(SHOW + " -o table")
    assert res.exit_code == 0, res.stderr
    assert res.stdout.splitlines()[2].split()[:3] == ["flux", "microsoft.flux", "Succeeded"]


def test_list_unknown_cluster_type_is_a_parser_error(arm, run_az):
    res = run_az("k8s-extension list -g rg1 -c c1 -t kubernetes")
    assert res.exit_code == 2
    assert "kubernetes" in res.stderr and "connectedClusters" in res.stderr
    assert [c for c in arm.calls if c.request.url.startswith(ARM)] == []


def test_protected_values_are_blanked_even_if_the_service_echoes_them(arm, run_az):
    arm.add(responses.GET, item_url(), json=resource(configurationProtectedSettings={"token": "L3AKED"}))
    res = run_az(SHOW)
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.stdout)["configurationProtectedSettings"] == {"token": ""}
    assert "L3AKED" not in res.stdout + res.stderr

"""Every partner extension type end to end: the real az with the wheel against the emulator, which answers
the side calls (cluster details, default workspaces, data collection rules, storage accounts, Relay)."""
import json

EXT_API = "2025-03-01"


def ext_path(emulator, cluster_args, name):
    group, cluster, kind = cluster_args[1], cluster_args[3], cluster_args[5]
    rp = {"managedClusters": "Microsoft.ContainerService", "connectedClusters": "Microsoft.Kubernetes"}[kind]
    return "subscriptions/{}/resourceGroups/{}/providers/{}/{}/{}/providers/Microsoft.KubernetesConfiguration/" \
           "extensions/{}".format(emulator.subscription_id, group, rp, kind, cluster, name)


def side_requests(emulator):
    """(method, last path segment) of the ARM requests since the last clear, the extension's own left out."""
    out = []
    for entry in emulator.requests():
        path = entry.get("path") or entry.get("url", "")
        if "/operations/" in path:
            continue
        out.append((entry["method"], path.split("?")[0].rstrip("/").rsplit("/", 1)[-1]))
    return out


def create(az, cluster_args, *args, check=True):
    return az.run("k8s-extension", "create", *cluster_args, *args, check=check)


def test_dapr_and_osm(az, emulator):
    aks = emulator.new_cluster("managedClusters")
    res = create(az, aks, "-n", "dapr", "--extension-type", "microsoft.dapr",
                 "--configuration-settings", "skipExistingDaprCheck=true")
    out = json.loads(res.stdout)
    assert out["scope"]["cluster"] == {"releaseNamespace": "dapr-system"}
    assert out["configurationSettings"]["global.clusterType"] == "managedclusters"
    assert out["identity"] is None

    arc = emulator.new_cluster("connectedClusters")
    emulator.clear_requests()
    create(az, arc, "-n", "osm", "--extension-type", "microsoft.openservicemesh", "--release-train", "staging")
    assert side_requests(emulator)[0] == ("GET", arc[3])       # the distribution check reads the cluster


def test_defender_then_container_insights_on_arc_and_its_delete(az, emulator):
    arc = emulator.new_cluster("connectedClusters")
    emulator.clear_requests()
    res = create(az, arc, "-n", "x", "--extension-type", "microsoft.azuredefender.kubernetes")
    out = json.loads(res.stdout)
    assert out["name"] == "microsoft.azuredefender.kubernetes"
    workspace = out["configurationSettings"]["logAnalyticsWorkspaceResourceID"]
    assert workspace.endswith("/DefaultResourceGroup-EUS/providers/Microsoft.OperationalInsights/workspaces/"
                              "DefaultWorkspace-{}-EUS".format(emulator.subscription_id))
    assert "sharedKeys" in [name for _, name in side_requests(emulator)]
    assert emulator.get(workspace, "2015-11-01-preview").status_code == 200

    res = create(az, arc, "-n", "ci", "--extension-type", "microsoft.azuremonitor.containers")
    out = json.loads(res.stdout)
    assert out["name"] == "azuremonitor-containers"
    assert out["configurationSettings"]["logAnalyticsWorkspaceResourceID"] == workspace
    dcr = "subscriptions/{}/resourceGroups/{}/providers/Microsoft.Insights/dataCollectionRules/MSCI-eastus-{}".format(
        emulator.subscription_id, arc[1], arc[3])
    assert emulator.get(dcr, "2022-06-01").status_code == 200

    az.run("k8s-extension", "delete", *arc, "-n", "azuremonitor-containers")      # no prompt, as the original
    assert emulator.get(dcr, "2022-06-01").status_code == 404


def test_azure_monitor_metrics_and_its_delete(az, emulator):
    arc = emulator.new_cluster("connectedClusters")
    res = create(az, arc, "-n", "m", "--extension-type", "microsoft.azuremonitor.containers.metrics")
    assert json.loads(res.stdout)["name"] == "azuremonitor-metrics"
    dcr = "subscriptions/{}/resourceGroups/{}/providers/Microsoft.Insights/dataCollectionRules/MSProm-eastus-{}" \
          .format(emulator.subscription_id, arc[1], arc[3])
    assert emulator.get(dcr, "2022-06-01").status_code == 200
    az.run("k8s-extension", "delete", *arc, "-n", "azuremonitor-metrics")
    assert emulator.get(dcr, "2022-06-01").status_code == 404


def test_azure_machine_learning_on_arc_creates_its_relay(az, emulator):
    arc = emulator.new_cluster("connectedClusters")
    res = create(az, arc, "-n", "aml", "--extension-type", "microsoft.azureml.kubernetes",
                 "--configuration-settings", "enableTraining=true")
    out = json.loads(res.stdout)
    assert out["scope"]["cluster"] == {"releaseNamespace": "azureml"}
    hc = out["configurationSettings"]["relayserver.hybridConnectionResourceID"]
    assert emulator.get(hc, "2017-04-01").status_code == 200
    assert set(out["configurationProtectedSettings"]) >= {"relayServerConnectionString"}
    assert "Endpoint=sb://" not in res.stdout + res.stderr          # the key is never shown


def test_data_protection_needs_a_storage_account_in_the_cluster_location(az, emulator):
    aks = emulator.new_cluster("managedClusters")
    sub = emulator.subscription_id
    for name, location in (("bkeast", "eastus"), ("bkwest", "westeurope")):
        res = emulator.put("subscriptions/{}/resourceGroups/{}/providers/Microsoft.Storage/storageAccounts/{}".format(
            sub, aks[1], name), {"location": location, "kind": "StorageV2", "sku": {"name": "Standard_LRS"}},
            "2025-08-01")
        assert res.status_code in (200, 201), res.text
    settings = ["--configuration-settings", "blobContainer=backups", "storageAccountResourceGroup=" + aks[1],
                "storageAccountSubscriptionId=" + sub]
    res = create(az, aks, "-n", "backup", "--extension-type", "microsoft.dataprotection.kubernetes",
                 *settings, "storageAccount=bkwest", check=False)
    assert res.returncode != 0 and "are not in the same location" in res.stderr
    assert emulator.get(ext_path(emulator, aks, "backup"), EXT_API).status_code == 404

    res = create(az, aks, "-n", "backup", "--extension-type", "microsoft.dataprotection.kubernetes",
                 *settings, "storageAccount=bkeast")
    out = json.loads(res.stdout)
    assert out["autoUpgradeMinorVersion"] is True
    assert out["configurationSettings"]["configuration.backupStorageLocation.config.storageAccountURI"] == \
        "https://bkeast.blob.core.windows.net/"

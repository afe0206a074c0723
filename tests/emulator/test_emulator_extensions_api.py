"""extensions and extensionTypes over HTTPS."""
import glob

from .emulator_harness import AKS, ARC, EXT_API, KC, SUB, ext_path

FLUX_EXT = {"properties": {"extensionType": "microsoft.flux", "scope": {"cluster": {}},
                           "configurationSettings": {"helm-controller.enabled": "true"},
                           "configurationProtectedSettings": {}},
            "identity": {"type": "SystemAssigned"}}


def test_create_fills_the_live_services_defaults(emulator):
    res = emulator.put(ext_path(), FLUX_EXT, api=EXT_API)
    assert res.status_code == 201 and "Azure-AsyncOperation" in res.headers
    body = res.json()
    props = body["properties"]
    assert body["type"] == "Microsoft.KubernetesConfiguration/extensions"
    assert props["autoUpgradeMinorVersion"] is True and props["autoUpgradeMode"] == "compatible"
    assert props["releaseTrain"] == "Stable" and "version" not in props and props["currentVersion"] is None
    assert props["scope"] == {"cluster": {"releaseNamespace": "flux-system"}}
    assert props["provisioningState"] == "Creating" and props["statuses"] == []
    assert "additionalDetails" not in props and "aksAssignedIdentity" not in props      # unset: absent, not null
    assert body["identity"]["type"] == "SystemAssigned" and body["identity"]["principalId"]
    assert emulator.wait(res)["status"] == "Succeeded"
    done = emulator.get(ext_path(), api=EXT_API).json()["properties"]
    assert done["provisioningState"] == "Succeeded" and done["currentVersion"] == "1.17.3"
    assert done["configurationSettings"] == {"helm-controller.enabled": "true"}


def test_cli_style_create_without_scope_gets_the_default_scope(emulator):
    res = emulator.put(ext_path(), {"properties": {"extensionType": "microsoft.flux", "autoUpgradeMinorVersion": True}},
                       api="2022-07-01")
    assert res.json()["properties"]["scope"] == {"cluster": {"releaseNamespace": "flux-system"}}


def test_protected_settings_come_back_as_blank_keys_and_are_not_stored(emulator):
    secret = "protected-value-0123456789"
    body = {"properties": {"extensionType": "microsoft.dapr", "configurationProtectedSettings": {"token": secret}}}
    res = emulator.put(ext_path("dapr"), body, api=EXT_API)
    assert res.json()["properties"]["configurationProtectedSettings"] == {"token": ""}
    emulator.wait(res)
    assert emulator.get(ext_path("dapr"), api=EXT_API).json()["properties"]["configurationProtectedSettings"] == \
        {"token": ""}
    for path in glob.glob(emulator.data_dir + "/state.sqlite*"):
        with open(path, "rb") as f:
            assert secret.encode() not in f.read()
    assert secret not in emulator.control("GET", "requests").text


def test_patch_merges_settings_and_null_removes_a_key(emulator):
    emulator.wait(emulator.put(ext_path(), FLUX_EXT, api=EXT_API))
    res = emulator.patch(ext_path(), {"properties": {"configurationSettings": {
        "helm-controller.enabled": None, "source-controller.log-level": "debug"},
        "configurationProtectedSettings": {"k": "v"}}}, api=EXT_API)
    assert res.status_code == 202 and res.json()["properties"]["provisioningState"] == "Updating"
    emulator.wait(res)
    props = emulator.get(ext_path(), api=EXT_API).json()["properties"]
    assert props["configurationSettings"] == {"source-controller.log-level": "debug"}
    assert props["configurationProtectedSettings"] == {"k": ""}
    # What `az k8s-extension update` sends with no options: nothing changes, 200 at once.
    same = emulator.patch(ext_path(), {"properties": {"configurationSettings": {},
                                                      "configurationProtectedSettings": {}}}, api=EXT_API)
    assert same.status_code == 200 and "Azure-AsyncOperation" not in same.headers


def test_version_pinning_rules(emulator):
    pinned = {"properties": {"extensionType": "microsoft.flux", "autoUpgradeMinorVersion": False,
                             "version": "1.16.3"}}
    res = emulator.put(ext_path(), pinned, api=EXT_API)
    assert res.status_code == 201 and res.json()["properties"]["autoUpgradeMode"] == "none"
    emulator.wait(res)
    assert emulator.get(ext_path(), api=EXT_API).json()["properties"]["currentVersion"] == "1.16.3"
    both = emulator.put(ext_path("x"), {"properties": {"extensionType": "microsoft.dapr", "version": "1.15.4"}},
                        api=EXT_API)
    assert both.status_code == 400
    assert both.json()["error"]["message"] == \
        "To pin to specific version, auto-upgrade-minor-version must be set to 'false'."
    unknown = emulator.put(ext_path("y"), {"properties": {"extensionType": "microsoft.dapr",
                                                          "autoUpgradeMinorVersion": False, "version": "9.9.9"}},
                           api=EXT_API)
    assert unknown.status_code == 400 and "9.9.9" in unknown.json()["error"]["message"]


def test_service_side_extension_validation(emulator):
    emulator.wait(emulator.put(ext_path(), FLUX_EXT, api=EXT_API))
    second = emulator.put(ext_path("flux2"), FLUX_EXT, api=EXT_API)
    assert second.status_code == 400 and "only one instance" in second.json()["error"]["message"]
    scope = emulator.put(ext_path(), dict(FLUX_EXT, properties=dict(FLUX_EXT["properties"], scope={
        "cluster": {"releaseNamespace": "elsewhere"}})), api=EXT_API)
    assert scope.status_code == 400 and "scope" in scope.json()["error"]["message"]
    ns_scope = emulator.put(ext_path("nsflux", AKS), {"properties": {
        "extensionType": "microsoft.flux", "scope": {"namespace": {"targetNamespace": "x"}}}}, api=EXT_API)
    assert ns_scope.status_code == 400 and "namespace scope" in ns_scope.json()["error"]["message"]
    bogus = emulator.put(ext_path("bogus"), {"properties": {"extensionType": "contoso.nothing"}}, api=EXT_API)
    assert bogus.status_code == 400 and bogus.json()["error"]["code"] == "ValidationFailed"
    missing = emulator.get(ext_path("nope"), api=EXT_API)
    assert missing.status_code == 404
    assert missing.json()["error"] == {"code": "ResourceNotFound",
                                       "message": "Extension instance with name 'nope' not found.",
                                       "additionalInfo": []}


def test_force_delete_answers_the_dotnet_wrapper(emulator):
    emulator.wait(emulator.put(ext_path(), FLUX_EXT, api=EXT_API))
    res = emulator.delete(ext_path(), api=EXT_API, params={"forceDelete": "true"})
    assert res.status_code == 200 and "Azure-AsyncOperation" not in res.headers
    assert res.json()["statusCode"] == 200 and res.json()["isSuccessStatusCode"] is True
    assert emulator.get(ARC + KC + "/extensions", api=EXT_API).json() == {"value": []}


def test_normal_delete_is_an_lro(emulator):
    emulator.wait(emulator.put(ext_path(), FLUX_EXT, api=EXT_API))
    res = emulator.delete(ext_path(), api=EXT_API, params={"forceDelete": "false"})
    assert res.status_code == 202
    assert emulator.wait(res)["status"] == "Succeeded"
    assert emulator.get(ext_path(), api=EXT_API).status_code == 404
    assert emulator.delete(ext_path(), api=EXT_API).status_code == 204


def test_failed_install_reports_statuses_and_the_operation_error(emulator):
    emulator.control("POST", "faults", json={"match": "/extensions/flux", "method": "PUT",
                                             "message": "The fleet notify operation failed."})
    res = emulator.put(ext_path(), FLUX_EXT, api=EXT_API)
    status = emulator.wait(res)
    assert status["status"] == "Failed"
    assert status["error"] == {"code": "ExtensionOperationFailed", "message": "The fleet notify operation failed."}
    props = emulator.get(ext_path(), api=EXT_API).json()["properties"]
    assert props["provisioningState"] == "Failed"
    assert props["statuses"][0]["code"] == "InstallationFailed"
    assert props["statuses"][0]["message"] == "The fleet notify operation failed."


def test_extension_types_by_location(emulator):
    base = "/subscriptions/{}/providers/Microsoft.KubernetesConfiguration/locations/eastus/extensionTypes".format(SUB)
    api = "2023-05-01-preview"
    names = [t["name"] for t in emulator.get(base, api=api).json()["value"]]
    assert "microsoft.flux" in names
    flux = emulator.get(base + "/microsoft.flux", api=api).json()
    assert flux["id"] == base + "/microsoft.flux"
    assert flux["properties"]["supportedScopes"] == {
        "defaultScope": "cluster",
        "clusterScopeSettings": {"allowMultipleInstances": False, "defaultReleaseNamespace": "flux-system"}}
    versions = emulator.get(base + "/microsoft.flux/versions", api=api, params={"showLatest": "false"}).json()
    assert [v["name"] for v in versions["value"]][:2] == ["1.17.3", "1.17.2"]
    latest = emulator.get(base + "/microsoft.flux/versions", api=api, params={"showLatest": "true"}).json()
    assert [v["properties"]["version"] for v in latest["value"]] == ["1.17.3"]
    one = emulator.get(base + "/microsoft.flux/versions/1.16.3", api=api).json()
    assert one["type"] == "Microsoft.KubernetesConfiguration/extensionTypes/versions"
    assert emulator.get(base + "/microsoft.flux/versions/0.0.1", api=api).status_code == 404
    assert emulator.get(base + "/contoso.none", api=api).status_code == 404
    modern = emulator.get(base + "/microsoft.flux", api="2024-11-01-preview").json()
    assert modern["properties"]["supportedScopes"]["clusterScopeSettings"]["properties"][
        "defaultReleaseNamespace"] == "flux-system"


def test_extension_types_by_cluster(emulator):
    api = "2023-05-01-preview"
    base = ARC + KC + "/extensionTypes"
    listed = emulator.get(base, api=api).json()["value"]
    assert all("connectedclusters" in t["properties"]["supportedClusterTypes"] for t in listed)
    assert emulator.get(base + "/microsoft.flux", api=api).json()["id"] == base + "/microsoft.flux"
    assert emulator.get(base + "/microsoft.flux/versions/1.17.3", api=api).status_code == 200
    gone = "/subscriptions/{}/resourceGroups/rg/providers/Microsoft.Kubernetes/connectedClusters/none{}" \
           "/extensionTypes".format(SUB, KC)
    assert emulator.get(gone, api=api).status_code == 404


def test_clusters_can_be_created_with_a_generic_put(emulator):
    path = "/subscriptions/{}/resourceGroups/new-rg/providers/Microsoft.Kubernetes/connectedClusters/new".format(SUB)
    assert emulator.get(path, api="2021-10-01").status_code == 404
    res = emulator.put(path, {"location": "westeurope"}, api="2021-10-01")
    assert res.status_code == 201 and res.json()["location"] == "westeurope"
    assert emulator.put(path, {"location": "westeurope"}, api="2021-10-01").status_code == 200
    assert emulator.put(path + KC + "/extensions/flux", FLUX_EXT, api=EXT_API).status_code == 201
    wrong_rp = path.replace("Microsoft.Kubernetes/connectedClusters", "Microsoft.Kubernetes/managedClusters")
    assert emulator.get(wrong_rp, api="2021-10-01").json()["error"]["code"] == "InvalidResourceType"
    assert emulator.get("/subscriptions/{}/resourceGroups/new-rg".format(SUB), api="2021-04-01").status_code == 200
    assert emulator.delete(path, api="2021-10-01").status_code == 200
    assert emulator.get(path + KC + "/extensions/flux", api=EXT_API).status_code == 404


def test_no_flux_v1_configurations(emulator):
    res = emulator.get(ARC + KC + "/sourceControlConfigurations", api="2022-03-01")
    assert res.json() == {"value": []}


def test_every_cluster_type_and_the_lower_case_hybrid_provider(make_emulator):
    emu = make_emulator(cluster=["rg/provisionedClusters/hybrid", "rg/fleets/hub", "rg/appliances/appl"])
    hybrid = "/subscriptions/{}/resourceGroups/rg/providers/microsoft.hybridcontainerservice/provisionedClusters/" \
             "hybrid".format(SUB)
    res = emu.put(hybrid + KC + "/extensions/flux", {"properties": {"extensionType": "microsoft.flux"}}, api=EXT_API)
    assert res.status_code == 201 and res.json()["id"].startswith(hybrid)
    fleet = "/subscriptions/{}/resourceGroups/rg/providers/Microsoft.ContainerService/fleets/hub".format(SUB)
    assert emu.put(fleet + KC + "/extensions/flux", {"properties": {"extensionType": "microsoft.flux"}},
                   api=EXT_API).status_code == 201
    appliance = "/subscriptions/{}/resourceGroups/rg/providers/Microsoft.ResourceConnector/appliances/appl".format(SUB)
    assert emu.get(appliance + KC + "/extensions", api=EXT_API).json() == {"value": []}
    assert emu.get(appliance, api="2022-10-27").json()["type"] == "Microsoft.ResourceConnector/appliances"

"""What-if: the changes a PUT or PATCH makes to what exists, with secrets never shown."""
from azext_fluxlite.flux import whatif


def _config(**props):
    base = {"scope": "cluster", "namespace": "cluster-config", "sourceKind": "GitRepository", "suspend": False,
            "gitRepository": {"url": "https://github.com/x/y", "timeoutInSeconds": 600, "syncIntervalInSeconds": 600,
                              "repositoryRef": {"branch": "main", "tag": None}, "httpsUser": None},
            "kustomizations": {
                "infra": {"name": "infra", "path": "./infrastructure", "dependsOn": [], "timeoutInSeconds": 600,
                          "syncIntervalInSeconds": 600, "retryIntervalInSeconds": None, "prune": True,
                          "force": False, "wait": True, "postBuild": None},
                "apps": {"name": "apps", "path": "./apps", "dependsOn": ["infra"], "timeoutInSeconds": 600,
                         "syncIntervalInSeconds": 600, "prune": True, "force": False, "wait": True}},
            "configurationProtectedSettings": {}, "statuses": [{"name": "x"}], "complianceState": "Compliant",
            "provisioningState": "Succeeded", "sourceSyncedCommitId": "main@sha1:1"}
    base.update(props)
    return {"name": "cfg", "properties": base}


def test_a_put_of_the_same_settings_without_defaults_is_no_change():
    request = {"properties": {"scope": "cluster", "namespace": "cluster-config", "sourceKind": "GitRepository",
                              "suspend": False, "gitRepository": {"url": "https://github.com/x/y",
                                                                  "repositoryRef": {"branch": "main"}},
                              "kustomizations": {"infra": {"path": "./infrastructure", "prune": True},
                                                 "apps": {"path": "./apps", "prune": True, "dependsOn": ["infra"]}}}}
    assert whatif.flux_put_changes(_config(), request) == []
    assert whatif.render([], "x") == ["What-if for x:", "  no change"]


def test_a_put_that_leaves_out_a_kustomization_removes_it_and_shows_changed_values():
    request = {"properties": {"scope": "cluster", "namespace": "cluster-config", "sourceKind": "GitRepository",
                              "gitRepository": {"url": "https://github.com/x/y", "repositoryRef": {"branch": "dev"}},
                              "kustomizations": {"infra": {"path": "./infrastructure", "prune": False}}}}
    changes = whatif.flux_put_changes(_config(), request)
    assert ("~", "gitRepository.repositoryRef.branch", "main", "dev") in changes
    assert ("~", "kustomizations.infra.prune", True, False) in changes
    removed = [c for c in changes if c[0] == "-"]
    assert [c[1] for c in removed] == ["kustomizations.apps"]
    assert removed[0][2]["path"] == "./apps"
    lines = whatif.render(changes, "flux configuration 'cfg'")
    assert '  ~ gitRepository.repositoryRef.branch: "main" => "dev"' in lines
    assert lines[-1] == "  0 to add, 2 to change, 1 to remove"


def test_a_patch_merges_and_null_deletes():
    patch = {"properties": {"suspend": True, "kustomizations": {"apps": None, "web": {"path": "./web"}}}}
    changes = whatif.flux_patch_changes(_config(), patch)
    assert ("~", "suspend", False, True) in changes
    assert [c[:2] for c in changes if c[0] == "-"] == [("-", "kustomizations.apps")]
    added = [c for c in changes if c[0] == "+"]
    assert added[0][1] == "kustomizations.web" and added[0][3]["path"] == "./web"


def test_secrets_are_never_shown():
    patch = {"properties": {"configurationProtectedSettings": {"httpsKey": "c2VjcmV0LXRva2Vu"},
                            "gitRepository": {"httpsUser": "git"}}}
    changes = whatif.flux_patch_changes(_config(), patch)
    text = "\n".join(whatif.render(changes, "cfg"))
    assert "c2VjcmV0LXRva2Vu" not in text
    assert '  + configurationProtectedSettings.httpsKey: (secret)' in text
    # A secret the service already holds (it answers its key with a blank value) is "set again".
    current = _config(configurationProtectedSettings={"httpsKey": ""})
    text = "\n".join(whatif.render(whatif.flux_patch_changes(current, patch), "cfg"))
    assert "~ configurationProtectedSettings.httpsKey: (secret) (set again" in text
    # A PUT without it removes it.
    put = {"properties": {"gitRepository": {"url": "https://github.com/x/y"}}}
    removed = [c for c in whatif.flux_put_changes(current, put) if c[1].startswith("configurationProtected")]
    assert removed == [("-", "configurationProtectedSettings.httpsKey", "(secret)", None)]


def test_source_secrets_inside_blocks_are_hidden():
    current = _config(sourceKind="AzureBlob", gitRepository=None,
                      azureBlob={"url": "https://s.blob.core.windows.net", "containerName": "c"})
    patch = {"properties": {"azureBlob": {"accountKey": "QUNDT1VOVEtFWQ==", "containerName": "d"}}}
    text = "\n".join(whatif.render(whatif.flux_patch_changes(current, patch), "cfg"))
    assert "QUNDT1VOVEtFWQ" not in text
    assert "+ azureBlob.accountKey: (secret)" in text
    assert '~ azureBlob.containerName: "c" => "d"' in text


def test_extension_patch_changes_settings_and_version():
    current = {"properties": {"extensionType": "microsoft.flux", "autoUpgradeMinorVersion": True,
                              "releaseTrain": "Stable", "version": None, "provisioningState": "Succeeded",
                              "configurationSettings": {"helm-controller.enabled": "true"},
                              "configurationProtectedSettings": {"token": ""}, "statuses": []}}
    patch = {"properties": {"autoUpgradeMinorVersion": False, "version": "1.2.3",
                            "configurationSettings": {"helm-controller.enabled": "false", "new": "1"},
                            "configurationProtectedSettings": {"token": "s3cr3t-value"}}}
    changes = whatif.extension_patch_changes(current, patch)
    text = "\n".join(whatif.render(changes, "extension 'flux'"))
    assert "s3cr3t-value" not in text
    assert "~ autoUpgradeMinorVersion: true => false" in text
    assert '+ version: "1.2.3"' in text
    assert '~ configurationSettings.helm-controller.enabled: "true" => "false"' in text
    assert '+ configurationSettings.new: "1"' in text
    assert "provisioningState" not in text

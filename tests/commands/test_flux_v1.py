"""The deprecated Flux v1 commands `az k8s-configuration list|show|delete`, and the Flux v1 check before
microsoft.flux is installed."""
import json

import responses

from .conftest import ARM, config_path, lro
from .fakes import EXT_API, add_json, async_headers, op_url, url

CLUSTER = "-g rg1 -c c1 -t connectedClusters"
SCC_API = "api-version=2022-03-01"
DEPRECATED = "This command has been deprecated and will be removed in a future release. Use 'k8s-configuration flux {}' instead."


def scc(name="old-config", **cluster):
    return {"id": config_path("sourceControlConfigurations", name, **cluster), "name": name,
            "type": "Microsoft.KubernetesConfiguration/sourceControlConfigurations",
            "properties": {"repositoryUrl": "git@github.com:org/legacy.git", "operatorNamespace": "flux-legacy",
                           "operatorInstanceName": "legacy-operator", "operatorType": "Flux",
                           "operatorParams": "--git-readonly", "operatorScope": "namespace",
                           "configurationProtectedSettings": {"sshPrivateKey": "c2VjcmV0"},
                           "enableHelmOperator": False, "provisioningState": "Succeeded",
                           "complianceStatus": {"complianceState": "Installed", "messageLevel": "Information"}}}


def test_list_prints_the_original_table_with_a_deprecation_warning(run_az, arm):
    add_json(arm, responses.GET, url("sourceControlConfigurations", query=SCC_API),
             {"value": [scc()], "nextLink": ARM + config_path("sourceControlConfigurations") + "?" + SCC_API + "&page=2"})
    add_json(arm, responses.GET, ARM + config_path("sourceControlConfigurations") + "?" + SCC_API + "&page=2",
             {"value": [scc("second")]})
    res = run_az("k8s-configuration list " + CLUSTER + " -o table")
    assert res.exit_code == 0, res.stderr
    assert DEPRECATED.format("list") in res.stderr
    lines = res.stdout.splitlines()
    assert lines[0].split() == ["Name", "RepositoryUrl", "OperatorName", "OperatorNamespace", "Scope",
                                "ProvisioningState"]
    assert lines[2].split() == ["old-config", "git@github.com:org/legacy.git", "legacy-operator", "flux-legacy",
                                "namespace", "Succeeded"]
    assert lines[3].split()[0] == "second"


def test_show_prints_the_flattened_model_without_secrets(run_az, arm):
    add_json(arm, responses.GET, url("sourceControlConfigurations", "old-config", query=SCC_API), scc())
    res = run_az("k8s-configuration show " + CLUSTER + " -n old-config")
    assert res.exit_code == 0, res.stderr
    assert DEPRECATED.format("show") in res.stderr
    data = json.loads(res.stdout)
    assert data["repositoryUrl"] == "git@github.com:org/legacy.git" and "properties" not in data
    assert data["configurationProtectedSettings"] == {"sshPrivateKey": ""}
    assert data["complianceStatus"]["complianceState"] == "Installed"
    assert data["helmOperatorProperties"] is None and data["sshKnownHostsContents"] is None
    assert "c2VjcmV0" not in res.output


def test_show_of_a_missing_configuration_is_exit_3_with_the_originals_hint(run_az, arm):
    add_json(arm, responses.GET, url("sourceControlConfigurations", "gone", query=SCC_API),
             {"error": {"code": "ResourceNotFound", "message": "SourceControlConfiguration with name 'gone' not found.",
                        "additionalInfo": []}}, status=404)
    res = run_az("k8s-configuration show " + CLUSTER + " -n gone")
    assert res.exit_code == 3
    assert ("(ResourceNotFound) SourceControlConfiguration with name 'gone' not found. Verify that the cluster-type "
            "is correct and the resource exists.") in res.stderr


def test_delete_asks_first_and_without_a_terminal_says_to_use_yes(run_az, arm):
    res = run_az("k8s-configuration delete " + CLUSTER + " -n old-config")
    assert res.exit_code != 0
    assert "--yes" in res.stderr
    assert res.writes == []


def test_delete_with_yes_follows_the_operation(run_az, arm):
    op = ARM + config_path("sourceControlConfigurations", "old-config") + "/operations/op1?" + SCC_API
    add_json(arm, responses.DELETE, url("sourceControlConfigurations", "old-config", query=SCC_API), None,
             status=202, headers=async_headers(op))
    lro(arm, op, ["Deleting", "Succeeded"])
    res = run_az("k8s-configuration delete " + CLUSTER + " -n old-config --yes")
    assert res.exit_code == 0, res.stderr
    assert DEPRECATED.format("delete") in res.stderr
    assert [(w.method, w.url) for w in res.writes] == [
        ("DELETE", url("sourceControlConfigurations", "old-config", query=SCC_API))]
    assert sum(1 for c in arm.calls if c.request.url == op) == 2          # polled until Succeeded


def test_delete_honours_disable_confirm_prompt(run_az, arm, monkeypatch):
    add_json(arm, responses.DELETE, url("sourceControlConfigurations", "old-config", query=SCC_API), None, status=204)
    monkeypatch.setenv("AZURE_CORE_DISABLE_CONFIRM_PROMPT", "true")
    res = run_az("k8s-configuration delete " + CLUSTER + " -n old-config")
    assert res.exit_code == 0, res.stderr
    assert [w.method for w in res.writes] == ["DELETE"]


def test_provisioned_clusters_need_no_cluster_rp(run_az, arm):
    prov = dict(rp="microsoft.hybridcontainerservice", ctype="provisionedClusters")
    add_json(arm, responses.GET, url("sourceControlConfigurations", query=SCC_API, **prov), {"value": []})
    res = run_az("k8s-configuration list -g rg1 -c c1 -t provisionedClusters")
    assert res.exit_code == 0, res.stderr
    assert res.result == []


def test_flux_create_that_would_install_the_extension_stops_on_flux_v1_configurations(run_az, arm):
    add_json(arm, responses.GET, url("extensions", query=EXT_API), {"value": []})
    add_json(arm, responses.GET, url("sourceControlConfigurations", query=SCC_API), {"value": [scc()]})
    res = run_az("k8s-configuration flux create " + CLUSTER + " -n cfg -u https://github.com/x/y --branch main "
                 "-k name=apps path=./apps")
    assert res.exit_code != 0
    assert "Error! Flux v1 configurations already exist on the cluster" in res.stderr
    assert "Try removing all Flux v1 configurations from the cluster" in res.stderr
    assert res.writes == []


def test_flux_create_on_a_cluster_with_the_extension_makes_no_flux_v1_request(run_az, arm):
    from .fakes import extension_resource, flux_resource
    add_json(arm, responses.GET, url("extensions", query=EXT_API), {"value": [extension_resource()]})
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"),
             {"error": {"code": "ResourceNotFound", "message": "not found"}}, status=404)
    op = op_url("fluxConfigurations", "cfg")
    add_json(arm, responses.PUT, url("fluxConfigurations", "cfg"), flux_resource(provisioning="Creating"),
             status=201, headers=async_headers(op))
    lro(arm, op, ["Succeeded"])
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"), flux_resource())
    res = run_az("k8s-configuration flux create " + CLUSTER + " -n cfg -u https://github.com/x/y --branch main "
                 "-k name=apps path=./apps")
    assert res.exit_code == 0, res.stderr
    assert not any("sourceControlConfigurations" in c.request.url for c in arm.calls)

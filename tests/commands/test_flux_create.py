"""`az k8s-configuration flux create`: the requests it sends and what the user sees."""
import responses

from .conftest import ARM, lro
from .fakes import (EXT_API, add_json, async_headers, extension_resource, flux_resource, json_body, no_flux_v1, op_url,
                    url)

CLUSTER = "-g rg1 -c c1 -t connectedClusters"
TUTORIAL = ("k8s-configuration flux create " + CLUSTER + " -n cfg --namespace cluster-config --scope cluster "
            "-u https://github.com/Azure/gitops-flux2-kustomize-helm-mt --branch main "
            "--kustomization name=infra path=./infrastructure prune=true "
            "--kustomization name=apps path=./apps/staging prune=true dependsOn=[\"infra\"]")


def _existing_flux_extension(arm, state="Succeeded"):
    add_json(arm, responses.GET, url("extensions", query=EXT_API), {"value": [extension_resource(provisioning=state)]})


def _flux_put_lro(arm, final=None, statuses=("Creating", "Succeeded")):
    op = op_url("fluxConfigurations", "cfg")
    # Before the PUT, create asks whether the configuration exists (to warn what a re-PUT replaces): not yet.
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"),
             {"error": {"code": "ResourceNotFound", "message": "not found"}}, status=404)
    add_json(arm, responses.PUT, url("fluxConfigurations", "cfg"), flux_resource(provisioning="Creating"),
             status=201, headers=async_headers(op))
    lro(arm, op, list(statuses))
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"), final or flux_resource())


def test_tutorial_create_sends_the_originals_put_body_and_prints_the_configuration(run_az, arm):
    _existing_flux_extension(arm)
    _flux_put_lro(arm)
    res = run_az(TUTORIAL)
    assert res.exit_code == 0, res.stderr
    assert len(res.writes) == 1
    put = res.writes[0]
    assert put.method == "PUT"
    assert put.url == url("fluxConfigurations", "cfg")
    assert json_body(put) == {"properties": {
        "scope": "cluster", "namespace": "cluster-config", "sourceKind": "GitRepository", "suspend": False,
        "gitRepository": {"url": "https://github.com/Azure/gitops-flux2-kustomize-helm-mt",
                          "repositoryRef": {"branch": "main"}},
        "kustomizations": {"infra": {"path": "./infrastructure", "prune": True},
                           "apps": {"path": "./apps/staging", "prune": True, "dependsOn": ["infra"]}}}}
    assert res.result["complianceState"] == "Compliant"
    assert res.result["provisioningState"] == "Succeeded"
    # The originals' flattened output shape: properties at the top level, every attribute present.
    assert res.result["kustomizations"]["infra"]["retryIntervalInSeconds"] is None
    assert "httpsCaCert" in res.result["gitRepository"]
    assert "properties" not in res.result


def test_create_makes_no_call_the_result_does_not_need_and_fetches_one_token(run_az, arm, credential):
    _existing_flux_extension(arm)
    _flux_put_lro(arm)
    assert run_az(TUTORIAL).exit_code == 0
    paths = [(c.request.method, c.request.url.split("?")[0].replace(ARM, "")) for c in arm.calls]
    assert not any(p.endswith("/providers/Microsoft.KubernetesConfiguration") for _, p in paths)
    assert not any("sourceControlConfigurations" in p for _, p in paths)
    # list extensions, does it exist (404), PUT, two polls, final GET
    assert [m for m, _ in paths] == ["GET", "GET", "PUT", "GET", "GET", "GET"]
    assert paths[1][1].endswith("/fluxConfigurations/cfg")
    assert credential.calls == 1


def test_prune_false_and_force_false_are_sent_as_false(run_az, arm):
    _existing_flux_extension(arm)
    _flux_put_lro(arm)
    res = run_az("k8s-configuration flux create " + CLUSTER + " -n cfg -u https://github.com/x/y --branch main "
                 "-k name=a path=./a prune=false force=False disable_health_check=true")
    assert res.exit_code == 0, res.stderr
    assert json_body(res.writes[0])["properties"]["kustomizations"] == {
        "a": {"path": "./a", "prune": False, "force": False, "wait": False}}


def test_without_kustomization_the_default_one_is_sent_with_a_warning(run_az, arm):
    _existing_flux_extension(arm)
    _flux_put_lro(arm)
    res = run_az("k8s-configuration flux create " + CLUSTER + " -n cfg -u https://github.com/x/y --branch main")
    assert res.exit_code == 0, res.stderr
    assert "kustomization-1" in res.stderr
    assert json_body(res.writes[0])["properties"]["kustomizations"] == {"kustomization-1": {
        "path": "", "timeoutInSeconds": 600, "syncIntervalInSeconds": 600, "prune": False, "force": False,
        "wait": True}}


def test_flux_extension_is_installed_first_when_the_cluster_has_none(run_az, arm):
    add_json(arm, responses.GET, url("extensions", query=EXT_API), {"value": []})
    no_flux_v1(arm)
    ext_op = ARM + "/ext-op?api-version=2025-03-01"
    add_json(arm, responses.PUT, url("extensions", "flux", query=EXT_API),
             extension_resource(provisioning="Creating"), status=201, headers=async_headers(ext_op))
    lro(arm, ext_op, ["Creating", "Succeeded"])
    add_json(arm, responses.GET, url("extensions", "flux", query=EXT_API), extension_resource())
    _flux_put_lro(arm)
    res = run_az(TUTORIAL)
    assert res.exit_code == 0, res.stderr
    assert [w.method for w in res.writes] == ["PUT", "PUT"]
    assert res.writes[0].url == url("extensions", "flux", query=EXT_API)
    assert json_body(res.writes[0]) == {"identity": {"type": "SystemAssigned"},
                                        "properties": {"extensionType": "microsoft.flux",
                                                       "autoUpgradeMinorVersion": True}}
    assert "installing it now" in res.stderr


def test_managed_clusters_get_the_extension_without_identity(run_az, arm):
    aks = dict(rp="Microsoft.ContainerService", ctype="managedClusters")
    add_json(arm, responses.GET, url("extensions", query=EXT_API, **aks), {"value": []})
    no_flux_v1(arm, **aks)
    add_json(arm, responses.PUT, url("extensions", "flux", query=EXT_API, **aks), extension_resource(**aks))
    add_json(arm, responses.PUT, url("fluxConfigurations", "cfg", **aks), flux_resource(**aks))
    res = run_az("k8s-configuration flux create -g rg1 -c c1 -t managedClusters -n cfg -u https://github.com/x/y "
                 "--branch main -k name=a path=./a")
    assert res.exit_code == 0, res.stderr
    assert json_body(res.writes[0]) == {"properties": {"extensionType": "microsoft.flux",
                                                       "autoUpgradeMinorVersion": True}}


def test_extension_still_installing_stops_before_any_write(run_az, arm):
    _existing_flux_extension(arm, state="Creating")
    res = run_az(TUTORIAL)
    assert res.exit_code != 0
    assert "currently installing" in res.stderr
    assert res.writes == []


def test_failed_extension_stops_before_any_write(run_az, arm):
    _existing_flux_extension(arm, state="Failed")
    res = run_az(TUTORIAL)
    assert res.exit_code != 0
    assert "not in a succeeded state" in res.stderr and "Traceback" not in res.stderr
    assert res.writes == []


def test_no_wait_sends_the_put_and_prints_nothing(run_az, arm):
    _existing_flux_extension(arm)
    op = op_url("fluxConfigurations", "cfg")
    add_json(arm, responses.PUT, url("fluxConfigurations", "cfg"), flux_resource(provisioning="Creating"),
             status=201, headers=async_headers(op))
    res = run_az(TUTORIAL + " --no-wait")
    assert res.exit_code == 0, res.stderr
    assert res.result is None and res.stdout.strip() == ""
    assert not any(op.split("?")[0] in c.request.url for c in arm.calls)


def test_a_failed_operation_is_a_readable_error(run_az, arm):
    _existing_flux_extension(arm)
    _flux_put_lro(arm, statuses=("Creating", "Failed"))
    res = run_az(TUTORIAL)
    assert res.exit_code != 0
    assert "the operation failed" in res.stderr
    assert "Traceback" not in res.stderr


def test_a_missing_cluster_says_to_check_the_cluster_type(run_az, arm):
    add_json(arm, responses.GET, url("extensions", query=EXT_API),
             {"error": {"code": "ResourceNotFound", "message": "The Resource 'Microsoft.Kubernetes/connectedClusters/c1' "
                        "under resource group 'rg1' was not found."}}, status=404)
    res = run_az(TUTORIAL)
    assert res.exit_code != 0
    assert "--cluster-type" in res.stderr and "c1" in res.stderr
    assert res.writes == []


def test_unregistered_provider_that_cannot_be_auto_registered_says_how_to_register(run_az, arm):
    # The SDK tries to register the provider itself; here the caller may not, so it gets 403.
    arm.add(responses.POST, ARM + "/subscriptions/00000000-0000-0000-0000-000000000000/providers/"
            "Microsoft.KubernetesConfiguration/register", status=403,
            json={"error": {"code": "AuthorizationFailed", "message": "no"}})
    add_json(arm, responses.GET, url("extensions", query=EXT_API),
             {"error": {"code": "MissingSubscriptionRegistration",
                        "message": "The subscription is not registered to use namespace "
                                   "'Microsoft.KubernetesConfiguration'."}}, status=409)
    res = run_az(TUTORIAL)
    assert res.exit_code != 0
    assert "az provider register --namespace Microsoft.KubernetesConfiguration" in res.stderr


def test_create_without_kustomizations_warns_once(run_az, arm):
    _existing_flux_extension(arm)
    _flux_put_lro(arm)
    res = run_az("k8s-configuration flux create " + CLUSTER + " -n cfg -u https://github.com/x/y --branch main")
    assert res.exit_code == 0, res.stderr
    assert res.stderr.count("No kustomizations were specified for this configuration.") == 1
    assert list(json_body(res.writes[0])["properties"]["kustomizations"]) == ["kustomization-1"]

"""`az k8s-extension create` end to end in-process, with ARM answered by `responses`."""
import json

import pytest
import responses

ARM = "https://management.azure.com"
SUB = "00000000-0000-0000-0000-000000000000"
API = "api-version=2025-03-01"
CC = "/subscriptions/{}/resourceGroups/rg1/providers/Microsoft.Kubernetes/connectedClusters/c1".format(SUB)
FLEET = "/subscriptions/{}/resourceGroups/rg1/providers/Microsoft.ContainerService/fleets/hub".format(SUB)
AKS = "/subscriptions/{}/resourceGroups/rg1/providers/Microsoft.ContainerService/managedClusters/aks".format(SUB)
EXT = "/providers/Microsoft.KubernetesConfiguration/extensions/"
CREATE = "k8s-extension create -g rg1 -c c1 -t connectedClusters -n flux --extension-type microsoft.flux "


def resource(cluster=CC, name="flux", state="Succeeded", **props):
    properties = {"extensionType": "microsoft.flux", "autoUpgradeMinorVersion": True, "autoUpgradeMode": "compatible",
                  "releaseTrain": "Stable", "version": None, "currentVersion": "1.17.3",
                  "scope": {"cluster": {"releaseNamespace": "flux-system"}}, "provisioningState": state,
                  "configurationSettings": {}, "configurationProtectedSettings": {}, "statuses": [],
                  "aksAssignedIdentity": None, "isSystemExtension": False}
    properties.update(props)
    return {"id": cluster + EXT + name, "name": name, "type": "Microsoft.KubernetesConfiguration/extensions",
            "identity": {"type": "SystemAssigned", "principalId": "p1"}, "properties": properties,
            "systemData": {"createdAt": "2026-11-21T10:00:00.1234567+00:00",
                           "lastModifiedAt": "2026-11-21T10:01:00.1234567+00:00"}}


def url(cluster=CC, name="flux"):
    return ARM + cluster + EXT + name + "?" + API


def op_url(cluster=CC, name="flux"):
    return ARM + cluster + EXT + name + "/operations/op1?" + API


def add_statuses(mock, address, statuses, error=None):
    answers = list(statuses)

    def answer(_request):
        status = answers.pop(0) if len(answers) > 1 else answers[0]
        body = {"id": address.split("?")[0][len(ARM):], "name": "op1", "status": status}
        if status == "Failed":
            body["error"] = error
        return 200, {}, json.dumps(body)

    mock.add_callback(responses.GET, address, callback=answer)


def requests_of(mock):
    """The ARM requests seen (az itself may also probe other hosts, e.g. for its upgrade check)."""
    return [(c.request.method, c.request.url) for c in mock.calls if c.request.url.startswith(ARM)]


def test_create_polls_the_operation_then_prints_the_final_resource(arm, run_az):
    arm.add(responses.PUT, url(), json=resource(state="Creating", currentVersion=None), status=201,
            headers={"Azure-AsyncOperation": op_url()})
    add_statuses(arm, op_url(), ["Creating", "Succeeded"])
    arm.add(responses.GET, url(), json=resource())

    res = run_az(CREATE + "--config image-automation-controller.enabled=true image-reflector-controller.enabled=true")

    assert res.exit_code == 0, res.stderr
    # No provider-registration GET and no parent-cluster GET: PUT, polls, final GET only.
    assert requests_of(arm) == [("PUT", url()), ("GET", op_url()), ("GET", op_url()), ("GET", url())]
    assert json.loads(res.writes[0].body) == {
        "properties": {"extensionType": "microsoft.flux",
                       "configurationSettings": {"image-automation-controller.enabled": "true",
                                                 "image-reflector-controller.enabled": "true"},
                       "configurationProtectedSettings": {}},
        "identity": {"type": "SystemAssigned"}}
    out = json.loads(res.stdout)
    assert out["provisioningState"] == "Succeeded" and out["currentVersion"] == "1.17.3"
    assert out["resourceGroup"] == "rg1" and out["name"] == "flux" and out["extensionType"] == "microsoft.flux"
    assert out["plan"] is None and out["errorInfo"] is None  # every field of the original's output is present
    assert "properties" not in out


def test_recorded_dapr_command_with_no_wait(arm, run_az):
    arm.add(responses.PUT, url(AKS, "dapr"), json=resource(AKS, "dapr", state="Creating"), status=201,
            headers={"Azure-AsyncOperation": op_url(AKS, "dapr")})
    res = run_az("k8s-extension create -g rg1 -n dapr -c aks --cluster-type managedClusters "
                 "--extension-type microsoft.dapr --release-train stable --version 1.6.0 "
                 "--configuration-settings skipExistingDaprCheck=true --no-wait --auto-upgrade false "
                 "--scope cluster --release-namespace dapr-system")
    assert res.exit_code == 0, res.stderr
    assert res.stdout == ""
    assert requests_of(arm) == [("PUT", url(AKS, "dapr"))]
    assert json.loads(res.writes[0].body) == {"properties": {
        "extensionType": "microsoft.dapr", "autoUpgradeMinorVersion": False, "releaseTrain": "stable",
        "version": "1.6.0", "scope": {"cluster": {"releaseNamespace": "dapr-system"}},
        # on AKS the original adds global.clusterType (partners reference, Dapr create)
        "configurationSettings": {"skipExistingDaprCheck": "true", "global.clusterType": "managedclusters"},
        "configurationProtectedSettings": {}}}
    assert "'--auto-upgrade-minor-version' has been deprecated" in res.stderr


def test_recorded_fleet_command(arm, run_az):
    arm.add(responses.PUT, url(FLEET, "cli-test-flux"), json=resource(FLEET, "cli-test-flux", state="Creating"),
            status=201, headers={"Azure-AsyncOperation": op_url(FLEET, "cli-test-flux")})
    res = run_az("k8s-extension create -g rg1 -n cli-test-flux -c hub --cluster-type fleets "
                 "--extension-type Microsoft.Flux --scope cluster --no-wait")
    assert res.exit_code == 0, res.stderr
    assert res.writes[0].url == url(FLEET, "cli-test-flux")
    assert json.loads(res.writes[0].body) == {
        "properties": {"extensionType": "microsoft.flux", "scope": {"cluster": {}}, "configurationSettings": {},
                       "configurationProtectedSettings": {}},
        "identity": {"type": "SystemAssigned"}}


def test_cluster_type_is_case_insensitive_and_canonical_in_the_url(arm, run_az):
    arm.add(responses.PUT, url(), json=resource(), status=200)
    res = run_az("k8s-extension create -g rg1 -c c1 -t CONNECTEDCLUSTERS -n flux --extension-type microsoft.flux")
    assert res.exit_code == 0, res.stderr
    assert res.writes[0].url == url()


def test_provisioned_cluster_uses_the_lower_case_rp(arm, run_az):
    cluster = "/subscriptions/{}/resourceGroups/rg1/providers/microsoft.hybridcontainerservice/" \
              "provisionedClusters/p1".format(SUB)
    arm.add(responses.PUT, url(cluster), json=resource(cluster), status=200)
    res = run_az("k8s-extension create -g rg1 -c p1 -t provisionedClusters --cluster-rp "
                 "Microsoft.HybridContainerService -n flux --extension-type microsoft.flux --no-wait")
    assert res.exit_code == 0, res.stderr
    assert res.writes[0].url == url(cluster)


def test_settings_files_are_sent_as_strings(arm, run_az, tmp_path):
    plain = tmp_path / "settings.json"
    plain.write_text('{"multiTenancy.enforce": false, "kustomize-controller.concurrent": 6, '
                     '"helm-controller.log-level": "debug"}')
    secret = tmp_path / "secret.json"
    secret.write_text('{"token": "abc"}')
    arm.add(responses.PUT, url(), json=resource(), status=200)
    res = run_az(CREATE + "--config-file {} --config-protected-file {}".format(plain, secret))
    assert res.exit_code == 0, res.stderr
    props = json.loads(res.writes[0].body)["properties"]
    assert props["configurationSettings"] == {"multiTenancy.enforce": "false", "kustomize-controller.concurrent": "6",
                                              "helm-controller.log-level": "debug"}
    assert props["configurationProtectedSettings"] == {"token": "abc"}


def test_deprecated_option_names_still_work(arm, run_az):
    arm.add(responses.PUT, url(), json=resource(), status=200)
    res = run_az(CREATE + "--config-settings a=1 --configuration-protected-settings s=2")
    assert res.exit_code == 0, res.stderr
    props = json.loads(res.writes[0].body)["properties"]
    assert props["configurationSettings"] == {"a": "1"} and props["configurationProtectedSettings"] == {"s": "2"}
    assert "Option '--config-settings' has been deprecated" in res.stderr
    assert "Use '--configuration-settings' instead" in res.stderr


def test_protected_values_never_printed(arm, run_az, tmp_path):
    secret_file = tmp_path / "secret.json"
    secret_file.write_text('{"password": "FILE-S3CRET"}')
    answer = resource(configurationProtectedSettings={"password": ""})
    arm.add(responses.PUT, url(), json=resource(state="Creating"), status=201,
            headers={"Azure-AsyncOperation": op_url()})
    add_statuses(arm, op_url(), ["Succeeded"])
    arm.add(responses.GET, url(), json=answer)
    res = run_az(CREATE + "--config-protected-file {} --debug".format(secret_file))
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.writes[0].body)["properties"]["configurationProtectedSettings"] == {
        "password": "FILE-S3CRET"}
    assert "Request URL" in res.stderr and "Response content" in res.stderr  # --debug output is captured
    assert "FILE-S3CRET" not in res.stdout + res.stderr

    arm.add(responses.PUT, url(), json=answer, status=200)
    res = run_az(CREATE + "--config-protected password=INLINE-S3CRET")
    assert res.exit_code == 0, res.stderr
    assert "INLINE-S3CRET" not in res.stdout + res.stderr

    # With --debug, az core echoes its own argv before any extension is loaded; that echo is the
    # only place an inline value can show up (hence the help's advice to use the file option).
    res = run_az(CREATE + "--config-protected password=INLINE-S3CRET --debug")
    assert res.exit_code == 0, res.stderr
    leaks = [line for line in (res.stdout + res.stderr).splitlines() if "INLINE-S3CRET" in line]
    assert leaks and all(line.startswith("DEBUG: Command arguments:") for line in leaks)


def test_failed_operation_is_a_readable_error(arm, run_az):
    arm.add(responses.PUT, url(), json=resource(state="Creating"), status=201,
            headers={"Azure-AsyncOperation": op_url()})
    add_statuses(arm, op_url(), ["Creating", "Failed"], error={
        "code": "ExtensionOperationFailed",
        "message": "The extension operation failed with the following error: helm install timed out."})
    res = run_az(CREATE)
    assert res.exit_code == 1
    assert "ExtensionOperationFailed" in res.stderr and "helm install timed out" in res.stderr
    assert "Traceback" not in res.stderr
    assert res.stdout == ""


def test_service_error_on_put_is_translated(arm, run_az):
    arm.add(responses.PUT, url(), status=400, json={"error": {
        "code": "ValidationFailed", "message": "Extension type 'microsoft.nope' is not registered."}})
    res = run_az("k8s-extension create -g rg1 -c c1 -t connectedClusters -n flux --extension-type microsoft.nope")
    assert res.exit_code == 1
    assert "(ValidationFailed) Extension type 'microsoft.nope' is not registered." in res.stderr
    assert "Traceback" not in res.stderr


@pytest.mark.parametrize("extra, message", [
    ("--config abc", "'abc' given to --config is not of the form key=value"),
    ("--config =x", "'=x' given to --config has an empty key"),
    ("--config-protected a=1 oops", "The 2nd value given to --config-protected is not of the form key=value"),
    ("--config a=1 --config-file {file}",
     "Both configuration-settings and configuration-settings-file cannot be provided"),
    ("--config-protected a=1 --config-protected-file {file}",
     "Both configuration-protected-settings and configuration-protected-settings-file cannot be provided"),
    ("--config-file {missing}", "--config-file '{missing}': no such file"),
    ("--config-file {empty}", "holds an empty JSON object"),
    ("--config-file {nested}", "the value of 'a' is an object, but settings are strings"),
    ("--version 1.0.0", "--version pins the extension, so auto-upgrade must be off: add --auto-upgrade-mode none"),
    ("--version 1.0.0 --auto-upgrade", "replace --auto-upgrade-minor-version true with --auto-upgrade-mode none"),
    ("--version 1.0.0 --auto-upgrade-mode patch", "use --auto-upgrade-mode none instead of --auto-upgrade-mode patch"),
    ("--auto-upgrade-mode none --auto-upgrade false",
     "--auto-upgrade-mode and --auto-upgrade-minor-version cannot be used together"),
    ("--scope cluster --target-namespace apps", "When --scope is 'cluster', --target-namespace must not be given"),
    ("--release-namespace ns", "--release-namespace only applies to cluster-scoped extensions: add --scope cluster"),
    ("--target-namespace apps",
     "--target-namespace only applies to namespace-scoped extensions: add --scope namespace"),
    ("--scope namespace", "When --scope is 'namespace', --target-namespace must be given"),
    ("--plan-name p", "--plan-name, --plan-product and --plan-publisher go together: add --plan-product and "
                      "--plan-publisher"),
])
def test_validation_errors_before_any_request(arm, run_az, tmp_path, extra, message):
    files = {"file": tmp_path / "s.json", "missing": tmp_path / "missing.json", "empty": tmp_path / "e.json",
             "nested": tmp_path / "n.json"}
    files["file"].write_text('{"a": "b"}')
    files["empty"].write_text("{}")
    files["nested"].write_text('{"a": {"b": "c"}}')
    extra = extra.format(**{k: str(v) for k, v in files.items()})
    message = message.format(**{k: str(v) for k, v in files.items()})
    res = run_az(CREATE + extra)
    assert res.exit_code == 1
    assert message in res.stderr
    assert res.writes == [] and requests_of(arm) == []
    assert "Traceback" not in res.stderr
    assert len([line for line in res.stderr.splitlines() if line.startswith("ERROR")]) == 1


@pytest.mark.parametrize("command, message", [
    ("k8s-extension create -g rg1 -c hub -t fleets -n dapr --extension-type microsoft.dapr",
     "Extension type 'microsoft.dapr' is not supported for cluster type 'fleets'. The supported extension type is "
     "'microsoft.flux'."),
    ("k8s-extension create -g rg1 -c c1 -t connectedClusters -n My_Flux --extension-type microsoft.flux",
     "--name 'My_Flux' may only contain lower-case letters, digits, '-' and '.': try --name my-flux."),
    ("k8s-extension create -g rg1 -c p1 -t provisionedClusters -n flux --extension-type microsoft.flux",
     "--cluster-resource-provider is required with --cluster-type provisionedClusters"),
    ("k8s-extension create -g rg1 -c c1 -t connectedClusters -n flux --extension-type microsoft.flux "
     "--cluster-rp Microsoft.ContainerService", "does not fit --cluster-type connectedClusters"),
])
def test_cluster_and_name_errors_before_any_request(arm, run_az, command, message):
    res = run_az(command)
    assert res.exit_code == 1
    assert message in res.stderr
    assert requests_of(arm) == []


@pytest.mark.parametrize("extra", ["--cluster-type nope", "--scope everywhere", "--auto-upgrade-mode always",
                                   "--auto-upgrade maybe"])
def test_enum_errors_come_from_the_parser(arm, run_az, extra):
    res = run_az("k8s-extension create -g rg1 -c c1 -n flux --extension-type microsoft.flux "
                 + ("" if "cluster-type" in extra else "-t connectedClusters ") + extra)
    assert res.exit_code == 2
    assert "invalid choice" in res.stderr or "not a valid value" in res.stderr
    assert requests_of(arm) == []


def test_enum_values_are_case_insensitive(arm, run_az):
    arm.add(responses.PUT, url(), json=resource(), status=200)
    res = run_az(CREATE + "--scope Cluster --auto-upgrade-mode Patch")
    assert res.exit_code == 0, res.stderr
    props = json.loads(res.writes[0].body)["properties"]
    assert props["scope"] == {"cluster": {}} and props["autoUpgradeMode"] == "patch"


def test_marketplace_plan_is_sent(arm, run_az):
    arm.add(responses.PUT, url(AKS, "traefik"), json=resource(AKS, "traefik"), status=200)
    res = run_az("k8s-extension create -g rg1 -c aks -t managedClusters -n traefik "
                 "--extension-type TraefikLabs.TraefikProxy --plan-name plan1 --plan-product offer1 "
                 "--plan-publisher containous")
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.writes[0].body) == {
        "properties": {"extensionType": "traefiklabs.traefikproxy", "configurationSettings": {},
                       "configurationProtectedSettings": {}},
        "plan": {"name": "plan1", "publisher": "containous", "product": "offer1"}}


def test_table_output(arm, run_az):
    arm.add(responses.PUT, url(), json=resource(version="1.17.3"), status=200)
    res = run_az(CREATE + "-o table")
    assert res.exit_code == 0, res.stderr
    header, _, row = res.stdout.splitlines()[:3]
    assert header.split() == ["Name", "ExtensionType", "Version", "ProvisioningState", "LastModifiedAt",
                              "Plan_name", "Plan_publisher", "Plan_product", "IsSystemExtension"]
    assert row.split() == ["flux", "microsoft.flux", "1.17.3", "Succeeded", "2026-11-21T10:01:00.1234567+00:00",
                           "False"]

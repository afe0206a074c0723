"""Drop-in validation through the real az: messages name the flag typed, inputs the cluster would
refuse are rejected before any write, microsoft.flux settings are checked by key, output is what the
service sent."""
import json

import pytest
import responses

from tests.unit import keyfactory as kf

from .conftest import ARM
from .fakes import EXT_API, add_json, extension_resource, flux_resource, url

CLUSTER = "-g rg1 -c c1 -t connectedClusters"
EXT = (ARM + "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/"
       "Microsoft.Kubernetes/connectedClusters/c1/providers/Microsoft.KubernetesConfiguration/extensions/")
GIT_SSH = "k8s-configuration flux create " + CLUSTER + " -n cfg -u ssh://git@github.com/org/repo --branch main"



def _arm_requests(mock):
    """The requests that went to ARM (az core may fetch other things, e.g. its version index)."""
    return [(c.request.method, c.request.url) for c in mock.calls if c.request.url.startswith(ARM)]

# -- the flag the user typed ----------------------------------------------------------------------
@pytest.mark.parametrize("content,problem", [
    (kf.openssh_public("ed25519").encode(), "is a public key"),
    (b"-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n", "cannot be parsed"),
])
def test_a_bad_key_file_is_reported_as_ssh_private_key_file(run_az, arm, tmp_path, content, problem):
    key = tmp_path / "id_ed25519.pub"
    key.write_bytes(content)
    res = run_az(GIT_SSH + " --ssh-private-key-file " + str(key))
    assert res.exit_code == 1
    assert res.stderr.startswith("ERROR: --ssh-private-key-file "), res.stderr
    assert problem in res.stderr
    assert _arm_requests(arm) == []


def test_a_key_file_with_an_https_url_names_the_file_option(run_az, arm, tmp_path):
    key = tmp_path / "id_ed25519"
    key.write_bytes(kf.pem("ed25519"))
    res = run_az(GIT_SSH.replace("ssh://git@github.com/org/repo", "https://github.com/org/repo") +
                 " --ssh-private-key-file " + str(key))
    assert res.exit_code == 1
    assert res.stderr.startswith("ERROR: --ssh-private-key-file cannot be used with an http(s) URL")


def test_a_bad_known_hosts_file_names_the_file_option(run_az, arm, tmp_path):
    hosts = tmp_path / "known_hosts"
    hosts.write_text("github.com not-a-key-type AAAA\n")
    res = run_az(GIT_SSH + " --known-hosts-file " + str(hosts))
    assert res.exit_code == 1
    assert res.stderr.startswith("ERROR: --known-hosts-file "), res.stderr


def test_the_inline_key_is_still_named_ssh_private_key(run_az, arm):
    res = run_az(GIT_SSH + " --ssh-private-key bm90LWEta2V5")
    assert res.exit_code == 1
    assert res.stderr.startswith("ERROR: --ssh-private-key ")


@pytest.mark.parametrize("command", [
    "k8s-configuration flux kustomization create " + CLUSTER + " -n cfg -k Apps --path ./apps",
    "k8s-configuration flux kustomization update " + CLUSTER + " -n cfg -k Apps --path ./apps",
    "k8s-configuration flux kustomization delete " + CLUSTER + " -n cfg -k Apps --yes",
    "k8s-configuration flux kustomization create " + CLUSTER + " -n cfg --kustomization-name a..b --path ./a",
])
def test_a_bad_kustomization_name_names_k_and_kustomization_name(run_az, arm, command):
    res = run_az(command)
    assert res.exit_code == 1
    assert res.stderr.startswith("ERROR: -k/--kustomization-name "), res.stderr
    assert _arm_requests(arm) == []


# -- reject what can only fail on the cluster ----------------------------------------------------------
@pytest.mark.parametrize("url", ["HTTPS://github.com/org/repo", "Https://github.com/org/repo"])
def test_an_upper_case_url_scheme_is_rejected_with_a_hint(run_az, arm, url):
    res = run_az("k8s-configuration flux create " + CLUSTER + " -n cfg --branch main -u " + url)
    assert res.exit_code == 1
    assert res.stderr.startswith("ERROR: --url '{}' starts with".format(url))
    assert "lower-case scheme; use 'https://github.com/org/repo'" in res.stderr
    assert _arm_requests(arm) == []


@pytest.mark.parametrize("flags,option", [
    ("--scope cluster --release-namespace flux_system", "--release-namespace"),
    ("--scope cluster --release-namespace Team-A", "--release-namespace"),
    ("--scope namespace --target-namespace Team-A", "--target-namespace"),
    ("--scope namespace --target-namespace " + "a" * 64, "--target-namespace"),
])
def test_extension_namespaces_must_be_kubernetes_namespaces(run_az, arm, flags, option):
    res = run_az("k8s-extension create " + CLUSTER + " -n ext --extension-type microsoft.contoso " + flags)
    assert res.exit_code == 1
    assert res.stderr.startswith("ERROR: " + option + " "), res.stderr
    assert _arm_requests(arm) == []


def test_valid_extension_namespaces_are_sent(run_az, arm):
    res = run_az("k8s-extension create " + CLUSTER + " -n ext --extension-type microsoft.contoso --scope namespace "
                 "--target-namespace team-a --dry-run")
    assert res.exit_code == 0, res.stderr
    assert res.result[0]["body"]["properties"]["scope"] == {"namespace": {"targetNamespace": "team-a"}}


# -- microsoft.flux --config ---------------------------------------------------------------------------
FLUX_CREATE = "k8s-extension create " + CLUSTER + " -n flux --extension-type microsoft.flux --dry-run --config "


def test_a_misspelt_flux_setting_warns_with_did_you_mean_and_is_still_sent(run_az, arm):
    res = run_az(FLUX_CREATE + "image-automation-controler.enabled=true")
    assert res.exit_code == 0, res.stderr
    assert "WARNING: --config/--configuration-settings: 'image-automation-controler.enabled' is not a documented " \
           "microsoft.flux setting" in res.stderr
    assert "Did you mean 'image-automation-controller.enabled'?" in res.stderr
    assert res.result[0]["body"]["properties"]["configurationSettings"] == {
        "image-automation-controler.enabled": "true"}


@pytest.mark.parametrize("setting,expected", [
    ("source-controller.log-level=verbose", "give debug, info or error"),
    ("fluxconfig-agent.log-level=debug", "give info or error"),
    ("helm-controller.enabled=maybe", "give true or false"),
    ("workloadIdentity.azureClientId=me", "give a client ID (GUID)"),
    ("helm-controller.outOfMemoryWatch.memoryThreshold=150", "give a whole number from 1 to 100"),
    ("kustomize-controller.resources.limits.memory=2GB", "give a Kubernetes quantity"),
])
def test_a_known_flux_setting_with_a_bad_value_is_an_error(run_az, arm, setting, expected):
    res = run_az(FLUX_CREATE + setting)
    assert res.exit_code == 1
    assert res.stderr.startswith("ERROR: --config/--configuration-settings '{}'".format(setting)), res.stderr
    assert expected in res.stderr


@pytest.mark.parametrize("setting", [
    "source-controller.log-level=debug", "helm-controller.enabled=False", "multiTenancy.enforce=false",
    "helm-controller.outOfMemoryWatch.interval=700ms", "helm-controller.outOfMemoryWatch.memoryThreshold=70",
    "workloadIdentity.azureClientId=00000000-0000-0000-0000-000000000000", "kustomize-controller.concurrent=6",
    "source-controller.resources.limits.memory=2Gi", "kustomize-controller.resources.limits.cpu=2000m",
    "source-controller.ssh-host-key-args=--ssh-hostkey-algos=rsa-sha2-512,rsa-sha2-256",
    "kustomize-controller.requeue-dependency=50s", "useKubeletIdentity=true",
])
def test_documented_flux_settings_pass_without_a_warning(run_az, arm, setting):
    res = run_az(FLUX_CREATE + setting)
    assert res.exit_code == 0, res.stderr
    assert res.stderr == ""


def test_a_bad_value_in_a_settings_file_names_the_file_option(run_az, arm, tmp_path):
    settings = tmp_path / "s.json"
    settings.write_text('{"helm-controller.enabled": "maybe"}')
    res = run_az("k8s-extension create " + CLUSTER + " -n flux --extension-type microsoft.flux --dry-run "
                 "--config-settings-file " + str(settings))
    assert res.exit_code == 1
    assert res.stderr.startswith("ERROR: --config-settings-file ")


def test_other_extension_types_are_not_checked(run_az, arm):
    res = run_az("k8s-extension create " + CLUSTER + " -n d --extension-type microsoft.contoso --dry-run --config "
                 "log-level=verbose")
    assert res.exit_code == 0, res.stderr
    assert res.stderr == ""


def test_update_checks_flux_settings_by_the_existing_extensions_type_without_an_extra_request(run_az, arm):
    add_json(arm, responses.GET, EXT + "flux?" + EXT_API, extension_resource())
    res = run_az("k8s-extension update " + CLUSTER + " -n flux --yes --config source-controller.log-level=verbose")
    assert res.exit_code == 1
    assert res.stderr.startswith("ERROR: --config/--configuration-settings 'source-controller.log-level=verbose'")
    assert [m for m, _ in _arm_requests(arm)] == ["GET"]      # the one GET update makes anyway


def test_update_of_another_type_is_not_checked(run_az, arm):
    add_json(arm, responses.GET, EXT + "dapr?" + EXT_API, extension_resource("dapr", "microsoft.dapr"))
    res = run_az("k8s-extension update " + CLUSTER + " -n dapr --yes --config log-level=verbose --dry-run")
    assert res.exit_code == 0, res.stderr


# -- output: what the service sent ---------------------------------------------------------------------
def test_extension_show_adds_no_auto_upgrade_mode_the_service_did_not_send(run_az, arm):
    add_json(arm, responses.GET, EXT + "flux?" + EXT_API, extension_resource())
    res = run_az("k8s-extension show " + CLUSTER + " -n flux")
    assert res.exit_code == 0, res.stderr
    assert "autoUpgradeMode" not in json.loads(res.stdout)


def test_extension_show_and_list_keep_the_auto_upgrade_mode_the_service_sent(run_az, arm):
    resource = extension_resource()
    resource["properties"]["autoUpgradeMode"] = "compatible"
    add_json(arm, responses.GET, EXT + "flux?" + EXT_API, resource)
    add_json(arm, responses.GET, EXT[:-1] + "?" + EXT_API, {"value": [resource, extension_resource("dapr")]})
    shown = json.loads(run_az("k8s-extension show " + CLUSTER + " -n flux").stdout)
    assert shown["autoUpgradeMode"] == "compatible"
    listed = json.loads(run_az("k8s-extension list " + CLUSTER).stdout)
    assert [item.get("autoUpgradeMode", "absent") for item in listed] == ["compatible", "absent"]


# -- deployed-object show and its table ------------------------------------------------------------------
STATUSES = [
    {"name": "cfg", "namespace": "default", "kind": "GitRepository", "complianceState": "Compliant",
     "statusConditions": [{"type": "Ready", "status": "True", "message": "stored artifact for revision main@sha1:0a"}]},
    {"name": "podinfo", "namespace": "apps", "kind": "HelmRelease", "complianceState": "Non-Compliant",
     "statusConditions": [{"type": "Ready", "status": "False", "message": "install retries exhausted " + "x" * 60}]},
]


def test_deployed_object_show_finds_the_object_by_name_namespace_and_kind(run_az, arm):
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"), flux_resource(statuses=STATUSES))
    res = run_az("k8s-configuration flux deployed-object show " + CLUSTER + " -n cfg --object-name podinfo "
                 "--object-namespace apps --object-kind HelmRelease")
    assert res.exit_code == 0, res.stderr
    shown = json.loads(res.stdout)
    assert (shown["name"], shown["namespace"], shown["kind"], shown["complianceState"]) == (
        "podinfo", "apps", "HelmRelease", "Non-Compliant")
    assert shown["appliedBy"] is None       # the originals' shape: every attribute present


def test_deployed_object_show_table_cuts_the_ready_message(run_az, arm):
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"), flux_resource(statuses=STATUSES))
    res = run_az("k8s-configuration flux deployed-object show " + CLUSTER + " -n cfg --object-name podinfo "
                 "--object-namespace apps --object-kind HelmRelease -o table")
    assert res.exit_code == 0, res.stderr
    header, _, row = res.stdout.splitlines()
    assert header.split() == ["Kind", "Namespace", "Name", "ComplianceState", "Message"]
    message = ("install retries exhausted " + "x" * 60)[:60] + "..."
    assert row.split(None, 4) == ["HelmRelease", "apps", "podinfo", "Non-Compliant", message]


def test_deployed_object_show_of_another_kind_is_not_found(run_az, arm):
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"), flux_resource(statuses=STATUSES))
    res = run_az("k8s-configuration flux deployed-object show " + CLUSTER + " -n cfg --object-name podinfo "
                 "--object-namespace apps --object-kind Kustomization")
    assert res.exit_code == 3

"""`flux export` and `flux kustomization graph`: GET only, the document on stdout or in --file."""
import json
import re

import pytest
import responses
import yaml

from tests.export_schemas import arm_resources, flux_objects
from tests.unit import keyfactory as kf

from .conftest import ARM, SUB, cluster_path
from .fakes import add_json, flux_resource, url

BASE = "-g rg1 -c c1 -t connectedClusters -n cfg"
KUSTOMIZATIONS = {
    "apps": {"name": "apps", "path": "./apps/staging", "dependsOn": ["infra"], "prune": True, "wait": True,
             "timeoutInSeconds": 600, "syncIntervalInSeconds": 600, "retryIntervalInSeconds": None,
             "postBuild": {"substitute": {"cluster_env": "staging"}, "substituteFrom": None}},
    "infra": {"name": "infra", "path": "./infrastructure", "dependsOn": [], "prune": True, "force": False,
              "wait": True, "timeoutInSeconds": 600, "syncIntervalInSeconds": 600},
}


FLUX_YAML = """\
# Flux objects microsoft.flux creates for flux configuration 'cfg' (namespace 'default', scope 'cluster'),
# exported by fluxlite. Secret values are never exported.
# Secret 'cfg-auth' in namespace 'default' must hold the keys:
#   username: 'git' (gitRepository.httpsUser)
#   password: the HTTPS password or token
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: cfg
  namespace: default
spec:
  interval: 10m0s
  timeout: 10m0s
  url: https://dev.azure.com/org/proj/_git/repo
  ref:
    branch: main
  secretRef:
    name: cfg-auth
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: cfg-infra
  namespace: default
spec:
  interval: 10m0s
  timeout: 10m0s
  path: ./infrastructure
  prune: true
  force: false
  wait: true
  sourceRef:
    kind: GitRepository
    name: cfg
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: cfg-apps
  namespace: default
spec:
  interval: 10m0s
  timeout: 10m0s
  path: ./apps/staging
  prune: true
  force: false
  wait: true
  sourceRef:
    kind: GitRepository
    name: cfg
  dependsOn:
  - name: cfg-infra
  postBuild:
    substitute:
      cluster_env: staging
"""


def _config(arm, address=None):
    resource = flux_resource(kustomizations=KUSTOMIZATIONS)
    git = resource["properties"]["gitRepository"]
    git.update(httpsUser="git", url="https://dev.azure.com/org/proj/_git/repo")
    resource["properties"]["configurationProtectedSettings"] = {}
    add_json(arm, responses.GET, address or url("fluxConfigurations", "cfg"), resource)
    return resource


def _arm_calls(arm):
    return [(c.request.method, c.request.url) for c in arm.calls if c.request.url.startswith(ARM)]


def _only_gets(arm, res):
    assert res.writes == []
    calls = _arm_calls(arm)
    assert calls and all(method == "GET" for method, _ in calls), calls


def test_export_defaults_to_an_arm_template_on_stdout(run_az, arm):
    _config(arm)
    res = run_az("k8s-configuration flux export " + BASE)
    assert res.exit_code == 0, res.stderr
    _only_gets(arm, res)
    assert res.result is None
    arm_resources(res.stdout)
    template = json.loads(res.stdout)
    (resource,) = template["resources"]
    assert resource["scope"] == "Microsoft.Kubernetes/connectedClusters/c1"   # in the deployment's group
    assert "az deployment group create -g rg1" in template["metadata"]["description"]
    assert resource["name"] == "cfg" and resource["apiVersion"] == "2025-04-01"
    props = resource["properties"]
    assert set(props) == {"scope", "namespace", "sourceKind", "suspend", "gitRepository", "kustomizations",
                          "configurationProtectedSettings"}
    assert props["kustomizations"]["apps"] == {"path": "./apps/staging", "dependsOn": ["infra"], "prune": True,
                                               "wait": True, "timeoutInSeconds": 600, "syncIntervalInSeconds": 600,
                                               "postBuild": {"substitute": {"cluster_env": "staging"}}}
    assert props["configurationProtectedSettings"] == {"httpsKey": "[parameters('httpsKey')]"}
    assert template["parameters"]["httpsKey"]["type"] == "securestring"


@pytest.mark.parametrize("output", ["json", "tsv", "table", "yaml"])
def test_output_format_does_not_wrap_the_document(run_az, arm, output):
    _config(arm)
    res = run_az("k8s-configuration flux export " + BASE + " --export-format flux -o " + output)
    assert res.exit_code == 0, res.stderr
    assert res.stdout == FLUX_YAML


def test_export_flux_yaml(run_az, arm):
    _config(arm)
    res = run_az("k8s-configuration flux export " + BASE + " --export-format flux")
    assert res.exit_code == 0, res.stderr
    _only_gets(arm, res)
    assert res.stdout == FLUX_YAML
    docs = flux_objects(res.stdout)
    assert [(d["kind"], d["metadata"]["name"]) for d in docs] == [
        ("GitRepository", "cfg"), ("Kustomization", "cfg-infra"), ("Kustomization", "cfg-apps")]
    apps = docs[2]["spec"]
    assert apps["dependsOn"] == [{"name": "cfg-infra"}] and apps["prune"] is True
    assert apps["postBuild"] == {"substitute": {"cluster_env": "staging"}}
    assert docs[0]["spec"]["secretRef"] == {"name": "cfg-auth"}


def test_export_bicep_to_a_file(run_az, arm, tmp_path):
    _config(arm)
    target = tmp_path / "cfg.bicep"
    target.write_text("old content")
    res = run_az(["k8s-configuration", "flux", "export"] + BASE.split() + ["--export-format", "bicep",
                                                                          "--file", str(target)])
    assert res.exit_code == 0, res.stderr
    _only_gets(arm, res)
    assert res.stdout == ""
    text = target.read_text(encoding="utf-8")
    assert "resource cluster 'Microsoft.Kubernetes/connectedClusters@" in text and "existing = {" in text
    assert "  scope: cluster\n" in text and "@secure()\n" in text and "param httpsKey string\n" in text
    assert "old content" not in text


def test_export_of_a_provisioned_cluster(run_az, arm):
    _config(arm, ARM + cluster_path(rp="microsoft.hybridcontainerservice", ctype="provisionedClusters", name="p1") +
            "/providers/Microsoft.KubernetesConfiguration/fluxConfigurations/cfg?api-version=2025-04-01")
    res = run_az("k8s-configuration flux export -g rg1 -c p1 -t provisionedClusters "
                 "--cluster-rp microsoft.hybridcontainerservice -n cfg --export-format bicep")
    assert res.exit_code == 0, res.stderr
    assert "resource cluster 'Microsoft.HybridContainerService/provisionedClusters@" in res.stdout
    assert "name: 'p1'" in res.stdout


def test_export_of_a_missing_configuration_is_a_clear_error(run_az, arm):
    add_json(arm, responses.GET, url("fluxConfigurations", "nope"),
             {"error": {"code": "ResourceNotFound", "message": "Flux configuration with name 'nope' not found."}},
             status=404)
    res = run_az("k8s-configuration flux export -g rg1 -c c1 -t connectedClusters -n nope --export-format bicep")
    assert res.exit_code == 3   # az's exit code for ResourceNotFoundError
    assert "Flux configuration 'nope' was not found on cluster Microsoft.Kubernetes/connectedClusters/c1" in res.stderr
    assert res.stdout == "" and "Traceback" not in res.stderr
    assert res.writes == []


def test_file_in_a_missing_directory_fails_before_anything_is_sent(run_az, arm, tmp_path):
    res = run_az(["k8s-configuration", "flux", "export"] + BASE.split() + ["--file", str(tmp_path / "no" / "x.json")])
    assert res.exit_code == 1
    assert "does not exist" in res.stderr and str(tmp_path / "no") in res.stderr
    assert _arm_calls(arm) == []
    res = run_az(["k8s-configuration", "flux", "kustomization", "graph"] + BASE.split() + ["--file", str(tmp_path)])
    assert res.exit_code == 1 and "is a directory" in res.stderr
    assert _arm_calls(arm) == []


def test_unknown_export_format_is_refused_by_the_parser(run_az, arm):
    res = run_az("k8s-configuration flux export " + BASE + " --export-format terraform")
    assert res.exit_code == 2
    assert "terraform" in res.stderr and "bicep" in res.stderr
    assert _arm_calls(arm) == []


def test_graph_mermaid_on_stdout(run_az, arm):
    _config(arm)
    res = run_az("k8s-configuration flux kustomization graph " + BASE)
    assert res.exit_code == 0, res.stderr
    _only_gets(arm, res)
    assert res.stdout == ('flowchart TD\n'
                          '  k0["infra<br/>./infrastructure"]\n'
                          '  k1["apps<br/>./apps/staging"]\n'
                          '  k0 --> k1\n')


def test_graph_dot_to_a_file(run_az, arm, tmp_path):
    _config(arm)
    target = tmp_path / "graph.dot"
    res = run_az(["k8s-configuration", "flux", "kustomization", "graph"] + BASE.split() +
                 ["--format", "dot", "--file", str(target)])
    assert res.exit_code == 0, res.stderr
    assert res.stdout == ""
    assert target.read_text() == ('digraph "cfg" {\n  rankdir=TB;\n  node [shape=box];\n'
                                  '  k0 [label="infra\\n./infrastructure"];\n'
                                  '  k1 [label="apps\\n./apps/staging"];\n'
                                  '  k0 -> k1;\n}\n')


def test_graph_of_a_missing_configuration(run_az, arm):
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"),
             {"error": {"code": "ResourceNotFound", "message": "not found"}}, status=404)
    res = run_az("k8s-configuration flux kustomization graph " + BASE + " --format dot")
    assert res.exit_code == 3 and "Flux configuration 'cfg' was not found" in res.stderr
    assert res.stdout == ""


@pytest.mark.parametrize("command", ["k8s-configuration flux export", "k8s-configuration flux kustomization graph"])
def test_help_has_examples(run_az, command):
    res = run_az(command + " -h")
    assert res.exit_code == 0
    assert "Examples" in res.stdout and "--file" in res.stdout
    assert SUB not in res.stdout


# -- an existing configuration keeps each auth kind's secret references -------------------------------
def _source(arm, kind, block_key, block):
    resource = flux_resource(source_kind=kind)
    props = resource["properties"]
    props.update(gitRepository=None, configurationProtectedSettings={})
    props[block_key] = block
    add_json(arm, responses.GET, url("fluxConfigurations", "cfg"), resource)


SP_CERT = {"url": "https://acct.blob.core.windows.net", "containerName": "cont", "timeoutInSeconds": 600,
           "syncIntervalInSeconds": 600, "accountKey": None, "sasToken": None, "managedIdentity": None,
           "localAuthRef": None, "servicePrincipal": {
               "clientId": "cid", "tenantId": "tid", "clientCertificate": None, "clientCertificatePassword": None,
               "clientCertificateSendChain": True}}
OCI_TLS = {"url": "oci://ghcr.io/org/repo", "timeoutInSeconds": 600, "syncIntervalInSeconds": 600,
           "repositoryRef": {"tag": "v1", "semver": None, "digest": None}, "insecure": False,
           "useWorkloadIdentity": False, "localAuthRef": None,
           "tlsConfig": {"clientCertificate": None, "privateKey": None, "caCertificate": kf.b64(kf.cert_pem())}}


@pytest.mark.parametrize("kind, block_key, block, params", [
    ("AzureBlob", "azureBlob", SP_CERT, ["servicePrincipalClientCertificate",
                                         "servicePrincipalClientCertificatePassword"]),
    ("OCIRepository", "ociRepository", OCI_TLS, ["tlsConfigClientCertificate", "tlsConfigPrivateKey"]),
])
def test_export_keeps_the_secrets_the_service_does_not_return(run_az, arm, kind, block_key, block, params):
    _source(arm, kind, block_key, block)
    res = run_az("k8s-configuration flux export " + BASE)
    assert res.exit_code == 0, res.stderr
    arm_resources(res.stdout)
    template = json.loads(res.stdout)
    assert list(template["parameters"]) == params
    exported = template["resources"][0]["properties"][block_key]
    if kind == "AzureBlob":
        assert exported["servicePrincipal"] == {
            "clientId": "cid", "tenantId": "tid", "clientCertificateSendChain": True,
            "clientCertificate": "[parameters('servicePrincipalClientCertificate')]",
            "clientCertificatePassword": "[parameters('servicePrincipalClientCertificatePassword')]"}
    else:
        assert exported["tlsConfig"] == {"clientCertificate": "[parameters('tlsConfigClientCertificate')]",
                                         "privateKey": "[parameters('tlsConfigPrivateKey')]",
                                         "caCertificate": kf.b64(kf.cert_pem())}   # not a secret: returned

    _source(arm, kind, block_key, block)
    res = run_az("k8s-configuration flux export " + BASE + " --export-format bicep")
    assert res.exit_code == 0, res.stderr
    assert [line for line in res.stdout.splitlines() if line.startswith("param ")] == [
        "param {} string".format(name) for name in params]
    for name in params:
        assert re.search(r"^ +\w+: {}$".format(name), res.stdout, re.MULTILINE), name

    _source(arm, kind, block_key, block)
    res = run_az("k8s-configuration flux export " + BASE + " --export-format flux")
    assert res.exit_code == 0, res.stderr
    (source, _) = flux_objects(res.stdout)
    if kind == "AzureBlob":
        assert source["spec"]["secretRef"] == {"name": "cfg-auth"}
        assert "#   clientCertificate: azureBlob.servicePrincipal.clientCertificate\n" in res.stdout
        assert "#   clientCertificatePassword: azureBlob.servicePrincipal.clientCertificatePassword\n" in res.stdout
    else:
        assert source["spec"]["certSecretRef"] == {"name": "cfg-tls"}
        assert ("# Secret 'cfg-tls' in namespace 'default' must hold the keys:\n"
                "#   tls.crt: ociRepository.tlsConfig.clientCertificate\n"
                "#   tls.key: ociRepository.tlsConfig.privateKey\n"
                "#   ca.crt: ociRepository.tlsConfig.caCertificate\n") in res.stdout


# -- flux create --dry-run --export-format: every auth kind, every format, through az -----------------
CREATE = "k8s-configuration flux create -g rg1 -c c1 -t connectedClusters -n cfg -k name=apps path=./apps "
SP = "--sp-client-id 11111111-2222-3333-4444-555555555555 --sp-tenant-id 99999999-8888-7777-6666-555555555555 "
DRY_RUNS = {
    "git ssh, scp url, long timeout": (
        "-u git@github.com:org/repo.git --branch main --timeout 2h --ssh-private-key " +
        kf.b64(kf.pem("ed25519", "openssh")), ["sshPrivateKey"]),
    "git https": ("-u https://github.com/x/y --tag v1 --https-user u --https-key tok-4471", ["httpsKey"]),
    "bucket": ("--kind bucket -u https://s3.amazonaws.com --bucket-name b --bucket-access-key AK "
               "--bucket-secret-key sk-9931", ["bucketSecretKey"]),
    "azblob sp secret": ("--kind azblob -u https://a.blob.core.windows.net --container-name cont " + SP +
                         "--sp-client-secret sps-2231", ["servicePrincipalClientSecret"]),
    "azblob sp cert": ("--kind azblob -u https://a.blob.core.windows.net --container-name cont " + SP +
                       "--sp-client-cert " + kf.b64(kf.cert_pem("sp", "rsa")) +
                       " --sp-cert-password pw-5521",
                       ["servicePrincipalClientCertificate", "servicePrincipalClientCertificatePassword"]),
    "azblob account key": ("--kind azblob -u https://a.blob.core.windows.net --container-name cont --account-key " +
                           kf.b64("ak-7781"), ["accountKey"]),
    "azblob sas": ("--kind azblob -u https://a.blob.core.windows.net --container-name cont --sas-token sv=1&sig=x",
                   ["sasToken"]),
    "oci tls": ("--kind oci -u oci://ghcr.io/o/r --tls-client-certificate " + kf.b64(kf.cert_pem("c", "rsa")) +
                " --tls-private-key " + kf.b64(kf.pem("rsa")) + " --tls-ca-certificate " + kf.b64(kf.cert_pem()),
                ["tlsConfigClientCertificate", "tlsConfigPrivateKey"]),
}


@pytest.mark.parametrize("case", list(DRY_RUNS))
def test_dry_run_exports_are_accepted_by_the_schemas(run_az, arm, case):
    args, params = DRY_RUNS[case]
    res = run_az(CREATE + args + " --dry-run --export-format arm")
    assert res.exit_code == 0, res.stderr
    arm_resources(res.stdout)
    assert list(json.loads(res.stdout)["parameters"]) == params
    res = run_az(CREATE + args + " --dry-run --export-format bicep")
    assert res.exit_code == 0, res.stderr
    assert [line[len("param "):-len(" string")] for line in res.stdout.splitlines()
            if line.startswith("param ")] == params
    res = run_az(CREATE + args + " --dry-run --export-format flux")
    assert res.exit_code == 0, res.stderr
    docs = flux_objects(res.stdout)
    assert [d["kind"] for d in docs][1:] == ["Kustomization"]
    assert _arm_calls(arm) == [] and res.writes == []
    if case.startswith("git ssh"):
        assert docs[0]["spec"]["url"] == "ssh://git@github.com/org/repo.git"
        assert docs[0]["spec"]["timeout"] == "120m0s"
    for secret in ("tok-4471", "sk-9931", "sps-2231", "pw-5521", "ak-7781", "sig=x", "PRIVATE KEY"):
        assert secret not in res.stdout

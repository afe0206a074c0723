"""`flux export` and `flux kustomization graph`: GET only, the document on stdout or in --file."""
import json

import pytest
import responses
import yaml

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
    assert res.stdout.startswith("# Flux objects") and res.stdout.count("apiVersion:") == 3


def test_export_flux_yaml(run_az, arm):
    _config(arm)
    res = run_az("k8s-configuration flux export " + BASE + " --export-format flux")
    assert res.exit_code == 0, res.stderr
    _only_gets(arm, res)
    docs = list(yaml.safe_load_all(res.stdout))
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

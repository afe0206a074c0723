"""`az k8s-configuration flux build`: the tutorial repository and its broken variants, through the real az."""
import json
import os
import shutil

import pytest
import responses

from tests.gitops_variants import (EXAMPLE_REPO, SUBSTITUTING_ARGS, TUTORIAL_ARGS, bad_yaml, undefined_helm_repository,
                                   unset_variable, write)

from .conftest import ARM, config_path

KUBECTL = shutil.which("kubectl")


@pytest.fixture(params=["kubectl", "builtin"])
def kustomize(request, monkeypatch):
    if request.param == "kubectl" and KUBECTL is None:
        pytest.skip("kubectl is not installed")
    monkeypatch.setenv("FLUXLITE_KUSTOMIZE", request.param)
    return request.param


def build(run_az, source_dir, *args):
    return run_az(["k8s-configuration", "flux", "build", "--source-dir", str(source_dir)] + list(args))


def test_the_tutorial_repository_builds_clean(run_az, kustomize):
    res = build(run_az, EXAMPLE_REPO, *TUTORIAL_ARGS, "--namespace", "cluster-config")
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines == ["ok     infra  ./infrastructure  (6 objects)", "ok     apps   ./apps/staging  (2 objects)"]
    expected = "kubectl kustomize" if kustomize == "kubectl" else "built-in kustomize builder"
    assert "Building with " in res.stderr and expected in res.stderr
    assert res.writes == []


def test_json_output_has_the_built_objects_after_substitution(run_az, kustomize):
    res = build(run_az, EXAMPLE_REPO, "-k", "name=infra", "path=./infrastructure", "-k", "name=apps",
                "path=./apps/staging", "dependsOn=infra", "-o", "json")
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert set(report) == {"kustomizations", "errors"} and report["errors"] == []
    assert [(k["name"], k["path"]) for k in report["kustomizations"]] == [("infra", "./infrastructure"),
                                                                       ("apps", "./apps/staging")]
    release = [o for o in report["kustomizations"][1]["objects"] if o["kind"] == "HelmRelease"][0]
    assert release["metadata"] == {"name": "podinfo", "namespace": "default"}
    assert release["spec"]["values"]["ui"]["message"] == "Hello from staging"


@pytest.mark.parametrize("variant,args,expected", [
    (bad_yaml, TUTORIAL_ARGS,
     "error: infrastructure/redis.yaml:10: failed to decode Kubernetes YAML from infrastructure/redis.yaml: while "
     "parsing a flow sequence (line 9): did not find expected ',' or ']' (line 10) [kustomization infra]"),
    (undefined_helm_repository, TUTORIAL_ARGS,
     "error: apps/base/podinfo/release.yaml:15: HelmRelease default/podinfo references HelmRepository "
     "default/podinfo-charts, which no kustomization of this configuration defines [kustomization apps]"),
    (unset_variable, SUBSTITUTING_ARGS,
     'error: infrastructure/nginx.yaml:19: HelmRelease/nginx: variable not set (strict mode): "ingress_replicas" '
     '[kustomization infra]'),
    (None, ["-k", "name=infra", "path=./infrastructure", "-k", "name=apps", "path=./apps/qa", "dependsOn=infra"],
     "error: kustomization path not found: stat ./apps/qa: no such file or directory [kustomization apps]"),
    (None, ["-k", "name=infra", "path=./infrastructure", "dependsOn=apps", "-k", "name=apps", "path=./apps/staging",
            "dependsOn=infra"],
     "error: kustomization dependencies form a cycle: infra -> apps -> infra; remove one of these dependsOn entries "
     "[kustomization infra]"),
])
def test_broken_variants_fail_with_file_and_line(run_az, tmp_path, kustomize, variant, args, expected):
    root = variant(tmp_path / "repo") if variant else EXAMPLE_REPO
    res = build(run_az, root, *args)
    assert res.exit_code != 0
    assert expected in res.stdout.splitlines(), res.stdout
    assert "ERROR: 1 error in the kustomizations built from the repository; see above." in res.stderr
    assert "Traceback" not in res.output
    res = build(run_az, root, *(list(args) + ["-o", "json"]))
    assert res.exit_code != 0
    (error,) = json.loads(res.stdout)["errors"]
    assert set(error) == {"kustomization", "file", "line", "message"} and error["message"] in expected


def test_a_file_outside_the_repository_is_never_read(run_az, tmp_path, kustomize):
    (tmp_path / "secret.yaml").write_text("apiVersion: v1\nkind: Secret\nmetadata: {name: outside-secret}\n")
    write(tmp_path, "repo/k/kustomization.yaml", "resources: [cm.yaml]\npatchesJson6902:\n"
                                                 "  - target: {kind: ConfigMap, name: cm}\n    path: ../../secret.yaml\n")
    write(tmp_path, "repo/k/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n")
    res = build(run_az, tmp_path / "repo", "-k", "name=k", "path=./k")
    assert res.exit_code != 0 and "points outside the repository" in res.stdout
    assert "outside-secret" not in res.output
    os.symlink("/etc/passwd", str(tmp_path / "repo" / "k" / "passwd.yaml"))
    res = build(run_az, tmp_path / "repo", "-k", "name=k", "path=./k")
    assert res.exit_code != 0
    assert "error: k/passwd.yaml: symlink 'k/passwd.yaml' is absolute" in res.stdout and "root:" not in res.output


def test_flux_objects_are_checked_against_the_crds(run_az, tmp_path, kustomize):
    write(tmp_path, "k/repo.yaml", "apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\n"
                                   "metadata: {name: charts}\nspec:\n  url: https://charts.example.com\n"
                                   "  type: docker\n")
    res = build(run_az, tmp_path, "-k", "name=k", "path=./k")
    assert res.exit_code != 0
    assert ('error: k/repo.yaml:6: HelmRepository default/charts is invalid: spec.type: Unsupported value: "docker": '
            'supported values: "default", "oci" [kustomization k]') in res.stdout.splitlines()


def test_kustomizations_of_an_existing_configuration(run_az, arm, kustomize):
    config = {"id": config_path("fluxConfigurations", "cluster-config"), "name": "cluster-config",
              "properties": {"namespace": "cluster-config", "sourceKind": "GitRepository", "kustomizations": {
                  "apps": {"path": "./apps/staging", "dependsOn": ["infra"]},
                  "infra": {"path": "./infrastructure", "dependsOn": []}}}}
    arm.add(responses.GET, ARM + config_path("fluxConfigurations", "cluster-config"), json=config)
    res = build(run_az, EXAMPLE_REPO, "-n", "cluster-config", "-g", "rg1", "-c", "c1", "-t", "connectedClusters",
                "-o", "json")
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert [k["name"] for k in report["kustomizations"]] == ["infra", "apps"]
    assert {o["metadata"].get("namespace") for o in report["kustomizations"][0]["objects"]} == {None, "cluster-config"}


@pytest.mark.parametrize("args,message", [
    ([], "Give the kustomizations to build with -k/--kustomization"),
    (["-k", "name=a", "path=./a", "-c", "c1", "-t", "connectedClusters"], "use one or the other"),
    (["-k", "path=./a"], "Every -k needs name=NAME"),
    (["-k", "name=a", "-k", "name=a"], "defines the kustomization 'a' more than once"),
])
def test_bad_input_is_one_line_naming_the_flag(run_az, args, message):
    res = build(run_az, EXAMPLE_REPO, *args)
    assert res.exit_code != 0 and message in res.stderr and "Traceback" not in res.output
    res = run_az(["k8s-configuration", "flux", "build", "--source-dir", "/nonexistent/dir", "-k", "name=a"])
    assert res.exit_code != 0 and "--source-dir /nonexistent/dir: no such directory" in res.stderr


def test_warnings_go_to_stderr_and_only_show_errors_silences_them(run_az, tmp_path, kustomize):
    root = unset_variable(tmp_path / "repo")        # ${ingress_replicas}, and no postBuild: applied as written
    res = build(run_az, root, *TUTORIAL_ARGS)
    assert res.exit_code == 0, res.output
    assert any(line.startswith("warning: ") and "ingress_replicas" in line for line in res.stderr.splitlines())
    quiet = build(run_az, root, *TUTORIAL_ARGS, "--only-show-errors")
    assert quiet.exit_code == 0, quiet.output
    assert "warning" not in quiet.stderr and "Building with" not in quiet.stderr
    assert quiet.stdout == res.stdout

"""The build engine on the tutorial repository and its broken variants, with the real kubectl and the built-in builder."""
import os
import shutil
import subprocess

import pytest
import yaml

from azext_fluxlite.gitops import engine, tool as tools
from azext_fluxlite.gitops.paths import RepositoryError

from tests.gitops_variants import (CYCLE_KUSTOMIZATIONS, EXAMPLE_REPO, REPO_ROOT, MISSING_PATH_KUSTOMIZATIONS,
                                   SUBSTITUTING_KUSTOMIZATIONS, TUTORIAL_KUSTOMIZATIONS, bad_yaml, undefined_helm_repository,
                                   unset_variable,
                                   write)

KUBECTL = shutil.which("kubectl")
needs_kubectl = pytest.mark.skipif(KUBECTL is None, reason="kubectl is not installed")
TOOLS = [pytest.param(tools.BUILTIN, id="builtin"),
         pytest.param(tools.Tool("kubectl", [KUBECTL or "kubectl", "kustomize"]), id="kubectl", marks=needs_kubectl)]


def build(root, kustomizations, tool, **kw):
    kw.setdefault("namespace", "cluster-config")
    kw.setdefault("config_name", "cluster-config")
    return engine.build_configuration(str(root), kustomizations, tool=tool, **kw)


def idents(objects):
    return sorted("{}/{}/{}".format(o["kind"], o["metadata"].get("namespace") or "-", o["metadata"]["name"])
                  for o in objects)


@pytest.mark.parametrize("tool", TOOLS)
def test_the_tutorial_repository_builds_clean_in_dependency_order(tool):
    result = build(EXAMPLE_REPO, {"apps": TUTORIAL_KUSTOMIZATIONS["apps"], "infra": TUTORIAL_KUSTOMIZATIONS["infra"]},
                   tool)
    assert result.errors == [] and result.warnings == []
    assert list(result.kustomizations) == ["infra", "apps"]
    assert idents(result.kustomizations["apps"].objects) == ["HelmRelease/cluster-config/podinfo", "Namespace/-/podinfo"]
    assert idents(result.kustomizations["infra"].objects) == [
        "HelmRelease/cluster-config/nginx", "HelmRelease/cluster-config/redis", "HelmRepository/cluster-config/bitnami",
        "HelmRepository/cluster-config/podinfo", "Namespace/-/nginx", "Namespace/-/redis"]
    release = [o for o in result.kustomizations["apps"].objects if o["kind"] == "HelmRelease"][0]
    assert release["spec"]["values"] == {"replicaCount": 1, "ui": {"message": "Hello from staging"}}


KUSTOMIZE_ONLY = {
    "app/kustomization.yaml": """\
resources: [deployment.yaml]
components: [../components/team]
configMapGenerator:
  - name: app-config
    literals: [LOG_LEVEL=debug]
images:
  - name: nginx
    newName: registry.example.com/nginx
    newTag: "1.27"
replacements:
  - source: {kind: ConfigMap, name: app-config, fieldPath: metadata.name}
    targets:
      - select: {kind: Deployment, name: web}
        fieldPaths: [metadata.annotations.config-name]
""",
    "app/deployment.yaml": """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, annotations: {config-name: placeholder}}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx
          envFrom: [{configMapRef: {name: app-config}}]
""",
    "components/team/kustomization.yaml": """\
apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
commonLabels: {team: blue}
""",
}


@needs_kubectl
def test_what_only_the_real_kustomize_builds_comes_out_as_kustomize_builds_it(tmp_path):
    for rel, text in KUSTOMIZE_ONLY.items():
        write(tmp_path, rel, text)
    result = build(tmp_path, {"app": {"path": "./app"}}, tools.Tool("kubectl", [KUBECTL, "kustomize"]),
                   namespace="default")
    assert result.errors == []
    expected = list(yaml.safe_load_all(subprocess.run([KUBECTL, "kustomize", str(tmp_path / "app")], check=True,
                                                      capture_output=True, text=True).stdout))
    for obj in expected:                            # only the configuration's namespace is added
        obj["metadata"].setdefault("namespace", "default")
    assert result.kustomizations["app"].objects == expected
    config_map = [o for o in expected if o["kind"] == "ConfigMap"][0]
    assert config_map["metadata"]["name"].startswith("app-config-") and config_map["metadata"]["name"] != "app-config"
    deployment = [o for o in result.kustomizations["app"].objects if o["kind"] == "Deployment"][0]
    assert deployment["spec"]["template"]["spec"]["containers"][0]["image"] == "registry.example.com/nginx:1.27"
    assert deployment["spec"]["template"]["spec"]["containers"][0]["envFrom"] == [
        {"configMapRef": {"name": config_map["metadata"]["name"]}}]
    assert deployment["metadata"]["labels"] == {"team": "blue"}
    # The built-in builder refuses rather than build something else.
    fallback = build(tmp_path, {"app": {"path": "./app"}}, tools.BUILTIN)
    assert "install kubectl or kustomize" in fallback.errors[0]["message"]


@needs_kubectl
def test_a_directory_without_kustomization_gets_the_one_flux_generates_and_the_tree_is_untouched(tmp_path):
    write(tmp_path, "plain/a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    write(tmp_path, "plain/sub/b.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n")
    write(tmp_path, "plain/unit/kustomization.yaml", "resources: [c.yaml]\nnamespace: unit-ns\n")
    write(tmp_path, "plain/unit/c.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    write(tmp_path, "plain/notes.yaml", "title: not a Kubernetes object\n")
    before = sorted(os.listdir(tmp_path / "plain"))
    result = build(tmp_path, {"k": {"path": "plain"}}, tools.Tool("kubectl", [KUBECTL, "kustomize"]), namespace="ns")
    assert result.errors == []
    assert idents(result.kustomizations["k"].objects) == ["ConfigMap/ns/a", "ConfigMap/ns/b", "ConfigMap/unit-ns/c"]
    assert sorted(os.listdir(tmp_path / "plain")) == before           # nothing written into the user's tree


@pytest.mark.parametrize("tool", TOOLS)
def test_a_patch_outside_the_repository_is_an_error_that_quotes_nothing(tmp_path, tool):
    (tmp_path / "secret.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: stolen-content}\n")
    write(tmp_path, "repo/k/kustomization.yaml", "resources: [cm.yaml]\npatches:\n  - path: ../../secret.yaml\n")
    write(tmp_path, "repo/k/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n")
    result = build(tmp_path / "repo", {"k": {"path": "./k"}}, tool)
    (error,) = result.errors
    assert "points outside the repository" in error["message"] and "stolen-content" not in str(result.as_json())
    os.symlink(str(tmp_path / "secret.yaml"), str(tmp_path / "repo" / "k" / "link.yaml"))
    with pytest.raises(RepositoryError):
        build(tmp_path / "repo", {"k": {"path": "./k"}}, tool)


@needs_kubectl
def test_the_real_kustomize_runs_with_root_only_load_restrictions(tmp_path, monkeypatch):
    calls = []
    real_run = subprocess.run

    def spy(argv, **kwargs):
        calls.append(argv)
        return real_run(argv, **kwargs)

    monkeypatch.setattr(subprocess, "run", spy)
    build(EXAMPLE_REPO, {"apps": {"path": "./apps/staging"}}, tools.Tool("kubectl", [KUBECTL, "kustomize"]))
    (argv,) = calls
    assert argv[:4] == [KUBECTL, "kustomize", "--load-restrictor", "LoadRestrictionsRootOnly"]
    assert not argv[-1].startswith(EXAMPLE_REPO)                      # a private copy is built


@pytest.mark.parametrize("tool", TOOLS)
def test_broken_variants_report_file_line_and_kustomization(tmp_path, tool):
    result = build(bad_yaml(tmp_path / "bad"), TUTORIAL_KUSTOMIZATIONS, tool)
    (error,) = result.errors
    assert (error["kustomization"], error["file"], error["line"]) == ("infra", "infrastructure/redis.yaml", 10)
    assert error["message"] == ("failed to decode Kubernetes YAML from infrastructure/redis.yaml: while parsing a flow "
                                "sequence (line 9): did not find expected ',' or ']' (line 10)")

    result = build(EXAMPLE_REPO, MISSING_PATH_KUSTOMIZATIONS, tool)
    (error,) = result.errors
    assert error["kustomization"] == "apps"
    assert error["message"] == "kustomization path not found: stat ./apps/qa: no such file or directory"

    result = build(undefined_helm_repository(tmp_path / "undefined"), TUTORIAL_KUSTOMIZATIONS, tool)
    (error,) = result.errors
    assert (error["kustomization"], error["file"], error["line"]) == ("apps", "apps/base/podinfo/release.yaml", 15)
    assert error["message"] == ("HelmRelease cluster-config/podinfo references HelmRepository cluster-config/"
                                "podinfo-charts, which no kustomization of this configuration defines")

    result = build(EXAMPLE_REPO, CYCLE_KUSTOMIZATIONS, tool)
    assert [e["message"] for e in result.errors] == [
        "kustomization dependencies form a cycle: infra -> apps -> infra; remove one of these dependsOn entries"]

    result = build(unset_variable(tmp_path / "unset"), SUBSTITUTING_KUSTOMIZATIONS, tool)
    (error,) = result.errors
    assert (error["kustomization"], error["file"], error["line"]) == ("infra", "infrastructure/nginx.yaml", 19)
    assert error["message"] == 'HelmRelease/nginx: variable not set (strict mode): "ingress_replicas"'


@pytest.mark.parametrize("tool", TOOLS)
def test_without_postbuild_variables_are_applied_as_written_with_a_warning(tmp_path, tool):
    # Flux's kustomize-controller substitutes only when the Kustomization has a postBuild.
    result = build(unset_variable(tmp_path / "unset"), TUTORIAL_KUSTOMIZATIONS, tool)
    assert result.errors == []
    nginx = [o for o in result.kustomizations["infra"].objects
             if (o["kind"], o["metadata"]["name"]) == ("HelmRelease", "nginx")][0]
    assert nginx["spec"]["values"]["replicaCount"] == "${ingress_replicas}"
    assert [w["message"] for w in result.warnings] == [
        "objects reference variables ingress_replicas but kustomization infra has no postBuild, so Flux applies "
        "them as written; to substitute them, add substitute=VAR=VALUE or substituteFrom=ConfigMap/NAME to its -k "
        "group"]


@pytest.mark.parametrize("tool", TOOLS)
def test_substitution_defaults_types_escapes_and_opt_out(tmp_path, tool):
    write(tmp_path, "k/a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${env}\n"
                                "  namespace: ${ns:=apps}\ndata:\n  literal: $${env}\n"
                                "  region: ${region:-eu}\n")
    write(tmp_path, "k/b.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: raw\n  annotations:\n"
                                "    kustomize.toolkit.fluxcd.io/substitute: disabled\ndata: {x: '${never_set}'}\n")
    write(tmp_path, "k/c.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n"
                                "  replicas: ${count}\n")
    spec = {"path": "./k", "postBuild": {"substitute": {"env": "prod", "count": "3"}}}
    result = build(tmp_path, {"k": spec}, tool)
    assert result.errors == []
    objects = {o["metadata"]["name"]: o for o in result.kustomizations["k"].objects}
    assert objects["cm-prod"]["metadata"]["namespace"] == "apps"
    assert objects["cm-prod"]["data"] == {"literal": "${env}", "region": "eu"}
    assert objects["raw"]["data"] == {"x": "${never_set}"}
    assert objects["d"]["spec"]["replicas"] == 3                   # a number, as on the cluster
    spec["postBuild"] = {"substitute": {"env": "prod"}, "substituteFrom": [{"kind": "ConfigMap", "name": "vars"}]}
    result = build(tmp_path, {"k": spec}, tool)
    assert result.errors == []
    assert [w["message"] for w in result.warnings] == [
        "variables count are not set by postBuild.substitute; they are left as written and must come from "
        "ConfigMap/vars on the cluster"]


def test_flux_objects_are_checked_against_the_flux_crds(tmp_path):
    write(tmp_path, "k/kustomization.yaml", "resources: [sources.yaml]\n")
    write(tmp_path, "k/sources.yaml", """\
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: repo}
spec:
  interval: 1m
  url: https://example.com/repo
  ref: {branch: main}
  recurseSubmodule: true
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: rel}
spec:
  interval: 5m
  chart:
    spec:
      chart: app
      sourceRef: {kind: HelmRepo, name: repo}
---
apiVersion: source.toolkit.fluxcd.io/v1beta7
kind: HelmRepository
metadata: {name: charts}
spec: {url: https://charts.example.com}
---
apiVersion: source.toolkit.fluxcd.io/v1beta2
kind: OCIRepository
metadata: {name: oci}
spec: {url: oci://ghcr.io/x/y, interval: 10m}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: ks}
spec: {interval: 10 minutes, prune: true, sourceRef: {kind: GitRepository, name: repo}}
""")
    result = build(tmp_path, {"k": {"path": "./k"}}, tools.BUILTIN, check_references=False)
    found = [(e["line"], e["message"]) for e in result.errors]
    assert found == [
        (8, 'GitRepository cluster-config/repo is invalid: unknown field "spec.recurseSubmodule"'),
        (18, 'HelmRelease cluster-config/rel is invalid: spec.chart.spec.sourceRef.kind: Unsupported value: '
             '"HelmRepo": supported values: "HelmRepository", "GitRepository", "Bucket"'),
        (20, 'HelmRepository cluster-config/charts is invalid: no matches for kind "HelmRepository" in version '
             '"source.toolkit.fluxcd.io/v1beta7": the Flux 2.6 CRD serves source.toolkit.fluxcd.io/v1, '
             'source.toolkit.fluxcd.io/v1beta1, source.toolkit.fluxcd.io/v1beta2'),
        (33, "Kustomization cluster-config/ks is invalid: spec.interval: Invalid value: \"10 minutes\": should match "
             "'^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$'"),
    ]
    assert all(e["file"] == "k/sources.yaml" for e in result.errors)
    (warning,) = result.warnings
    assert warning["line"] == 25 and "deprecated" in warning["message"]


def test_the_configuration_own_source_counts_as_defined(tmp_path):
    write(tmp_path, "k/hr.yaml", "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: app}\n"
                                 "spec:\n  interval: 5m\n  chart:\n    spec:\n      chart: ./charts/app\n"
                                 "      sourceRef: {kind: GitRepository, name: cluster-config}\n")
    assert build(tmp_path, {"k": {"path": "./k"}}, tools.BUILTIN).errors == []
    errors = build(tmp_path, {"k": {"path": "./k"}}, tools.BUILTIN, config_name="other").errors
    assert "GitRepository cluster-config/cluster-config" in errors[0]["message"]


def test_the_tool_is_chosen_from_path_and_fluxlite_kustomize(tmp_path):
    assert tools.detect({"FLUXLITE_KUSTOMIZE": "builtin"}) is tools.BUILTIN
    fake = tmp_path / "kustomize"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    chosen = tools.detect({"FLUXLITE_KUSTOMIZE": str(fake)})
    assert chosen.argv == [str(fake), "build"] and "kustomize build" in chosen.describe()
    with pytest.raises(ValueError) as err:
        tools.detect({"FLUXLITE_KUSTOMIZE": "no-such-kustomize"})
    assert "FLUXLITE_KUSTOMIZE=no-such-kustomize" in str(err.value)
    (tmp_path / "bin").mkdir()
    assert tools.detect({"PATH": str(tmp_path / "bin")}) is tools.BUILTIN          # neither installed
    os.symlink(str(fake), str(tmp_path / "bin" / "kubectl"))
    assert tools.detect({"PATH": str(tmp_path / "bin")}).argv == [str(tmp_path / "bin" / "kubectl"), "kustomize"]
    os.symlink(str(fake), str(tmp_path / "bin" / "kustomize"))
    assert tools.detect({"PATH": str(tmp_path / "bin")}).name == "kustomize"         # kustomize comes first


def test_the_engine_imports_neither_azure_cli_nor_knack():
    code = ("import sys; import azext_fluxlite.gitops.engine, azext_fluxlite.emulator.reconcile; "
            "print(sorted(m for m in sys.modules if m.startswith(('azure.cli', 'knack'))))")
    out = subprocess.run([os.sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=REPO_ROOT)
    assert out.stdout.strip() == "[]"


def parent_files_repo(root):
    """A repository whose kustomization names shared files by `../` (Flux allows it inside the repository)."""
    write(root, "shared/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shared}\ndata: {a: '1'}\n")
    write(root, "shared/patch.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shared}\ndata: {b: '2'}\n")
    write(root, "shared/app.env", "x=1\n")
    write(root, "app/kustomization.yaml", "resources: [../shared/cm.yaml]\npatches:\n  - path: ../shared/patch.yaml\n")
    return root


@pytest.mark.parametrize("tool", TOOLS)
def test_a_file_reached_by_dotdot_inside_the_repository_builds_as_flux_builds_it(tmp_path, tool):
    repo = parent_files_repo(tmp_path / "repo")
    before = sorted(os.listdir(repo / "app"))
    result = build(repo, {"k": {"path": "./app"}}, tool)
    assert result.errors == []
    (obj,) = result.kustomizations["k"].objects
    assert (obj["metadata"]["name"], obj["data"]) == ("shared", {"a": "1", "b": "2"})
    assert sorted(os.listdir(repo / "app")) == before                 # the user's tree is untouched


@needs_kubectl
def test_generator_files_reached_by_dotdot_keep_their_names_and_hash(tmp_path):
    repo = parent_files_repo(tmp_path / "repo")
    write(repo, "app/kustomization.yaml", "configMapGenerator:\n  - name: gen\n    envs: [../shared/app.env]\n"
                                          "    files: [../shared/app.env, k2=../shared/cm.yaml]\n")
    result = build(repo, {"k": {"path": "./app"}}, tools.Tool("kubectl", [KUBECTL, "kustomize"]))
    assert result.errors == []
    (obj,) = result.kustomizations["k"].objects
    assert sorted(obj["data"]) == ["app.env", "k2", "x"]
    # kustomize itself, allowed to leave the folder, names the ConfigMap the same (same content hash)
    proc = subprocess.run([KUBECTL, "kustomize", "--load-restrictor", "LoadRestrictionsNone", str(repo / "app")],
                          capture_output=True, check=True)
    assert obj["metadata"]["name"] == yaml.safe_load(proc.stdout)["metadata"]["name"]


ESCAPES = [
    "resources: [../../secret.yaml]\n",
    "resources: [../shared/../../secret.yaml]\n",
    "patches:\n  - path: ../../secret.yaml\n",
    "patchesJson6902:\n  - target: {kind: ConfigMap, name: x}\n    path: ../../secret.yaml\n",
    "configMapGenerator:\n  - name: gen\n    files: [k=../../secret.yaml]\n",
    "configMapGenerator:\n  - name: gen\n    envs: [../../secret.yaml]\n",
    "replacements:\n  - path: ../../secret.yaml\n",
    "transformers: [../../secret.yaml]\n",
]


@pytest.mark.parametrize("tool", TOOLS)
@pytest.mark.parametrize("kustomization", ESCAPES)
def test_dotdot_leaving_the_repository_is_refused_and_quotes_nothing(tmp_path, tool, kustomization):
    (tmp_path / "secret.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: stolen-content}\n")
    repo = parent_files_repo(tmp_path / "repo")
    write(repo, "app/kustomization.yaml", kustomization)
    result = build(repo, {"k": {"path": "./app"}}, tool)
    (error,) = result.errors
    assert "points outside the repository" in error["message"]
    assert "stolen-content" not in str(result.as_json())


@needs_kubectl
def test_a_plugin_config_naming_a_parent_file_is_still_refused_by_kustomize(tmp_path):
    (tmp_path / "secret.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: stolen-content}\n")
    repo = parent_files_repo(tmp_path / "repo")
    write(repo, "app/t.yaml", "apiVersion: builtin\nkind: PatchTransformer\nmetadata: {name: t}\n"
                              "path: ../shared/patch.yaml\n")     # fluxlite does not rewrite plugin configs
    write(repo, "app/kustomization.yaml", "resources: [../shared/cm.yaml]\ntransformers: [t.yaml]\n")
    result = build(repo, {"k": {"path": "./app"}}, tools.Tool("kubectl", [KUBECTL, "kustomize"]))
    (error,) = result.errors
    assert error["message"].startswith("plugin PatchTransformer")        # kubectl's log prefix is removed
    assert "is not in or below" in error["message"] and "stolen-content" not in str(result.as_json())

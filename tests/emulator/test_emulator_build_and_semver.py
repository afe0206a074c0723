"""The kustomize-style build and Flux-style semver constraints, on files and strings."""
import os

import pytest
from hypothesis import given, strategies as st

from azext_fluxlite.emulator import kustomize, semver
from azext_fluxlite.emulator.gitsource import url_key

from .emulator_harness import EXAMPLE_REPO


def write(root, rel, text):
    path = os.path.join(str(root), rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def names(objects):
    return sorted("{}/{}/{}".format(o["kind"], o["metadata"].get("namespace") or "-", o["metadata"]["name"])
                  for o in objects)


def test_example_repo_builds_like_kustomize():
    staging = kustomize.build(EXAMPLE_REPO, "./apps/staging")
    assert names(staging) == ["HelmRelease/-/podinfo", "Namespace/-/podinfo"]
    release = [o for o in staging if o["kind"] == "HelmRelease"][0]
    assert release["spec"]["values"] == {"replicaCount": 1, "ui": {"message": "Hello from staging"}}
    production = [o for o in kustomize.build(EXAMPLE_REPO, "apps/production") if o["kind"] == "HelmRelease"][0]
    assert production["spec"]["values"]["replicaCount"] == 3
    assert production["spec"]["chart"]["spec"]["chart"] == "podinfo"          # the base is kept
    infra = kustomize.build(EXAMPLE_REPO, "./infrastructure")
    assert "HelmRelease/-/nginx" in names(infra) and "HelmRepository/-/bitnami" in names(infra)


def test_plain_directories_include_yaml_recursively_and_nested_kustomizations(tmp_path):
    write(tmp_path, "plain/a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    write(tmp_path, "plain/sub/b.yml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n---\n"
                                       "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    write(tmp_path, "plain/notes.yaml", "just: some config\n")               # not an object: skipped
    write(tmp_path, "plain/unit/kustomization.yaml", "resources: [d.yaml]\nnamespace: unit-ns\n")
    write(tmp_path, "plain/unit/d.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\n")
    write(tmp_path, "plain/unit/ignored.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ignored}\n")
    assert names(kustomize.build(str(tmp_path), "./plain")) == [
        "ConfigMap/-/a", "ConfigMap/-/b", "ConfigMap/-/c", "ConfigMap/unit-ns/d"]


def test_kustomization_transformers_and_json6902(tmp_path):
    write(tmp_path, "base/kustomization.yaml", "resources: [r.yaml]\n")
    write(tmp_path, "base/r.yaml", "apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\n"
                                   "metadata: {name: repo}\nspec: {url: https://a, interval: 1m}\n")
    write(tmp_path, "overlay/kustomization.yaml",
          "resources: [../base]\nnamespace: team\nnamePrefix: dev-\npatches:\n"
          "  - target: {kind: HelmRepository, name: repo}\n"
          "    patch: |\n      - op: replace\n        path: /spec/url\n        value: https://b\n"
          "      - op: remove\n        path: /spec/interval\n")
    (obj,) = kustomize.build(str(tmp_path), "./overlay")
    assert obj["metadata"] == {"name": "dev-repo", "namespace": "team"}
    assert obj["spec"] == {"url": "https://b"}


@pytest.mark.parametrize("layout,path,message", [
    ({}, "./nowhere", "kustomization path not found"),
    ({"k/kustomization.yaml": "resources: [missing.yaml]\n"}, "./k", "no such file or directory"),
    ({"k/kustomization.yaml": "resources: [../other]\n", "other/x.yaml": "a: b\n"}, "./k",
     "unable to find one of 'kustomization.yaml'"),
    ({"k/kustomization.yaml": "resources: [https://example.com/x.yaml]\n"}, "./k", "remote resources"),
    ({"k/kustomization.yaml": "resources: [../../../etc]\n"}, "./k", "outside the repository"),
    ({"k/bad.yaml": "apiVersion: v1\nkind: [\n"}, "./k", "failed to decode Kubernetes YAML"),
    ({"k/kustomization.yaml": "resources: [a.yaml, b.yaml]\n",
      "k/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: same}\n",
      "k/b.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: same}\n"}, "./k", "already registered id"),
    ({"k/kustomization.yaml": "resources: [a.yaml]\npatchesStrategicMerge: [p.yaml]\n",
      "k/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
      "k/p.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other}\ndata: {x: y}\n"}, "./k", "no matches"),
    ({"k/kustomization.yaml": "resources: [.]\n"}, "./k", "cycle"),
    ({"k/kustomization.yaml": "resources: [a.yaml]\n", "k/a.yaml": "apiVersion: v1\nkind: ConfigMap\n"}, "./k",
     "missing Resource metadata"),
])
def test_build_errors_read_like_kustomize(tmp_path, layout, path, message):
    for rel, text in layout.items():
        write(tmp_path, rel, text)
    with pytest.raises(kustomize.BuildError) as err:
        kustomize.build(str(tmp_path), path)
    assert message in str(err.value)


@pytest.mark.parametrize("constraint,expected", [
    (">=1.0.0 <2.0.0", "1.4.2"), ("~1.2", "1.2.9"), ("~1", "1.4.2"), ("^1.2.3", "1.4.2"), ("^0.2", "0.2.5"),
    ("1.2.x", "1.2.9"), ("*", "2.1.0"), ("1.2 - 1.3", "1.3.0"), (">1.2, <1.4", "1.3.0"), ("<1.0.0 || >=2.1", "2.1.0"),
    ("=1.2.0", "1.2.0"), (">=3", None), (">=2.2.0-rc.0", "2.2.0-rc.1"), ("!=2.1.0", "2.0.0"),
])
def test_semver_picks_the_highest_match(constraint, expected):
    tags = ["v0.2.5", "0.3.0", "v1.2.0", "v1.2.9", "v1.3.0", "v1.4.2", "v2.0.0", "v2.1.0", "v2.2.0-rc.1", "latest"]
    assert semver.best_match(constraint, tags) == (None if expected is None else next(
        t for t in tags if t.lstrip("v") == expected))


def test_invalid_constraints_are_errors():
    for text in ("", "abc", ">=x.y.z"):
        with pytest.raises(semver.ConstraintError):
            semver.Constraint(text)


@given(st.tuples(st.integers(0, 30), st.integers(0, 30), st.integers(0, 30)),
       st.tuples(st.integers(0, 30), st.integers(0, 30), st.integers(0, 30)))
def test_semver_comparison_matches_tuple_order(a, b):
    va, vb = semver.Version(*a), semver.Version(*b)
    assert (va < vb) == (a < b)
    assert semver.Constraint(">={}.{}.{}".format(*b)).allows(va) == (a >= b)
    assert semver.Constraint("<{}.{}.{}".format(*b)).allows(va) == (a < b)


def test_repository_urls_match_across_spellings():
    key = url_key("https://github.com/Azure/gitops-flux2-kustomize-helm-mt")
    for spelling in ("https://github.com/azure/gitops-flux2-kustomize-helm-mt.git",
                     "https://github.com/Azure/gitops-flux2-kustomize-helm-mt/",
                     "ssh://git@github.com/Azure/gitops-flux2-kustomize-helm-mt.git",
                     "git@github.com:Azure/gitops-flux2-kustomize-helm-mt.git",
                     "https://user@github.com/Azure/gitops-flux2-kustomize-helm-mt"):
        assert url_key(spelling) == key, spelling
    assert url_key("https://github.com/Azure/other") != key

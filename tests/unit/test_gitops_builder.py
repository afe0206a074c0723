"""The built-in kustomize builder and the containment of every path the build engine opens."""
import os

import pytest

from azext_fluxlite.gitops import builder, plan
from azext_fluxlite.gitops.paths import BuildError, RepositoryError, check_symlinks

from tests.gitops_variants import EXAMPLE_REPO, write


def names(objects):
    return sorted("{}/{}/{}".format(o["kind"], o["metadata"].get("namespace") or "-", o["metadata"]["name"])
                  for o in objects)


def test_example_repo_builds_like_kustomize():
    staging = builder.build(EXAMPLE_REPO, "./apps/staging")
    assert names(staging) == ["HelmRelease/-/podinfo", "Namespace/-/podinfo"]
    release = [o for o in staging if o["kind"] == "HelmRelease"][0]
    assert release["spec"]["values"] == {"replicaCount": 1, "ui": {"message": "Hello from staging"}}
    production = [o for o in builder.build(EXAMPLE_REPO, "apps/production") if o["kind"] == "HelmRelease"][0]
    assert production["spec"]["values"]["replicaCount"] == 3
    assert production["spec"]["chart"]["spec"]["chart"] == "podinfo"          # the base is kept
    infra = builder.build(EXAMPLE_REPO, "./infrastructure")
    assert "HelmRelease/-/nginx" in names(infra) and "HelmRepository/-/bitnami" in names(infra)


def test_plain_directories_include_yaml_recursively_and_nested_kustomizations(tmp_path):
    write(tmp_path, "plain/a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    write(tmp_path, "plain/sub/b.yml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n---\n"
                                       "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    write(tmp_path, "plain/notes.yaml", "just: some config\n")               # not an object: skipped
    write(tmp_path, "plain/unit/kustomization.yaml", "resources: [d.yaml]\nnamespace: unit-ns\n")
    write(tmp_path, "plain/unit/d.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\n")
    write(tmp_path, "plain/unit/ignored.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ignored}\n")
    assert names(builder.build(str(tmp_path), "./plain")) == [
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
    (obj,) = builder.build(str(tmp_path), "./overlay")
    assert obj["metadata"] == {"name": "dev-repo", "namespace": "team"}
    assert obj["spec"] == {"url": "https://b"}


@pytest.mark.parametrize("layout,path,message", [
    ({}, "./nowhere", "kustomization path not found"),
    ({"k/kustomization.yaml": "resources: [missing.yaml]\n"}, "./k", "no such file or directory"),
    ({"k/kustomization.yaml": "resources: [../other]\n", "other/x.yaml": "a: b\n"}, "./k",
     "unable to find one of 'kustomization.yaml'"),
    ({"k/kustomization.yaml": "resources: [https://example.com/x.yaml]\n"}, "./k", "remote resource"),
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
     "missing metadata.name"),
])
def test_build_errors_read_like_kustomize(tmp_path, layout, path, message):
    for rel, text in layout.items():
        write(tmp_path, rel, text)
    with pytest.raises(BuildError) as err:
        builder.build(str(tmp_path), path)
    assert message in str(err.value)




# -- containment: no path a kustomization names may leave the repository -------------------------
SECRET = "root:x:0:0:outside-secret-content\n"


@pytest.fixture
def outside(tmp_path):
    """A file next to the repository (tmp_path/repo) that must never be read."""
    path = tmp_path / "secret.yaml"
    path.write_text(SECRET)
    return path


@pytest.mark.parametrize("kustomization", [
    "resources: [cm.yaml]\npatches:\n  - path: ../../secret.yaml\n",
    "resources: [cm.yaml]\npatches:\n  - path: ../../secret.yaml\n    target: {kind: ConfigMap}\n",
    "resources: [cm.yaml]\npatchesStrategicMerge: [../../secret.yaml]\n",
    "resources: [cm.yaml]\npatchesJson6902:\n  - target: {kind: ConfigMap, name: cm}\n    path: ../../secret.yaml\n",
    "resources: [../../secret.yaml]\n",
    "resources: [cm.yaml]\ncomponents: [../../]\n",
    "configMapGenerator:\n  - name: x\n    files: [../../secret.yaml]\n",
    "configMapGenerator:\n  - name: x\n    files: [key=../../secret.yaml]\n",
    "secretGenerator:\n  - name: x\n    envs: [../../secret.yaml]\n",
    "resources: [cm.yaml]\nreplacements:\n  - path: ../../secret.yaml\n",
    "resources: [cm.yaml]\ntransformers: [../../secret.yaml]\n",
    "resources: [cm.yaml]\npatches:\n  - path: /etc/passwd\n",
])
def test_no_kustomization_field_reads_outside_the_repository(tmp_path, outside, kustomization):
    write(tmp_path, "repo/k/kustomization.yaml", kustomization)
    write(tmp_path, "repo/k/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n")
    with pytest.raises(BuildError) as err:
        builder.build(str(tmp_path / "repo"), "./k")
    assert "outside the repository" in err.value.message or "absolute path" in err.value.message
    assert "outside-secret-content" not in err.value.message


def test_a_symlink_inside_the_repository_to_an_outside_file_is_not_followed(tmp_path, outside):
    write(tmp_path, "repo/k/kustomization.yaml", "resources: [cm.yaml]\npatches:\n  - path: p.yaml\n")
    write(tmp_path, "repo/k/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n")
    os.symlink("../../secret.yaml", str(tmp_path / "repo/k/p.yaml"))
    with pytest.raises(BuildError) as err:
        builder.build(str(tmp_path / "repo"), "./k")
    assert "outside the repository" in err.value.message and "outside-secret-content" not in err.value.message
    with pytest.raises(RepositoryError) as err:
        check_symlinks(str(tmp_path / "repo"))
    assert err.value.message == "symlink 'k/p.yaml' points outside the repository"


def test_absolute_symlinks_are_a_repository_error_and_relative_inner_links_are_fine(tmp_path):
    write(tmp_path, "repo/a/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n")
    os.symlink("a", str(tmp_path / "repo/b"))
    check_symlinks(str(tmp_path / "repo"))                          # inside: accepted
    assert names(builder.build(str(tmp_path / "repo"), "./b")) == ["ConfigMap/-/cm"]
    os.symlink(str(tmp_path / "repo/a/cm.yaml"), str(tmp_path / "repo/abs.yaml"))
    with pytest.raises(RepositoryError) as err:
        check_symlinks(str(tmp_path / "repo"))
    assert "abs.yaml" in err.value.message and "absolute" in err.value.message


def test_yaml_errors_and_objects_without_names_point_at_file_and_line(tmp_path):
    write(tmp_path, "k/kustomization.yaml", "resources: [a.yaml]\n")
    write(tmp_path, "k/a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n"
                                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {x: y}\n")
    with pytest.raises(BuildError) as err:
        builder.build(str(tmp_path), "./k")
    assert (err.value.file, err.value.line) == ("k/a.yaml", 5)
    assert err.value.message == "k/a.yaml:5: missing metadata.name in a Kubernetes object (kind ConfigMap)"
    write(tmp_path, "k/a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n")
    with pytest.raises(BuildError) as err:
        builder.build(str(tmp_path), "./k")
    assert err.value.file == "k/a.yaml" and err.value.line == 5 and "failed to decode Kubernetes YAML" in str(err.value)


def test_features_the_builtin_builder_does_not_imitate_are_refused(tmp_path):
    write(tmp_path, "k/kustomization.yaml", "configMapGenerator:\n  - name: x\n    literals: [a=b]\n")
    with pytest.raises(BuildError) as err:
        builder.build(str(tmp_path), "./k")
    assert "configMapGenerator" in err.value.message and "install kubectl or kustomize" in err.value.message


def test_the_plan_lists_the_kustomization_flux_would_generate(tmp_path):
    write(tmp_path, "plain/a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    write(tmp_path, "plain/sub/b.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n")
    write(tmp_path, "plain/unit/kustomization.yaml", "resources: []\n")
    write(tmp_path, "plain/readme.yaml", "title: not an object\n")
    unit = plan.read(str(tmp_path), "plain")
    assert unit.kfile is None and unit.generated == ["a.yaml", "sub/b.yaml", "unit"]

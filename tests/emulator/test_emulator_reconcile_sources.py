"""Every source kind through the emulator: source maps, credentials, new commits, unsafe repositories, live changes."""
import os
import shutil

import pytest

from azext_fluxlite.emulator import cli, live_client

from .emulator_harness import AKS, TUTORIAL_URL, commit_file, flux_body, flux_path, git, make_repo

from tests.gitops_variants import EXAMPLE_REPO, TUTORIAL_KUSTOMIZATIONS

S3 = "https://s3.amazonaws.com"
BLOB = "https://fluxdemo.blob.core.windows.net"
OCI = "oci://ghcr.io/example/manifests"


@pytest.fixture
def artifact(tmp_path):
    """The tutorial manifests as a plain directory (what a bucket, container or OCI artifact holds)."""
    path = tmp_path / "artifact"
    shutil.copytree(EXAMPLE_REPO, str(path))
    return str(path)


def _create(emu, name, body):
    res = emu.put(flux_path(name), body)
    assert res.status_code in (200, 201), res.text
    emu.wait(res)
    return emu.get(flux_path(name)).json()["properties"]


def _source_body(kind, block, **extra):
    props = {"scope": "cluster", "namespace": "cluster-config", "sourceKind": kind, block[0]: block[1],
             "kustomizations": TUTORIAL_KUSTOMIZATIONS}
    props.update(extra)
    return {"properties": props}


def test_bucket_blob_and_oci_sources_reach_compliant_when_mapped(make_emulator, artifact):
    emu = make_emulator(operation_seconds=0, source_map=[
        "{}/flux-bucket={}".format(S3, artifact), "{}/flux-container={}".format(BLOB, artifact),
        "{}={}".format(OCI, artifact)])
    emu.install_flux()
    bucket = _create(emu, "bucket", _source_body("Bucket", ("bucket", {"url": S3, "bucketName": "flux-bucket"})))
    blob = _create(emu, "blob", _source_body("AzureBlob", ("azureBlob", {"url": BLOB + "/",
                                                                         "containerName": "flux-container"})))
    oci = _create(emu, "oci", _source_body("OCIRepository", ("ociRepository", {
        "url": OCI, "repositoryRef": {"tag": "v1"}})))
    for props in (bucket, blob, oci):
        assert props["complianceState"] == "Compliant", props["errorMessage"]
        kinds = {(s["kind"], s["name"]) for s in props["statuses"]}
        assert ("HelmRelease", "podinfo") in kinds and ("HelmRepository", "bitnami") in kinds
    digest = bucket["sourceSyncedCommitId"]
    assert digest.startswith("sha256:") and len(digest) == 71 and blob["sourceSyncedCommitId"] == digest
    assert oci["sourceSyncedCommitId"] == "v1@" + digest
    assert bucket["statuses"][0]["kind"] == "Bucket" and oci["statuses"][0]["kind"] == "OCIRepository"
    # Another artifact content is another revision.
    with open(os.path.join(artifact, "infrastructure", "namespaces.yaml"), "a", encoding="utf-8") as f:
        f.write("---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: extra\n")
    live_client_reconcile(emu, ["bucket"])
    assert emu.get(flux_path("bucket")).json()["properties"]["sourceSyncedCommitId"] != digest


def live_client_reconcile(emu, names=None):
    res = emu.control("POST", "reconcile", json={"names": names} if names else {})
    assert res.status_code == 200, res.text
    return res.json()


def test_sources_that_need_credentials_fail_like_flux_without_them(make_emulator, example_repo, artifact):
    emu = make_emulator(operation_seconds=0, source_map=["{}={}".format(TUTORIAL_URL, example_repo),
                                                         "{}/flux-bucket={}".format(S3, artifact)],
                        source_auth=["{}=https:flux-bot".format(TUTORIAL_URL), "{}/flux-bucket=bucket".format(S3)])
    emu.install_flux()
    anonymous = _create(emu, "anonymous", flux_body())
    assert anonymous["complianceState"] == "Non-Compliant"
    assert anonymous["errorMessage"].startswith(
        "GitRepository cluster-config/anonymous: failed to checkout and determine revision: unable to list remote for "
        "'{}': authentication required".format(TUTORIAL_URL))
    assert anonymous["statuses"][0]["statusConditions"][0]["reason"] == "AuthenticationFailed"
    body = flux_body()
    body["properties"]["gitRepository"]["httpsUser"] = "someone-else"
    body["properties"]["configurationProtectedSettings"] = {"httpsKey": "dG9rZW4="}
    assert "this configuration sets https:someone-else" in _create(emu, "wronguser", body)["errorMessage"]
    body["properties"]["gitRepository"]["httpsUser"] = "flux-bot"
    assert _create(emu, "withtoken", body)["complianceState"] == "Compliant"
    ssh = flux_body()
    ssh["properties"]["configurationProtectedSettings"] = {"sshPrivateKey": "a2V5"}
    assert "needs https:flux-bot" in _create(emu, "withssh", ssh)["errorMessage"]
    secret = flux_body()
    secret["properties"]["gitRepository"]["localAuthRef"] = "git-credentials"
    assert _create(emu, "withsecret", secret)["complianceState"] == "Compliant"

    bucket = _source_body("Bucket", ("bucket", {"url": S3, "bucketName": "flux-bucket"}))
    props = _create(emu, "nokeys", bucket)
    assert "failed to confirm existence of 'flux-bucket' bucket: Access Denied." in props["errorMessage"]
    bucket["properties"]["bucket"]["accessKey"] = "AKIA"
    bucket["properties"]["configurationProtectedSettings"] = {"bucketSecretKey": "c2VjcmV0"}
    assert _create(emu, "withkeys", bucket)["complianceState"] == "Compliant"


def test_a_pushed_commit_shows_up_within_the_sync_interval_or_at_once_on_reconcile(make_emulator, example_repo):
    emu = make_emulator(operation_seconds=0, source_map=["{}={}".format(TUTORIAL_URL, example_repo)])
    emu.install_flux()
    body = flux_body()
    body["properties"]["gitRepository"]["syncIntervalInSeconds"] = 120
    first = _create(emu, "cluster-config", body)["sourceSyncedCommitId"]
    second = commit_file(example_repo, "infrastructure/notes.txt", "one")
    assert emu.get(flux_path()).json()["properties"]["sourceSyncedCommitId"] == first       # not yet due
    emu.advance(121)
    assert emu.get(flux_path()).json()["properties"]["sourceSyncedCommitId"] == "main/" + second
    third = commit_file(example_repo, "infrastructure/notes.txt", "two")
    assert live_client_reconcile(emu, ["cluster-config"])["reconciling"] == [flux_path()]
    assert emu.get(flux_path()).json()["properties"]["sourceSyncedCommitId"] == "main/" + third
    res = emu.control("POST", "reconcile", json={"names": ["nope"]})
    assert res.status_code == 404 and "nope" in res.json()["error"]["message"]


def test_an_unsafe_repository_is_a_source_error_not_a_500(make_emulator, tmp_path):
    repo = make_repo(tmp_path / "unsafe")
    os.symlink("/etc/passwd", os.path.join(repo, "infrastructure", "passwd.yaml"))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "an absolute symlink")
    emu = make_emulator(operation_seconds=0, source_map=["{}={}".format(TUTORIAL_URL, repo)])
    emu.install_flux()
    res = emu.put(flux_path(), flux_body())
    emu.wait(res)
    answer = emu.get(flux_path())
    assert answer.status_code == 200
    props = answer.json()["properties"]
    assert props["complianceState"] == "Non-Compliant"
    assert props["errorMessage"].startswith("GitRepository cluster-config/cluster-config: ")
    assert "passwd.yaml" in props["errorMessage"] and "root:" not in answer.text


def test_a_patch_leaving_the_repository_is_reported_without_its_content(make_emulator, tmp_path):
    repo = make_repo(tmp_path / "escape")
    commit_file(repo, "apps/staging/kustomization.yaml",
                "resources: [../base/podinfo]\npatches:\n  - path: ../../../../../../../../etc/passwd\n")
    emu = make_emulator(operation_seconds=0, source_map=["{}={}".format(TUTORIAL_URL, repo)])
    emu.install_flux()
    res = emu.put(flux_path(), flux_body())
    emu.wait(res)
    answer = emu.get(flux_path())
    props = answer.json()["properties"]
    assert "points outside the repository" in props["errorMessage"] and "root:" not in answer.text


def test_clusters_and_source_maps_can_be_added_to_a_running_emulator(make_emulator, example_repo, artifact):
    emu = make_emulator(operation_seconds=0, cluster=["flux-demo-rg/connectedClusters/flux-demo-arc"])
    state = {"base_url": emu.base + "/", "ca_bundle": emu.bundle, "identity_header": emu.secret}
    assert emu.get(AKS, api="2024-02-01").status_code == 404
    out = live_client.add_cluster(state, ["flux-demo-rg/managedClusters/flux-demo-aks"])
    assert out == "# added cluster {}\n".format(AKS)
    assert emu.get(AKS, api="2024-02-01").status_code == 200
    emu.install_flux()
    props = _create(emu, "late", flux_body())
    assert "--source-map" in props["errorMessage"]
    out = live_client.add_source_map(state, ["{}={}".format(TUTORIAL_URL, example_repo)])
    assert out == "# mapped {} to {}\n".format(TUTORIAL_URL, example_repo)
    assert live_client.reconcile(state, ["late"]) == "# reconciling {} on its next read\n".format(flux_path("late"))
    assert emu.get(flux_path("late")).json()["properties"]["complianceState"] == "Compliant"
    with pytest.raises(SystemExit) as err:
        live_client.add_source_map(state, ["{}={}".format(TUTORIAL_URL, tmp_missing(artifact))])
    assert "no such directory" in str(err.value)
    with pytest.raises(SystemExit) as err:
        live_client.add_cluster(state, ["not-a-cluster"])
    assert str(err.value).startswith("error: --cluster must look like RESOURCE_GROUP/CLUSTER_TYPE/NAME")


def tmp_missing(path):
    return os.path.join(path, "does-not-exist")


def test_start_says_which_kustomize_builds(tmp_path, monkeypatch):
    monkeypatch.setenv("FLUXLITE_KUSTOMIZE", "builtin")
    from azext_fluxlite.emulator import reconcile
    monkeypatch.setattr(reconcile, "_TOOL", [])
    text = cli.banner({"base_url": "https://127.0.0.1:1/", "data_dir": str(tmp_path), "ca_bundle": "b",
                       "identity_endpoint": "e", "identity_header": "h",
                       "kustomize": reconcile.build_tool().describe()})
    assert "# Kustomizations are built with fluxlite's built-in kustomize builder" in text


def test_objects_that_break_the_flux_crds_or_strict_substitution_fail_their_kustomization(make_emulator, tmp_path):
    repo = make_repo(tmp_path / "checks")
    commit_file(repo, "infrastructure/helm-repositories.yaml",
                "apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: bitnami\n"
                "spec:\n  url: https://charts.bitnami.com/bitnami\n  type: docker\n")
    emu = make_emulator(operation_seconds=0, source_map=["{}={}".format(TUTORIAL_URL, repo)])
    emu.install_flux()
    props = _create(emu, "cluster-config", flux_body())
    conditions = {s["name"]: s["statusConditions"][0] for s in props["statuses"] if s["kind"] == "Kustomization"}
    assert conditions["cluster-config-infra"]["reason"] == "ReconciliationFailed"
    assert conditions["cluster-config-infra"]["message"] == (
        'HelmRepository cluster-config/bitnami is invalid: spec.type: Unsupported value: "docker": supported values: '
        '"default", "oci" (infrastructure/helm-repositories.yaml:7)')
    assert conditions["cluster-config-apps"]["reason"] == "DependencyNotReady"
    commit_file(repo, "apps/staging/podinfo-values.yaml",
                "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\nspec:\n"
                "  values:\n    ui:\n      message: ${greeting}\n")
    props = _create(emu, "apps-only", flux_body(kustomizations={
        "apps": {"path": "./apps/staging", "postBuild": {"substitute": {"region": "eu"}}}}))
    (apps,) = [s for s in props["statuses"] if s["name"] == "apps-only-apps"]
    assert apps["statusConditions"][0]["reason"] == "BuildFailed"
    assert apps["statusConditions"][0]["message"].startswith(
        'HelmRelease/podinfo: variable not set (strict mode): "greeting"')

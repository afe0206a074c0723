"""The reconcile simulation against real git repositories."""
import os
import time

import pytest

from .emulator_harness import TUTORIAL_URL, commit_file, flux_body, flux_path, git


@pytest.fixture
def emu(make_emulator, example_repo):
    emu = make_emulator(operation_seconds=0, source_map=["{}={}".format(TUTORIAL_URL, example_repo)])
    emu.install_flux()
    return emu


def _props(emu, name="cluster-config"):
    return emu.get(flux_path(name)).json()["properties"]


def _create(emu, name="cluster-config", **kwargs):
    res = emu.put(flux_path(name), flux_body(**kwargs))
    assert res.status_code in (200, 201), res.text
    emu.wait(res)
    return _props(emu, name)


def _by_name(props):
    return {(s["kind"], s["name"]): s for s in props["statuses"]}


def test_tutorial_configuration_is_compliant_with_every_flux_object(emu, example_repo):
    sha = git(example_repo, "rev-parse", "HEAD")
    props = _create(emu)
    assert props["complianceState"] == "Compliant", props["errorMessage"]
    assert props["errorMessage"] == ""
    assert props["sourceSyncedCommitId"] == "main/" + sha
    assert props["sourceUpdatedAt"] and props["statusUpdatedAt"]
    statuses = _by_name(props)
    assert set(statuses) == {
        ("GitRepository", "cluster-config"), ("Kustomization", "cluster-config-infra"),
        ("Kustomization", "cluster-config-apps"), ("HelmRepository", "bitnami"), ("HelmRepository", "podinfo"),
        ("HelmRelease", "nginx"), ("HelmRelease", "redis"), ("HelmRelease", "podinfo"),
        ("HelmChart", "cluster-config-nginx"), ("HelmChart", "cluster-config-redis"),
        ("HelmChart", "cluster-config-podinfo")}
    assert all(s["namespace"] == "cluster-config" and s["complianceState"] == "Compliant" for s in statuses.values())
    kustomization = statuses[("Kustomization", "cluster-config-apps")]
    assert kustomization["statusConditions"][0] == {
        "lastTransitionTime": kustomization["statusConditions"][0]["lastTransitionTime"],
        "message": "Applied revision: main/" + sha, "reason": "ReconciliationSucceeded", "status": "True",
        "type": "Ready"}
    podinfo = statuses[("HelmRelease", "podinfo")]
    assert podinfo["appliedBy"] == {"name": "cluster-config-apps", "namespace": "cluster-config"}
    assert podinfo["helmReleaseProperties"]["helmChartRef"] == {"name": "cluster-config-podinfo",
                                                                "namespace": "cluster-config"}
    assert podinfo["helmReleaseProperties"]["lastRevisionApplied"] == 1
    assert statuses[("GitRepository", "cluster-config")]["appliedBy"] is None
    # Dependencies come first.
    kinds = [(s["kind"], s["name"]) for s in props["statuses"]]
    assert kinds.index(("Kustomization", "cluster-config-infra")) < kinds.index(("Kustomization", "cluster-config-apps"))


def test_statuses_stay_pending_until_the_operation_completes(make_emulator, example_repo):
    emu = make_emulator(operation_seconds=30, source_map=["{}={}".format(TUTORIAL_URL, example_repo)])
    emu.install_flux()
    res = emu.put(flux_path(), flux_body())
    props = _props(emu)
    assert props["complianceState"] == "Pending" and props["statuses"] == []
    emu.wait(res)
    assert _props(emu)["complianceState"] == "Compliant"


def test_reconcile_seconds_delays_the_statuses(make_emulator, example_repo):
    emu = make_emulator(operation_seconds=0, reconcile_seconds=30,
                        source_map=["{}={}".format(TUTORIAL_URL, example_repo)])
    emu.install_flux()
    emu.put(flux_path(), flux_body())
    props = _props(emu)
    assert props["provisioningState"] == "Succeeded" and props["complianceState"] == "Pending"
    emu.advance(29)
    assert _props(emu)["complianceState"] == "Pending"
    emu.advance(1)
    assert _props(emu)["complianceState"] == "Compliant"


def test_refs_tag_semver_and_commit(emu, example_repo):
    first = git(example_repo, "rev-parse", "HEAD")
    commit_file(example_repo, "notes.txt", "x")
    git(example_repo, "tag", "v1.2.0")
    second = git(example_repo, "rev-parse", "HEAD")
    git(example_repo, "tag", "v2.0.0")
    git(example_repo, "tag", "v1.3.0-rc.1")
    props = _create(emu, "bytag", gitRepository={"url": TUTORIAL_URL, "repositoryRef": {"tag": "v1.0.0"}})
    assert props["sourceSyncedCommitId"] == "v1.0.0/" + first and props["complianceState"] == "Compliant"
    props = _create(emu, "bysemver", gitRepository={"url": TUTORIAL_URL + ".git",
                                                     "repositoryRef": {"semver": ">=1.0.0 <2.0.0"}})
    assert props["sourceSyncedCommitId"] == "v1.2.0/" + second          # no pre-releases, below 2.0.0
    props = _create(emu, "bytilde", gitRepository={"url": TUTORIAL_URL, "repositoryRef": {"semver": "~1.0"}})
    assert props["sourceSyncedCommitId"] == "v1.0.0/" + first
    props = _create(emu, "bycommit", gitRepository={"url": TUTORIAL_URL,
                                                      "repositoryRef": {"branch": "main", "commit": first}})
    assert props["sourceSyncedCommitId"] == "main/" + first


def test_unresolvable_refs_and_sources_are_non_compliant(emu, example_repo):
    props = _create(emu, "badbranch", branch="nope")
    assert props["complianceState"] == "Non-Compliant"
    assert "couldn't find remote ref \"refs/heads/nope\"" in props["errorMessage"]
    source = _by_name(props)[("GitRepository", "badbranch")]
    assert source["complianceState"] == "Non-Compliant" and source["statusConditions"][0]["status"] == "False"
    assert _by_name(props)[("Kustomization", "badbranch-apps")]["statusConditions"][0]["reason"] == "ArtifactFailed"
    props = _create(emu, "nosemver", gitRepository={"url": TUTORIAL_URL, "repositoryRef": {"semver": ">=5.0.0"}})
    assert "no match found for semver" in props["errorMessage"]
    props = _create(emu, "unmapped", url="https://github.com/example/not-mapped")
    assert props["complianceState"] == "Non-Compliant"
    assert "--source-map" in props["errorMessage"]
    props = _create(emu, "localpath", url="file://" + example_repo)
    assert props["complianceState"] == "Compliant"


def test_missing_path_invalid_yaml_and_dependents(emu, example_repo):
    props = _create(emu, "missing", kustomizations={
        "infra": {"path": "./does-not-exist"}, "apps": {"path": "./apps/staging", "dependsOn": ["infra"]}})
    assert props["complianceState"] == "Non-Compliant"
    statuses = _by_name(props)
    infra = statuses[("Kustomization", "missing-infra")]["statusConditions"][0]
    assert infra["reason"] == "BuildFailed" and "kustomization path not found" in infra["message"]
    apps = statuses[("Kustomization", "missing-apps")]["statusConditions"][0]
    assert apps["reason"] == "DependencyNotReady"
    assert apps["message"] == "dependency 'cluster-config/missing-infra' is not ready"
    assert props["errorMessage"].startswith("Kustomization cluster-config/missing-infra: kustomization path not found")
    commit_file(example_repo, "broken/bad.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [unclosed\n")
    props = _create(emu, "badyaml", kustomizations={"broken": {"path": "./broken"}})
    condition = _by_name(props)[("Kustomization", "badyaml-broken")]["statusConditions"][0]
    assert props["complianceState"] == "Non-Compliant" and "failed to decode Kubernetes YAML" in condition["message"]


def test_helm_release_without_its_repository_fails_the_health_check(emu):
    # apps alone: the podinfo HelmRepository lives in ./infrastructure, which is not applied.
    props = _create(emu, "appsonly", kustomizations={"apps": {"path": "./apps/staging"}})
    statuses = _by_name(props)
    assert statuses[("HelmChart", "cluster-config-podinfo")]["complianceState"] == "Non-Compliant"
    assert statuses[("HelmRelease", "podinfo")]["complianceState"] == "Non-Compliant"
    assert statuses[("Kustomization", "appsonly-apps")]["statusConditions"][0]["reason"] == "HealthCheckFailed"
    props = _create(emu, "nowait", kustomizations={"apps": {"path": "./apps/staging", "wait": False}})
    assert _by_name(props)[("Kustomization", "nowait-apps")]["complianceState"] == "Compliant"
    assert props["complianceState"] == "Non-Compliant"        # the HelmRelease itself is still failing


def test_suspend_and_unmapped_source_kinds(emu):
    props = _create(emu, "paused", suspend=True)
    assert props["complianceState"] == "Suspended"
    res = emu.put(flux_path("bucket"), {"properties": {
        "sourceKind": "Bucket", "bucket": {"url": "https://s3.amazonaws.com", "bucketName": "b"},
        "kustomizations": {"k": {"path": "./"}}}})
    emu.wait(res)
    props = _props(emu, "bucket")
    assert props["complianceState"] == "Non-Compliant"
    assert props["errorMessage"] == (
        "Bucket default/bucket: failed to confirm existence of 'b' bucket: the fluxlite emulator has no "
        "network access to Bucket sources; map it to a local directory with --source-map "
        "https://s3.amazonaws.com/b=PATH (az fluxlite emulator add-source-map on a running emulator)")
    assert props["statuses"][0]["kind"] == "Bucket" and props["statuses"][0]["complianceState"] == "Non-Compliant"


def test_a_no_op_update_picks_up_a_new_commit(emu, example_repo):
    _create(emu)
    commit_file(example_repo, "infrastructure/extra.yaml",
                "apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: extra\n"
                "spec:\n  url: https://charts.example.invalid\n")
    with open(os.path.join(example_repo, "infrastructure", "kustomization.yaml"), "a", encoding="utf-8") as f:
        f.write("  - extra.yaml\n")
    git(example_repo, "commit", "-qam", "add a repository")
    new_sha = git(example_repo, "rev-parse", "HEAD")
    assert emu.patch(flux_path(), {"properties": {"gitRepository": {}}}).status_code == 200
    props = _props(emu)
    assert props["sourceSyncedCommitId"] == "main/" + new_sha
    assert ("HelmRepository", "extra") in _by_name(props)


def test_post_build_substitution_applies_to_names(emu, example_repo):
    commit_file(example_repo, "vars/repo.yaml",
                "apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n"
                "  name: charts-${cluster_env}\n  namespace: ${target_ns:=flux-apps}\nspec:\n  url: https://x\n")
    props = _create(emu, "vars", kustomizations={"k": {"path": "./vars",
                                                      "postBuild": {"substitute": {"cluster_env": "prod"}}}})
    status = _by_name(props)[("HelmRepository", "charts-prod")]
    assert status["namespace"] == "flux-apps"


def test_without_a_git_binary_the_source_is_reported_not_crashed(emu, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")          # the in-process emulator's git lookup fails
    props = _create(emu, "nogit")
    assert props["complianceState"] == "Non-Compliant"
    assert "git binary is not installed" in props["errorMessage"]

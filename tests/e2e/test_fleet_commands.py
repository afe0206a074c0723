"""`az k8s-configuration fleet ...` through the installed wheel against the emulator: six clusters in two
resource groups, both cluster types, selected by group, tags and Resource Graph."""
import json

import pytest

from .fleet_clusters import APPLY, NAME, TAG, create_clusters, writes


@pytest.fixture(scope="module")
def fleet(az, emulator):  # pylint: disable=unused-argument
    return create_clusters(emulator)


def _json(res):
    return json.loads(res.stdout)


def test_selection_by_group_tags_and_graph_query(az, fleet):
    res = az.run("k8s-configuration", "fleet", "list-clusters", "-g", "fleet-rg-a")
    assert [c["cluster"] for c in _json(res)] == fleet[:3]
    res = az.run("k8s-configuration", "fleet", "list-clusters", "--tags", TAG + "=yes", "ring=1",
                 "-t", "managedClusters")
    assert [c["cluster"] for c in _json(res)] == [fleet[2], fleet[4]]
    assert _json(res)[0]["tags"] == {"ring": "1", TAG: "yes"} and _json(res)[0]["location"] == "westeurope"
    query = "resources | where tags['{}'] == 'yes' and tags.ring == '2' | project id".format(TAG)
    res = az.run("k8s-configuration", "fleet", "list-clusters", "--graph-query", query)
    assert [c["cluster"] for c in _json(res)] == [fleet[5]]


def test_apply_reapply_change_status_and_delete(az, emulator, fleet):
    select = ["--tags", TAG + "=yes"]
    res = az.run("k8s-configuration", "fleet", "apply", *select, *APPLY, "--branch", "main")
    assert [(r["cluster"], r["action"], r["provisioningState"]) for r in _json(res)] == [
        (cid, "created", "Succeeded") for cid in fleet]
    # Re-apply with nothing changed: all unchanged, and not one write.
    before = len(emulator.requests())
    res = az.run("k8s-configuration", "fleet", "apply", *select, *APPLY, "--branch", "main", "-o", "table")
    assert res.stdout.count("unchanged") == len(fleet)
    assert writes(emulator, before) == []
    # One field changed: every cluster updated, with that field named; the dry run first writes nothing.
    res = az.run("k8s-configuration", "fleet", "apply", *select, *APPLY, "--tag", "v1.0.0", "--dry-run")
    assert {(r["action"], tuple(r["changes"])) for r in _json(res)} == {
        ("updated", ("gitRepository.repositoryRef.branch", "gitRepository.repositoryRef.tag"))}
    assert writes(emulator, before) == []
    res = az.run("k8s-configuration", "fleet", "apply", *select, *APPLY, "--tag", "v1.0.0")
    assert [r["action"] for r in _json(res)] == ["updated"] * len(fleet)
    assert len(writes(emulator, before)) == len(fleet)
    # Status: one Resource Graph query for all of them.
    before = len(emulator.requests())
    res = az.run("k8s-configuration", "fleet", "status", *select, "-n", NAME)
    rows = _json(res)
    assert [r["cluster"] for r in rows] == fleet
    assert {(r["provisioningState"], r["complianceState"]) for r in rows} == {("Succeeded", "Compliant")}
    assert all(r["sourceRevision"].startswith("v1.0.0/") and r["nonCompliantObjects"] == 0 for r in rows), rows
    config_reads = [r for r in emulator.requests()[before:] if "fluxConfigurations" in r["path"]]
    assert config_reads == []
    assert len([r for r in emulator.requests()[before:] if "ResourceGraph" in r["path"]]) == 1
    # Delete from one group: the configurations are gone.
    res = az.run("k8s-configuration", "fleet", "delete", "-g", "fleet-rg-b", "-n", NAME, "--yes")
    assert [r["action"] for r in _json(res)] == ["deleted"] * 3
    assert [emulator.get(cid + "/providers/Microsoft.KubernetesConfiguration/fluxConfigurations/" + NAME,
                         "2025-04-01").status_code for cid in fleet[3:]] == [404] * 3


def test_failures_canary_and_throttling(az, emulator, fleet):
    select = ["-g", "fleet-rg-a"]
    az.run("k8s-configuration", "fleet", "apply", *select, *APPLY, "--branch", "main")
    # A cluster whose operation fails mid-rollout: the others still succeed; results printed, then one ERROR line.
    emulator.inject_fault("fleet-rg-a/providers/Microsoft.Kubernetes/connectedClusters/f2/", method="PUT",
                          code="ReconcileFailed", message="the cluster is unreachable")
    res = az.run("k8s-configuration", "fleet", "apply", *select, *APPLY, "--branch", "release", check=False)
    assert res.returncode == 1
    results = _json(res)
    assert [r["action"] for r in results] == ["updated", "failed", "updated"]
    assert "the cluster is unreachable" in results[1]["error"]
    assert res.stderr.strip().splitlines()[-1] == \
        "ERROR: 1 of 3 clusters failed: fleet-rg-a/connectedClusters/f2"
    # A failing canary: nothing else starts.
    emulator.inject_fault("fleet-rg-a/providers/Microsoft.Kubernetes/connectedClusters/f1/", method="PUT",
                          code="ReconcileFailed", message="canary broke")
    res = az.run("k8s-configuration", "fleet", "apply", *select, *APPLY, "--branch", "main", "--canary", "1",
                 check=False)
    assert res.returncode == 1
    assert [r["action"] for r in _json(res)] == ["failed", "skipped", "skipped"]
    # Throttling: 429 answers slow the run down; no cluster fails.
    before = len(emulator.requests())
    emulator.inject_fault("fleet-rg-a/providers", method="PUT", status=429, code="TooManyRequests",
                          message="slow down", count=3)
    res = az.run("k8s-configuration", "fleet", "apply", *select, *APPLY, "--branch", "main", "--max-parallel", "3")
    assert {r["action"] for r in _json(res)} == {"updated"}
    assert len([r for r in emulator.requests()[before:] if r["status"] == 429]) == 3
    assert "WARNING: Azure Resource Manager is throttling requests (429)" in res.stderr
    assert "running of" not in res.stderr          # no progress line when stderr is not a terminal

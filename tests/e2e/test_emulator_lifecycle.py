"""A configuration's whole life with the real az against the emulator: auto-install of the flux
extension, a multi-second operation, update, the kustomization commands, paging, delete; and a
rejected command that writes nothing.  Each test works on a cluster of its own, so they pass alone and in
any order."""
import json
import time

from .conftest import PAGE_SIZE, TUTORIAL_URL

CFG = ["-n", "life"]


def _json(res):
    return json.loads(res.stdout) if res.stdout.strip() else None


def test_configuration_lifecycle_on_a_cluster_without_the_flux_extension(az, emulator):
    AKS = emulator.new_cluster()
    emulator.clear_requests()
    started = time.time()
    res = az.run("k8s-configuration", "flux", "create", *AKS, *CFG, "--namespace", "life", "-u", TUTORIAL_URL,
                 "--branch", "main", "-k", "name=infra", "path=./infrastructure", "prune=true", "-o", "json")
    elapsed = time.time() - started
    created = _json(res)
    assert "installing it now" in res.stderr
    assert created["provisioningState"] == "Succeeded" and created["complianceState"] == "Compliant"
    # Two operations of emulator.operation_seconds each (extension, then configuration) were followed.
    assert elapsed >= 2 * emulator.operation_seconds
    writes = [(r["method"], r["path"].rsplit("/", 2)[-2]) for r in emulator.requests()
              if r["method"] in ("PUT", "PATCH", "DELETE")]
    assert writes == [("PUT", "extensions"), ("PUT", "fluxConfigurations")]
    flux_ext = _json(az.run("k8s-extension", "show", *AKS, "-n", "flux", "-o", "json"))
    assert flux_ext["extensionType"] == "microsoft.flux" and flux_ext["provisioningState"] == "Succeeded"

    updated = _json(az.run("k8s-configuration", "flux", "update", *AKS, *CFG, "--suspend", "-o", "json"))
    assert updated["suspend"] is True and updated["complianceState"] == "Suspended"
    az.run("k8s-configuration", "flux", "update", *AKS, *CFG, "--suspend", "false")

    az.run("k8s-configuration", "flux", "kustomization", "create", *AKS, *CFG, "-k", "apps",
           "--path", "./apps/staging", "--depends-on", "infra", "--prune", "--substitute", "cluster_env=staging")
    az.run("k8s-configuration", "flux", "kustomization", "update", *AKS, *CFG, "-k", "apps",
           "--path", "./apps/production")
    shown = _json(az.run("k8s-configuration", "flux", "kustomization", "show", *AKS, *CFG, "-k", "apps",
                         "-o", "json"))
    assert shown["apps"]["path"] == "./apps/production" and shown["apps"]["dependsOn"] == ["infra"]
    assert shown["apps"]["postBuild"]["substitute"] == {"cluster_env": "staging"}
    state = az.run("k8s-configuration", "flux", "show", *AKS, *CFG, "--query", "complianceState",
                   "-o", "tsv").stdout.strip()
    assert state == "Compliant"
    table = az.run("k8s-configuration", "flux", "kustomization", "list", *AKS, *CFG, "-o", "table").stdout
    rows = [line.split()[0] for line in table.splitlines()[2:] if line.strip()]
    assert rows == ["infra", "apps"]

    az.run("k8s-configuration", "flux", "kustomization", "delete", *AKS, *CFG, "-k", "apps", "--yes")
    remaining = _json(az.run("k8s-configuration", "flux", "kustomization", "list", *AKS, *CFG, "-o", "json"))
    assert list(remaining) == ["infra"]

    az.run("k8s-configuration", "flux", "delete", *AKS, *CFG, "--yes")
    gone = az.run("k8s-configuration", "flux", "show", *AKS, *CFG, check=False)
    assert gone.returncode == 3 and "was not found" in gone.stderr


def test_list_follows_next_link_across_pages(az, emulator):
    AKS = emulator.new_cluster()
    # Flux first: --no-wait creates below must not each start installing it.
    az.run("k8s-extension", "create", *AKS, "--name", "flux", "--extension-type", "microsoft.flux")
    names = ["page-{}".format(i) for i in range(PAGE_SIZE + 1)]
    for name in names:
        az.run("k8s-configuration", "flux", "create", *AKS, "-n", name, "-u", TUTORIAL_URL, "--branch", "main",
               "-k", "name=infra", "path=./infrastructure", "--no-wait")
    for name in names:
        az.run("k8s-configuration", "flux", "wait", *AKS, "-n", name, "--created", "--interval", "1")
    listed = {c["name"] for c in _json(az.run("k8s-configuration", "flux", "list", *AKS, "-o", "json"))}
    assert set(names) <= listed
    emulator.clear_requests()
    az.run("k8s-configuration", "flux", "list", *AKS, "-o", "json")
    lists = [r for r in emulator.requests() if r["method"] == "GET" and r["path"].endswith("/fluxConfigurations")]
    assert len(lists) == 2   # the first page and its nextLink (PAGE_SIZE + 1 configurations)
    assert "skipToken" in lists[1]["query"]


def test_a_rejected_command_writes_nothing(az, emulator):
    AKS = emulator.new_cluster()
    emulator.clear_requests()
    res = az.run("k8s-configuration", "flux", "create", *AKS, "-n", "bad", "-u", TUTORIAL_URL, "--branch", "main",
                 "-k", "name=apps", "path=./apps", "prune=maybe", check=False)
    assert res.returncode != 0
    assert "prune" in res.stderr and "true" in res.stderr and "Traceback" not in res.stderr
    res = az.run("k8s-configuration", "flux", "create", *AKS, "-n", "bad", "-u", TUTORIAL_URL, "--branch", "main",
                 "-k", "name=apps", "dependsOn=nowhere", check=False)
    assert res.returncode != 0 and "nowhere" in res.stderr
    assert emulator.requests() == []

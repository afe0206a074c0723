"""Through the emulator with the real az: a cluster with a leftover Flux v1 configuration, tried as a user
migrating to Flux v2 would; and `flux status` (--watch) on the tutorial configuration."""
import json

from .conftest import TUTORIAL_URL

KC = "/providers/Microsoft.KubernetesConfiguration/"


def _cluster_path(emulator, args):
    group, name, kind = args[1], args[3], args[5]
    rp = {"managedClusters": "Microsoft.ContainerService", "connectedClusters": "Microsoft.Kubernetes"}[kind]
    return "subscriptions/{}/resourceGroups/{}/providers/{}/{}/{}".format(emulator.subscription_id, group, rp, kind,
                                                                        name)


def test_a_cluster_with_a_flux_v1_configuration_is_migrated(az, emulator):
    cluster = emulator.new_cluster("connectedClusters")
    path = _cluster_path(emulator, cluster) + KC + "sourceControlConfigurations/legacy"
    res = emulator.put(path, {"properties": {"repositoryUrl": "git@github.com:org/legacy.git",
                                             "operatorNamespace": "legacy", "operatorInstanceName": "legacy-op",
                                             "operatorScope": "namespace",
                                             "configurationProtectedSettings": {"sshPrivateKey": "c2VjcmV0"}}},
                       "2022-03-01")
    assert res.status_code == 201, res.text

    listed = az.run("k8s-configuration", "list", *cluster, "-o", "table")
    assert "deprecated" in listed.stderr and "k8s-configuration flux list" in listed.stderr
    assert "legacy-op" in listed.stdout and "git@github.com:org/legacy.git" in listed.stdout

    create = ["k8s-configuration", "flux", "create", *cluster, "-n", "apps", "-u", TUTORIAL_URL, "--branch", "main",
              "--kustomization", "name=infra", "path=./infrastructure"]
    emulator.clear_requests()
    refused = az.run(*create, check=False)
    assert refused.returncode != 0
    assert "Flux v1 configurations already exist on the cluster" in refused.stderr
    assert not [r for r in emulator.requests() if r["method"] in ("PUT", "PATCH", "DELETE")]

    shown = json.loads(az.run("k8s-configuration", "show", *cluster, "-n", "legacy", "-o", "json").stdout)
    assert shown["operatorInstanceName"] == "legacy-op" and shown["configurationProtectedSettings"] == {
        "sshPrivateKey": ""}
    az.run("k8s-configuration", "delete", *cluster, "-n", "legacy", "--yes")
    gone = az.run("k8s-configuration", "show", *cluster, "-n", "legacy", check=False)
    assert gone.returncode == 3
    assert "SourceControlConfiguration with name 'legacy' not found" in gone.stderr

    created = json.loads(az.run(*create, "-o", "json").stdout)          # installs microsoft.flux, then creates
    assert created["provisioningState"] == "Succeeded"


def test_status_shows_and_watches_the_tutorial_until_compliant(az, emulator):
    cluster = emulator.new_cluster("connectedClusters")
    az.run("k8s-configuration", "flux", "create", *cluster, "-n", "cluster-config", "--namespace", "cluster-config",
           "-u", TUTORIAL_URL, "--branch", "main", "--kustomization", "name=infra", "path=./infrastructure",
           "prune=true", "--kustomization", "name=apps", "path=./apps/staging", "prune=true", "dependsOn=infra")
    watched = az.run("k8s-configuration", "flux", "status", *cluster, "-n", "cluster-config", "--watch",
                     "--timeout", "4s", check=False)
    assert watched.returncode == 0, watched.stderr
    assert "Flux configuration cluster-config: Compliant" in watched.stdout
    data = json.loads(az.run("k8s-configuration", "flux", "status", *cluster, "-n", "cluster-config", "--all",
                             "-o", "json").stdout)
    assert [k["name"] for k in data["kustomizations"]] == ["infra", "apps"]
    assert data["source"]["ready"] is True and data["source"]["revision"]
    assert all(k["complianceState"] == "Compliant" and k["revision"] for k in data["kustomizations"])
    assert {o["kind"] for k in data["kustomizations"] for o in k["objects"]} >= {"HelmRelease", "HelmRepository"}
    text = az.run("k8s-configuration", "flux", "status", *cluster, "-n", "cluster-config").stdout
    assert "\033[" not in text and text.index("infra") < text.index("apps")
    # A path the repository does not have: the watch ends Non-Compliant, exit 1, and says where it fails.
    az.run("k8s-configuration", "flux", "kustomization", "update", *cluster, "-n", "cluster-config", "-k", "apps",
           "--path", "./apps/nowhere")
    broken = az.run("k8s-configuration", "flux", "status", *cluster, "-n", "cluster-config", "--watch",
                    "--timeout", "2s", check=False)
    assert broken.returncode == 1
    assert "ended Non-Compliant" in broken.stderr
    assert "Flux configuration cluster-config: Non-Compliant" in broken.stdout and "nowhere" in broken.stdout


def test_what_if_of_a_dry_run_is_the_change_the_request_then_makes(az, emulator):
    from azext_fluxlite.flux import whatif
    cluster = emulator.new_cluster("connectedClusters")
    path = _cluster_path(emulator, cluster) + KC + "fluxConfigurations/whatif"
    az.run("k8s-configuration", "flux", "create", *cluster, "-n", "whatif", "--namespace", "whatif", "-u", TUTORIAL_URL,
           "--branch", "main", "--kustomization", "name=infra", "path=./infrastructure", "prune=true",
           "--kustomization", "name=apps", "path=./apps/staging", "dependsOn=infra")
    change = [["k8s-configuration", "flux", "update", *cluster, "-n", "whatif", "--tag", "v1.0.0", "--interval", "5m"],
              ["k8s-configuration", "flux", "kustomization", "update", *cluster, "-n", "whatif", "-k", "apps",
               "--path", "./apps/production", "--prune", "true"],
              ["k8s-configuration", "flux", "kustomization", "delete", *cluster, "-n", "whatif", "-k", "apps",
               "--yes"]]
    for command in change:
        predicted = az.run(*command, "--dry-run").stderr
        before = emulator.get(path, "2025-04-01").json()
        az.run(*command)
        after = emulator.get(path, "2025-04-01").json()
        actual = whatif.render(whatif.flux_put_changes(before, after), "x")[1:]
        shown = [line for line in predicted.splitlines() if line.startswith("  ")]
        assert shown == actual, (command, predicted)
        assert len(actual) > 1                              # something changed, and the count line

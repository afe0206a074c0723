"""The wheel's `az k8s-configuration flux build` (no login) and `az fluxlite emulator reconcile|add-*`."""
import json
import shutil

from tests.gitops_variants import TUTORIAL_ARGS, bad_yaml

from .conftest import EXAMPLE_REPO, make_example_repo


def test_flux_build_from_the_wheel_needs_no_login(installed_az, tmp_path):
    res = installed_az.run("k8s-configuration", "flux", "build", "--source-dir", EXAMPLE_REPO, *TUTORIAL_ARGS)
    assert res.stdout.splitlines() == ["ok     infra  ./infrastructure  (6 objects)",
                                       "ok     apps   ./apps/staging  (2 objects)"]
    assert "Building with " in res.stderr
    broken = bad_yaml(tmp_path / "broken")
    res = installed_az.run("k8s-configuration", "flux", "build", "--source-dir", broken, *TUTORIAL_ARGS, "-o", "json",
                           check=False)
    assert res.returncode != 0 and "Traceback" not in res.stderr
    (error,) = json.loads(res.stdout)["errors"]
    assert (error["file"], error["line"], error["kustomization"]) == ("infrastructure/redis.yaml", 10, "infra")
    assert "ERROR: 1 error in the kustomizations built from the repository" in res.stderr


def test_reconcile_add_cluster_and_add_source_map_on_the_running_emulator(az, tmp_path):
    res = az.run("fluxlite", "emulator", "add-cluster", "--cluster", "live-rg/connectedClusters/live-arc")
    assert res.stdout.startswith("# added cluster /subscriptions/") and res.stdout.rstrip().endswith(
        "/resourceGroups/live-rg/providers/Microsoft.Kubernetes/connectedClusters/live-arc")
    manifests = tmp_path / "manifests"
    shutil.copytree(EXAMPLE_REPO, str(manifests))
    res = az.run("fluxlite", "emulator", "add-source-map", "--source-map", "oci://ghcr.io/live/manifests={}".format(
        manifests), "--source-auth", "oci://ghcr.io/live/manifests=oci")
    assert res.stdout == "# mapped oci://ghcr.io/live/manifests to {} (needs oci credentials)\n".format(manifests)
    res = az.run("fluxlite", "emulator", "reconcile", "-n", "no-such-configuration", check=False)
    assert res.returncode != 0 and "no-such-configuration" in res.stderr and "Traceback" not in res.stderr
    repo = make_example_repo(tmp_path / "late-repo")
    res = az.run("fluxlite", "emulator", "add-source-map", "--source-map",
                 "https://example.invalid/late={}".format(repo))
    assert res.stdout == "# mapped https://example.invalid/late to {}\n".format(repo)

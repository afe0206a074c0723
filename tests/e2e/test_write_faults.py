"""The real az against the emulator answering one transient fault per write: the write is retried, not lost."""
import json

from .conftest import TUTORIAL_URL


def test_flux_update_and_extension_update_survive_one_transient_fault_each(az, emulator):
    cluster = emulator.new_cluster()
    az.run("k8s-configuration", "flux", "create", *cluster, "-n", "faulty", "-u", TUTORIAL_URL, "--branch", "main",
           "-k", "name=infra", "path=./infrastructure")
    name = cluster[cluster.index("-c") + 1]
    for status, target, command in (
            (502, "/fluxConfigurations/faulty", ["k8s-configuration", "flux", "update", *cluster, "-n", "faulty",
                                                 "--branch", "dev"]),
            (429, "/extensions/flux", ["k8s-extension", "update", *cluster, "-n", "flux", "--config",
                                       "helm-controller.detectDrift=true", "--yes"])):
        emulator.clear_requests()
        emulator.inject_fault(name + "/providers/Microsoft.KubernetesConfiguration" + target, method="PATCH",
                              status=status, code="Transient", message="try again")
        res = az.run(*command, "-o", "json")
        assert json.loads(res.stdout)["provisioningState"] == "Succeeded"
        patches = [r["status"] for r in emulator.requests() if r["method"] == "PATCH"]
        assert patches[0] == status and len(patches) == 2 and 200 <= patches[1] < 300
    shown = json.loads(az.run("k8s-configuration", "flux", "show", *cluster, "-n", "faulty", "-o", "json").stdout)
    assert shown["gitRepository"]["repositoryRef"]["branch"] == "dev"

"""The Python API against the emulator, authenticated with azure-identity's ManagedIdentityCredential,
in a Python that cannot import azure.cli or knack (as in a CI job without az)."""
import json
import os
import subprocess
import sys

from .fleet_clusters import REPO_ROOT, create_clusters

CLUSTERS = [("fleet-rg-api", "connectedClusters", "p1", {}), ("fleet-rg-api", "managedClusters", "p2", {}),
            ("fleet-rg-api", "connectedClusters", "p3", {})]

SCRIPT = r"""
import json, sys

class NoAz:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "knack" or name.startswith("azure.cli"):
            raise ImportError("az is not installed here: " + name)
sys.meta_path.insert(0, NoAz())

from azure.identity import ManagedIdentityCredential
from azext_fluxlite.api import Fluxlite, errors

base_url, subscription, bundle = sys.argv[1:4]
flux = Fluxlite(ManagedIdentityCredential(), subscription, endpoint=base_url, connection_verify=bundle)
out = {}
source = dict(url="https://github.com/Azure/gitops-flux2-kustomize-helm-mt", branch="main", namespace="cluster-config",
              kustomizations=["name=infra path=./infrastructure prune=true",
                              {"name": "apps", "path": "./apps/staging", "prune": True, "dependsOn": ["infra"]}])
try:
    flux.fleet_apply("api-config", resource_group="fleet-rg-api", url=source["url"],
                     kustomizations=["name=apps pruen=true"])
except errors.FluxliteError as exc:
    out["bad"] = [type(exc).__name__, exc.message]
out["plan"] = flux.fleet_apply("api-config", resource_group="fleet-rg-api", dry_run=True, **source)
out["apply"] = flux.fleet_apply("api-config", resource_group="fleet-rg-api", canary=1, **source)
out["again"] = flux.fleet_apply("api-config", resource_group="fleet-rg-api", **source)
out["status"] = flux.fleet_status("api-config", resource_group="fleet-rg-api")
cluster = out["apply"][0]["cluster"]
out["show"] = flux.show(cluster, "api-config")["complianceState"]
out["compliant"] = flux.wait_for_compliance(cluster, "api-config", timeout="2m")["complianceState"]
out["single"] = flux.create(("fleet-rg-api", "connectedClusters", "p3"), "single", **source)["provisioningState"]
out["deleted_single"] = flux.delete(("fleet-rg-api", "connectedClusters", "p3"), "single")
out["delete"] = flux.fleet_delete("api-config", resource_group="fleet-rg-api")
out["loaded"] = sorted({m.split(".")[0] for m in sys.modules if m.startswith(("azure.cli", "knack"))})
print(json.dumps(out))
"""


def test_python_api_with_an_azure_identity_credential_and_no_az(emulator):
    ids = create_clusters(emulator, CLUSTERS, tag_value="api")  # not selected by the fleet command tests
    env = dict(os.environ, **emulator.env)
    env["PYTHONPATH"] = REPO_ROOT
    proc = subprocess.run([sys.executable, "-c", SCRIPT, emulator.base_url, emulator.subscription_id, emulator.bundle],
                          env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["bad"][0] == "InvalidArgumentValueError" and "pruen" in out["bad"][1]
    assert [(r["cluster"], r["action"]) for r in out["plan"]] == [(cid, "created") for cid in ids]
    assert [r["action"] for r in out["apply"]] == ["created"] * 3
    assert [r["action"] for r in out["again"]] == ["unchanged"] * 3
    assert [r["complianceState"] for r in out["status"]] == ["Compliant"] * 3
    assert out["show"] == "Compliant" and out["compliant"] == "Compliant"
    assert out["single"] == "Succeeded" and out["deleted_single"] is True
    assert [r["action"] for r in out["delete"]] == ["deleted"] * 3
    assert out["loaded"] == []

"""fleet/selection.py: the selection flags are checked before anything is sent."""
import subprocess
import sys

import pytest

from azext_fluxlite.core.errors import ArgumentUsageError, InvalidArgumentValueError
from azext_fluxlite.fleet.engine import check_rollout_options
from azext_fluxlite.fleet.selection import check_selection, parse_cluster_id, parse_tags

ARC = "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Kubernetes/connectedClusters/c1"


def test_cluster_ids_of_the_three_flux_cluster_types():
    assert parse_cluster_id(ARC).display == "Microsoft.Kubernetes/connectedClusters/c1"
    aks = parse_cluster_id(ARC.replace("Microsoft.Kubernetes/connectedClusters",
                                       "Microsoft.ContainerService/managedClusters"))
    assert (aks.cluster_type, aks.resource_group) == ("managedClusters", "rg1")
    hybrid = parse_cluster_id(ARC.replace("Microsoft.Kubernetes/connectedClusters",
                                          "Microsoft.HybridContainerService/provisionedClusters"))
    assert hybrid.cluster_rp == "microsoft.hybridcontainerservice"


@pytest.mark.parametrize("bad", ["c1", ARC + "/extra", ARC.replace("Microsoft.Kubernetes", "Microsoft.Compute"),
                                 ARC.replace("connectedClusters", "fleets")])
def test_bad_cluster_ids_name_the_flag(bad):
    with pytest.raises(InvalidArgumentValueError, match="--cluster-ids"):
        check_selection(cluster_ids=[bad])


def test_tags_and_their_errors():
    assert parse_tags(["env=prod", "team", "note=a=b"]) == {"env": "prod", "team": None, "note": "a=b"}
    with pytest.raises(InvalidArgumentValueError, match="--tags"):
        parse_tags(["=prod"])


def test_a_selection_is_required_and_type_must_run_flux():
    with pytest.raises(ArgumentUsageError, match="--cluster-ids, --resource-group/-g, --tags or --graph-query"):
        check_selection()
    with pytest.raises(InvalidArgumentValueError, match="--cluster-type"):
        check_selection(resource_group="rg", cluster_type="fleets")
    assert check_selection(cluster_ids=[ARC + " " + ARC.replace("c1", "c2")]).cluster_ids[1].endswith("/c2")


@pytest.mark.parametrize("options, flag", [((0, 0, None), "--max-parallel"), ((201, 0, None), "--max-parallel"),
                                           ((10, -1, None), "--canary"), ((10, 0, 0), "--max-failures")])
def test_rollout_options(options, flag):
    with pytest.raises(InvalidArgumentValueError, match=flag):
        check_rollout_options(*options)


def test_fleet_engine_and_api_import_without_az():
    code = ("import sys\n"
            "class Block:\n"
            "    def find_spec(self, name, path=None, target=None):\n"
            "        if name.split('.')[0] == 'knack' or name.startswith('azure.cli'):\n"
            "            raise ImportError('blocked: ' + name)\n"
            "sys.meta_path.insert(0, Block())\n"
            "import azext_fluxlite.api, azext_fluxlite.fleet.engine, azext_fluxlite.fleet.status\n"
            "import azext_fluxlite.fleet.selection, azext_fluxlite.fleet.transport\n"
            "assert not [m for m in sys.modules if m.startswith(('azure.cli', 'knack'))]\n"
            "print('ok')\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout.strip() == "ok", proc.stderr

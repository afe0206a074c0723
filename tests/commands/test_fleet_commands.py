"""`az k8s-configuration fleet ...` in-process, with `responses` standing in for ARM."""
import json

import responses

from .conftest import ARM, SUB, cluster_path
from .fakes import EXT_API, FLUX_API, add_json, extension_resource, flux_resource, json_body, no_flux_v1

LIST_ARC = ARM + "/subscriptions/{}/resourceGroups/rg1/providers/Microsoft.Kubernetes/connectedClusters".format(SUB)
LIST_AKS = ARM + "/subscriptions/{}/resourceGroups/rg1/providers/Microsoft.ContainerService/managedClusters".format(SUB)
GRAPH = ARM + "/providers/Microsoft.ResourceGraph/resources?api-version=2022-10-01"
# The configuration fakes.flux_resource() describes, as fleet apply flags.
SAME = ("-n cfg -u https://github.com/x/y --branch main -k name=infra path=./infrastructure prune=true")


def url(kind, child=None, query=FLUX_API, name="c1"):
    """URL of a Microsoft.KubernetesConfiguration resource (or collection) of cluster `name` in rg1."""
    path = cluster_path(name=name) + "/providers/Microsoft.KubernetesConfiguration/" + kind
    return ARM + path + ("/" + child if child else "") + "?" + query


def _cluster(name, tags=None, location="eastus"):
    return {"id": cluster_path(name=name), "name": name, "type": "Microsoft.Kubernetes/connectedClusters",
            "location": location, "tags": tags or {}}


def _list(arm, arc_names, aks=()):
    add_json(arm, responses.GET, LIST_ARC + "?api-version=2024-01-01", {"value": [_cluster(n) for n in arc_names]})
    add_json(arm, responses.GET, LIST_AKS + "?api-version=2025-01-01", {"value": list(aks)})


def _config(arm, name, body=None):
    if body is None:
        add_json(arm, responses.GET, url("fluxConfigurations", "cfg", name=name),
                 {"error": {"code": "ResourceNotFound", "message": "not found"}}, status=404)
    else:
        add_json(arm, responses.GET, url("fluxConfigurations", "cfg", name=name), body)


def _put_ok(arm, name, status=200):
    add_json(arm, responses.PUT, url("fluxConfigurations", "cfg", name=name), flux_resource(name="cfg"), status=status)


def test_list_clusters_shows_what_a_resource_group_resolves_to(run_az, arm):
    _list(arm, ["c2", "c1"])
    res = run_az("k8s-configuration fleet list-clusters -g rg1")
    assert res.exit_code == 0, res.stderr
    assert [c["cluster"] for c in res.result] == [cluster_path(name="c1"), cluster_path(name="c2")]
    assert res.result[0] == {"cluster": cluster_path(name="c1"), "resourceGroup": "rg1",
                             "clusterType": "connectedClusters", "location": "eastus", "tags": {}}


def test_apply_creates_updates_and_leaves_equal_configurations_alone(run_az, arm):
    _list(arm, ["c1", "c2", "c3"])
    _config(arm, "c1")                                   # none yet: created (flux installed first)
    add_json(arm, responses.GET, url("extensions", query=EXT_API, name="c1"), {"value": []})
    no_flux_v1(arm)                                      # cluster c1
    add_json(arm, responses.PUT, url("extensions", "flux", query=EXT_API, name="c1"), extension_resource(name="flux"))
    _put_ok(arm, "c1", status=201)
    _config(arm, "c2", flux_resource())                  # equal: unchanged, no write
    changed = flux_resource()
    changed["properties"]["gitRepository"]["repositoryRef"] = {"branch": "dev"}
    _config(arm, "c3", changed)                          # another branch: updated
    _put_ok(arm, "c3")
    res = run_az("k8s-configuration fleet apply -g rg1 " + SAME)
    assert res.exit_code == 0, res.stderr
    by_name = {r["cluster"].rsplit("/", 1)[1]: r for r in res.result}
    assert by_name["c1"]["action"] == "created"
    assert by_name["c2"]["action"] == "unchanged"
    assert by_name["c3"]["action"] == "updated"
    assert by_name["c3"]["changes"] == ["gitRepository.repositoryRef.branch"]
    written = sorted((w.method, w.url.split("?")[0]) for w in res.writes)
    assert written == sorted([("PUT", url("extensions", "flux", name="c1").split("?")[0]),
                              ("PUT", url("fluxConfigurations", "cfg", name="c1").split("?")[0]),
                              ("PUT", url("fluxConfigurations", "cfg", name="c3").split("?")[0])])
    put = [w for w in res.writes if "c3/providers" in w.url][0]
    assert json_body(put)["properties"]["gitRepository"] == {"url": "https://github.com/x/y",
                                                             "repositoryRef": {"branch": "main"}}


def test_dry_run_plans_per_cluster_and_writes_nothing(run_az, arm):
    _list(arm, ["c1", "c2"])
    _config(arm, "c1")
    add_json(arm, responses.GET, url("extensions", query=EXT_API, name="c1"), {"value": []})
    no_flux_v1(arm)                                      # cluster c1
    pruned = flux_resource()
    pruned["properties"]["kustomizations"]["infra"]["prune"] = False
    _config(arm, "c2", pruned)
    res = run_az("k8s-configuration fleet apply -g rg1 --dry-run " + SAME)
    assert res.exit_code == 0, res.stderr
    assert res.writes == []
    assert [(r["action"], r["changes"]) for r in res.result] == [
        ("created", ["extensions.flux (microsoft.flux installed first)"]),
        ("updated", ["kustomizations.infra.prune"])]


def test_failed_cluster_results_are_printed_then_one_error_line_and_exit_1(run_az, arm):
    _list(arm, ["c1", "c2"])
    changed = flux_resource()
    changed["properties"]["suspend"] = True
    _config(arm, "c1", changed)
    _put_ok(arm, "c1")
    _config(arm, "c2", changed)
    add_json(arm, responses.PUT, url("fluxConfigurations", "cfg", name="c2"),
             {"error": {"code": "ValidationFailed", "message": "the namespace cannot change"}}, status=400)
    res = run_az("k8s-configuration fleet apply -g rg1 " + SAME)
    assert res.exit_code == 1
    printed = json.loads(res.stdout)
    assert [(r["action"], r["error"]) for r in printed] == [
        ("updated", None), ("failed", "(ValidationFailed) the namespace cannot change")]
    errors = [line for line in res.stderr.splitlines() if line.startswith("ERROR")]
    assert errors == ["ERROR: 1 of 2 clusters failed: rg1/connectedClusters/c2"]


def test_bad_kustomization_is_rejected_before_any_request(run_az, arm):
    res = run_az("k8s-configuration fleet apply -g rg1 -n cfg -u https://github.com/x/y --branch main "
                 "-k name=apps pruen=true")
    assert res.exit_code != 0
    assert "pruen" in res.stderr and "Traceback" not in res.stderr
    assert len(arm.calls) == 0


def test_missing_url_names_the_flag_and_sends_nothing(run_az, arm):
    res = run_az("k8s-configuration fleet apply -g rg1 -n cfg --branch main")
    assert res.exit_code != 0
    assert "--url" in res.stderr
    assert len(arm.calls) == 0


def test_no_selection_is_a_usage_error(run_az, arm):
    res = run_az("k8s-configuration fleet status -n cfg")
    assert res.exit_code != 0
    assert "--cluster-ids, --resource-group/-g, --tags or --graph-query" in res.stderr
    assert len(arm.calls) == 0


def test_empty_selection_says_what_was_searched(run_az, arm):
    _list(arm, [])
    res = run_az("k8s-configuration fleet list-clusters -g rg1 --tags env=prod")
    assert res.exit_code != 0
    assert ("No clusters found: searched resource group 'rg1' (connectedClusters, managedClusters) with tags "
            "env=prod.") in res.stderr


def test_tags_filter_the_resource_group(run_az, arm):
    add_json(arm, responses.GET, LIST_ARC + "?api-version=2024-01-01",
             {"value": [_cluster("c1", {"env": "prod"}), _cluster("c2", {"env": "dev"}), _cluster("c3", {"Env": "prod"})]})
    add_json(arm, responses.GET, LIST_AKS + "?api-version=2025-01-01", {"value": []})
    res = run_az("k8s-configuration fleet list-clusters -g rg1 --tags env=prod")
    assert res.exit_code == 0, res.stderr
    assert [c["cluster"].rsplit("/", 1)[1] for c in res.result] == ["c1", "c3"]


def test_status_reads_every_cluster_with_one_resource_graph_query(run_az, arm):
    _list(arm, ["c1", "c2"])
    failing = flux_resource(compliance="Non-Compliant", statuses=[
        {"name": "apps", "namespace": "flux-system", "kind": "Kustomization", "complianceState": "Non-Compliant",
         "statusConditions": [{"type": "Ready", "message": "kustomize build failed"}]}])
    failing["properties"]["sourceSyncedCommitId"] = "main@sha1:abc"
    add_json(arm, responses.POST, GRAPH, {"totalRecords": 1, "count": 1, "data": [
        {"id": cluster_path(name="c1") + "/providers/Microsoft.KubernetesConfiguration/fluxConfigurations/cfg",
         "name": "cfg", "properties": failing["properties"]}]})
    res = run_az("k8s-configuration fleet status -g rg1 -n cfg")
    assert res.exit_code == 0, res.stderr
    assert res.result == [
        {"cluster": cluster_path(name="c1"), "resourceGroup": "rg1", "clusterType": "connectedClusters",
         "provisioningState": "Succeeded", "complianceState": "Non-Compliant", "sourceRevision": "main@sha1:abc",
         "nonCompliantObjects": 1, "message": "Kustomization flux-system/apps: kustomize build failed"},
        {"cluster": cluster_path(name="c2"), "resourceGroup": "rg1", "clusterType": "connectedClusters",
         "provisioningState": None, "complianceState": None, "sourceRevision": None, "nonCompliantObjects": None,
         "message": "no flux configuration 'cfg' on this cluster"}]
    graph_calls = [c for c in arm.calls if "ResourceGraph" in c.request.url]
    assert len(graph_calls) == 1
    query = json_body(graph_calls[0].request)
    assert query["options"]["$top"] == 1000 and "kubernetesconfigurationresources" in query["query"]
    assert not any("fluxConfigurations/cfg" in c.request.url for c in arm.calls)


def test_status_falls_back_to_gets_and_says_so(run_az, arm):
    _list(arm, ["c1"])
    add_json(arm, responses.POST, GRAPH, {"error": {"code": "Forbidden", "message": "no access"}}, status=403)
    _config(arm, "c1", flux_resource())
    res = run_az("k8s-configuration fleet status -g rg1 -n cfg")
    assert res.exit_code == 0, res.stderr
    assert res.result[0]["complianceState"] == "Compliant"
    assert "Azure Resource Graph is not available" in res.stderr
    assert "reading each cluster's configuration instead (1 requests)" in res.stderr


def test_delete_asks_once_and_reports_each_cluster(run_az, arm):
    _list(arm, ["c1", "c2"])
    _config(arm, "c1", flux_resource())
    arm.add(responses.DELETE, url("fluxConfigurations", "cfg", name="c1").split("?")[0], status=200)
    _config(arm, "c2")
    res = run_az("k8s-configuration fleet delete -g rg1 -n cfg")
    assert res.exit_code != 0 and "--yes" in res.stderr and res.writes == []
    res = run_az("k8s-configuration fleet delete -g rg1 -n cfg --yes")
    assert res.exit_code == 0, res.stdout
    assert [r["action"] for r in res.result] == ["deleted", "unchanged"]
    assert [w.method for w in res.writes] == ["DELETE"]


def test_status_follows_resource_graph_pages_and_graph_query_selects(run_az, arm):
    rows = [{"id": cluster_path(name="c{}".format(i)), "location": "eastus", "tags": {"ring": "1"}} for i in (1, 2)]
    config = flux_resource()["properties"]
    pages = [{"data": rows, "count": 2}, {"data": [{"id": cluster_path(name="c1") + "/providers/Microsoft."
                                                          "KubernetesConfiguration/fluxConfigurations/cfg",
                                                    "properties": config}], "$skipToken": "next"},
             {"data": [{"id": cluster_path(name="c2") + "/providers/Microsoft.KubernetesConfiguration/"
                                                        "fluxConfigurations/cfg", "properties": config}]}]
    for page in pages:
        add_json(arm, responses.POST, GRAPH, page)
    res = run_az(["k8s-configuration", "fleet", "status", "-n", "cfg", "--graph-query",
                  "resources | where tags.ring == '1' | project id, location, tags"])
    assert res.exit_code == 0, res.stderr
    assert [r["complianceState"] for r in res.result] == ["Compliant", "Compliant"]
    bodies = [json_body(c.request) for c in arm.calls if "ResourceGraph" in c.request.url]
    assert [b["options"].get("$skipToken") for b in bodies] == [None, None, "next"]
    assert bodies[0]["query"] == "resources | where tags.ring == '1' | project id, location, tags"
    assert not any("connectedClusters/c1?" in c.request.url for c in arm.calls)    # rows carried location and tags


def test_a_namespace_change_fails_that_cluster_without_a_write(run_az, arm):
    _list(arm, ["c1"])
    _config(arm, "c1", flux_resource())          # namespace "default"
    res = run_az("k8s-configuration fleet apply -g rg1 --namespace other " + SAME)
    assert res.exit_code == 1 and res.writes == []
    assert json.loads(res.stdout)[0]["error"] == (
        "The --namespace of flux configuration 'cfg' cannot change (namespace default on this cluster): delete it "
        "first ('az k8s-configuration fleet delete') or use another --name.")


def test_a_provisioned_cluster_id_is_read_with_an_api_version_that_has_provisioned_clusters(run_az, arm):
    hybrid = "/subscriptions/{}/resourceGroups/rg1/providers/Microsoft.HybridContainerService/provisionedClusters/" \
             "h1".format(SUB)
    # The cluster RP goes out in the originals' lower case constant.
    add_json(arm, responses.GET, ARM + hybrid.replace("Microsoft.HybridContainerService",
                                                      "microsoft.hybridcontainerservice") +
             "?api-version=2022-05-01-preview",
             {"id": hybrid, "name": "h1", "type": "Microsoft.HybridContainerService/provisionedClusters",
              "location": "eastus", "tags": {"ring": "1"}})
    res = run_az("k8s-configuration fleet list-clusters --cluster-ids " + hybrid)
    assert res.exit_code == 0, res.stderr
    assert [(c["clusterType"], c["location"], c["tags"]) for c in res.result] == [
        ("provisionedClusters", "eastus", {"ring": "1"})]

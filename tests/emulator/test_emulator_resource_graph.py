"""The emulator's Azure Resource Graph and cluster listing (what `az k8s-configuration fleet` reads)."""
from .emulator_harness import ARC, SUB, flux_body, flux_path

GRAPH = "/providers/Microsoft.ResourceGraph/resources"
GRAPH_API = "2022-10-01"


def _clusters(emulator, count, rg="graph-rg"):
    for i in range(count):
        path = "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Kubernetes/connectedClusters/g{:02d}".format(
            SUB, rg, i)
        res = emulator.put(path, {"location": "westeurope", "tags": {"ring": str(i % 2)}}, api="2024-01-01")
        assert res.status_code in (200, 201), res.text


def test_cluster_listing_by_group_and_subscription_pages_with_next_link(make_emulator):
    emulator = make_emulator(page_size=2)
    _clusters(emulator, 3)
    url = "/subscriptions/{}/resourceGroups/graph-rg/providers/Microsoft.Kubernetes/connectedClusters".format(SUB)
    page = emulator.get(url, api="2024-01-01").json()
    names = [c["name"] for c in page["value"]]
    page = emulator.get(page["nextLink"]).json()
    names += [c["name"] for c in page["value"]]
    assert names == ["g00", "g01", "g02"] and "nextLink" not in page
    assert emulator.get(url.replace("graph-rg", "nope"), api="2024-01-01").json()["error"]["code"] == \
        "ResourceGroupNotFound"
    everywhere = emulator.get("/subscriptions/{}/providers/Microsoft.Kubernetes/connectedClusters".format(SUB),
                              api="2024-01-01", params={"$skipToken": "0"}).json()
    assert everywhere["value"][0]["tags"] == {} and everywhere["nextLink"]       # flux-demo-arc, then g00...


def test_resource_graph_pages_and_tables(emulator):
    _clusters(emulator, 5)
    query = "resources | where tags.ring == '1' | project id, name, tags | order by name"
    first = emulator.call("POST", GRAPH, {"subscriptions": [SUB], "query": query, "options": {"$top": 1}},
                          api=GRAPH_API).json()
    assert first["totalRecords"] == 2 and first["count"] == 1 and first["data"][0]["name"] == "g01"
    second = emulator.call("POST", GRAPH, {"subscriptions": [SUB], "query": query,
                                           "options": {"$top": 1, "$skipToken": first["$skipToken"]}},
                           api=GRAPH_API).json()
    assert second["data"][0]["name"] == "g03" and "$skipToken" not in second
    table = emulator.call("POST", GRAPH, {"query": "resources | where name == 'g00' | project id, location",
                                          "options": {"resultFormat": "table"}}, api=GRAPH_API).json()
    assert table["data"]["rows"] == [["/subscriptions/{}/resourceGroups/graph-rg/providers/Microsoft.Kubernetes/"
                                      "connectedClusters/g00".format(SUB), "westeurope"]]


def test_flux_configurations_are_rows_of_kubernetesconfigurationresources(emulator):
    res = emulator.put(flux_path(), flux_body())
    emulator.wait(res)
    query = ("kubernetesconfigurationresources | where type =~ 'microsoft.kubernetesconfiguration/fluxconfigurations'"
             " | project id, name, resourceGroup, properties")
    rows = emulator.call("POST", GRAPH, {"query": query}, api=GRAPH_API).json()["data"]
    assert [(r["id"], r["resourceGroup"]) for r in rows] == [(flux_path(), "flux-demo-rg")]
    assert rows[0]["properties"]["provisioningState"] == "Succeeded"
    assert rows[0]["properties"]["configurationProtectedSettings"] == {}
    assert rows[0]["id"].startswith(ARC)


def test_queries_the_emulator_cannot_answer_are_a_400_that_says_why(emulator):
    res = emulator.call("POST", GRAPH, {"query": "resources | summarize count() by type"}, api=GRAPH_API)
    assert res.status_code == 400 and "summarize" in res.json()["error"]["message"]
    res = emulator.call("POST", GRAPH, {"query": "resources", "options": {"$top": 5000}}, api=GRAPH_API)
    assert res.status_code == 400 and "$top" in res.json()["error"]["message"]
    assert emulator.call("POST", GRAPH, {"query": "resources"}, api="2015-01-01").status_code == 400
    unauthenticated = emulator.session.post(emulator.url(GRAPH), params={"api-version": GRAPH_API},
                                            json={"query": "resources"}, headers={"Authorization": ""},
                                            verify=emulator.bundle)
    assert unauthenticated.status_code == 401

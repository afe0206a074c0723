"""emulator/kql.py: the Resource Graph query subset the emulator answers."""
import pytest

from azext_fluxlite.emulator.kql import KqlError, run

ROWS = [
    {"id": "/s/rg/a", "name": "a", "type": "microsoft.kubernetes/connectedclusters", "tags": {"env": "prod"},
     "properties": {"n": 3}},
    {"id": "/s/rg/b", "name": "b", "type": "microsoft.containerservice/managedclusters", "tags": {"Env": "dev"},
     "properties": {"n": 1}},
    {"id": "/s/rg/c", "name": "c", "type": "microsoft.kubernetes/connectedclusters", "tags": {}, "properties": {}},
]
TABLES = {"resources": lambda: [dict(r) for r in ROWS]}


def ids(query):
    return [r["id"].rsplit("/", 1)[1] for r in run(query, TABLES)]


@pytest.mark.parametrize("query, expected", [
    ("resources", ["a", "b", "c"]),
    ("Resources | where type =~ 'Microsoft.Kubernetes/connectedClusters'", ["a", "c"]),
    ("resources | where type == 'Microsoft.Kubernetes/connectedClusters'", []),
    ("resources | where tags.env == 'prod'", ["a"]),
    ("resources | where tags['env'] =~ 'DEV'", ["b"]),
    ("resources | where isnull(tags.env)", ["c"]),
    ("resources | where properties.n > 1 or name in ('c')", ["a", "c"]),
    ("resources | where not(name in~ ('A', 'B')) and id startswith '/s/'", ["c"]),
    ("resources | where name !in ('a') | order by name desc | take 1", ["c"]),
    ("resources | where id contains 'RG/B'", ["b"]),
])
def test_queries(query, expected):
    assert ids(query) == expected


def test_project_extend_and_distinct():
    assert run("resources | where name == 'a' | project id, kind = type, n = properties.n", TABLES) == [
        {"id": "/s/rg/a", "kind": "microsoft.kubernetes/connectedclusters", "n": 3}]
    assert run("resources | distinct type | order by type", TABLES) == [
        {"type": "microsoft.containerservice/managedclusters"}, {"type": "microsoft.kubernetes/connectedclusters"}]
    assert run("resources | take 1 | extend twice = properties.n | project-away properties, tags", TABLES) == [
        {"id": "/s/rg/a", "name": "a", "type": "microsoft.kubernetes/connectedclusters", "twice": 3}]


@pytest.mark.parametrize("query, says", [("resources | summarize count() by type", "summarize"),
                                         ("nodes", "the table 'nodes'"), ("resources | where", "expected a value"),
                                         ("resources | where strlen(name) > 1", "strlen")])
def test_what_is_not_served_is_named(query, says):
    with pytest.raises(KqlError, match=says):
        run(query, TABLES)

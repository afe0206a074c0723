"""flux_graph: the kustomization dependsOn graph as Mermaid and Graphviz DOT."""
import re

import pytest
from azext_fluxlite.core.errors import InvalidArgumentValueError
from hypothesis import given, settings, strategies as st

from azext_fluxlite.flux.graph import build_graph, dot_string, mermaid_text, render_graph

TUTORIAL = {  # the GitOps tutorial's shape, in the service's (not dependency) order
    "apps": {"name": "apps", "path": "./apps/staging", "dependsOn": ["infra"]},
    "infra": {"name": "infra", "path": "./infrastructure", "dependsOn": []},
    "monitoring": {"name": "monitoring", "path": "./monitoring", "dependsOn": ["infra", "apps"]},
    "lonely": {"name": "lonely", "path": ""},
}

MERMAID_NODE = re.compile(r'  ([km]\d+)\["([^"\n]*)"\](:::\w+)?')
MERMAID_EDGE = re.compile(r"  ([km]\d+) (-->|-\.->) ([km]\d+)")
DOT_NODE = re.compile(r'  ([km]\d+) \[label=("(?:[^"\\\n]|\\.)*")(, [^\]]*)?\];')
DOT_EDGE = re.compile(r"  ([km]\d+) -> ([km]\d+)( \[[^\]]*\])?;")


def parse_mermaid(text):
    lines = text.splitlines()
    assert lines[0] == "flowchart TD"
    nodes, edges, classes = {}, [], {}
    for line in lines[1:]:
        node, edge = MERMAID_NODE.fullmatch(line), MERMAID_EDGE.fullmatch(line)
        if node:
            assert node.group(1) not in nodes
            nodes[node.group(1)] = node.group(2)
            classes[node.group(1)] = (node.group(3) or "")[3:]
        elif edge:
            edges.append((edge.group(1), edge.group(2), edge.group(3)))
        else:
            assert re.fullmatch(r"  classDef \w+ .+|  %% .*", line), line
    assert all(a in nodes and b in nodes for a, _, b in edges)
    return nodes, edges, classes


def dot_unquote(text):
    assert text[0] == text[-1] == '"'
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), text[1:-1])


def parse_dot(text):
    lines = text.splitlines()
    assert re.fullmatch(r'digraph "(?:[^"\\]|\\.)*" \{', lines[0]) and lines[-1] == "}"
    assert lines[1:3] == ["  rankdir=TB;", "  node [shape=box];"]
    nodes, edges = {}, []
    for line in lines[3:-1]:
        node, edge = DOT_NODE.fullmatch(line), DOT_EDGE.fullmatch(line)
        assert node or edge, line
        if node:
            nodes[node.group(1)] = (dot_unquote(node.group(2)), node.group(3) or "")
        else:
            edges.append((edge.group(1), edge.group(2), edge.group(3) or ""))
    assert all(a in nodes and b in nodes for a, b, _ in edges)
    return nodes, edges


def labels(nodes):
    return {node_id: label.split("<br/>")[0] for node_id, label in nodes.items()}


def test_mermaid_nodes_in_dependency_order_with_paths_and_edges():
    nodes, edges, classes = parse_mermaid(render_graph(TUTORIAL))
    assert list(nodes.values()) == ["infra<br/>./infrastructure", "apps<br/>./apps/staging",
                                    "monitoring<br/>./monitoring", "lonely<br/>./"]
    names = labels(nodes)
    assert sorted((names[a], names[b]) for a, _, b in edges) == [
        ("apps", "monitoring"), ("infra", "apps"), ("infra", "monitoring")]
    assert {arrow for _, arrow, _ in edges} == {"-->"} and set(classes.values()) == {""}


def test_dot_nodes_and_edges():
    text = render_graph(TUTORIAL, "dot", title="cluster-config")
    assert text.startswith('digraph "cluster-config" {')
    nodes, edges = parse_dot(text)
    assert [label for label, _ in nodes.values()] == ["infra\n./infrastructure", "apps\n./apps/staging",
                                                      "monitoring\n./monitoring", "lonely\n./"]
    names = {k: label.split("\n")[0] for k, (label, _) in nodes.items()}
    assert sorted((names[a], names[b]) for a, b, _ in edges) == [
        ("apps", "monitoring"), ("infra", "apps"), ("infra", "monitoring")]


def test_a_dangling_dependency_is_drawn_distinctly():
    ks = {"apps": {"path": "./apps", "dependsOn": ["infra", "ghost"]}, "infra": {"path": "./infra"}}
    nodes, edges, classes = parse_mermaid(render_graph(ks))
    ghost = [k for k, v in nodes.items() if v.startswith("ghost")]
    assert ghost == ["m0"] and nodes["m0"] == "ghost<br/>(not found)" and classes["m0"] == "missing"
    assert ("m0", "-.->", "k1") in edges and ("k0", "-->", "k1") in edges
    assert "classDef missing" in render_graph(ks)
    dot_nodes, dot_edges = parse_dot(render_graph(ks, "dot"))
    assert dot_nodes["m0"][0] == "ghost\n(not found)" and "dashed" in dot_nodes["m0"][1]
    assert ("m0", "k1", " [style=dashed, color=red]") in dot_edges
    assert build_graph(ks).missing == ["ghost"]


def test_cycles_are_marked_and_do_not_break_the_order():
    ks = {"a": {"dependsOn": ["b"]}, "b": {"dependsOn": ["a"]}, "c": {"dependsOn": ["c"]}, "d": {}}
    graph = build_graph(ks)
    assert graph.cyclic == {"a", "b", "c"} and [n for n, _ in graph.nodes] == ["d", "a", "b", "c"]
    assert render_graph(ks) == (
        'flowchart TD\n'
        '  k0["d<br/>./"]\n'
        '  k1["a<br/>./"]:::cycle\n'
        '  k2["b<br/>./"]:::cycle\n'
        '  k3["c<br/>./"]:::cycle\n'
        '  k2 --> k1\n'
        '  k1 --> k2\n'
        '  k3 --> k3\n'
        '  classDef cycle stroke:#c00,stroke-width:2px\n')
    dot_nodes, _ = parse_dot(render_graph(ks, "dot"))
    assert sum("penwidth" in extra for _, extra in dot_nodes.values()) == 3


def test_the_tutorial_graph_in_full():
    ks = dict(TUTORIAL, ghost={"path": "./g", "dependsOn": ["nowhere"]})
    assert render_graph(ks) == (
        'flowchart TD\n'
        '  k0["infra<br/>./infrastructure"]\n'
        '  k1["apps<br/>./apps/staging"]\n'
        '  k2["monitoring<br/>./monitoring"]\n'
        '  k3["lonely<br/>./"]\n'
        '  k4["ghost<br/>./g"]\n'
        '  m0["nowhere<br/>(not found)"]:::missing\n'
        '  k0 --> k1\n'
        '  k0 --> k2\n'
        '  k1 --> k2\n'
        '  m0 -.-> k4\n'
        '  classDef missing stroke-dasharray: 5 5,stroke:#c00,color:#c00\n')
    assert render_graph(ks, "dot", title="cfg") == (
        'digraph "cfg" {\n  rankdir=TB;\n  node [shape=box];\n'
        '  k0 [label="infra\\n./infrastructure"];\n'
        '  k1 [label="apps\\n./apps/staging"];\n'
        '  k2 [label="monitoring\\n./monitoring"];\n'
        '  k3 [label="lonely\\n./"];\n'
        '  k4 [label="ghost\\n./g"];\n'
        '  m0 [label="nowhere\\n(not found)", style=dashed, color=red, fontcolor=red];\n'
        '  k0 -> k1;\n  k0 -> k2;\n  k1 -> k2;\n'
        '  m0 -> k4 [style=dashed, color=red];\n}\n')


def test_no_kustomizations_and_duplicate_dependencies():
    assert parse_mermaid(render_graph({})) == ({}, [], {})
    assert parse_dot(render_graph(None, "dot")) == ({}, [])
    nodes, edges, _ = parse_mermaid(render_graph({"a": {}, "b": {"dependsOn": ["a", "a"]}}))
    assert len(nodes) == 2 and edges == [("k0", "-->", "k1")]


def test_unknown_format():
    with pytest.raises(InvalidArgumentValueError, match="--format must be mermaid or dot"):
        render_graph(TUTORIAL, "svg")
    assert render_graph(TUTORIAL, "DOT").startswith("digraph")


NAMES = st.text(min_size=1, max_size=12)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(NAMES, st.fixed_dictionaries({"path": st.text(max_size=12),
                                                     "dependsOn": st.lists(NAMES, max_size=3)}), max_size=6))
def test_any_names_and_paths_keep_both_syntaxes_intact(ks):
    # what the graph must hold, counted here from the input: a node per kustomization and per
    # dependsOn name that is none, an edge per distinct dependency of each kustomization
    missing = {dep for body in ks.values() for dep in body["dependsOn"] if dep not in ks}
    edge_count = sum(len(set(body["dependsOn"])) for body in ks.values())
    nodes, edges, _ = parse_mermaid(render_graph(ks))
    assert len(nodes) == len(ks) + len(missing) and len(edges) == edge_count
    dot_nodes, dot_edges = parse_dot(render_graph(ks, "dot", title="t\"\\"))
    assert len(dot_nodes) == len(ks) + len(missing) and len(dot_edges) == edge_count
    flat = [" ".join(name.splitlines()) for name in list(ks) + sorted(missing)]
    assert sorted(label.split("\n")[0] for label, _ in dot_nodes.values()) == sorted(flat)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_label_escaping(text):
    assert not set('"<>`\n\r') & set(mermaid_text(text))
    quoted = dot_string(text)
    assert "\n" not in quoted and dot_unquote(quoted) == " ".join(text.splitlines())

"""The dependsOn graph of a configuration's kustomizations as Mermaid or Graphviz DOT text (pure).

Edges point from a dependency to what depends on it (infra --> apps: infra is applied first).
Nodes come in dependency order (`_format.dependency_order`) and are labelled with the name and the
path; every kustomization appears, with or without edges.  A dependsOn entry naming no
kustomization of the configuration is drawn as a dashed "not found" node with a dashed edge, and
kustomizations on a dependency cycle are marked, so a broken configuration is visible at a glance.
Node ids are generated (k0, k1, ... and m0, m1, ... for missing ones); names only appear in
escaped labels, so no name can break the syntax.
"""
from collections import namedtuple

from azext_fluxlite.core.errors import InvalidArgumentValueError

from azext_fluxlite.flux.format import dependency_order

GRAPH_FORMATS = ("mermaid", "dot")

# nodes: [(name, path)] in dependency order; edges: [(dependency, dependent)];
# missing: dependsOn names that are no kustomization; cyclic: names on a dependency cycle.
Graph = namedtuple("Graph", "nodes edges missing cyclic")


def _depends_on(body):
    seen = []
    for dep in (body or {}).get("dependsOn") or []:
        if dep not in seen:
            seen.append(dep)
    return seen


def build_graph(kustomizations):
    """The Graph of `kustomizations` ({name: wire body})."""
    kustomizations = kustomizations or {}
    order = dependency_order(kustomizations)
    nodes = [(name, (kustomizations[name] or {}).get("path") or "./") for name in order]
    edges, missing = [], []
    for name in order:
        for dep in _depends_on(kustomizations[name]):
            edges.append((dep, name))
            if dep not in kustomizations and dep not in missing:
                missing.append(dep)
    return Graph(nodes, edges, missing, _cyclic(kustomizations))


def _cyclic(kustomizations):
    deps = {name: [d for d in _depends_on(body) if d in kustomizations] for name, body in kustomizations.items()}
    on_cycle = set()
    for start in deps:
        stack, seen = list(deps[start]), set()
        while stack:
            current = stack.pop()
            if current == start:
                on_cycle.add(start)
                break
            if current not in seen:
                seen.add(current)
                stack.extend(deps[current])
    return on_cycle


def check_graph_format(fmt):
    """The graph format in lower case; a clear error for an unknown one."""
    text = str(fmt or "").lower()
    if text not in GRAPH_FORMATS:
        raise InvalidArgumentValueError("--format must be mermaid or dot, not '{}'.".format(fmt))
    return text


def render_graph(kustomizations, fmt="mermaid", title=None):
    """Text of the dependsOn graph of `kustomizations` in `fmt` (mermaid or dot)."""
    fmt = check_graph_format(fmt)
    graph = build_graph(kustomizations)
    return to_mermaid(graph) if fmt == "mermaid" else to_dot(graph, title)


def _ids(graph):
    ids = {name: "k{}".format(i) for i, (name, _) in enumerate(graph.nodes)}
    ids.update((name, "m{}".format(i)) for i, name in enumerate(graph.missing))
    return ids


# -- Mermaid ---------------------------------------------------------------------------------
_MERMAID_ENTITIES = [("#", "#35;"), ("&", "#amp;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("`", "#96;")]


def mermaid_text(text):
    """`text` safe inside a quoted Mermaid label (entity codes; line breaks become spaces)."""
    text = " ".join(str(text).splitlines())
    for char, entity in _MERMAID_ENTITIES:
        text = text.replace(char, entity)
    return text


def to_mermaid(graph):
    ids = _ids(graph)
    lines = ["flowchart TD"]
    if not graph.nodes:
        lines.append("  %% no kustomizations")
    for name, path in graph.nodes:
        suffix = ":::cycle" if name in graph.cyclic else ""
        lines.append('  {}["{}<br/>{}"]{}'.format(ids[name], mermaid_text(name), mermaid_text(path), suffix))
    for name in graph.missing:
        lines.append('  {}["{}<br/>(not found)"]:::missing'.format(ids[name], mermaid_text(name)))
    for dep, name in graph.edges:
        arrow = "-.->" if dep in graph.missing else "-->"
        lines.append("  {} {} {}".format(ids[dep], arrow, ids[name]))
    if graph.missing:
        lines.append("  classDef missing stroke-dasharray: 5 5,stroke:#c00,color:#c00")
    if graph.cyclic:
        lines.append("  classDef cycle stroke:#c00,stroke-width:2px")
    return "\n".join(lines) + "\n"


# -- Graphviz DOT ----------------------------------------------------------------------------
def dot_string(text):
    """`text` as a double-quoted DOT string (line breaks become spaces)."""
    text = " ".join(str(text).splitlines())
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _dot_label(*parts):
    # Each part escaped on its own, then joined with DOT's \n line break escape.
    return '"' + "\\n".join(dot_string(p)[1:-1] for p in parts) + '"'


def to_dot(graph, title=None):
    ids = _ids(graph)
    lines = ["digraph {} {{".format(dot_string(title or "kustomizations")), "  rankdir=TB;",
             "  node [shape=box];"]
    for name, path in graph.nodes:
        extra = ", color=red, penwidth=2" if name in graph.cyclic else ""
        lines.append("  {} [label={}{}];".format(ids[name], _dot_label(name, path), extra))
    for name in graph.missing:
        lines.append("  {} [label={}, style=dashed, color=red, fontcolor=red];".format(
            ids[name], _dot_label(name, "(not found)")))
    for dep, name in graph.edges:
        extra = " [style=dashed, color=red]" if dep in graph.missing else ""
        lines.append("  {} -> {}{};".format(ids[dep], ids[name], extra))
    lines.append("}")
    return "\n".join(lines) + "\n"

"""YAML files of a repository as Kubernetes objects that remember where they came from (file, line).

`load_file` parses every document of a file once, keeping each document's node so that a problem
found later (a schema error at spec.chart.spec.sourceRef.kind) can be pointed at its line.
"""
import yaml

from .paths import BuildError, read_text, rel

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Doc:
    """One YAML document: `obj` (the Python value), `file` (repository-relative), `line` (1-based)."""

    __slots__ = ("obj", "file", "line", "node")

    def __init__(self, obj, file, line, node):
        self.obj, self.file, self.line, self.node = obj, file, line, node

    def line_of(self, path):
        """The 1-based line of the field at `path` (a list of keys and indexes), or the closest parent's."""
        node, line = self.node, self.line
        for part in path:
            if isinstance(node, yaml.MappingNode):
                match = [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == str(part)]
                if not match:
                    break
                line = match[0][0].start_mark.line + 1
                node = match[0][1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                node = node.value[part]
                line = node.start_mark.line + 1
            else:
                break
        return line


def _yaml_error(file, exc, what):
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    if context and getattr(exc, "context_mark", None) is not None:
        problem = "{} (line {}): {}".format(context, exc.context_mark.line + 1, problem)
    return BuildError("{} {}: {}{}".format(what, file, problem, " (line {})".format(line) if line else ""),
                      file=file, line=line)


def parse(text, file, what="failed to decode Kubernetes YAML from"):
    """The non-empty documents of `text` as Docs; BuildError (with the line) on invalid YAML."""
    loader = _Loader(text)
    docs = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            obj = loader.construct_document(node)
            if obj is not None:
                docs.append(Doc(obj, file, node.start_mark.line + 1, node))
    except yaml.YAMLError as exc:
        raise _yaml_error(file, exc, what) from None
    finally:
        loader.dispose()
    return docs


def load_file(root, path, field="resources"):
    """The Docs of a repository file (containment checked)."""
    return parse(read_text(root, path, field), rel(root, path))


def object_problem(obj):
    """Why `obj` is not a Kubernetes object (None when it has apiVersion, kind and metadata.name)."""
    if not isinstance(obj, dict):
        return "not a Kubernetes object (a YAML {} instead of a mapping)".format(type(obj).__name__)
    missing = [f for f in ("apiVersion", "kind") if not isinstance(obj.get(f), str) or not obj.get(f)]
    meta = obj.get("metadata")
    if not isinstance(meta, dict) or not meta.get("name"):
        missing.append("metadata.name")
    if missing:
        return "missing {} in a Kubernetes object{}".format(
            " and ".join(missing), " (kind {})".format(obj["kind"]) if isinstance(obj.get("kind"), str) else "")
    return None


def expand(docs, strict=True):
    """The objects of `docs` (List kinds expanded) as Docs; BuildError for a document that is not one.

    With strict=False (a directory Flux scans without a kustomization file), a file whose documents
    are not all Kubernetes objects is skipped, as Flux does, and [] is returned.
    """
    if not strict and not all(isinstance(d.obj, dict) and d.obj.get("apiVersion") and d.obj.get("kind")
                              for d in docs):
        return []
    out = []
    for doc in docs:
        if isinstance(doc.obj, dict) and doc.obj.get("kind") == "List" and isinstance(doc.obj.get("items"), list):
            items = doc.node.value if isinstance(doc.node, yaml.MappingNode) else []
            item_nodes = [v for k, v in items if getattr(k, "value", None) == "items"]
            nodes = item_nodes[0].value if item_nodes and isinstance(item_nodes[0], yaml.SequenceNode) else []
            for index, item in enumerate(doc.obj["items"]):
                node = nodes[index] if index < len(nodes) else doc.node
                out.append(Doc(item, doc.file, node.start_mark.line + 1, node))
        else:
            out.append(doc)
    for doc in out:
        problem = object_problem(doc.obj)
        if problem:
            raise BuildError("{}:{}: {}".format(doc.file, doc.line, problem), file=doc.file, line=doc.line)
    return out

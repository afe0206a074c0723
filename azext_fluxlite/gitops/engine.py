"""Build every kustomization of a Flux configuration from a local repository, as the cluster would.

One engine for the emulator's reconcile and `az k8s-configuration flux build`:

1. the repository's symlinks are checked (RepositoryError: the source is unusable);
2. kustomizations are taken in dependsOn order; a dependsOn name that is no kustomization, or a
   cycle, is an error;
3. each path is read (plan.py: containment, YAML with line numbers, Flux's generated kustomization)
   and built with the real kustomize when installed (tool.py), else the built-in builder;
4. postBuild substitution (strict; only with a postBuild, as Flux does), then namespaced objects without a namespace get the
   configuration's namespace;
5. Flux objects are checked against the Flux 2.6 CRDs, and HelmReleases must reference a source the
   repository (or the configuration itself) defines.

Problems are dicts {"kustomization", "file", "line", "message", "reason"}; file and line are None
when unknown.  Nothing here imports az.
"""
import contextlib
import os
from collections import OrderedDict

from . import plan, schemas, tool as tools
from .builder import CLUSTER_SCOPED
from .dependencies import dependency_order, dependency_problems
from .paths import BuildError, RepositoryError, check_symlinks, read_text  # noqa: F401  (re-exported)
from .substitute import referenced_variables, substitute

SOURCE_KIND_OF = {"GitRepository": "GitRepository", "Bucket": "Bucket", "AzureBlob": "Bucket",
                  "OCIRepository": "OCIRepository"}


def problem(message, kustomization=None, file=None, line=None, reason="BuildFailed"):
    return {"kustomization": kustomization, "file": file, "line": line, "message": message, "reason": reason}


class Built:
    """One kustomization's result: `objects` (after substitution) and its own `problems`."""

    def __init__(self, name, path):
        self.name, self.path = name, path
        self.objects = []
        self.origins = []           # the source Doc of each object (None when unknown)
        self.problems = []
        self.incomplete = False     # objects are missing: the build or a substitution failed

    @property
    def failed(self):
        return bool(self.problems)


class Result:
    def __init__(self, tool):
        self.tool = tool
        self.kustomizations = OrderedDict()     # name -> Built, dependencies first
        self.errors = []
        self.warnings = []

    def as_json(self):
        return {"kustomizations": [{"name": b.name, "path": b.path, "objects": b.objects}
                                   for b in self.kustomizations.values()],
                "errors": self.errors, "warnings": self.warnings}

    def sources(self):
        """(kind, namespace, name) of every object the kustomizations define."""
        return {(o["kind"], o["metadata"].get("namespace"), o["metadata"]["name"])
                for b in self.kustomizations.values() for o in b.objects}


def build_configuration(root, kustomizations, namespace="default", config_name=None, source_kind="GitRepository",
                        tool=None, check_references=True):
    """Result of building `kustomizations` ({name: wire body}) of a configuration from `root`.

    Raises RepositoryError when the repository itself is unusable (a symlink leaving it).
    """
    tool = tool or tools.detect()
    check_symlinks(root)
    result = Result(tool)
    kustomizations = kustomizations or {}
    for name, message in dependency_problems(kustomizations):
        result.errors.append(problem(message, name, reason="DependencyNotReady"))
    with (contextlib.nullcontext() if tool.builtin else tools.Workspace(root)) as workspace:
        for name in dependency_order(kustomizations):
            built = _build_one(root, name, kustomizations[name] or {}, namespace, tool, workspace, result.warnings)
            result.kustomizations[name] = built
            result.errors += built.problems
    if check_references and not any(b.incomplete for b in result.kustomizations.values()):
        own = (SOURCE_KIND_OF.get(source_kind, source_kind), namespace, config_name) if config_name else None
        result.errors += helm_reference_problems(result, own)
    return result


def _build_one(root, name, spec, namespace, tool, workspace, warnings):
    built = Built(name, spec.get("path") or "./")
    try:
        unit = plan.read(root, spec.get("path") or "")
        objects = tools.build(tool, unit, workspace)
    except BuildError as exc:
        built.problems.append(problem(exc.message, name, exc.file, exc.line, exc.reason))
        built.incomplete = True
        return built
    origins = {}
    for doc in unit.docs():
        origins.setdefault((doc.obj.get("kind"), (doc.obj.get("metadata") or {}).get("name")), doc)
    # Flux's kustomize-controller substitutes only when the Kustomization has a postBuild.
    substituting = spec.get("postBuild") is not None
    post = spec.get("postBuild") or {}
    variables = post.get("substitute") or {}
    external = bool(post.get("substituteFrom"))
    unresolved, as_written = [], []
    for obj, text in objects:
        origin = origins.get((obj.get("kind"), (obj.get("metadata") or {}).get("name")))
        if not substituting:
            as_written.extend(v for v in referenced_variables(obj, text) if v not in as_written)
        else:
            try:
                obj = substitute(obj, variables, external, unresolved, text)
            except BuildError as exc:
                line = _line_of_variable(root, origin, getattr(exc, "variable", None))
                built.problems.append(problem(exc.message, name, origin.file if origin else None, line))
                built.incomplete = True
                continue
        meta = obj.setdefault("metadata", {})
        if not meta.get("namespace") and obj.get("kind") not in CLUSTER_SCOPED:
            meta["namespace"] = namespace
        built.objects.append(obj)
        built.origins.append(origin)
        if schemas.is_flux(obj):
            _schema_problems(built, obj, origin, warnings)
    if as_written:
        warnings.append(problem("objects reference variables {} but kustomization {} has no postBuild, so Flux applies "
                                "them as written; to substitute them, add substitute=VAR=VALUE or "
                                "substituteFrom=ConfigMap/NAME to its -k group".format(", ".join(as_written), name),
                                name, reason="NoPostBuild"))
    if unresolved:
        warnings.append(problem("variables {} are not set by postBuild.substitute; they are left as written and "
                                "must come from {} on the cluster".format(
                                    ", ".join(unresolved), ", ".join("{}/{}".format(r.get("kind"), r.get("name"))
                                                                     for r in post.get("substituteFrom") or [])),
                                name, reason="SubstituteFrom"))
    return built


def _line_of_variable(root, origin, variable):
    """The line of the first `${variable` in the source document of an object (else the document's line)."""
    if origin is None:
        return None
    try:
        lines = read_text(root, os.path.join(root, origin.file), "substitution").splitlines()
    except BuildError:
        return origin.line
    last = origin.node.end_mark.line + 1
    for number in range(origin.line, min(last, len(lines)) + 1):
        if variable and "${" + variable in lines[number - 1]:
            return number
    return origin.line


def _label(obj):
    meta = obj["metadata"]
    return "{} {}/{}".format(obj["kind"], meta.get("namespace"), meta.get("name"))


def _schema_problems(built, obj, origin, warnings):
    for path, message in schemas.check(obj):
        built.problems.append(problem("{} is invalid: {}".format(_label(obj), message), built.name,
                                      origin.file if origin else None, origin.line_of(path) if origin else None,
                                      reason="ValidationFailed"))
    note = schemas.deprecated(obj)
    if note:
        warnings.append(problem("{}: {}".format(_label(obj), note), built.name, origin.file if origin else None,
                                origin.line_of(["apiVersion"]) if origin else None, reason="Deprecated"))


def chart_source(obj):
    """(kind, namespace, name) of the source a HelmRelease's chart comes from, or None when it names none."""
    spec = obj.get("spec") or {}
    ns = obj["metadata"].get("namespace")
    ref = ((spec.get("chart") or {}).get("spec") or {}).get("sourceRef")
    if isinstance(ref, dict) and ref.get("name"):
        return (ref.get("kind") or "HelmRepository", ref.get("namespace") or ns, ref["name"])
    ref = spec.get("chartRef")
    if isinstance(ref, dict) and ref.get("name"):
        return (ref.get("kind"), ref.get("namespace") or ns, ref["name"])
    return None


def helm_reference_problems(result, own_source=None):
    """HelmReleases whose chart source nothing in the repository (or the configuration) defines."""
    defined = result.sources() | ({own_source} if own_source else set())
    out = []
    for built in result.kustomizations.values():
        for obj, origin in zip(built.objects, built.origins):
            if obj.get("kind") != "HelmRelease" or not schemas.is_flux(obj):
                continue
            ref = chart_source(obj)
            file = origin.file if origin else None
            if ref is None:
                out.append(problem("{} names no chart: set spec.chart.spec (chart and sourceRef) or spec.chartRef"
                                   .format(_label(obj)), built.name, file, origin.line if origin else None,
                                   reason="ArtifactFailed"))
            elif ref not in defined:
                line = origin.line_of(["spec", "chartRef"] if (obj.get("spec") or {}).get("chartRef") else
                                      ["spec", "chart", "spec", "sourceRef", "name"]) if origin else None
                out.append(problem("{} references {} {}/{}, which no kustomization of this configuration defines"
                                   .format(_label(obj), ref[0], ref[1], ref[2]), built.name, file, line,
                                   reason="ArtifactFailed"))
    return out

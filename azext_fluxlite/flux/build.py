"""`flux build`: build and check a repository locally, the way the cluster will (no az, no network).

The kustomizations come from `-k` groups or from an existing configuration; the GitOps build engine
(azext_fluxlite.gitops) builds them from `--source-dir` in dependsOn order, with the real kustomize
when installed, substitutes postBuild variables and checks every object.  The report is
{"kustomizations": [{"name", "path", "objects"}], "errors": [{"kustomization", "file", "line",
"message"}]}; warnings (deprecated API versions, variables left to substituteFrom) are printed, not
counted as errors.
"""
import os

from azext_fluxlite.core.errors import InvalidArgumentValueError
from azext_fluxlite.gitops import engine, tool as tools

SOURCE_KINDS = {"gitrepository": "GitRepository", "bucket": "Bucket", "azureblob": "AzureBlob",
                "ocirepository": "OCIRepository"}


def check_source_dir(source_dir):
    """The absolute path of --source-dir; InvalidArgumentValueError when it is not a directory."""
    path = os.path.abspath(os.path.expanduser(source_dir or ""))
    if not source_dir or not os.path.isdir(path):
        raise InvalidArgumentValueError("--source-dir {}: no such directory. Give the local checkout of the "
                                        "repository the configuration reconciles.".format(source_dir))
    return path


def from_configuration(config):
    """(kustomizations, namespace, source kind) of a configuration as ARM returns it."""
    props = (config or {}).get("properties") or {}
    kustomizations = {name: body for name, body in (props.get("kustomizations") or {}).items() if body is not None}
    kind = SOURCE_KINDS.get(str(props.get("sourceKind") or "GitRepository").lower(), "GitRepository")
    return kustomizations, props.get("namespace") or "default", kind


def detect_tool():
    try:
        return tools.detect()
    except ValueError as exc:
        raise InvalidArgumentValueError(str(exc)) from None


def build_report(source_dir, kustomizations, namespace="default", config_name=None, source_kind="GitRepository",
                 tool=None):
    """(report dict, warnings) for the kustomizations built from `source_dir`."""
    try:
        result = engine.build_configuration(source_dir, kustomizations, namespace, config_name, source_kind,
                                            tool=tool or detect_tool())
    except engine.RepositoryError as exc:
        error = {"kustomization": None, "file": exc.file, "line": None, "message": exc.message}
        return {"kustomizations": [], "errors": [error]}, []
    keep = ("kustomization", "file", "line", "message")
    report = result.as_json()
    return ({"kustomizations": report["kustomizations"],
             "errors": [{k: e.get(k) for k in keep} for e in report["errors"]]},
            [{k: w.get(k) for k in keep} for w in report["warnings"]])


def problem_line(item, prefix=""):
    """'file:line: message [kustomization k]' (parts that are unknown are left out)."""
    where = ""
    if item.get("file"):
        where = "{}{}: ".format(item["file"], ":{}".format(item["line"]) if item.get("line") else "")
    own = " [kustomization {}]".format(item["kustomization"]) if item.get("kustomization") else ""
    return "{}{}{}{}".format(prefix, where, item["message"], own)


def render_text(report):
    """The readable report: one line per kustomization, then one line per error."""
    failed = {e.get("kustomization") for e in report["errors"]}
    lines = []
    width = max([len(k["name"]) for k in report["kustomizations"]] + [0])
    for item in report["kustomizations"]:
        state = "FAILED" if item["name"] in failed else "ok"
        lines.append("{:<6} {:<{w}}  {}  ({} object{})".format(state, item["name"], item["path"], len(item["objects"]),
                                                              "" if len(item["objects"]) == 1 else "s", w=width))
    for error in report["errors"]:
        lines.append(problem_line(error, "error: "))
    return "\n".join(lines)


def summary(report):
    count = len(report["errors"])
    return "{} error{} in the kustomizations built from the repository; see above.".format(
        count, "" if count == 1 else "s")

"""`az k8s-configuration flux export` and `az k8s-configuration flux kustomization graph`.

Both only GET the configuration.  Their output is a document (JSON template, Bicep, YAML,
Mermaid, DOT), not a result object: it is written as it is to standard output, or to --file, and
the commands return None, so az's `--output` formatting never wraps or re-quotes it.
"""
# pylint: disable=too-many-arguments,unused-argument
import os
import sys

from azext_fluxlite.core.errors import FileOperationError

from azext_fluxlite.flux.custom import get_config
from azext_fluxlite.flux.export.templates import check_export_format, export_text
from azext_fluxlite.flux.graph import check_graph_format, render_graph


def _check_target(path):
    """Expanded --file path; fails before anything is sent when its directory does not exist."""
    if path is None:
        return None
    path = os.path.expanduser(path)
    if os.path.isdir(path):
        raise FileOperationError("--file {} is a directory: give a file name.".format(path))
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise FileOperationError("--file {}: the directory {} does not exist.".format(path, folder))
    return path


def write_document(text, path=None):
    """Write `text` to `path` (replacing it) or to standard output."""
    if path is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except OSError as exc:
        raise FileOperationError("Cannot write --file {}: {}.".format(path, exc.strerror or exc)) from None


def export_config(cmd, resource_group_name, cluster_name, cluster_type, name, cluster_resource_provider=None,
                  export_format="arm", file_path=None):
    fmt = check_export_format(export_format or "arm")
    path = _check_target(file_path)
    _, cluster, config = get_config(cmd, resource_group_name, cluster_name, cluster_type, name,
                                    cluster_resource_provider)
    write_document(export_text(config, fmt, name, cluster), path)


def graph_kustomizations(cmd, resource_group_name, cluster_name, cluster_type, name,
                         cluster_resource_provider=None, graph_format="mermaid", file_path=None):
    fmt = check_graph_format(graph_format or "mermaid")
    path = _check_target(file_path)
    _, _, config = get_config(cmd, resource_group_name, cluster_name, cluster_type, name,
                              cluster_resource_provider)
    kustomizations = (config.get("properties") or {}).get("kustomizations") or {}
    write_document(render_graph(kustomizations, fmt, title=name), path)

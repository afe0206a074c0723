"""`az k8s-configuration flux build`: build and check a local repository before the cluster does.

Without -o/--query the readable report goes to stdout; with them az formats the report
({"kustomizations": [...], "errors": [...]}).  Either way the exit code is non-zero when there is
an error: the error is raised after az has printed the output.  Which kustomize builds, and the
warnings, go to stderr.  No Azure login is needed unless -n takes the kustomizations from an
existing configuration.
"""
# pylint: disable=too-many-arguments,unused-argument
import sys

from azext_fluxlite.core.errors import (MutuallyExclusiveArgumentError, RequiredArgumentMissingError,
                                        ValidationError)

DATA_OPTIONS = ("-o", "--output", "--query")


def _data_requested(cmd):
    params = (getattr(cmd.cli_ctx, "data", None) or {}).get("safe_params") or []
    return any(p in DATA_OPTIONS for p in params)


def _kustomizations(cmd, kustomization, name, resource_group_name, cluster_name, cluster_type,
                    cluster_resource_provider, namespace):
    """(kustomizations, namespace, source kind) from -k groups or from an existing configuration."""
    from azext_fluxlite.flux import build
    from azext_fluxlite.flux.kustomizations import check_kustomization_set
    if kustomization:
        if cluster_name or cluster_type:
            raise MutuallyExclusiveArgumentError(
                "-k/--kustomization builds the kustomizations you give; -c/--cluster-name and -t/--cluster-type "
                "take them from an existing configuration: use one or the other.")
        return check_kustomization_set(kustomization, name or "", dependencies=False), namespace or "default", \
            "GitRepository"
    if not (name and cluster_name and cluster_type and resource_group_name):
        raise RequiredArgumentMissingError(
            "Give the kustomizations to build with -k/--kustomization name=NAME path=PATH (repeat -k), or take "
            "them from an existing configuration with -n NAME -g RESOURCE_GROUP -c CLUSTER -t CLUSTER_TYPE.")
    from azext_fluxlite.flux.custom import get_config
    _, _, config = get_config(cmd, resource_group_name, cluster_name, cluster_type, name, cluster_resource_provider)
    kustomizations, config_namespace, kind = build.from_configuration(config)
    return kustomizations, config_namespace, kind


def build_config(cmd, source_dir, kustomization=None, name=None, namespace=None, resource_group_name=None,
                 cluster_name=None, cluster_type=None, cluster_resource_provider=None):
    from azext_fluxlite.flux import build
    root = build.check_source_dir(source_dir)
    kustomizations, namespace, kind = _kustomizations(cmd, kustomization, name, resource_group_name, cluster_name,
                                                      cluster_type, cluster_resource_provider, namespace)
    from azext_fluxlite._az_console import progress_stream
    notes = progress_stream(cmd.cli_ctx)        # nothing with --only-show-errors, as az's own warnings
    tool = build.detect_tool()
    notes.write("Building with {}.\n".format(tool.describe()))
    report, warnings = build.build_report(root, kustomizations, namespace, name, kind, tool=tool)
    for warning in warnings:
        notes.write(build.problem_line(warning, "warning: ") + "\n")
    failure = ValidationError(build.summary(report)) if report["errors"] else None
    if not _data_requested(cmd):
        sys.stdout.write(build.render_text(report) + "\n")
        sys.stdout.flush()
        if failure is not None:
            raise failure
        return None
    if failure is not None:
        _fail_after_output(cmd.cli_ctx, failure)
    return report


def _fail_after_output(cli_ctx, failure):
    """Raise `failure` once az has printed the result, so the data is shown and the exit code is non-zero."""
    from knack.events import EVENT_CLI_SUCCESSFUL_EXECUTE
    from azext_fluxlite._az_errors import to_az_error

    def raise_failure(_cli_ctx, **kwargs):
        cli_ctx.unregister_event(EVENT_CLI_SUCCESSFUL_EXECUTE, raise_failure)
        raise to_az_error(failure)

    cli_ctx.register_event(EVENT_CLI_SUCCESSFUL_EXECUTE, raise_failure)

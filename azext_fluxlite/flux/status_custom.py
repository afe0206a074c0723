"""`az k8s-configuration flux status` (with --watch), `flux suspend` and `flux resume`.

`status` prints a readable view on stdout (coloured on a terminal) unless the user asked for data
with -o/--output or --query, in which case it returns the structure for az to format.
"""
# pylint: disable=too-many-arguments,unused-argument
import sys
import time

from azext_fluxlite.core.errors import AzureResponseError, MutuallyExclusiveArgumentError
from azext_fluxlite.flux.custom import get_config

DATA_OPTIONS = ("-o", "--output", "--query")
# The clock and sleep of --watch (tests replace them to control time).
clock = time.monotonic
sleep = time.sleep


def wants_data(cmd):
    """True when the user typed -o/--output or --query: az formats the returned value."""
    params = (getattr(cmd.cli_ctx, "data", None) or {}).get("safe_params") or []
    return any(p in DATA_OPTIONS for p in params)


def _colour(cmd, stream):
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    return bool(tty and getattr(cmd.cli_ctx, "enable_color", False))


def _write(stream):
    def emit(text):
        stream.write(text + "\n")
        stream.flush()
    return emit


def status_config(cmd, resource_group_name, cluster_name, cluster_type, name, cluster_resource_provider=None,
                  show_all=False, watch=False, timeout=None):
    from azext_fluxlite.flux import status as flux_status
    seconds = None
    if timeout is not None:
        if not watch:
            raise MutuallyExclusiveArgumentError("--timeout goes with --watch: add --watch or remove --timeout.")
        from azext_fluxlite.core.durations import parse_duration
        seconds = parse_duration(timeout, "--timeout")
    arm, cluster, config = get_config(cmd, resource_group_name, cluster_name, cluster_type, name,
                                      cluster_resource_provider)
    data = wants_data(cmd)
    if not watch:
        status = flux_status.build_status(config, show_all=show_all)
        if data:
            return status
        _write(sys.stdout)(flux_status.render_text(status, _colour(cmd, sys.stdout)))
        return None

    first = [config]

    def fetch():
        return first.pop() if first else arm.get_flux(cluster, name)

    stream = sys.stderr if data else sys.stdout
    last = flux_status.watch(fetch, _write(stream), timeout=seconds, show_all=show_all,
                             colour=_colour(cmd, stream), clock=clock, sleep=sleep)
    state = (last or {}).get("complianceState") or "Unknown"
    if state != "Compliant":
        raise AzureResponseError("Flux configuration '{}' ended {} (not Compliant).".format(name, state))
    return last if data else None


def _set_suspend(cmd, resource_group_name, cluster_name, cluster_type, name, cluster_resource_provider,
                 suspend, no_wait):
    from azext_fluxlite._az_arm import arm_client
    from azext_fluxlite.core.names import check_config_name
    from azext_fluxlite.core.output import shape_flux_configuration
    from azext_fluxlite.flux.custom import _cluster_args
    check_config_name(name)
    arm = arm_client(cmd.cli_ctx)
    cluster = arm.cluster(**_cluster_args(resource_group_name, cluster_type, cluster_name,
                                          cluster_resource_provider))
    body = {"properties": {"suspend": suspend}}
    return shape_flux_configuration(arm.patch_flux(cluster, name, body, no_wait=no_wait))


def suspend_config(cmd, resource_group_name, cluster_name, cluster_type, name, cluster_resource_provider=None,
                   no_wait=False):
    return _set_suspend(cmd, resource_group_name, cluster_name, cluster_type, name, cluster_resource_provider,
                        True, no_wait)


def resume_config(cmd, resource_group_name, cluster_name, cluster_type, name, cluster_resource_provider=None,
                  no_wait=False):
    return _set_suspend(cmd, resource_group_name, cluster_name, cluster_type, name, cluster_resource_provider,
                        False, no_wait)

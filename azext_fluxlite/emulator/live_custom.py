"""`az fluxlite emulator reconcile | add-cluster | add-source-map`: change a running emulator (live.py)."""
# pylint: disable=unused-argument
import sys


def _call(data_dir, action):
    from azure.cli.core.azclierror import ValidationError
    from azext_fluxlite.emulator.cli import running_state
    try:
        sys.stdout.write(action(running_state(data_dir)))
    except SystemExit as exc:
        raise ValidationError(str(exc).replace("error: ", "", 1)) from None
    except ValueError as exc:
        from azure.cli.core.azclierror import InvalidArgumentValueError
        raise InvalidArgumentValueError(str(exc)) from None


def emulator_reconcile(cmd, name=None, data_dir=None):
    """Fetch the sources of flux configurations again now (all of them, or those named)."""
    from azext_fluxlite.emulator import live_client
    _call(data_dir, lambda state: live_client.reconcile(state, name))


def emulator_add_cluster(cmd, cluster, data_dir=None):
    """Create clusters in a running emulator."""
    from azext_fluxlite.emulator import live_client
    _call(data_dir, lambda state: live_client.add_cluster(state, cluster))


def emulator_add_source_map(cmd, source_map, source_auth=None, data_dir=None):
    """Map sources to local directories in a running emulator."""
    from azext_fluxlite.emulator import live_client
    _call(data_dir, lambda state: live_client.add_source_map(state, source_map, source_auth))

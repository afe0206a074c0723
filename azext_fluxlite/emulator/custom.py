"""`az fluxlite emulator start`: the embedded ARM emulator, run inside az."""


def emulator_start(cmd, host="127.0.0.1", port=None, data_dir=None, operation_seconds=2.0,  # pylint: disable=unused-argument
                   retry_after=None, source_map=None, cluster=None, emulated_subscription_id=None, page_size=100,
                   reconcile_seconds=0.0):
    """Run the emulator in the foreground until Ctrl-C; prints how to point az at it."""
    from azure.cli.core.azclierror import InvalidArgumentValueError
    from azext_fluxlite.emulator.cli import build_settings, run
    try:
        settings = build_settings(host=host, port=port, data_dir=data_dir, operation_seconds=operation_seconds,
                                  retry_after=retry_after, source_map=source_map, cluster=cluster,
                                  subscription_id=emulated_subscription_id, page_size=page_size,
                                  reconcile_seconds=reconcile_seconds)
    except ValueError as exc:
        raise InvalidArgumentValueError(str(exc)) from None
    run(settings)


def _running(data_dir):
    from azure.cli.core.azclierror import ValidationError
    from azext_fluxlite.emulator.cli import running_state
    try:
        return running_state(data_dir)
    except SystemExit as exc:
        raise ValidationError(str(exc).replace("error: ", "", 1)) from None


def emulator_env(cmd, data_dir=None):  # pylint: disable=unused-argument
    """Print the `export` lines that point az at a running emulator (for eval)."""
    import sys
    from azext_fluxlite.emulator.cli import exports_text
    sys.stdout.write(exports_text(_running(data_dir)))


def emulator_login(cmd, data_dir=None):  # pylint: disable=unused-argument
    """Register the emulator as an az cloud, switch to it and log in with its managed identity."""
    from azext_fluxlite.emulator.cli import login
    from azure.cli.core.azclierror import CLIInternalError
    try:
        login(_running(data_dir))
    except SystemExit as exc:
        raise CLIInternalError(str(exc).replace("error: ", "", 1)) from None


def emulator_stop(cmd, data_dir=None):  # pylint: disable=unused-argument
    """Stop the emulator running on a data directory."""
    import os
    import signal
    os.kill(int(_running(data_dir)["pid"]), signal.SIGTERM)

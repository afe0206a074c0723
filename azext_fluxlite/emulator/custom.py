"""`az fluxlite emulator start`: the embedded ARM emulator, run inside az."""


def emulator_start(cmd, host="127.0.0.1", port=None, data_dir=None, operation_seconds=2.0,  # pylint: disable=unused-argument
                   retry_after=None, source_map=None, cluster=None, emulated_subscription_id=None, page_size=100,
                   reconcile_seconds=0.0, source_auth=None):
    """Run the emulator in the foreground until Ctrl-C; prints how to point az at it."""
    from azure.cli.core.azclierror import InvalidArgumentValueError
    from azext_fluxlite.emulator.cli import build_settings, run
    try:
        settings = build_settings(host=host, port=port, data_dir=data_dir, operation_seconds=operation_seconds,
                                  retry_after=retry_after, source_map=source_map, cluster=cluster,
                                  subscription_id=emulated_subscription_id, page_size=page_size,
                                  reconcile_seconds=reconcile_seconds, source_auth=source_auth)
    except ValueError as exc:
        raise InvalidArgumentValueError(str(exc)) from None
    try:
        run(settings)
    except SystemExit as exc:
        if isinstance(exc.code, str):       # port in use, data dir held: one line, non-zero exit
            from azure.cli.core.azclierror import ValidationError
            raise ValidationError(exc.code.replace("error: ", "", 1)) from None
        raise


def _running(data_dir):
    from azure.cli.core.azclierror import ValidationError
    from azext_fluxlite.emulator.cli import running_state
    try:
        return running_state(data_dir)
    except SystemExit as exc:
        raise ValidationError(str(exc).replace("error: ", "", 1)) from None


def emulator_env(cmd, data_dir=None, unset=False):  # pylint: disable=unused-argument
    """Print the `export` lines that point this shell at a running emulator (for eval), or with --unset the
    lines that point it back."""
    import sys
    from azext_fluxlite.emulator.cli import exports_text
    from azext_fluxlite.emulator.config import unset_lines
    sys.stdout.write(unset_lines() if unset else exports_text(_running(data_dir)))


def emulator_login(cmd, data_dir=None, config_dir=None):  # pylint: disable=unused-argument
    """Write the emulator's cloud and managed-identity login into its own az profile (or --config-dir)."""
    from azure.cli.core.azclierror import ValidationError
    from azext_fluxlite.emulator.cli import login
    state = _running(data_dir)
    try:
        login(state, config_dir)
    except SystemExit as exc:
        raise ValidationError(str(exc).replace("error: ", "", 1)) from None


def emulator_stop(cmd, data_dir=None):  # pylint: disable=unused-argument
    """Stop the emulator running on a data directory (only after it answered as the recorded PID)."""
    from azure.cli.core.azclierror import ValidationError
    from azext_fluxlite.emulator.cli import stop_instance
    try:
        stop_instance(data_dir)
    except SystemExit as exc:
        raise ValidationError(str(exc).replace("error: ", "", 1)) from None

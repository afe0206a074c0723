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

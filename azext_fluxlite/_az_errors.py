"""The az adapter for fluxlite's errors: core raises `core.errors`, az prints its own classes.

az's exception handler prints an `AzCLIError` as one `ERROR:` line with that class's exit code and
anything else as "unexpected error" with a traceback, so fluxlite's errors are turned into the
azure-cli class each one names before az's handler sees them.
"""


def _emulator_down(exc):
    """One-line error when this shell points at a fluxlite emulator (FLUXLITE_EMULATOR_URL) that is not running."""
    import os
    from urllib.parse import urlsplit
    url = os.environ.get("FLUXLITE_EMULATOR_URL")
    if not url:
        return None
    parts = urlsplit(url)
    host, port = (parts.hostname or "").strip("[]"), str(parts.port or 443)
    seen, item = set(), exc
    while item is not None and id(item) not in seen:
        seen.add(id(item))
        text = str(item)
        if isinstance(item, ConnectionError) or type(item).__name__ in ("ConnectionError", "ServiceRequestError",
                                                                        "NewConnectionError", "MaxRetryError"):
            if host and host in text and port in text:      # a connection to the emulator's own address failed
                from azure.cli.core.azclierror import AzureConnectionError
                data_dir = os.environ.get("FLUXLITE_EMULATOR_DATA_DIR") or "DIR"
                return AzureConnectionError(
                    "The fluxlite emulator at {} is not running, and this shell points at it. Start it again: "
                    "az fluxlite emulator start --data-dir {}; or go back to Azure: "
                    "eval \"$(az fluxlite emulator env --unset)\"".format(url, data_dir))
        item = item.__cause__ or item.__context__
    return None


def to_az_error(exc):
    """Return the azure-cli error for a fluxlite error (anything else is returned as it is)."""
    from azext_fluxlite.core.errors import FluxliteError
    down = _emulator_down(exc)
    if down is not None:
        return down
    if not isinstance(exc, FluxliteError):
        return exc
    from azure.cli.core import azclierror
    cls = getattr(azclierror, exc.az_class, azclierror.AzCLIError)
    error = cls(exc.message, exc.recommendation)
    error.__cause__ = exc.__cause__
    return error


def install(cli_ctx):
    """Have `cli_ctx` hand fluxlite's errors to az's handler as azure-cli errors (once per context)."""
    if cli_ctx is None or getattr(cli_ctx, "_fluxlite_errors", False):
        return
    inner = cli_ctx.exception_handler

    def handler(exc):
        return inner(to_az_error(exc))

    cli_ctx.exception_handler = handler
    cli_ctx._fluxlite_errors = True  # pylint: disable=protected-access

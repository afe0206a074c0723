"""The az adapter for fluxlite's errors: core raises `core.errors`, az prints its own classes.

az's exception handler prints an `AzCLIError` as one `ERROR:` line with that class's exit code and
anything else as "unexpected error" with a traceback, so fluxlite's errors are turned into the
azure-cli class each one names before az's handler sees them.
"""


def to_az_error(exc):
    """Return the azure-cli error for a fluxlite error (anything else is returned as it is)."""
    from azext_fluxlite.core.errors import FluxliteError
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

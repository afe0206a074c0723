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


def _typed_alias(message, cli_ctx):
    """`message` naming, at its start, the alias of the flag the user typed (`--sync-interval`, not
    `--interval`; `--config-file`, not `--config-settings-file`).  Validators name one alias of each
    option; az records which options were typed (`safe_params`).  A short option typed (`-u`) keeps
    the long name; messages that already name several aliases (`-k/--kustomization-name`) are left alone."""
    import re
    match = re.match(r"(--?[A-Za-z][\w-]*)(?![\w/-])", message or "")
    try:
        typed = set(cli_ctx.data.get("safe_params") or [])
        command = cli_ctx.invocation.commands_loader.command_table[cli_ctx.data["command"]]
    except (AttributeError, KeyError, TypeError):
        return message
    if not match or match.group(1) in typed:
        return message
    for argument in command.arguments.values():
        options = [getattr(o, "target", o) for o in argument.type.settings.get("options_list") or []]
        if match.group(1) in options:
            # a long alias only: `-u` stays `--url`, which says more
            given = [o for o in options if o in typed and o != match.group(1) and o.startswith("--")]
            if len(given) == 1:
                return re.sub(r"(?<![\w-]){}(?![\w/-])".format(re.escape(match.group(1))), given[0], message)
            break
    return message


def to_az_error(exc, cli_ctx=None):
    """Return the azure-cli error for a fluxlite error (anything else is returned as it is)."""
    from azext_fluxlite.core.errors import FluxliteError
    down = _emulator_down(exc)
    if down is not None:
        return down
    if not isinstance(exc, FluxliteError):
        return exc
    from azure.cli.core import azclierror
    cls = getattr(azclierror, exc.az_class, azclierror.AzCLIError)
    message = _typed_alias(exc.message, cli_ctx) if cli_ctx is not None else exc.message
    error = cls(message, exc.recommendation)
    error.__cause__ = exc.__cause__
    return error


def install(cli_ctx):
    """Have `cli_ctx` hand fluxlite's errors to az's handler as azure-cli errors (once per context)."""
    if cli_ctx is None or getattr(cli_ctx, "_fluxlite_errors", False):
        return
    inner = cli_ctx.exception_handler

    def handler(exc):
        return inner(to_az_error(exc, cli_ctx))

    cli_ctx.exception_handler = handler
    cli_ctx._fluxlite_errors = True  # pylint: disable=protected-access

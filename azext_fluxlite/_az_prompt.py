"""Confirmation prompts as az's own: `--yes` and `az config set core.disable_confirm_prompt=true` skip them."""


def confirm(cli_ctx, message, yes=False):
    """Ask `message` (y/n) unless --yes or core.disable_confirm_prompt says not to; raise if declined.

    With no terminal to ask on, the error says how to answer in advance instead of only failing.
    """
    if yes or (cli_ctx is not None and
               cli_ctx.config.getboolean("core", "disable_confirm_prompt", fallback=False)):
        return
    from knack.prompting import NoTTYException, prompt_y_n
    from azure.cli.core.azclierror import ManualInterrupt, UnclassifiedUserFault
    try:
        answer = prompt_y_n(message)
    except NoTTYException:
        raise UnclassifiedUserFault(
            "Unable to prompt for confirmation as no tty available. Use --yes. Scripts can instead run "
            "'az config set core.disable_confirm_prompt=true' once.") from None
    if not answer:
        raise ManualInterrupt("Operation cancelled.")


def confirmer(cmd, yes=False):
    """A one-argument confirm(message) for code that must not know about az (core, operations)."""
    cli_ctx = getattr(cmd, "cli_ctx", None)
    return lambda message: confirm(cli_ctx, message, yes)

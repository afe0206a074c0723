"""The az adapter for the ARM layer: az's login, cloud, SDK client factory and progress display."""
from azext_fluxlite.core.arm import ArmClient

# How often the progress indicator turns while an operation runs.  It only paces the spinner:
# `poller.wait(timeout)` returns as soon as the operation ends, so completion is never seen late
# (az's LongRunningOperation sleeps 0.5 s between its checks of the poller instead).
PROGRESS_TICK = 0.25


def follow_poller(poller, progress=None, tick=PROGRESS_TICK):
    """Wait for a long-running operation's poller, turning `progress` (az's indicator) meanwhile."""
    if progress is None:
        return poller.result()
    progress.begin()
    try:
        while not poller.done():
            status = ""
            try:
                status = poller.status()
            except AttributeError:
                pass
            progress.update_progress_with_msg(status)
            poller.wait(tick)
        return poller.result()
    finally:
        progress.end()


def arm_client(cli_ctx, subscription_id=None, client_kwargs=None, progress=True):
    """An ArmClient that logs in with az's current account (or `--subscription`) on first use.

    `client_kwargs` go to every SDK client (a fleet run passes its shared transport and throttle);
    `progress=False` waits for operations without az's indicator (a fleet shows its own progress).
    """
    from azext_fluxlite import _az_errors
    _az_errors.install(cli_ctx)

    def login():
        from azure.cli.core._profile import Profile
        subscription = subscription_id or cli_ctx.data.get("subscription_id")
        credential, resolved, _ = Profile(cli_ctx=cli_ctx).get_login_credentials(subscription_id=subscription)
        return credential, resolved

    def client_factory(client_type, credential, subscription, **call_kwargs):
        from azure.cli.core.commands.client_factory import get_mgmt_service_client
        kwargs = dict(call_kwargs, **(client_kwargs or {}))
        return get_mgmt_service_client(cli_ctx, client_type, subscription_id=subscription, credential=credential,
                                       **kwargs)

    def finish(poller):
        indicator = None
        if progress and not (cli_ctx.config.getboolean("core", "disable_progress_bar", False) or cli_ctx.only_show_errors):
            from azure.cli.core.commands.progress import IndeterminateProgressBar
            indicator = IndeterminateProgressBar(cli_ctx)
        return follow_poller(poller, indicator)

    return ArmClient(login, endpoint=cli_ctx.cloud.endpoints.resource_manager, client_factory=client_factory,
                     finish=finish)

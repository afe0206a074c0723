"""The az adapter for the ARM layer: az's login, cloud, SDK client factory and progress display."""
from azext_fluxlite.core.arm import ArmClient


def arm_client(cli_ctx, subscription_id=None):
    """An ArmClient that logs in with az's current account (or `--subscription`) on first use."""
    from azext_fluxlite import _az_errors
    _az_errors.install(cli_ctx)

    def login():
        from azure.cli.core._profile import Profile
        subscription = subscription_id or cli_ctx.data.get("subscription_id")
        credential, resolved, _ = Profile(cli_ctx=cli_ctx).get_login_credentials(subscription_id=subscription)
        return credential, resolved

    def client_factory(client_type, credential, subscription):
        from azure.cli.core.commands.client_factory import get_mgmt_service_client
        return get_mgmt_service_client(cli_ctx, client_type, subscription_id=subscription, credential=credential)

    def finish(poller):
        from azure.cli.core.commands import LongRunningOperation
        return LongRunningOperation(cli_ctx, start_msg="", finish_msg="")(poller)

    return ArmClient(login, endpoint=cli_ctx.cloud.endpoints.resource_manager, client_factory=client_factory,
                     finish=finish)

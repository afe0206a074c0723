"""The az side of the partner handlers: prompts, cloud name and tenant from az's profile.

The handlers (extension/partners/) import neither azure.cli nor knack; `az k8s-extension` gives
them what they need from az through the objects made here.
"""
from azext_fluxlite._az_prompt import confirmer
from azext_fluxlite.core.errors import RequiredArgumentMissingError


class AzPrompts:
    """confirm() is az's shared confirmation (--yes, core.disable_confirm_prompt); yes_no() and text()
    ask questions that have no --yes answer and, without a terminal, say which settings answer them."""

    def __init__(self, cmd, yes=False):
        self.confirm = confirmer(cmd, yes)

    @staticmethod
    def _no_tty(message, hint):
        return RequiredArgumentMissingError(
            "Cannot ask \"{}\" without a terminal: {}.".format(message.strip().rstrip(":").strip(), hint))

    def yes_no(self, message, default="n", no_tty_hint="run the command in a terminal"):
        from knack.prompting import NoTTYException, prompt_y_n
        try:
            return prompt_y_n(message, default=default)
        except NoTTYException:
            raise self._no_tty(message, no_tty_hint) from None

    def text(self, message, help_string=None, no_tty_hint="run the command in a terminal"):
        from knack.prompting import NoTTYException, prompt
        try:
            return prompt(message, help_string=help_string)
        except NoTTYException:
            raise self._no_tty(message, no_tty_hint) from None


def cloud_name(cmd):
    return getattr(getattr(cmd.cli_ctx, "cloud", None), "name", None) or "AzureCloud"


def tenant_id(cmd):
    """The tenant of the current subscription from az's profile (no request), or None."""
    try:
        from azure.cli.core._profile import Profile
        _, _, tenant = Profile(cli_ctx=cmd.cli_ctx).get_login_credentials(
            subscription_id=cmd.cli_ctx.data.get("subscription_id"))
        return tenant
    except Exception:  # pylint: disable=broad-except
        return None


def _identity_free(body, args):
    if not args.create_identity:
        body.pop("identity", None)
    return body


def create_with_handler(cmd, client, args, plan, dry_run=False, no_wait=False, shape=None):
    """Run the type's handler (side calls included), then PUT the extension; a dry run lists every request."""
    # pylint: disable=too-many-arguments
    from azext_fluxlite.core.arm import EXTENSION_API_VERSION
    from azext_fluxlite.extension.partners import SideCalls, handler_for
    from azext_fluxlite.extension.payloads import build_extension_create_body
    handler = handler_for(args.extension_type)
    args.cloud = cloud_name(cmd)
    if getattr(handler, "needs_tenant", False):
        args.tenant_id = tenant_id(cmd)
    calls = SideCalls(client, dry_run=dry_run, cluster=args.cluster)
    handler.create(args, calls, AzPrompts(cmd))
    body = _identity_free(build_extension_create_body(
        args.extension_type, args.cluster_type, auto_upgrade_minor_version=args.auto_upgrade_minor_version,
        auto_upgrade_mode=args.auto_upgrade_mode, release_train=args.release_train, version=args.version,
        scope=args.scope, release_namespace=args.release_namespace, target_namespace=args.target_namespace,
        configuration_settings=args.settings, configuration_protected_settings=args.protected,
        plan_name=plan[0], plan_product=plan[1], plan_publisher=plan[2]), args)
    if dry_run:
        return calls.planned + [client.planned("PUT", args.cluster.child_path("extensions", args.name),
                                               EXTENSION_API_VERSION, body)]
    return shape(client.put_extension(args.cluster, args.name, body, no_wait=no_wait))


def update_with_handler(cmd, client, args, yes=False, dry_run=False):
    """Run the handler of the existing extension's type; returns (PATCH body, side-call requests planned)."""
    from azext_fluxlite.extension.partners import SideCalls, handler_for
    from azext_fluxlite.extension.payloads import build_extension_patch_body
    handler = handler_for((args.original or {}).get("extensionType"))
    args.cloud = cloud_name(cmd)
    calls = SideCalls(client, dry_run=dry_run, cluster=args.cluster)
    handler.update(args, calls, AzPrompts(cmd, yes))
    body = build_extension_patch_body(
        auto_upgrade_minor_version=args.auto_upgrade_minor_version, auto_upgrade_mode=args.auto_upgrade_mode,
        release_train=args.release_train, version=args.version, configuration_settings=args.settings,
        configuration_protected_settings=args.protected)
    return body, calls.planned


def delete_with_handler(cmd, client, cluster, name, existing, yes=False):
    """Everything the existing extension's type does before its DELETE (default: the confirmation)."""
    from azext_fluxlite.extension.partners import SideCalls, handler_for
    handler = handler_for(((existing or {}).get("properties") or {}).get("extensionType"))
    handler.delete(name, cluster, existing or {}, SideCalls(client, cluster=cluster), AzPrompts(cmd, yes))

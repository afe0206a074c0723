"""Arguments fluxlite adds to the originals: --dry-run, the wait commands, waiting for compliance."""
from azure.cli.core.commands.parameters import get_enum_type, get_three_state_flag

# flux_export.EXPORT_FORMATS; not imported here so that loading arguments stays light (no PyYAML).
EXPORT_FORMATS = ["arm", "bicep", "flux"]

DRY_RUN_HELP = ("Print the ARM request(s) that would be sent, secrets redacted, and send nothing that writes "
                "(reads such as the current configuration are still made).")
WAIT_GROUP = "Wait Condition"


def _wait_arguments(c, compliant):
    c.argument("created", action="store_true", arg_group=WAIT_GROUP,
               help="Wait until it exists with provisioningState Succeeded.")
    c.argument("updated", action="store_true", arg_group=WAIT_GROUP,
               help="Wait until provisioningState is Succeeded (after an update).")
    c.argument("deleted", action="store_true", arg_group=WAIT_GROUP, help="Wait until it no longer exists.")
    c.argument("exists", action="store_true", arg_group=WAIT_GROUP, help="Wait until it exists.")
    c.argument("custom", arg_group=WAIT_GROUP,
               help="Wait until this JMESPath query on the output is true, e.g. \"provisioningState=='Succeeded'\".")
    if compliant:
        c.argument("compliant", action="store_true", arg_group=WAIT_GROUP,
                   help="Wait until complianceState is Compliant; fails at once when provisioning Failed, and "
                        "when it stays Non-Compliant for 2 minutes (Flux reports that briefly while it converges).")
    c.argument("interval", help="Time between polls: a duration (30s, 1m) or seconds. Default: 0.5s at first, "
                                "then a tenth of the time waited so far, at most 10s.")
    c.argument("timeout", help="Maximum time to wait: a duration (15m, 1h) or seconds. Default: 1h.")


def load_preview_arguments(loader):
    for scope in ("k8s-configuration flux create", "k8s-configuration flux update",
                  "k8s-configuration flux kustomization create", "k8s-configuration flux kustomization update",
                  "k8s-configuration flux kustomization delete", "k8s-extension create", "k8s-extension update"):
        with loader.argument_context(scope) as c:
            c.argument("dry_run", action="store_true", help=DRY_RUN_HELP)

    for scope in ("k8s-configuration flux create", "k8s-configuration flux update"):
        with loader.argument_context(scope) as c:
            c.argument("wait_for_compliance", arg_type=get_three_state_flag(), arg_group="Compliance",
                       help="After the operation, wait until complianceState is Compliant; fail and list the "
                            "failing objects when it stays Non-Compliant for 2 minutes (Flux reports that briefly "
                            "while it converges), provisioning Failed, or the time runs out.")
            c.argument("compliance_timeout", arg_group="Compliance",
                       help="How long --wait-for-compliance waits: a Go duration (10m, 1h) or seconds.")

    with loader.argument_context("k8s-configuration flux create") as c:
        c.argument("export_format", arg_type=get_enum_type(EXPORT_FORMATS),
                   help="With --dry-run: print the configuration as an ARM resource (arm), a Bicep declaration "
                        "(bicep) or the Flux objects the cluster will get (flux) instead of the request.")
        c.argument("wait_for_reconciliation", arg_type=get_three_state_flag(), arg_group="Reconciliation",
                   help="Ask the service to finish the operation only when the cluster has reconciled it "
                        "(API waitForReconciliation). Can only be set on create.")
        c.argument("reconciliation_wait_duration", arg_group="Reconciliation",
                   help="How long the service waits for reconciliation: ISO 8601 (PT30M), a Go duration (30m) or "
                        "seconds; implies --wait-for-reconciliation.")

    with loader.argument_context("k8s-configuration flux wait") as c:
        _wait_arguments(c, compliant=True)
    with loader.argument_context("k8s-extension wait") as c:
        _wait_arguments(c, compliant=False)

"""microsoft.azuredefender.kubernetes: one instance named after the type in namespace `mdc`, sending to
a Log Analytics workspace (the default one unless logAnalyticsWorkspaceResourceID is given) with its
shared key (no data collection rule)."""
from .base import DefaultHandler
from .container_insights import check_monitoring_settings, force_single_instance
from .loganalytics import WORKSPACE_ID_KEY, add_workspace_keys, ensure_default_workspace

NAMESPACE = "mdc"


class DefenderHandler(DefaultHandler):

    def create(self, args, calls, prompts):
        force_single_instance(args, args.extension_type, NAMESPACE)
        args.settings["amalogs.useAADAuth"] = "False"
        check_monitoring_settings(args, aad=False)
        ws_id = args.settings.get(WORKSPACE_ID_KEY) or ensure_default_workspace(calls, args.cluster, args.cloud)
        add_workspace_keys(calls, args, ws_id, use_aad=False)
        return args

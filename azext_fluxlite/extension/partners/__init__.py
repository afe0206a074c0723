"""Partner extension types: one handler per type that the original treats specially.

`handler_for(extension_type)` picks the handler by the lower-cased type: the `--extension-type` on
create, the existing resource's `extensionType` on update and delete.  Every other type gets the
default handler.  Handlers import neither azure.cli nor knack (see base.py).
"""
from .base import DefaultHandler, ExtensionArgs, SideCalls, UpdateArgs  # noqa: F401

_HANDLERS = {
    "microsoft.azuremonitor.containers": ("container_insights", "ContainerInsightsHandler"),
    "microsoft.azuremonitor.containers.metrics": ("metrics", "MetricsHandler"),
    "microsoft.azuredefender.kubernetes": ("defender", "DefenderHandler"),
    "microsoft.openservicemesh": ("osm", "OpenServiceMeshHandler"),
    "microsoft.azureml.kubernetes": ("azureml", "AzureMLHandler"),
    "microsoft.dapr": ("dapr", "DaprHandler"),
    "microsoft.dataprotection.kubernetes": ("dataprotection", "DataProtectionHandler"),
}
PARTNER_TYPES = tuple(_HANDLERS)


def handler_for(extension_type):
    """The handler of an extension type (imported only when used)."""
    entry = _HANDLERS.get((extension_type or "").strip().lower())
    if entry is None:
        return DefaultHandler()
    import importlib
    module = importlib.import_module("{}.{}".format(__name__, entry[0]))
    return getattr(module, entry[1])()

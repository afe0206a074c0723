"""`-o table` of the Flux v1 commands: the original's columns, in its order."""
from collections import OrderedDict


def _row(item):
    return OrderedDict([
        ("name", item.get("name")),
        ("repositoryUrl", item.get("repositoryUrl")),
        ("operatorName", item.get("operatorInstanceName")),
        ("operatorNamespace", item.get("operatorNamespace")),
        ("scope", item.get("operatorScope")),
        ("provisioningState", item.get("provisioningState")),
    ])


def source_control_list_table(result):
    return [_row(item or {}) for item in result or []]


def source_control_show_table(result):
    return _row(result or {})

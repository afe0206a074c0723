"""Table formats for k8s-extension (being written)."""


def _passthrough(result):
    return result


extension_show_table = extension_list_table = _passthrough
extension_type_list_table = extension_type_show_table = _passthrough
extension_type_version_list_table = extension_type_version_show_table = _passthrough

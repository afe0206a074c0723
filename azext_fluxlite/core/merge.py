"""JSON merge patch (RFC 7386), the way ARM applies a PATCH body: shared by the emulator and what-if."""
import copy


def merge_patch(target, patch):
    """Objects merge recursively, null deletes, anything else replaces; the inputs are not changed."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result

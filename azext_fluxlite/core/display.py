"""How user input is quoted inside one-line error messages.

Error messages must stay on one line and readable whatever the user typed (control characters,
newlines, megabytes of text), so every value shown in a message goes through `shown()`.  Secret
values are never passed to it: messages about secrets name the option only.
"""

_LIMIT = 60


def shown(value, limit=_LIMIT):
    """Return `value` quoted for a message: repr-escaped (no raw newlines) and cut to `limit` chars."""
    text = value if isinstance(value, str) else str(value)
    if len(text) > limit:
        text = text[:limit] + "..."
    return repr(text)


def or_list(items, quote=False):
    """'a', 'a or b', 'a, b or c' (items kept in the given order)."""
    items = ["'{}'".format(i) if quote else str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return "{} or {}".format(", ".join(items[:-1]), items[-1])

"""Strip az's default markers from fluxlite's arguments before any fluxlite code sees them.

knack wraps every str/int default (a function's `scope="cluster"`, `az configure --defaults
group=...`) in `DefaultStr`/`DefaultInt` so that az can tell a default from a typed value.  Once the
arguments are parsed fluxlite has no use for the difference, and the wrappers leak: az's output
serializer prints such a value as `{"isDefault": true}`, so a `--dry-run` preview (or an export)
built from one showed a marker where the request sends "cluster".  Builders and validators receive
plain `str` and `int` values instead.
"""

PREFIXES = ("k8s-configuration", "k8s-extension", "fluxlite")


def plain(value):
    """`value` without az's default marker (a plain str/int); anything else unchanged."""
    if getattr(value, "is_default", False):
        if isinstance(value, str):
            return str.__str__(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return int(value)
    return value


def _strip_markers(_cli_ctx, **kwargs):
    command = kwargs.get("command") or ""
    namespace = kwargs.get("args")
    if namespace is None or not command.startswith(PREFIXES):
        return
    for dest, value in list(vars(namespace).items()):
        if not dest.startswith("_"):
            cleaned = plain(value)
            if cleaned is not value:
                setattr(namespace, dest, cleaned)


def install(cli_ctx):
    """Register the marker stripping on `cli_ctx` (once)."""
    if cli_ctx is None or getattr(cli_ctx, "_fluxlite_plain_defaults", False):
        return
    from knack.events import EVENT_INVOKER_POST_PARSE_ARGS
    cli_ctx.register_event(EVENT_INVOKER_POST_PARSE_ARGS, _strip_markers)
    cli_ctx._fluxlite_plain_defaults = True  # pylint: disable=protected-access

"""Where fluxlite's progress lines go under az: stderr, or nowhere with --only-show-errors.

az's `--only-show-errors` (and `az config set core.only_show_errors=true`) silences everything but
errors.  fluxlite's warnings go through az's loggers and obey it by themselves; progress lines of
the wait commands are written to a stream, which is this one.
"""
import sys


class _Discard:
    def write(self, _text):
        return 0

    def flush(self):
        pass


def progress_stream(cli_ctx):
    """sys.stderr, or a stream that discards when az shows only errors."""
    if cli_ctx is not None and getattr(cli_ctx, "only_show_errors", False):
        return _Discard()
    return sys.stderr

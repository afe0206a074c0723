"""Reading secret and key material from the command line, a file or standard input.

This is the only input-parsing module that does I/O.  A secret option accepts:

* the value itself (as the original; it then shows up in shell history and `ps`);
* `@path`: the content of a file.  azure-cli core already expands `@path` for every argument before
  parsing; when core cannot read the file it passes `@path` through unchanged, and this module then
  reports *why* the file cannot be read (the original sent the literal text);
* `-` or `@-`: standard input (`@-` is normally consumed by core already);
* the matching `--*-file` option where the original has one (`--ssh-private-key-file`, ...).

A literal secret that starts with '@' cannot be given on the command line (az core treats it as a
file); pipe it through standard input instead.  Messages never contain the secret itself.
"""
import os
import sys
from collections import namedtuple

from azext_fluxlite.core.errors import (
    ArgumentUsageError, FileOperationError, InvalidArgumentValueError, MutuallyExclusiveArgumentError,
)

from azext_fluxlite.core.display import shown

MAX_BYTES = 1024 * 1024
STDIN_VALUES = ("-", "@-")

# data: bytes; source: "value", "file" or "stdin"; option: the option that supplied it (for messages)
SecretInput = namedtuple("SecretInput", "data source option")


def _read_file(path, option):
    """Bytes of `path`; FileOperationError naming `option` and the path when that fails."""
    expanded = os.path.expanduser(path)
    where = "{} {}".format(option, shown(path, 200))
    if not path.strip():
        raise FileOperationError("{}: the file name is empty; give the path of a readable file.".format(option))
    try:
        if os.path.isdir(expanded):
            raise FileOperationError("{} is a directory, not a file: give the path of the file itself.".format(where))
        with open(expanded, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise FileOperationError("{}: no such file. Check the path (relative paths start at the current "
                                 "directory {}).".format(where, shown(os.getcwd(), 200))) from None
    except PermissionError:
        raise FileOperationError("{}: permission denied. Make the file readable by your user.".format(where)) \
            from None
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or exc.__class__.__name__
        raise FileOperationError("{}: cannot read the file ({}).".format(where, reason)) from None
    if len(data) > MAX_BYTES:
        raise FileOperationError("{} is larger than {} bytes: give the key or secret file itself.".format(
            where, MAX_BYTES))
    if not data.strip():
        raise FileOperationError("{} is empty: give a file that contains the value.".format(where))
    return data


def _read_stdin(option, stdin):
    stream = sys.stdin if stdin is None else stdin
    if stream is None:
        raise ArgumentUsageError("{} -: standard input is not available; give the value or a file.".format(option))
    try:
        buffer = getattr(stream, "buffer", None)
        data = (buffer or stream).read(MAX_BYTES + 1)
    except (OSError, ValueError) as exc:
        raise FileOperationError("{} -: cannot read standard input ({}).".format(
            option, getattr(exc, "strerror", None) or exc.__class__.__name__)) from None
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX_BYTES:
        raise FileOperationError("{} -: standard input has more than {} bytes.".format(option, MAX_BYTES))
    if not data.strip():
        raise InvalidArgumentValueError("{} -: standard input was empty; pipe the value in, e.g. "
                                        "`cat key | az ... {} -`.".format(option, option))
    return data


def read_value_or_file(value, file_path, value_option, file_option=None, stdin=None):
    """Resolve one secret option (and its `--*-file` twin, if any) to a SecretInput, or None.

    `value` is what the user gave to `value_option` (str or None); `file_path` what they gave to
    `file_option` (or None).  Both given is a MutuallyExclusiveArgumentError.  `stdin` is the
    stream for `-` (default sys.stdin).  The returned data is bytes, unmodified: callers decide
    about stripping and base64.
    """
    if value is not None and file_path is not None:
        raise MutuallyExclusiveArgumentError(
            "{} and {} cannot be used together: give the value with only one of them.".format(
                value_option, file_option))
    if file_path is not None:
        return SecretInput(_read_file(str(file_path), file_option), "file", file_option)
    if value is None:
        return None
    if isinstance(value, bytes):
        return SecretInput(value, "value", value_option)
    value = str(value)
    if value in STDIN_VALUES:
        return SecretInput(_read_stdin(value_option, stdin), "stdin", value_option)
    if value.startswith("@") and len(value) > 1:
        return SecretInput(_read_file(value[1:], value_option), "file", value_option)
    if not value.strip():
        raise InvalidArgumentValueError("{} is empty: give the value, @FILE or - (standard input).".format(
            value_option))
    return SecretInput(value.encode("utf-8"), "value", value_option)


def check_single_stdin(values):
    """At most one option may read standard input.  `values` maps option -> given value."""
    readers = sorted(option for option, value in values.items()
                     if isinstance(value, str) and value in STDIN_VALUES)
    if len(readers) > 1:
        raise ArgumentUsageError("{} all ask to read standard input ('-'); only one option can: give the "
                                 "others as values or @FILE.".format(" and ".join(readers)))


def as_text(secret, strip=True):
    """The SecretInput's data as str (UTF-8).  `strip` removes surrounding whitespace, e.g. the
    newline at the end of a file."""
    try:
        text = secret.data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidArgumentValueError("{}: the {} is not UTF-8 text.".format(
            secret.option, "file" if secret.source == "file" else secret.source)) from None
    return text.strip() if strip else text

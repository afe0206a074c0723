"""Reading `az k8s-extension` configuration settings: `key=value` tokens and JSON settings files.

Everything here either returns plain `{str: str}` dicts or raises a one-line az error that names the
flag and says how to fix it.  Values of protected settings are secrets: no message here ever
repeats a protected value (or a whole protected token, which may be nothing but a secret).
"""
import argparse
import json

from azext_fluxlite.core.errors import (
    FileOperationError, InvalidArgumentValueError, MutuallyExclusiveArgumentError)

PLAIN = "--configuration-settings"
PROTECTED = "--config-protected-settings"
PLAIN_FILE = "--config-settings-file"
PROTECTED_FILE = "--config-protected-settings-file"



def _ordinal(number):
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return "{}{}".format(number, suffix)


def parse_setting_token(token, option, position=1, protected=False):
    """Split one `key=value` token on its first '='; the value may itself contain '='."""
    key, sep, value = token.partition("=")
    if sep and key:
        return key, value
    if protected:
        # Never echo the token: without an '=' it may be the secret itself.
        which = "the {} value given to {}".format(_ordinal(position), option)
    else:
        which = "'{}' given to {}".format(token, option)
    if not sep:
        problem = "{} is not of the form key=value".format(which)
    else:
        problem = "{} has an empty key".format(which)
    raise InvalidArgumentValueError(
        "{}: write each setting as key=value, e.g. {} {}.".format(
            problem[0].upper() + problem[1:], option,
            "mySecret=<value>" if protected else "helm-controller.enabled=true"))


def parse_setting_tokens(tokens, option, protected=False):
    """Turn one occurrence's tokens into a dict (a later duplicate key wins)."""
    settings = {}
    for position, token in enumerate(tokens, start=1):
        key, value = parse_setting_token(token, option, position, protected)
        settings[key] = value
    return settings


class SettingsAction(argparse._AppendAction):  # pylint: disable=protected-access,too-few-public-methods
    """`--config a=1 b=2 --config c=3`: each occurrence appends one dict, checked as it is parsed."""

    protected = False

    def __call__(self, parser, namespace, values, option_string=None):
        if isinstance(values, str):
            values = [values]
        settings = parse_setting_tokens(values, option_string or self.option_strings[0], self.protected)
        super().__call__(parser, namespace, settings, option_string)


class ProtectedSettingsAction(SettingsAction):  # pylint: disable=too-few-public-methods
    protected = True


def merge_option_settings(occurrences, option=PLAIN, protected=False):
    """Merge the dicts of all occurrences in command-line order (later keys win).

    Occurrences are the dicts SettingsAction produced; raw `key=value` strings (or lists of them)
    are accepted too, for callers that do not go through argparse.
    """
    merged = {}
    for settings in occurrences or []:
        if isinstance(settings, dict):
            merged.update(settings)
        else:
            tokens = [settings] if isinstance(settings, str) else list(settings)
            merged.update(parse_setting_tokens(tokens, option, protected))
    return merged


def _setting_value(key, value, option, path):
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, _JsonNumber):
        return str(value)
    kind = "null" if value is None else ("an array" if isinstance(value, list) else "an object")
    raise InvalidArgumentValueError(
        "{} '{}': the value of '{}' is {}, but settings are strings: write it as a JSON string "
        "(e.g. \"{}\": \"...\"), or remove the key.".format(option, path, key, kind, key))


class _JsonNumber(str):
    """A JSON number kept as the exact text it had in the file (`5`, `0.50`, `1e3`)."""


def read_settings_file(path, option):
    """Read a settings file: a non-empty JSON object whose values become strings."""
    if not path or not str(path).strip():
        raise InvalidArgumentValueError("{} was given an empty path: pass the path of a JSON file.".format(option))
    try:
        with open(path, "r", encoding="utf-8-sig") as handle:
            text = handle.read()
    except FileNotFoundError:
        raise FileOperationError("{} '{}': no such file. Check the path.".format(option, path)) from None
    except IsADirectoryError:
        raise FileOperationError("{} '{}' is a directory: pass the path of a JSON file.".format(option, path)) from None
    except UnicodeDecodeError:
        raise FileOperationError("{} '{}' cannot be read (it is not UTF-8 text).".format(option, path)) from None
    except OSError as exc:
        raise FileOperationError("{} '{}' cannot be read ({}).".format(
            option, path, exc.strerror or type(exc).__name__)) from None
    try:
        data = json.loads(text, parse_int=_JsonNumber, parse_float=_JsonNumber,
                          parse_constant=_reject_constant)
    except ValueError as exc:
        # The error position is fine to show; the text around it (maybe a secret) is not.
        where = " (error at line {} column {})".format(exc.lineno, exc.colno) if hasattr(exc, "lineno") else ""
        raise InvalidArgumentValueError(
            "{} '{}' is not valid JSON{}: it must hold one JSON object of \"key\": \"value\" pairs.".format(
                option, path, where)) from None
    if not isinstance(data, dict):
        raise InvalidArgumentValueError(
            "{} '{}' must hold a JSON object of \"key\": \"value\" pairs, not {}.".format(
                option, path, "an array" if isinstance(data, list) else "a single value"))
    if not data:
        raise InvalidArgumentValueError(
            "{} '{}' holds an empty JSON object: add \"key\": \"value\" pairs or drop the option.".format(option, path))
    settings = {}
    for key, value in data.items():
        if not key:
            raise InvalidArgumentValueError("{} '{}' has an empty key: every key must be a non-empty string.".format(
                option, path))
        settings[key] = _setting_value(key, value, option, path)
    return settings


def _reject_constant(name):
    raise ValueError("{} is not valid JSON".format(name))


def collect_settings(options, path, protected=False, exclusive=False):
    """One settings map from its `key=value` occurrences and/or its file.

    `exclusive` (create): giving both is an error, with the originals' wording.  Otherwise (update)
    the file is read first and the `key=value` options override or extend it.
    """
    option, file_option = (PROTECTED, PROTECTED_FILE) if protected else (PLAIN, PLAIN_FILE)
    if exclusive and options is not None and path is not None:
        kind = "configuration-protected-settings" if protected else "configuration-settings"
        raise MutuallyExclusiveArgumentError(
            "Error! Both {kind} and {kind}-file cannot be provided. Use either {opt} or {fopt}, "
            "not both.".format(kind=kind, opt=option, fopt=file_option))
    settings = read_settings_file(path, file_option) if path is not None else {}
    settings.update(merge_option_settings(options, option, protected))
    return settings

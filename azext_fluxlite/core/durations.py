"""Durations given on the command line (`--timeout`, `--interval`, `-k timeout=` ...).

The wire format is an integer number of seconds.  Accepted input:

* Go-style hours/minutes/seconds in that order, each part optional but at least one present:
  `1h2m5s`, `90s`, `1h`, `1m30s`, `10m`.  The whole string must match: the original matched only
  at the start, so `1h30` became one hour and `5ms` five minutes (quirk 18); both are errors here.
* Plain seconds: `120` (the original rejected this although users expect it, user-needs §6).

The result must be positive (Flux rejects a zero interval) and must fit Go's time.Duration, which
Flux parses the value into (about 292 years).  Surrounding whitespace is ignored.
"""
import re

from azext_fluxlite.core.errors import InvalidArgumentValueError

from azext_fluxlite.core.display import shown

_GO_DURATION = re.compile(r"(?:(?P<h>[0-9]+)h)?(?:(?P<m>[0-9]+)m)?(?:(?P<s>[0-9]+)s)?")
_SECONDS = re.compile(r"[0-9]+")
# Go's time.Duration is an int64 count of nanoseconds.
MAX_SECONDS = (2 ** 63 - 1) // 10 ** 9

_HOW = "use hours, minutes and seconds in that order, e.g. 1h2m5s, 10m or 90s, or plain seconds, e.g. 120"


def _reason(text):
    """Why `text` (already stripped, non-empty, not valid) is not a duration."""
    if text.startswith("-"):
        return "it must be positive"
    if re.fullmatch(r"[0-9hms]+", text):
        if text.endswith("ms"):
            return "milliseconds are not supported"
        if text[-1].isdigit() and not text[0] in "hms":
            return "the number at the end has no unit"
        return "each unit must follow a number, at most once, in the order h, m, s"
    if re.search(r"\d\.\d", text):
        return "fractions are not supported"
    if re.search(r"\d\s*(ns|us|\u00b5s|ms|d|w|y|[HMS])", text):
        return "only the units h, m and s (lower case) are supported"
    return None


def parse_duration(value, option):
    """Return `value` (a duration string, see the module docstring) in whole seconds.

    An int is accepted as it is (already seconds).  Raises InvalidArgumentValueError naming `option`.
    """
    if isinstance(value, bool):
        raise InvalidArgumentValueError("{} must be a duration such as 10m, 1h2m5s or 120 (seconds), "
                                        "not a true/false value.".format(option))
    if isinstance(value, int):
        seconds = value
    else:
        text = (value if isinstance(value, str) else str(value)).strip()
        if not text:
            raise InvalidArgumentValueError(
                "{} is empty: give a duration such as 10m, 1h2m5s or 120 (seconds).".format(option))
        match = _GO_DURATION.fullmatch(text)
        if _SECONDS.fullmatch(text):
            seconds = int(text)
        elif match and any(match.groupdict().values()):
            parts = match.groupdict()
            seconds = int(parts["h"] or 0) * 3600 + int(parts["m"] or 0) * 60 + int(parts["s"] or 0)
        else:
            reason = _reason(text)
            raise InvalidArgumentValueError("{} {} is not a valid duration{}: {}.".format(
                option, shown(text), " ({})".format(reason) if reason else "", _HOW))
    if seconds <= 0:
        raise InvalidArgumentValueError(
            "{} must be longer than zero seconds: give a duration such as 10m or 90s.".format(option))
    if seconds > MAX_SECONDS:
        raise InvalidArgumentValueError(
            "{} is too long: the maximum is {} seconds (about 292 years); give a shorter "
            "duration.".format(option, MAX_SECONDS))
    return seconds


def format_duration(seconds):
    """Seconds as h/m/s text for tables: 3661 -> '1h1m1s', 600 -> '10m', 0 -> '', None -> None."""
    if seconds is None:
        return None
    seconds = int(seconds)
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = "".join("{}{}".format(n, unit) for n, unit in ((hours, "h"), (minutes, "m"), (secs, "s")) if n)
    return sign + text


_ISO = re.compile(r"P(?:(?P<d>[0-9]+)D)?(?:T(?:(?P<h>[0-9]+)H)?(?:(?P<m>[0-9]+)M)?(?:(?P<s>[0-9]+)S)?)?")


def to_iso8601_duration(value, option):
    """An ISO 8601 duration (PT5M) from ISO 8601 itself, a Go duration (5m) or plain seconds (300)."""
    text = str(value if value is not None else "").strip()
    match = _ISO.fullmatch(text.upper()) if text.upper().startswith("P") else None
    if match and any(match.groupdict().values()):
        seconds = (int(match["d"] or 0) * 86400 + int(match["h"] or 0) * 3600 + int(match["m"] or 0) * 60 +
                   int(match["s"] or 0))
        if seconds <= 0:
            raise InvalidArgumentValueError("{} must be longer than zero: e.g. PT5M, 5m or 300.".format(option))
    else:
        seconds = parse_duration(text, option)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return "PT" + "".join("{}{}".format(n, u) for n, u in ((hours, "H"), (minutes, "M"), (secs, "S")) if n)

"""Durations: Go-style h/m/s (fully anchored) or plain seconds, positive, one-line errors."""
import pytest
from azext_fluxlite.core.errors import InvalidArgumentValueError

from azext_fluxlite.core.durations import MAX_SECONDS, format_duration, parse_duration


@pytest.mark.parametrize("text, seconds", [
    ("10m", 600), ("1h2m5s", 3725), ("90s", 90), ("1h", 3600), ("1m30s", 90), ("1h30m", 5400),
    ("2h0m", 7200), ("120", 120), ("1", 1), (" 5m ", 300), ("0h0m1s", 1), (3600, 3600),
])
def test_valid_durations(text, seconds):
    assert parse_duration(text, "--timeout") == seconds


@pytest.mark.parametrize("text, reason", [
    ("1h30", "no unit"),            # the original took this as 1h (quirk 18)
    ("5ms", "milliseconds"),        # the original took this as 5 minutes (quirk 18)
    ("30m1h", "order h, m, s"),
    ("1hh", "order h, m, s"),
    ("1.5h", "fractions"),
    ("1d", "units h, m and s"),
    ("5M", "units h, m and s"),
    ("-5m", "positive"),
    ("abc", "1h2m5s"),
    ("m5", "order h, m, s"),
    ("h", "order h, m, s"),
])
def test_invalid_durations_name_the_option_and_say_how(text, reason):
    with pytest.raises(InvalidArgumentValueError) as err:
        parse_duration(text, "--interval")
    message = str(err.value)
    assert message.startswith("--interval ")
    assert reason in message
    assert "1h2m5s" in message and "120" in message   # how to fix
    assert "\n" not in message


@pytest.mark.parametrize("text", ["0", "0s", "0h0m0s", 0])
def test_zero_is_rejected(text):
    with pytest.raises(InvalidArgumentValueError, match=r"^--timeout must be longer than zero seconds"):
        parse_duration(text, "--timeout")


def test_empty_and_bool_and_too_long():
    with pytest.raises(InvalidArgumentValueError, match=r"^-k timeout is empty: give a duration"):
        parse_duration("", "-k timeout")
    with pytest.raises(InvalidArgumentValueError, match="true/false"):
        parse_duration(True, "--timeout")
    assert parse_duration(str(MAX_SECONDS), "--timeout") == MAX_SECONDS
    with pytest.raises(InvalidArgumentValueError, match="too long"):
        parse_duration("{}h".format(MAX_SECONDS), "--timeout")


def test_non_ascii_digits_are_not_numbers():
    with pytest.raises(InvalidArgumentValueError):
        parse_duration("\u0663m", "--timeout")   # ARABIC-INDIC DIGIT THREE


def test_long_input_is_cut_in_the_message():
    with pytest.raises(InvalidArgumentValueError) as err:
        parse_duration("x" * 5000, "--timeout")
    assert len(str(err.value)) < 400


@pytest.mark.parametrize("seconds, text", [
    (3661, "1h1m1s"), (600, "10m"), (0, ""), (None, None), (90, "1m30s"), (7200, "2h"), (59, "59s"),
    (3725, "1h2m5s"),
])
def test_format_duration(seconds, text):
    assert format_duration(seconds) == text


@pytest.mark.parametrize("seconds", [1, 59, 60, 61, 3599, 3600, 3601, 86399, 90061, 10 ** 9])
def test_format_then_parse_round_trips(seconds):
    assert parse_duration(format_duration(seconds), "--timeout") == seconds

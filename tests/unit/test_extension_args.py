"""Parsing `--config k=v` tokens and reading settings files for `az k8s-extension`."""
import argparse

import pytest
from azext_fluxlite.core.errors import (
    FileOperationError, InvalidArgumentValueError, MutuallyExclusiveArgumentError)

from azext_fluxlite.extension.args import (
    ProtectedSettingsAction, SettingsAction, collect_settings, parse_setting_token, read_settings_file)


@pytest.mark.parametrize("token, expected", [
    ("a=1", ("a", "1")),
    ("a=", ("a", "")),
    ("a==b", ("a", "=b")),
    ("url=https://x/?a=b", ("url", "https://x/?a=b")),
    ("a = b", ("a ", " b")),
    ("helm-controller.enabled=true", ("helm-controller.enabled", "true")),
])
def test_token_split_on_first_equals(token, expected):
    assert parse_setting_token(token, "--config") == expected


def test_token_without_equals_names_token_and_flag():
    with pytest.raises(InvalidArgumentValueError, match="'abc' given to --config is not of the form key=value"):
        parse_setting_token("abc", "--config")


def test_empty_key_is_an_error():
    with pytest.raises(InvalidArgumentValueError, match="'=v' given to --config has an empty key"):
        parse_setting_token("=v", "--config")


def test_protected_token_errors_never_repeat_the_token():
    with pytest.raises(InvalidArgumentValueError) as err:
        parse_setting_token("hunter2", "--config-protected", position=2, protected=True)
    assert "hunter2" not in str(err.value)
    assert "The 2nd value given to --config-protected is not of the form key=value" in str(err.value)
    with pytest.raises(InvalidArgumentValueError) as err:
        parse_setting_token("=hunter2", "--config-protected", protected=True)
    assert "hunter2" not in str(err.value) and "empty key" in str(err.value)


def _parser():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", dest="plain", nargs="+", action=SettingsAction)
    parser.add_argument("--config-protected", dest="secret", nargs="+", action=ProtectedSettingsAction)
    return parser


def test_action_appends_one_dict_per_occurrence_and_merge_keeps_order():
    ns = _parser().parse_args(["--config", "a=1", "b=2", "--config", "a=3", "--config-protected", "s=x"])
    assert ns.plain == [{"a": "1", "b": "2"}, {"a": "3"}]
    assert collect_settings(ns.plain, None) == {"a": "3", "b": "2"}
    assert collect_settings(ns.secret, None, protected=True) == {"s": "x"}


def test_action_reports_the_option_as_typed():
    with pytest.raises(InvalidArgumentValueError, match="given to --config is not"):
        _parser().parse_args(["--config", "oops"])


def _write(tmp_path, text, name="s.json"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_file_values_become_strings(tmp_path):
    path = _write(tmp_path, '{"a": "x", "on": true, "off": false, "n": 5, "f": 0.50, "e": 1e3}')
    assert read_settings_file(path, "--config-settings-file") == {
        "a": "x", "on": "true", "off": "false", "n": "5", "f": "0.50", "e": "1e3"}


def test_file_with_bom_is_read(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b'\xef\xbb\xbf{"a": "b"}')
    assert read_settings_file(str(path), "--config-settings-file") == {"a": "b"}


@pytest.mark.parametrize("text, message", [
    ('{"a": {"b": 1}}', "the value of 'a' is an object, but settings are strings: write it as a JSON string"),
    ('{"a": [1]}', "the value of 'a' is an array"),
    ('{"a": null}', "the value of 'a' is null"),
    ("{}", "holds an empty JSON object"),
    ("[]", "must hold a JSON object"),
    ('"x"', "must hold a JSON object of \"key\": \"value\" pairs, not a single value"),
    ("{not json", "is not valid JSON (error at line 1 column 2)"),
    ('{"a": NaN}', "is not valid JSON"),
    ('{"": "x"}', "has an empty key"),
])
def test_bad_files(tmp_path, text, message):
    path = _write(tmp_path, text)
    with pytest.raises(InvalidArgumentValueError) as err:
        read_settings_file(path, "--config-settings-file")
    assert message in str(err.value)
    assert str(err.value).startswith("--config-settings-file '{}'".format(path))


def test_invalid_json_error_does_not_quote_the_file(tmp_path):
    path = _write(tmp_path, '{"password": "hunter2" "x": 1}')
    with pytest.raises(InvalidArgumentValueError) as err:
        read_settings_file(path, "--config-protected-settings-file")
    assert "hunter2" not in str(err.value)


def test_missing_file_directory_and_empty_path(tmp_path):
    with pytest.raises(FileOperationError, match="no such file. Check the path"):
        read_settings_file(str(tmp_path / "nope.json"), "--config-settings-file")
    with pytest.raises(FileOperationError, match="is a directory"):
        read_settings_file(str(tmp_path), "--config-settings-file")
    with pytest.raises(InvalidArgumentValueError, match="empty path"):
        read_settings_file("", "--config-settings-file")


def test_unreadable_file(tmp_path, monkeypatch):
    from azext_fluxlite.extension import args as _extension_args
    path = _write(tmp_path, '{"a": "b"}')

    def denied(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(_extension_args, "open", denied, raising=False)
    with pytest.raises(FileOperationError, match=r"cannot be read \(Permission denied\)"):
        read_settings_file(path, "--config-settings-file")


def test_not_utf8_file(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"a": "\xe9"}')
    with pytest.raises(FileOperationError, match="not UTF-8 text"):
        read_settings_file(str(path), "--config-settings-file")


def test_create_rejects_option_and_file_of_same_kind(tmp_path):
    path = _write(tmp_path, '{"a": "b"}')
    with pytest.raises(MutuallyExclusiveArgumentError,
                       match="Both configuration-settings and configuration-settings-file cannot be provided"):
        collect_settings([{"x": "1"}], path, exclusive=True)
    with pytest.raises(MutuallyExclusiveArgumentError, match="Both configuration-protected-settings and "
                                                             "configuration-protected-settings-file"):
        collect_settings([{"x": "1"}], path, protected=True, exclusive=True)


def test_update_merges_file_then_options(tmp_path):
    path = _write(tmp_path, '{"a": "file", "b": "file"}')
    assert collect_settings([{"b": "opt"}, {"c": "opt"}], path) == {"a": "file", "b": "opt", "c": "opt"}


def test_raw_tokens_are_accepted_without_argparse():
    assert collect_settings(["a=1", ["b=2", "a=3"]], None) == {"a": "3", "b": "2"}

"""Reading secrets from values, @FILE, '-' (stdin) and --*-file options."""
import io
import os

import pytest
from azext_fluxlite.core.errors import (
    ArgumentUsageError, FileOperationError, InvalidArgumentValueError, MutuallyExclusiveArgumentError,
)

from azext_fluxlite.core.secrets import (
    MAX_BYTES, SecretInput, as_text, check_single_stdin, read_value_or_file,
)

SECRET = "s3cr3t-v@lue-XYZ"


def test_nothing_given():
    assert read_value_or_file(None, None, "--https-key") is None


def test_plain_value():
    got = read_value_or_file(SECRET, None, "--https-key")
    assert got == SecretInput(SECRET.encode(), "value", "--https-key")
    assert as_text(got) == SECRET


def test_file_option(tmp_path):
    path = tmp_path / "key"
    path.write_bytes(b"-----BEGIN X-----\nabc\n")
    got = read_value_or_file(None, str(path), "--ssh-private-key", "--ssh-private-key-file")
    assert got == SecretInput(b"-----BEGIN X-----\nabc\n", "file", "--ssh-private-key-file")


def test_at_file_value(tmp_path):
    path = tmp_path / "token"
    path.write_text(SECRET + "\n")
    got = read_value_or_file("@" + str(path), None, "--sas-token")
    assert got.source == "file" and got.option == "--sas-token"
    assert as_text(got) == SECRET


def test_at_file_expands_home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "pw").write_text("x")
    assert read_value_or_file("@~/pw", None, "--sp-cert-password").data == b"x"


@pytest.mark.parametrize("dash", ["-", "@-"])
def test_stdin(dash):
    got = read_value_or_file(dash, None, "--https-key", stdin=io.StringIO(SECRET + "\n"))
    assert got.source == "stdin" and as_text(got) == SECRET


def test_stdin_binary_buffer():
    class Stream:
        buffer = io.BytesIO(b"\x00\x01binary")
    assert read_value_or_file("-", None, "--ssh-private-key", stdin=Stream()).data == b"\x00\x01binary"


def test_empty_stdin():
    with pytest.raises(InvalidArgumentValueError, match=r"^--https-key -: standard input was empty"):
        read_value_or_file("-", None, "--https-key", stdin=io.StringIO(""))


def test_value_and_file_are_exclusive(tmp_path):
    with pytest.raises(MutuallyExclusiveArgumentError) as err:
        read_value_or_file(SECRET, str(tmp_path), "--known-hosts", "--known-hosts-file")
    assert "--known-hosts and --known-hosts-file cannot be used together" in str(err.value)
    assert SECRET not in str(err.value)


def test_missing_file_names_option_and_path(tmp_path):
    missing = str(tmp_path / "nope")
    with pytest.raises(FileOperationError) as err:
        read_value_or_file(None, missing, "--known-hosts", "--known-hosts-file")
    message = str(err.value)
    assert message.startswith("--known-hosts-file ") and "nope" in message and "no such file" in message
    with pytest.raises(FileOperationError, match=r"^--https-key .*no such file"):
        read_value_or_file("@" + missing, None, "--https-key")


def test_directory_empty_file_and_too_big(tmp_path):
    with pytest.raises(FileOperationError, match="is a directory"):
        read_value_or_file(None, str(tmp_path), "--x", "--x-file")
    empty = tmp_path / "empty"
    empty.write_text("  \n")
    with pytest.raises(FileOperationError, match="is empty"):
        read_value_or_file(None, str(empty), "--x", "--x-file")
    big = tmp_path / "big"
    big.write_bytes(b"a" * (MAX_BYTES + 1))
    with pytest.raises(FileOperationError, match="larger than"):
        read_value_or_file(None, str(big), "--x", "--x-file")
    with pytest.raises(FileOperationError, match="file name is empty"):
        read_value_or_file(None, "", "--x", "--x-file")


def test_unreadable_file(tmp_path, monkeypatch):
    """A file the user may not read.  Root reads any file, so where the tests run as root (CI
    containers) the operating system's refusal is reproduced at the open() call instead."""
    path = tmp_path / "locked"
    path.write_text("x")
    path.chmod(0)
    if os.geteuid() == 0:
        real_open = open

        def refusing_open(file, *args, **kwargs):
            if str(file) == str(path):
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr("builtins.open", refusing_open)
    with pytest.raises(FileOperationError, match="permission denied") as err:
        read_value_or_file(None, str(path), "--x", "--x-file")
    assert str(err.value).startswith("--x-file ")


def test_empty_value():
    with pytest.raises(InvalidArgumentValueError, match=r"^--account-key is empty"):
        read_value_or_file("  ", None, "--account-key")


def test_single_at_is_a_value():
    assert read_value_or_file("@", None, "--x").data == b"@"


def test_only_one_option_reads_stdin():
    check_single_stdin({"--https-key": "-", "--sas-token": "x", "--account-key": None})
    with pytest.raises(ArgumentUsageError, match="--account-key and --https-key all ask to read standard input"):
        check_single_stdin({"--https-key": "-", "--account-key": "@-"})


def test_as_text_rejects_binary():
    with pytest.raises(InvalidArgumentValueError, match="^--x: the file is not UTF-8 text"):
        as_text(SecretInput(b"\xff\xfe", "file", "--x"))
    assert as_text(SecretInput(b" a \n", "file", "--x"), strip=False) == " a \n"

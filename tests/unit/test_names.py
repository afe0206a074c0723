"""Name rules: configuration and kustomization names (DNS-1123 subdomain), namespaces (label)."""
import pytest
from azext_fluxlite.core.errors import InvalidArgumentValueError, RequiredArgumentMissingError

from azext_fluxlite.core.names import (
    check_config_name, check_dns_subdomain, check_kustomization_name, check_namespace,
)


@pytest.mark.parametrize("name", ["a", "0", "cluster-config", "a.b", "a-b.c-d", "a" * 63, "1.2.3", "x9"])
def test_valid_config_names(name):
    assert check_config_name(name) == name


@pytest.mark.parametrize("name, expected", [
    ("a" * 64, "is 64 characters long; a flux configuration name can have at most 63"),
    ("-abc", "must start with a lower-case letter or digit, not '-'"),
    (".abc", "must start with a lower-case letter or digit, not '.'"),
    ("abc-", "must end with a lower-case letter or digit, not '-'"),
    ("abc.", "must end with a lower-case letter or digit, not '.'"),
    ("My-Config", "upper-case letters are not allowed; use 'my-config'"),
    ("a_b", "contains the character '_'"),
    ("a b", "contains the character ' '"),
    ("a..b", "each part between periods"),
    ("a.-b", "each part between periods"),
    ("caf\u00e9", "contains the character '\u00e9'"),
])
def test_invalid_config_names_give_the_specific_reason(name, expected):
    with pytest.raises(InvalidArgumentValueError) as err:
        check_config_name(name)
    assert str(err.value).startswith("--name ")
    assert expected in str(err.value)
    assert "\n" not in str(err.value)


def test_empty_and_missing_names():
    with pytest.raises(InvalidArgumentValueError, match=r"^--name is empty: give a flux configuration name"):
        check_config_name("")
    with pytest.raises(RequiredArgumentMissingError, match=r"^--name is required"):
        check_config_name(None)


def test_length_is_checked_before_characters_and_message_is_cut():
    with pytest.raises(InvalidArgumentValueError) as err:
        check_config_name("A" * 500)
    assert "500 characters long" in str(err.value)
    assert len(str(err.value)) < 300


def test_kustomization_name_rule_and_label():
    assert check_kustomization_name("apps") == "apps"
    with pytest.raises(InvalidArgumentValueError, match=r"^-k name 'Apps' contains the character 'A'"):
        check_kustomization_name("Apps", option="-k name")
    with pytest.raises(InvalidArgumentValueError, match=r"^--kustomization-name is empty"):
        check_kustomization_name("", option="--kustomization-name")


def test_kustomization_combined_length():
    config = "c" * 32
    assert check_kustomization_name("k" * 30, config) == "k" * 30     # 32 + 30 = 62: '<c>-<k>' is 63
    with pytest.raises(InvalidArgumentValueError) as err:
        check_kustomization_name("k" * 31, config)
    message = str(err.value)
    assert "at most 62 characters (they have 63)" in message
    assert "Shorten" in message


@pytest.mark.parametrize("value", ["default", "flux-system", "a", "a" * 63, "ns-1"])
def test_valid_namespaces(value):
    assert check_namespace(value) == value


@pytest.mark.parametrize("value, expected", [
    ("a" * 64, "at most 63 characters"),        # the original allowed 253
    ("a.b", "periods are not allowed in a namespace name"),
    ("-a", "must start with"),
    ("a-", "must end with"),
    ("Prod", "upper-case letters are not allowed; use 'prod'"),
    ("", "is empty"),
])
def test_invalid_namespaces(value, expected):
    with pytest.raises(InvalidArgumentValueError) as err:
        check_namespace(value, option="--ns")
    assert str(err.value).startswith("--ns ")
    assert expected in str(err.value)


def test_dns_subdomain_allows_253():
    assert check_dns_subdomain("a" * 253, "--local-auth-ref") == "a" * 253
    with pytest.raises(InvalidArgumentValueError, match="at most 253"):
        check_dns_subdomain("a" * 254, "--local-auth-ref")

"""Comparing extension versions the way the partner handlers need it (no third-party parser)."""
import re

_SEMVER = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$")


def parse_version(text):
    """(major, minor, patch, prerelease-or-None) of a semantic version, or None when it is not one."""
    match = _SEMVER.match((text or "").strip())
    if not match:
        return None
    major, minor, patch, pre = match.groups()
    return int(major), int(minor), int(patch), pre


def compare_versions(left, right):
    """-1, 0 or 1 as left is older, equal or newer; None when either is not a semantic version."""
    a, b = parse_version(left), parse_version(right)
    if a is None or b is None:
        return None
    if a[:3] != b[:3]:
        return -1 if a[:3] < b[:3] else 1
    if a[3] == b[3]:
        return 0
    if a[3] is None or b[3] is None:        # a release is newer than its pre-releases
        return 1 if a[3] is None else -1
    return -1 if a[3] < b[3] else 1

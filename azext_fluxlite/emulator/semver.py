"""Semantic versions and version-range constraints, as Flux's `repositoryRef.semver` reads them.

Supported constraint syntax (Masterminds/semver style, which Flux uses): comparisons
`=, !=, >, >=, <, <=`; tilde `~1.2` / `~1.2.3` / `~1`; caret `^1.2.3` / `^0.2`; wildcards
`1.2.x`, `1.*`, `*`; hyphen ranges `1.2 - 1.4.5`; several comparisons separated by spaces or
commas must all hold, alternatives are separated by `||`.  Pre-releases only match a constraint
that itself names a pre-release.
"""
import re

_VERSION_RE = re.compile(r"^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$")
_PART_RE = re.compile(r"^(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$")
_OP_RE = re.compile(r"^(=|==|!=|>=|<=|>|<|~>|~|\^)?\s*v?(.+)$")


class ConstraintError(ValueError):
    pass


class Version:
    def __init__(self, major, minor=0, patch=0, pre=None, text=None):
        self.major, self.minor, self.patch, self.pre = major, minor, patch, pre
        self.text = text or "{}.{}.{}".format(major, minor, patch) + ("-" + pre if pre else "")

    @classmethod
    def parse(cls, text):
        m = _VERSION_RE.match(text.strip())
        if not m:
            return None
        return cls(int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0), m.group(4), text.strip())

    def _pre_key(self):
        if self.pre is None:
            return (1,)
        parts = []
        for p in self.pre.split("."):
            parts.append((0, int(p), "") if p.isdigit() else (1, 0, p))
        return (0, tuple(parts))

    def key(self):
        return (self.major, self.minor, self.patch, self._pre_key())

    def __lt__(self, other):
        return self.key() < other.key()

    def __eq__(self, other):
        return isinstance(other, Version) and self.key() == other.key()

    def __hash__(self):
        return hash(self.key())

    def __repr__(self):
        return "Version({})".format(self.text)


def _partial(text):
    """'1.2' -> ([1, 2, None], pre); wildcards become None."""
    m = _PART_RE.match(text.strip())
    if not m:
        raise ConstraintError("invalid version '{}' in constraint".format(text))
    nums = [None if g is None or g in ("x", "X", "*") else int(g) for g in m.group(1, 2, 3)]
    for i in range(1, 3):       # anything after a wildcard is a wildcard too
        if nums[i - 1] is None:
            nums[i] = None
    return nums, m.group(4)


def _lower(nums, pre=None):
    return Version(nums[0] or 0, nums[1] or 0, nums[2] or 0, pre)


def _bump(nums):
    """The first version above the wildcard range of `nums` (None when unbounded)."""
    if nums[0] is None:
        return None
    if nums[1] is None:
        return Version(nums[0] + 1, 0, 0, "0")
    if nums[2] is None:
        return Version(nums[0], nums[1] + 1, 0, "0")
    return None


def _comparators(op, text):
    nums, pre = _partial(text)
    low = _lower(nums, pre)
    upper = _bump(nums)
    if op in ("", "=", "=="):
        if upper is None and nums[0] is None:
            return []
        if upper is None:
            return [("==", low)]
        return [(">=", low), ("<", upper)]
    if op == "!=":
        return [("!=", low)]
    if op == ">":
        return [(">=", upper)] if upper is not None else [(">", low)]
    if op == ">=":
        return [(">=", low)]
    if op == "<":
        return [("<", low)]
    if op == "<=":
        return [("<", upper)] if upper is not None else [("<=", low)]
    if op in ("~", "~>"):
        if nums[1] is None:
            return [(">=", low), ("<", Version((nums[0] or 0) + 1, 0, 0, "0"))]
        return [(">=", low), ("<", Version(nums[0], nums[1] + 1, 0, "0"))]
    if op == "^":
        if nums[0] and nums[0] > 0 or nums[1] is None:
            return [(">=", low), ("<", Version((nums[0] or 0) + 1, 0, 0, "0"))]
        if nums[1] > 0 or nums[2] is None:
            return [(">=", low), ("<", Version(0, nums[1] + 1, 0, "0"))]
        return [(">=", low), ("<", Version(0, 0, nums[2] + 1, "0"))]
    raise ConstraintError("unknown operator '{}'".format(op))


def _and_group(text):
    text = re.sub(r"\s*-\s+", " - ", text.strip())
    tokens = [t for t in re.split(r"[\s,]+", text) if t]
    comparators, names_pre = [], False
    i = 0
    while i < len(tokens):
        if i + 2 < len(tokens) and tokens[i + 1] == "-":            # hyphen range a - b
            comparators += _comparators(">=", tokens[i]) + _comparators("<=", tokens[i + 2])
            names_pre = names_pre or "-" in tokens[i] or "-" in tokens[i + 2]
            i += 3
            continue
        token = tokens[i]
        if token in ("=", "==", "!=", ">=", "<=", ">", "<", "~", "~>", "^") and i + 1 < len(tokens):
            token, i = token + tokens[i + 1], i + 1
        m = _OP_RE.match(token)
        if not m:
            raise ConstraintError("invalid constraint '{}'".format(token))
        comparators += _comparators(m.group(1) or "", m.group(2))
        names_pre = names_pre or "-" in m.group(2)
        i += 1
    return comparators, names_pre


class Constraint:
    def __init__(self, text):
        if not text or not text.strip():
            raise ConstraintError("empty semver constraint")
        self.text = text
        self.groups = [_and_group(part) for part in text.split("||") if part.strip()]
        if not self.groups:
            raise ConstraintError("empty semver constraint")

    def allows(self, version):
        for comparators, names_pre in self.groups:
            if version.pre is not None and not names_pre:
                continue
            if all(_holds(version, op, bound) for op, bound in comparators):
                return True
        return False


def _holds(version, op, bound):
    v, b = version.key(), bound.key()
    return {"==": v == b, "!=": v != b, ">": v > b, ">=": v >= b, "<": v < b, "<=": v <= b}[op]


def best_match(constraint_text, candidates):
    """The highest of `candidates` (strings) satisfying the constraint, or None."""
    constraint = Constraint(constraint_text)
    best = None
    for text in candidates:
        version = Version.parse(text)
        if version is not None and constraint.allows(version) and (best is None or best[0] < version):
            best = (version, text)
    return best[1] if best else None

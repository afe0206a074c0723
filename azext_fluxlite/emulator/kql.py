"""A small Kusto (KQL) interpreter: the subset of Resource Graph queries fluxlite and its users write.

    <table> | where <predicate> | project a, b = c.d | extend x = ... | order by f [asc|desc]
            | take N | limit N | project-away a | distinct a

Predicates: and, or, not(...), parentheses; ==, !=, =~, !~, <, <=, >, >=, contains, !contains,
has, !has, startswith, endswith, in (...), in~ (...), !in (...), !in~ (...); functions tolower,
toupper, tostring, isnull, isnotnull, isempty, isnotempty.  Columns and dynamic paths: `a.b`,
`a['b']`, `a[0]`.  Anything else is a `KqlError` that names what is not supported.
"""
import re


class KqlError(ValueError):
    pass


_TOKEN = re.compile(r"""\s*(?:
    (?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
  | (?P<num>\d+(?:\.\d+)?)
  | (?P<op>==|!=|=~|!~|<=|>=|!in~|in~|!in\b|!contains\b|!has\b|[|(),.\[\]=<>])
  | (?P<name>[A-Za-z_][A-Za-z0-9_-]*)
)""", re.VERBOSE)
_FUNCS = {"tolower": lambda v: v.lower() if isinstance(v, str) else v,
          "toupper": lambda v: v.upper() if isinstance(v, str) else v,
          "tostring": lambda v: "" if v is None else v if isinstance(v, str) else str(v),
          "isnull": lambda v: v is None, "isnotnull": lambda v: v is not None,
          "isempty": lambda v: v is None or v == "", "isnotempty": lambda v: v is not None and v != ""}
_STRING_OPS = ("contains", "!contains", "has", "!has", "startswith", "endswith")


def tokenize(text):
    tokens, pos = [], 0
    text = text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise KqlError("unexpected text at '{}'".format(text[pos:pos + 20]))
        pos = match.end()
        kind = match.lastgroup
        value = match.group(kind)
        if kind == "str":
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        elif kind == "num":
            value = float(value) if "." in value else int(value)
        tokens.append((kind, value))
    return tokens


class _Parser:
    def __init__(self, tokens):
        self.tokens, self.pos = tokens, 0

    def peek(self, offset=0):
        i = self.pos + offset
        return self.tokens[i] if i < len(self.tokens) else (None, None)

    def take(self, kind=None, value=None):
        tok = self.peek()
        if tok[0] is None or (kind and tok[0] != kind) or (value is not None and str(tok[1]).lower() != value):
            raise KqlError("expected {} but found '{}'".format(value or kind, tok[1] if tok[0] else "end of query"))
        self.pos += 1
        return tok[1]

    def at(self, value):
        tok = self.peek()
        return tok[0] in ("op", "name") and str(tok[1]).lower() == value

    # -- expressions ---------------------------------------------------------------------------
    def _chain(self, word, operand, combine):
        left = operand()
        while self.at(word):
            self.pos += 1
            left = combine(left, operand())
        return left

    def expr(self):
        return self._chain("or", self.conj, lambda a, b: lambda row: a(row) or b(row))

    def conj(self):
        return self._chain("and", self.comparison, lambda a, b: lambda row: a(row) and b(row))

    def comparison(self):
        left = self.value()
        tok = self.peek()
        op = str(tok[1]).lower() if tok[0] in ("op", "name") else None
        if op in ("==", "!=", "=~", "!~", "<", "<=", ">", ">=") + _STRING_OPS:
            self.pos += 1
            right = self.value()
            return _compare(op, left, right)
        if op in ("in", "in~", "!in", "!in~"):
            self.pos += 1
            self.take("op", "(")
            items = [self.value()]
            while self.at(","):
                self.pos += 1
                items.append(self.value())
            self.take("op", ")")
            return _membership(op, left, items)
        return left

    def value(self):
        kind, val = self.peek()
        if kind == "op" and val == "(":
            self.pos += 1
            inner = self.expr()
            self.take("op", ")")
            return inner
        if kind in ("str", "num"):
            self.pos += 1
            return lambda row: val
        if kind != "name":
            raise KqlError("expected a value but found '{}'".format(val if kind else "end of query"))
        self.pos += 1
        low = val.lower()
        if low in ("true", "false"):
            return lambda row: low == "true"
        if low in ("null",):
            return lambda row: None
        if self.at("("):
            return self.call(low)
        return self.path(val)

    def call(self, name):
        self.take("op", "(")
        arg = self.expr() if not self.at(")") else None
        self.take("op", ")")
        if name == "not" and arg is not None:
            return lambda row: not arg(row)
        if name not in _FUNCS or arg is None:
            raise KqlError("the function {}() is not supported".format(name))
        fn = _FUNCS[name]
        return lambda row: fn(arg(row))

    def path(self, column):
        steps = []
        while self.at(".") or self.at("["):
            if self.at("."):
                self.pos += 1
                steps.append(self.take("name"))
            else:
                self.pos += 1
                kind, val = self.peek()
                if kind not in ("str", "num"):
                    raise KqlError("expected a key or index inside [...]")
                self.pos += 1
                steps.append(val)
                self.take("op", "]")
        return lambda row: _walk(row.get(column), steps)

    def column_list(self):
        """a, b = expr, ... -> [(name, getter)]"""
        out = []
        while True:
            kind, first = self.peek()
            if kind != "name":
                raise KqlError("expected a column name but found '{}'".format(first))
            if self.peek(1) == ("op", "="):
                self.pos += 2
                out.append((first, self.value()))
            else:
                getter = self.value()
                out.append((first if self.peek(-1)[1] == first else _last_name(self.tokens, self.pos), getter))
            if not self.at(","):
                return out
            self.pos += 1


def _last_name(tokens, pos):
    for kind, val in reversed(tokens[:pos]):
        if kind in ("name", "str"):
            return str(val)
    return "Column1"


def _walk(value, steps):
    for step in steps:
        if isinstance(value, dict):
            if isinstance(step, str) and step not in value:
                low = {str(k).lower(): v for k, v in value.items()}
                value = low.get(step.lower())
            else:
                value = value.get(step)
        elif isinstance(value, list) and isinstance(step, int):
            value = value[step] if -len(value) <= step < len(value) else None
        else:
            return None
    return value


def _compare(op, left, right):
    def check(row):
        a, b = left(row), right(row)
        if op in ("=~", "!~"):
            same = isinstance(a, str) and isinstance(b, str) and a.lower() == b.lower() or (a == b and a is not None)
            return same if op == "=~" else not same
        if op == "==":
            return a is not None and a == b
        if op == "!=":
            return a != b
        if op in _STRING_OPS:
            if a is None or b is None:
                return op.startswith("!")
            a, b = str(a).lower(), str(b).lower()
            found = {"contains": b in a, "!contains": b in a, "has": b in a, "!has": b in a,
                     "startswith": a.startswith(b), "endswith": a.endswith(b)}[op]
            return not found if op.startswith("!") else found
        if a is None or b is None:
            return False
        try:
            return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]
        except TypeError:
            return False
    return check


def _membership(op, left, items):
    def check(row):
        value = left(row)
        values = [item(row) for item in items]
        if op.endswith("~"):
            value = value.lower() if isinstance(value, str) else value
            values = [v.lower() if isinstance(v, str) else v for v in values]
        inside = value is not None and value in values
        return not inside if op.startswith("!") else inside
    return check


def run(query, tables):
    """Rows of `query` over `tables` ({name: callable returning rows}); KqlError when unsupported."""
    parser = _Parser(tokenize(query))
    table = parser.take("name")
    source = {k.lower(): v for k, v in tables.items()}.get(table.lower())
    if source is None:
        raise KqlError("the table '{}' is not served (tables: {})".format(table, ", ".join(sorted(tables))))
    rows = list(source())
    while parser.peek()[0] is not None:
        parser.take("op", "|")
        op = parser.take("name").lower()
        if op == "where":
            predicate = parser.expr()
            rows = [r for r in rows if predicate(r) is True]
        elif op in ("project", "extend"):
            columns = parser.column_list()
            rows = [dict(({} if op == "project" else r), **{name: get(r) for name, get in columns}) for r in rows]
        elif op == "project-away":
            names = [name for name, _ in parser.column_list()]
            rows = [{k: v for k, v in r.items() if k not in names} for r in rows]
        elif op in ("take", "limit"):
            rows = rows[:int(parser.take("num"))]
        elif op in ("order", "sort"):
            parser.take("name", "by")
            key = parser.value()
            descending = False
            if parser.at("asc") or parser.at("desc"):
                descending = parser.take("name").lower() == "desc"
            rows.sort(key=lambda r: (key(r) is None, str(key(r)).lower() if key(r) is not None else ""),
                      reverse=descending)
        elif op == "distinct":
            columns = parser.column_list()
            seen, out = set(), []
            for r in rows:
                item = {name: get(r) for name, get in columns}
                marker = repr(sorted(item.items()))
                if marker not in seen:
                    seen.add(marker)
                    out.append(item)
            rows = out
        else:
            raise KqlError("the operator '{}' is not supported".format(op))
    return rows

"""Containment: every file the build engine opens stays inside the repository, symlinks included.

`RepositoryError` is a problem with the repository as a whole (an absolute symlink, a link that
leaves it): the emulator reports it on the source, `flux build` as an error without a kustomization.
`BuildError` is a problem with one kustomization (a path that leaves the repository, a file that
is missing or invalid); `file` and `line` say where, when known.  Messages name paths relative to the
repository and never quote the content of a file outside it.
"""
import os


class BuildError(Exception):
    """A kustomization cannot be built; `file`/`line` point at the cause when known."""

    def __init__(self, message, file=None, line=None, reason="BuildFailed"):
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.reason = reason


class RepositoryError(Exception):
    """The repository itself is unusable (e.g. a symlink that points outside it)."""

    def __init__(self, message, file=None):
        super().__init__(message)
        self.message = message
        self.file = file


def rel(root, path):
    """`path` relative to the repository root `root` ('.' for the root)."""
    out = os.path.relpath(path, root)
    return "." if out == "." else out.replace(os.sep, "/")


def inside(root, path):
    """True when `path`, with every symlink resolved, is `root` or below it."""
    root, path = os.path.realpath(root), os.path.realpath(path)
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def is_remote(entry):
    text = str(entry)
    return "://" in text or text.startswith(("github.com/", "gitlab.com/", "git@", "bitbucket.org/"))


def contained(root, directory, entry, field):
    """The path of `entry` (relative to `directory`) after checking it stays inside `root`."""
    entry = str(entry)
    if is_remote(entry):
        raise BuildError("{}: remote resource '{}' cannot be fetched: only files of the repository are built "
                         "(no network)".format(field, entry), file=None)
    if os.path.isabs(entry):
        raise BuildError("{}: '{}' is an absolute path; use a path relative to the kustomization inside the "
                         "repository".format(field, entry))
    path = os.path.normpath(os.path.join(directory, entry))
    if not inside(root, path):
        raise BuildError("{}: '{}' points outside the repository (referenced from {})".format(
            field, entry, rel(root, directory)))
    return path


def check_symlinks(root):
    """RepositoryError for the first symlink that is absolute or resolves outside `root`."""
    real_root = os.path.realpath(root)
    for current, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".git"]
        for entry in dirs + files:
            full = os.path.join(current, entry)
            if not os.path.islink(full):
                continue
            target = os.readlink(full)
            if os.path.isabs(target):
                raise RepositoryError("symlink '{}' is absolute: a repository may only hold relative links to its "
                                      "own files".format(rel(root, full)), file=rel(root, full))
            if not inside(real_root, full):
                raise RepositoryError("symlink '{}' points outside the repository".format(rel(root, full)),
                                      file=rel(root, full))


def read_text(root, path, field):
    """The text of a repository file, after the containment check; BuildError when unreadable."""
    if not inside(root, path):
        raise BuildError("{}: '{}' points outside the repository".format(field, rel(root, path)))
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except FileNotFoundError:
        raise BuildError("{}: file '{}' not found".format(field, rel(root, path))) from None
    except IsADirectoryError:
        raise BuildError("{}: '{}' is a directory, not a file".format(field, rel(root, path))) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BuildError("{}: cannot read '{}': {}".format(field, rel(root, path),
                                                            getattr(exc, "strerror", None) or "not UTF-8 text"),
                         file=rel(root, path)) from None

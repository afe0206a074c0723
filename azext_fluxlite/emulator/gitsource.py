"""Git sources the emulator can read: locate the repository, resolve the ref, check it out.

A configuration's url resolves to a local repository when it is a local path or file:// URL, or
when `--source-map URL=PATH` maps it (https and ssh spellings, user names, letter case and a
trailing `.git` or `/` are ignored when matching; sources.py handles the other source kinds).  Refs resolve like Flux's GitRepository: commit
(optionally on a branch) beats semver beats tag beats branch; no ref means branch master.  The
real `git` binary does the work (`rev-parse`, `for-each-ref`, `archive`); the user's work tree is
never touched: each commit is exported once into <data-dir>/checkouts/<sha>.
"""
import io
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from urllib.parse import unquote, urlparse

from . import semver

GIT_TIMEOUT = 60


class SourceError(Exception):
    """The source could not be fetched; `reason` is the Flux condition reason."""

    def __init__(self, message, reason="GitOperationFailed"):
        super().__init__(message)
        self.message = message
        self.reason = reason


class GitUnavailable(SourceError):
    """git itself could not run (not installed, timed out)."""


def url_key(url):
    """A comparable form of a repository URL: host/path, lower case, no scheme, user, .git or '/'."""
    text = (url or "").strip()
    m = re.match(r"^(?:[\w.-]+@)?([\w.-]+):(?!//)(.+)$", text)     # scp-like git@host:org/repo
    if m and "://" not in text:
        host, path = m.group(1), m.group(2)
    else:
        parsed = urlparse(text)
        host, path = (parsed.hostname or ""), parsed.path
        if parsed.port and parsed.scheme not in ("https", "ssh", "http"):
            host = "{}:{}".format(host, parsed.port)
    path = path.strip("/")
    if path.endswith(".git"):
        path = path[:-4]
    return "{}/{}".format(host, path).lower().rstrip("/")


def locate(url, source_map):
    """Local repository path for a source url, or raise SourceError (unreachable)."""
    text = (url or "").strip()
    if text.startswith("file://"):
        return _existing(unquote(urlparse(text).path), url)
    if os.path.isabs(text):
        return _existing(text, url)
    key = url_key(text)
    for mapped_url, path in source_map:
        if url_key(mapped_url) == key:
            return _existing(path, url)
    raise SourceError("failed to checkout and determine revision: unable to clone '{}': the fluxlite emulator has no "
                      "network access to git hosts; map the url to a local repository with "
                      "--source-map {}=PATH".format(url, url))


def _existing(path, url):
    if not os.path.exists(path):
        raise SourceError("failed to checkout and determine revision: unable to clone '{}': repository not found "
                          "(no such path: {})".format(url, path))
    return path


def git(path, *args, binary=False):
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", LC_ALL="C")
    env.pop("GIT_DIR", None)
    env.pop("GIT_WORK_TREE", None)
    try:
        proc = subprocess.run(["git", "-C", path] + list(args), capture_output=True, timeout=GIT_TIMEOUT, env=env)
    except FileNotFoundError:
        raise GitUnavailable("failed to checkout and determine revision: the git binary is not installed on the "
                          "machine running the fluxlite emulator") from None
    except subprocess.TimeoutExpired:
        raise GitUnavailable("failed to checkout and determine revision: git {} timed out after {} s".format(
            args[0], GIT_TIMEOUT)) from None
    if proc.returncode != 0:
        raise SourceError(proc.stderr.decode("utf-8", "replace").strip() or "git {} failed".format(args[0]))
    return proc.stdout if binary else proc.stdout.decode("utf-8", "replace").strip()


def _rev(path, ref):
    try:
        return git(path, "rev-parse", "--verify", "--quiet", ref + "^{commit}")
    except SourceError:
        return None


def resolve(path, url, ref):
    """(revision label like 'main/<sha>', sha) for a repositoryRef dict; SourceError when it does not resolve."""
    ref = ref or {}
    try:
        git(path, "rev-parse", "--git-dir")
    except GitUnavailable:
        raise
    except SourceError:
        raise SourceError("failed to checkout and determine revision: unable to clone '{}': {} is not a git "
                          "repository".format(url, path)) from None
    branch, tag, sem, commit = (ref.get(k) for k in ("branch", "tag", "semver", "commit"))
    if commit:
        sha = _rev(path, commit)
        if sha is None or not sha.startswith(commit.lower()):
            raise SourceError("failed to checkout and determine revision: unable to clone '{}': git commit '{}' not "
                              "found: object not found".format(url, commit))
        if branch and _branch(path, branch) is None:
            raise SourceError(_no_ref(url, "refs/heads/" + branch))
        return ("{}/{}".format(branch, sha) if branch else sha), sha
    if sem:
        tags = git(path, "for-each-ref", "--format=%(refname:strip=2)", "refs/tags").splitlines()
        try:
            best = semver.best_match(sem, tags)
        except semver.ConstraintError as exc:
            raise SourceError("failed to checkout and determine revision: semver parse error: {}".format(exc)) from None
        if best is None:
            raise SourceError("failed to checkout and determine revision: no match found for semver: {}".format(sem))
        return "{}/{}".format(best, _rev(path, "refs/tags/" + best)), _rev(path, "refs/tags/" + best)
    if tag:
        sha = _rev(path, "refs/tags/" + tag)
        if sha is None:
            raise SourceError(_no_ref(url, "refs/tags/" + tag))
        return "{}/{}".format(tag, sha), sha
    branch = branch or "master"
    sha = _branch(path, branch)
    if sha is None:
        raise SourceError(_no_ref(url, "refs/heads/" + branch))
    return "{}/{}".format(branch, sha), sha


def _branch(path, branch):
    return _rev(path, "refs/heads/" + branch) or _rev(path, "refs/remotes/origin/" + branch)


def _no_ref(url, ref):
    return "failed to checkout and determine revision: unable to clone '{}': couldn't find remote ref \"{}\"".format(
        url, ref)


def checkout(path, sha, cache_dir):
    """Export commit `sha` into cache_dir/<sha> (once) and return that directory."""
    target = os.path.join(cache_dir, sha)
    if os.path.isdir(target):
        return target
    os.makedirs(cache_dir, exist_ok=True)
    data = git(path, "archive", "--format=tar", sha, binary=True)
    tmp = tempfile.mkdtemp(prefix=sha[:12] + ".", dir=cache_dir)
    try:
        with tarfile.open(fileobj=io.BytesIO(data)) as archive:
            if hasattr(tarfile, "data_filter"):
                archive.extractall(tmp, filter="data")
            else:       # pragma: no cover - Python without extraction filters
                archive.extractall(tmp)
        try:
            os.rename(tmp, target)
        except OSError:         # another reader exported it first
            shutil.rmtree(tmp, ignore_errors=True)
    except tarfile.TarError as exc:     # e.g. an absolute symlink, or one that leaves the repository
        shutil.rmtree(tmp, ignore_errors=True)
        raise SourceError("failed to checkout and determine revision: commit {} cannot be checked out safely: {}"
                          .format(sha, exc), reason="ArtifactFailed") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target

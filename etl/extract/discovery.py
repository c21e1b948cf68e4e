"""Find the input files under the paths a user named.

Folders are walked in a stable order without following symlinks out of them;
anything that is not a readable regular file of a supported kind becomes a
:class:`Rejection` with a reason, so every named path is accounted for.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from etl.extract.warc import WARC_SUFFIXES, is_warc
from etl.records import Rejection

TEXT_SUFFIXES = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html", ".xhtml": "html"}
RECORD_SUFFIXES = {".json", ".jsonl", ".ndjson"}


def inner_suffix(path: Path) -> str:
    """Return the meaningful suffix, looking through a ``.gz``: a.html.gz -> .html."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        return suffixes[-2] if len(suffixes) > 1 else ""
    return suffixes[-1] if suffixes else ""


def is_supported(path: Path) -> bool:
    suffix = inner_suffix(path)
    return suffix in TEXT_SUFFIXES or suffix in RECORD_SUFFIXES or is_warc(path)


_SUPPORTED_ENDINGS = tuple(TEXT_SUFFIXES) + tuple(RECORD_SUFFIXES)


def _is_supported_name(name: str) -> bool:
    """:func:`is_supported` on a bare file name: the common case of a folder walk, without pathlib."""
    return name.lower().endswith(_SUPPORTED_ENDINGS) or is_supported(Path(name))


# -- discovery ----------------------------------------------------------------


def display_path(path: str | Path) -> str:
    """``path`` as text that encodes to UTF-8: undecodable bytes of a name shown as ``\\xNN``."""
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "backslashreplace")
    return text


def _valid_name(path: str | Path) -> bool:
    text = str(path)
    return text.isascii() or display_path(text) == text  # ASCII: the common case, checked in C


_SPECIAL_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _special_kind(mode: int) -> str:
    for test, name in _SPECIAL_KINDS:
        if test(mode):
            return name
    return "not a regular file"


def os_reason(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    return exc.strerror or str(exc)


def _link_rejection(link: Path, root: Path) -> Rejection:
    """Why a symbolic link inside a given folder is not followed."""
    shown = display_path(link)
    try:
        target = os.readlink(link)
    except OSError as exc:
        return Rejection(shown, f"symbolic link cannot be read: {os_reason(exc)}")
    shown_target = display_path(target)
    try:
        resolved = link.resolve(strict=True)
    except RuntimeError:  # Python 3.11 reports a loop this way
        return Rejection(shown, f"symbolic link loop ({shown_target}): not followed")
    except FileNotFoundError:
        return Rejection(shown, f"dangling symbolic link to {shown_target}: its target does not exist")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Rejection(shown, f"symbolic link loop ({shown_target}): not followed")
        return Rejection(shown, f"symbolic link to {shown_target} cannot be followed: {os_reason(exc)}")
    if not resolved.is_relative_to(root):
        return Rejection(
            shown, f"symbolic link to {display_path(resolved)}, outside the given folder: not followed"
        )
    return Rejection(
        shown,
        f"symbolic link to {display_path(resolved)}: not followed (the target is read in its own place)",
    )


Found = tuple[str, os.stat_result]
"""A regular input file: its path, and what ``stat`` said of it during discovery."""


def _walk(folder: Path, root: Path, skip: set[Path]) -> Iterator[Found | Rejection]:
    """Yield the files under ``folder`` in name order, rejecting whatever cannot be read.

    Symbolic links are never followed and special files are never opened. A
    file comes with the ``lstat`` discovery makes anyway (an unchanged re-run
    needs nothing more of it), and as text: building a ``Path`` per file was
    most of a re-run's discovery time. ``DirEntry.stat`` would make the same
    system call as ``os.lstat``.
    """
    prefix = os.path.join(str(folder), "")
    try:
        listing = _sorted_listing(folder)
    except OSError as exc:
        yield Rejection(display_path(folder), f"cannot list folder: {os_reason(exc)}")
        return
    for name in (name for part in listing for name in part.split("/")):
        if name.startswith("."):
            continue
        text = prefix + name
        if not (name.isascii() or _valid_name(name)):
            try:
                kind = "folder" if stat.S_ISDIR(os.lstat(text).st_mode) else "file"
            except OSError:
                kind = "file"
            yield Rejection(display_path(text), f"{kind} name is not valid UTF-8: rename it to load it")
            continue
        try:
            info = os.lstat(text)
        except OSError as exc:
            yield Rejection(text, f"cannot read file: {os_reason(exc)}")
            continue
        mode = info.st_mode
        if stat.S_ISREG(mode) and not skip:
            if _is_supported_name(name):
                yield text, info
            else:
                yield Rejection(text, _unsupported(Path(name)))
            continue
        child = folder / name
        if stat.S_ISLNK(mode):
            yield _link_rejection(child, root)
        elif stat.S_ISDIR(mode):
            if skip and child.resolve() in skip:
                continue  # a folder the user also named: it is read there
            yield from _walk(child, root, skip)
        elif skip and child.resolve() in skip:
            continue  # a file the user also named: it is read there
        elif not stat.S_ISREG(mode):
            yield Rejection(text, f"{_special_kind(mode)}, not a regular file: not opened")
        elif is_supported(child):
            yield text, info
        else:
            yield Rejection(text, _unsupported(child))


LISTING_PART = 1024
"""Names per text of a held folder listing."""


def _sorted_listing(folder: Path) -> list[str]:
    """The names in ``folder`` in byte order, joined by ``/`` (which no name holds) in parts.

    Held for the whole walk of the folder: 100,000 names as separate strings
    cost ~5 MB (as ``DirEntry`` objects ~45 MB), joined ~1.5 MB. Each part is
    split in one call as the walk reaches it, with no decoding per name.
    """
    names = os.listdir(str(folder))  # undecodable bytes of a name come as surrogates
    # Text order is byte order for ASCII names (and for valid UTF-8), not for surrogates.
    names.sort(key=None if all(map(str.isascii, names)) else os.fsencode)
    return ["/".join(names[at : at + LISTING_PART]) for at in range(0, len(names), LISTING_PART)]


def _unsupported(path: Path) -> str:
    return f"unsupported file type {''.join(path.suffixes) or '(no suffix)'!r}"


def discover_paths(paths: Iterable[str | Path]) -> Iterator[Path | Rejection]:
    """Yield input files under ``paths`` in a stable order (see :func:`discover_files`)."""
    for item in discover_files(paths):
        yield item if isinstance(item, Rejection) else Path(item[0])


def discover_files(paths: Iterable[str | Path]) -> Iterator[Found | Rejection]:
    """Yield input files under ``paths`` in a stable order, each with its ``stat``.

    Folders are walked recursively; hidden files and folders are ignored.
    A path that does not exist or cannot be read, a special file, a symbolic
    link inside a folder (never followed out of it), an empty folder, or a
    file of an unknown type inside a folder is yielded as a Rejection. A path
    named twice (or named and also inside a named folder) is read once.
    """
    given = [Path(p) for p in paths]
    resolved: list[Path | None] = []
    for path in given:
        try:
            resolved.append(path.resolve(strict=True))
        except (OSError, RuntimeError):
            resolved.append(None)
    for position, path in enumerate(given):
        shown = display_path(path)
        if not _valid_name(path):
            yield Rejection(shown, "path is not valid UTF-8: rename it to load it")
            continue
        try:
            info = path.stat()
        except FileNotFoundError:
            reason = "dangling symbolic link" if path.is_symlink() else "no such file or folder"
            yield Rejection(shown, reason)
            continue
        except RuntimeError:
            yield Rejection(shown, "symbolic link loop")
            continue
        except OSError as exc:
            yield Rejection(shown, f"cannot read path: {os_reason(exc)}")
            continue
        mode = info.st_mode
        real = resolved[position]
        if real is not None and real in resolved[:position]:
            yield Rejection(shown, "named twice: read once")
            continue
        if stat.S_ISDIR(mode):
            root = real or path
            # Other inputs that lie inside this folder are read where they are named.
            skip = {r for r in resolved if r is not None and r != root}
            found = False
            for item in _walk(path, root, skip):
                found = True
                yield item
            if not found and not any(r.is_relative_to(root) for r in skip):
                yield Rejection(shown, "folder holds no input files")
        elif stat.S_ISREG(mode):
            yield str(path), info
        else:
            yield Rejection(shown, f"{_special_kind(mode)}, not a regular file: not opened")


def count_documents(paths: Iterable[Path]) -> int | None:
    """How many documents ``paths`` hold, from a walk of the folders (no file is read).

    None when a file holds an unknown number of documents (JSON, JSONL, WARC):
    progress is then a counter rather than a bar.
    """
    total = 0
    many = (*RECORD_SUFFIXES, *(s + ".gz" for s in RECORD_SUFFIXES), *WARC_SUFFIXES)
    for item in discover_files(paths):
        if not isinstance(item, Rejection) and item[0].lower().endswith(many):
            return None
        total += 1
    return total

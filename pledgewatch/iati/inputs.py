"""Expand the PATH arguments of an import: files, folders (recursive) and zip archives."""

import hashlib
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from pledgewatch.iati.exceptions import IatiError

SUFFIXES = (".xml", ".zip")
# A zip member that expands more than this many times its compressed size is refused (zip bomb).
MAX_ZIP_RATIO = 200


@dataclass
class Input:
    """One XML document to import: a file, or a member of a zip archive."""

    name: str
    url: str
    size: int
    open: Callable
    error: IatiError | None = None

    def sha256(self) -> str:
        """Return the SHA-256 of the content, read in chunks."""
        digest = hashlib.sha256()
        with self.open() as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest()


def expand(paths: list[str]) -> Iterator[Input]:
    """Yield the inputs named by paths, folders recursively, in sorted order."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUFFIXES:
                    yield from _file(child)
        elif path.is_file():
            yield from _file(path)
        else:
            yield Input(str(path), "", 0, lambda: None,
                        error=IatiError(_("No such file or folder."), path=str(path)))


def _file(path: Path) -> Iterator[Input]:
    resolved = path.resolve()
    if zipfile.is_zipfile(resolved):
        yield from _zip(path, resolved)
    else:
        yield Input(str(path), resolved.as_uri(), resolved.stat().st_size, OpenFile(resolved))


def _zip(path: Path, resolved: Path) -> Iterator[Input]:
    try:
        with zipfile.ZipFile(resolved) as archive:
            members = sorted((i for i in archive.infolist() if not i.is_dir()
                              and i.filename.lower().endswith(".xml")), key=lambda i: i.filename)
    except (zipfile.BadZipFile, OSError) as exc:
        yield Input(str(path), "", 0, lambda: None,
                    error=IatiError(_("Not a readable zip archive (%(detail)s).") % {"detail": exc}, path=str(path)))
        return
    for info in members:
        name = f"{path}!{info.filename}"
        if info.compress_size and info.file_size / info.compress_size > MAX_ZIP_RATIO:
            yield Input(name, "", info.file_size, lambda: None, error=IatiError(
                _("The archive member expands %(ratio)d times; refused as a possible zip bomb.")
                % {"ratio": info.file_size // info.compress_size}, path=name))
            continue
        yield Input(name, f"{resolved.as_uri()}#{info.filename}", info.file_size, OpenMember(resolved, info.filename))


@dataclass(frozen=True)
class OpenFile:
    """Open a file for reading (picklable, so that a worker process of `import iati --jobs` can open it)."""

    path: Path

    def __call__(self):
        return open(self.path, "rb")


@dataclass(frozen=True)
class OpenMember:
    """Open a member of a zip archive for reading (picklable, like OpenFile)."""

    path: Path
    member: str

    def __call__(self):
        archive = zipfile.ZipFile(self.path)
        member = archive.open(archive.getinfo(self.member))
        member._archive_ref = archive  # keep the archive open while the member is read
        return member

"""Writing a command's output file: whole or not at all (`export csv|xlsx|json|iati -o FILE`)."""

import contextlib
import errno
import os
import tempfile
from pathlib import Path

from lxml import etree


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike):
    """Yield a binary file that becomes `path` only when the block ends without error.

    The data goes to a temporary file in the same folder, is flushed to disk, then renamed over `path`
    (atomic on POSIX); on any error (full disk, file too large, interrupted) the temporary file is
    removed and an existing `path` is left as it was. The new file gets the usual permissions (umask).
    A symbolic link is followed; a device or pipe (`/dev/stdout`) is written directly.
    """
    target = Path(path).resolve() if Path(path).is_symlink() else Path(path)
    if target.exists() and not target.is_file():  # /dev/stdout, a pipe: write through, nothing to rename
        with open(target, "wb") as out:
            yield out
        return
    fd, temp = tempfile.mkstemp(dir=target.parent if str(target.parent) else ".",
                                prefix=f".{target.name}.", suffix=".part")
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as out:
            try:
                yield out
            except Exception as exc:
                raise as_os_error(exc) from exc
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def as_os_error(exc: Exception) -> Exception:
    """Return lxml's write errors (IO_ENOSPC, IO_EFBIG: XLSX and IATI XML) as the OSError they stand for."""
    if isinstance(exc, etree.SerialisationError):
        code = getattr(errno, str(exc).removeprefix("IO_"), None)
        if isinstance(code, int):
            return OSError(code, os.strerror(code))
        return OSError(errno.EIO, str(exc))
    return exc

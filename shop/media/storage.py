"""Where image renditions live: a folder on disk (an S3-compatible store can take its place)."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

KEY_PATTERN = re.compile(r"^[a-z0-9]{32}$")
#: What the store writes in a shard folder: a rendition, or one being written.
_FILE_PATTERN = re.compile(r"^(?P<key>[a-z0-9]{32})-(?P<width>[0-9]{1,6})\.(?P<suffix>webp|tmp)$")
_SHARD_PATTERN = re.compile(r"^[a-z0-9]{2}$")


@dataclass(frozen=True)
class StoredFile:
    """A file the store wrote: a rendition (``is_temporary`` False) or an unfinished write."""

    path: Path
    key: str
    width: int
    is_temporary: bool
    #: Last modification, seconds since the epoch.
    modified_at: float


class LocalImageStore:
    """Files ``<root>/<key[:2]>/<key>-<width>.webp``, written atomically."""

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)

    def path(self, key: str, width: int) -> Path:
        if not KEY_PATTERN.match(key):
            raise ValueError("bad image key")
        return self.root / key[:2] / f"{key}-{int(width)}.webp"

    def save(self, key: str, width: int, data: bytes) -> Path:
        target = self.path(key, width)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(".tmp")
        temporary.write_bytes(data)
        os.replace(temporary, target)
        return target

    def delete(self, key: str, widths: list[int]) -> None:
        for width in widths:
            self.path(key, width).unlink(missing_ok=True)

    def exists(self, key: str, width: int) -> bool:
        return self.path(key, width).is_file()

    def files(self) -> Iterator[StoredFile]:
        """Every file named as this store names them; anything else in the folder is left be."""
        if not self.root.is_dir():
            return
        for shard in sorted(self.root.iterdir()):
            if not (_SHARD_PATTERN.match(shard.name) and shard.is_dir()):
                continue
            for path in sorted(shard.iterdir()):
                match = _FILE_PATTERN.match(path.name)
                if match is None or match["key"][:2] != shard.name:
                    continue
                try:
                    status = path.stat()
                except FileNotFoundError:  # removed meanwhile (a rename finishing a write)
                    continue
                if not stat.S_ISREG(status.st_mode):
                    continue
                yield StoredFile(
                    path=path,
                    key=match["key"],
                    width=int(match["width"]),
                    is_temporary=match["suffix"] == "tmp",
                    modified_at=status.st_mtime,
                )

    def remove(self, file: StoredFile) -> None:
        file.path.unlink(missing_ok=True)

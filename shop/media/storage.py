"""Where image renditions live: a folder on disk (an S3-compatible store can take its place)."""

from __future__ import annotations

import os
import re
from pathlib import Path

KEY_PATTERN = re.compile(r"^[a-z0-9]{32}$")


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

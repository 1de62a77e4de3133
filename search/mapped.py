"""Whoosh storage that reads compound segments through one shared mmap, never copying them.

Whoosh packs each segment's files (postings, term index, columns, stored fields) into one
compound ``.seg`` file. Its ``CompoundStorage`` maps that file but then hands every sub-file out
as a ``BufferFile``, whose ``BytesIO(buffer)`` *copies* the whole sub-file into the heap, once per
reader. At 10,000 reports that was 686 MB of an 800 MB process, and a server with one searcher
per thread multiplied it (15 GB after ten requests).

``MappedStorage`` opens a ``.seg`` file as a ``MappedFile`` that has no ``fileno`` and does have
``subset``: Whoosh's ``CompoundStorage`` then takes its sub-files from ``subset`` (its documented
non-mmap path), and every sub-file is a zero-copy view of the same map. The page cache holds
the index once, however many readers and threads use it. Writing is unchanged.
"""
from __future__ import annotations

import io
import mmap
import pickle
import struct
import sys
from array import array

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile

COMPOUND_SUFFIX = ".seg"
_PICKLE_CHUNK = 1024
_INT = struct.Struct("!i")
_UINT = struct.Struct("!I")
_USHORT = struct.Struct("!H")
_LONG = struct.Struct("!q")
_ULONG = struct.Struct("!Q")
_FLOAT = struct.Struct("!f")
_BYTE = struct.Struct("B")
_SBYTE = struct.Struct("b")


class _ViewReader:
    """The minimal read-only file protocol (read, readline, seek, tell) over a memoryview."""

    def __init__(self, view: memoryview):
        self.view = view
        self.pos = 0

    def read(self, n: int = -1) -> bytes:
        start = self.pos
        end = len(self.view) if n is None or n < 0 else min(start + n, len(self.view))
        self.pos = end
        return self.view[start:end].tobytes()

    def readline(self, limit: int = -1) -> bytes:
        # pickle.load asks for lines only in text protocols, which Whoosh never writes; kept
        # correct, not fast.
        out = bytearray()
        while limit < 0 or len(out) < limit:
            byte = self.read(1)
            if not byte:
                break
            out += byte
            if byte == b"\n":
                break
        return bytes(out)

    def seek(self, pos: int, whence: int = 0) -> int:
        base = 0 if whence == 0 else self.pos if whence == 1 else len(self.view)
        self.pos = max(0, base + pos)
        return self.pos

    def tell(self) -> int:
        return self.pos

    def close(self) -> None:
        self.view = memoryview(b"")


class MappedFile(StructFile):
    """A read-only ``StructFile`` over (part of) a memory map; ``subset`` shares the map."""

    def __init__(self, view: memoryview, name: str | None = None, owner=None):
        super().__init__(_ViewReader(view), name=name)
        self._buf = view
        self._owner = owner          # the mmap (kept alive while any view of it is in use)

    @classmethod
    def open(cls, path: str, name: str | None = None) -> "MappedFile":
        with open(path, "rb") as handle:
            if handle.seek(0, 2) == 0:                   # mmap refuses empty files
                return cls(memoryview(b""), name=name)
            mapping = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        return cls(memoryview(mapping), name=name, owner=mapping)

    def subset(self, position: int, length: int, name: str | None = None) -> "MappedFile":
        return MappedFile(self._buf[position:position + length], name=name or self._name,
                          owner=self._owner)

    def close(self) -> None:
        # The map itself is released when the last view of it goes (closing it while Whoosh
        # still holds sub-file views would raise BufferError).
        self.is_closed = True
        self.file.close()
        self._buf = memoryview(b"")
        self._owner = None

    def read_pickle(self):
        # Whoosh reads a small pickled header before every posting block; unpickling from a
        # bounded in-memory copy avoids one Python-level read() call per pickle opcode.
        pos = self.file.pos
        chunk = io.BytesIO(self._buf[pos:pos + _PICKLE_CHUNK])
        try:
            obj = pickle.load(chunk)
        except Exception:                                # longer than the chunk: read it whole
            self.file.pos = pos
            return super().read_pickle()
        self.file.pos = pos + chunk.tell()
        return obj

    # Positioned reads straight from the view, without seek/read round trips.
    def get(self, position: int, length: int) -> bytes:
        return self._buf[position:position + length].tobytes()

    def get_byte(self, position: int) -> int:
        return _BYTE.unpack_from(self._buf, position)[0]

    def get_sbyte(self, position: int) -> int:
        return _SBYTE.unpack_from(self._buf, position)[0]

    def get_int(self, position: int) -> int:
        return _INT.unpack_from(self._buf, position)[0]

    def get_uint(self, position: int) -> int:
        return _UINT.unpack_from(self._buf, position)[0]

    def get_ushort(self, position: int) -> int:
        return _USHORT.unpack_from(self._buf, position)[0]

    def get_long(self, position: int) -> int:
        return _LONG.unpack_from(self._buf, position)[0]

    def get_ulong(self, position: int) -> int:
        return _ULONG.unpack_from(self._buf, position)[0]

    def get_float(self, position: int) -> float:
        return _FLOAT.unpack_from(self._buf, position)[0]

    def get_array(self, position: int, typecode: str, length: int) -> array:
        values = array(typecode)
        values.frombytes(self.get(position, length * values.itemsize))
        if values.itemsize > 1 and sys.byteorder == "little":
            values.byteswap()                            # Whoosh stores arrays big-endian
        return values


class MappedStorage(FileStorage):
    """A ``FileStorage`` whose compound segment files are read as zero-copy maps."""

    def __init__(self, path: str, readonly: bool = False):
        # supports_mmap=False: CompoundStorage must not map the file again (and copy from it);
        # it uses MappedFile.subset instead.
        super().__init__(path, supports_mmap=False, readonly=readonly)

    def open_file(self, name: str, **kwargs):
        if name.endswith(COMPOUND_SUFFIX):
            return MappedFile.open(self._fpath(name), name=name)
        return super().open_file(name, **kwargs)

"""The reports' texts: one file per Whoosh segment, each report a zstandard frame of its own,
compressed with a dictionary trained on the segment's reports, read in place through mmap.

Whoosh kept each text in its stored-fields column (zlib 3 of a pickle): 0.53 of the UTF-8 text
at 10,000 long-tail reports, the largest part of a build after our postings. Reports share most
of their phrasing (依法行政, 行政复议, the openings and headings of 法治政府建设 reports), which
a dictionary trained on them captures and compressing each report alone cannot: 0.37 with a
256 KB dictionary at level 6 (``bench/README.md``). Each report stays its own frame, so a page
of hits decompresses the texts of its ten hits and nothing else.

The file (format 1) sits beside the segment's compound file and is named like it
(``MAIN_<id>.txs``), so Whoosh's clean-up deletes it with its segment and a new build
hard-links it with the rest. Nothing is visible before ``store.publish``, so the file is
complete whenever a reader sees it:

===========  ================================================================================
magic        ``PSTEXTS\\x01``, then the header's length (uint64) and the header (JSON:
             ``version``, ``docs``, ``dict_bytes``, ``level``)
dictionary   ``dict_bytes`` bytes (none for a segment too small to train one)
offsets      uint64 × (docs + 1): where each report's frame begins, counted from the frames
frames       one zstd frame per report (content size and checksum written); an empty text
             has an empty frame
===========  ================================================================================

The indexer writes these files (``indexer.text_builder``); this module defines and reads them.
``store.ReportSearcher`` puts the text into every report's stored fields as ``content``.
"""
from __future__ import annotations

import bisect
import json
import mmap
import os
import struct
import threading
from pathlib import Path

import numpy as np
import zstandard

EXT = ".txs"
VERSION = 1
_MAGIC = b"PSTEXTS\x01"
_ALIGN = 8
_PAIR = struct.Struct("<QQ")
#: Texts travel as UTF-8; a lone surrogate (an undecodable byte kept as an escape) is kept too.
ERRORS = "surrogatepass"


class TextStoreDamaged(ValueError):
    """A segment's text file is missing a part, or a report's frame does not decompress."""


def texts_path(folder: str | os.PathLike, segment) -> Path:
    """Where the texts of a Whoosh ``segment`` live in the index folder ``folder``."""
    return Path(folder) / segment.make_filename(EXT)


def write_texts(path: str | os.PathLike, dictionary: bytes, frames: list, level: int) -> None:
    """Write one segment's text file: ``frames`` (bytes-like, one per document, in order)."""
    sizes = np.fromiter((len(f) for f in frames), dtype=np.uint64, count=len(frames))
    offsets = np.zeros(len(frames) + 1, dtype="<u8")
    np.cumsum(sizes, out=offsets[1:])
    header = json.dumps({"version": VERSION, "docs": len(frames), "dict_bytes": len(dictionary),
                         "level": level}).encode()
    with open(path, "wb") as fh:
        fh.write(_MAGIC + struct.pack("<Q", len(header)) + header + dictionary)
        fh.write(b"\0" * (-fh.tell() % _ALIGN))
        fh.write(offsets.tobytes())
        for frame in frames:
            fh.write(frame)
        fh.flush()
        os.fsync(fh.fileno())


class SegmentTexts:
    """The text file of one segment, mapped; ``text(d)`` is document ``d``'s text.

    The file is checked when opened (its parts add up to its size, its offsets ascend), and
    each frame by its checksum when read: a damaged file raises ``TextStoreDamaged``. One
    instance serves every thread (each gets its own decompressor): a build's server threads
    share its maps and digested dictionaries (256 KB each) instead of holding one per thread.
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        with open(path, "rb") as fh:
            try:
                self._map = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
            except ValueError:                          # an empty file cannot be mapped
                raise TextStoreDamaged(f"{path} is empty") from None
        header, body = self._header()
        self.docs, self.level = int(header["docs"]), int(header["level"])
        size = int(header["dict_bytes"])
        self.dictionary = bytes(self._map[body:body + size])
        at = body + size + (-(body + size) % _ALIGN)
        end = at + 8 * (self.docs + 1)
        if end > len(self._map):
            raise TextStoreDamaged(f"{path} is cut short (its offsets are missing)")
        self._offsets = np.frombuffer(self._map, dtype="<u8", count=self.docs + 1, offset=at)
        self._offsets_at, self._frames_at = at, end
        if (int(self._offsets[0]) != 0 or end + int(self._offsets[-1]) != len(self._map)
                or (self.docs and bool((np.diff(self._offsets.astype(np.int64)) < 0).any()))):
            raise TextStoreDamaged(f"{path} is damaged: its frames do not add up to its size")
        self._local = threading.local()
        try:
            self._dict = zstandard.ZstdCompressionDict(self.dictionary) if size else None
            self._decompressor()    # digests the dictionary once, here, for every thread
        except zstandard.ZstdError as exc:
            raise TextStoreDamaged(f"{path} is damaged: its dictionary is unusable "
                                   f"({exc})") from None

    def _header(self) -> tuple[dict, int]:
        start = len(_MAGIC) + 8
        if self._map[:len(_MAGIC)] != _MAGIC or len(self._map) < start:
            raise TextStoreDamaged(f"{self.path} is not a text file of this index")
        (size,) = struct.unpack_from("<Q", self._map, len(_MAGIC))
        try:
            header = json.loads(self._map[start:start + size])
            keys = (header["version"], header["docs"], header["dict_bytes"], header["level"])
            if not all(isinstance(k, int) and k >= 0 for k in keys[1:]):
                raise ValueError(keys)
        except (ValueError, KeyError, TypeError):
            raise TextStoreDamaged(f"{self.path} is damaged: its header is unreadable") from None
        if keys[0] != VERSION:
            raise TextStoreDamaged(f"{self.path} holds texts of format {keys[0]}, not "
                                   f"{VERSION}: the build was made by another version")
        return header, start + size

    @property
    def frame_bytes(self) -> int:
        """The frames' total size (what the texts take, without dictionary and offsets)."""
        return int(self._offsets[-1])

    def frame(self, docnum: int) -> bytes:
        """Document ``docnum``'s compressed frame, as stored (a merge copies it as it is)."""
        a, b = _PAIR.unpack_from(self._map, self._offsets_at + 8 * docnum)   # 10× numpy's
        return self._map[self._frames_at + a:self._frames_at + b]

    def text(self, docnum: int) -> str:
        """Document ``docnum``'s text, decompressed."""
        if not 0 <= docnum < self.docs:
            raise IndexError(f"document {docnum} is not in {self.path.name} ({self.docs})")
        frame = self.frame(docnum)
        if not frame:
            return ""
        try:
            return self._decompressor().decompress(frame).decode("utf-8", ERRORS)
        except (zstandard.ZstdError, UnicodeDecodeError) as exc:
            raise TextStoreDamaged(f"{self.path} is damaged: the text of document {docnum} "
                                   f"does not decompress ({exc})") from None

    def _decompressor(self) -> zstandard.ZstdDecompressor:
        """This thread's decompressor (they are not thread-safe; making one costs ~20 µs)."""
        found = getattr(self._local, "dctx", None)
        if found is None:
            found = self._local.dctx = (zstandard.ZstdDecompressor(dict_data=self._dict)
                                        if self._dict is not None
                                        else zstandard.ZstdDecompressor())
        return found


class BuildTexts:
    """The text files of every segment of a reader, answering by global document number."""

    def __init__(self, segments: list[tuple[int, SegmentTexts]]):
        self.segments = segments
        self._bases = [base for base, _ in segments]

    @classmethod
    def of_reader(cls, reader, open_segment) -> "BuildTexts":
        """The texts of each segment of a Whoosh ``reader``, ``open_segment(segment)`` giving
        one segment's (``FileNotFoundError`` for a missing file, ``TextStoreDamaged`` for a
        damaged one or one that does not hold a text for each of the segment's documents)."""
        segments = []
        for leaf, base in reader.leaf_readers():
            segment = leaf.segment()
            if segment is None:
                continue
            texts = open_segment(segment)
            if texts.docs != segment.doc_count_all():
                raise TextStoreDamaged(f"{texts.path} holds {texts.docs} texts for a segment "
                                       f"of {segment.doc_count_all()} documents")
            segments.append((base, texts))
        return cls(segments)

    def text(self, docnum: int) -> str:
        i = bisect.bisect_right(self._bases, docnum) - 1
        if i < 0:
            raise IndexError(f"no document {docnum}")
        base, texts = self.segments[i]
        return texts.text(docnum - base)

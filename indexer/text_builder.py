"""Build the text file of one new segment (the format is ``search.text_store``'s).

Each report is compressed alone (a hit reads only its own text) with a zstandard dictionary
trained on the segment's own reports: the first ``TRAIN_BYTES`` of them are held as they come,
the dictionary is trained on them, and from then on every report is compressed as it arrives,
so the segment holds only compressed frames (about 0.37 of the text) while it is written. A
segment smaller than ``MIN_TRAIN_BYTES`` gets no dictionary: training on a few reports saves
less than the dictionary costs.

When Whoosh merges old segments into the new one (``add_reader``), a segment whose dictionary
is the new segment's has its frames copied as they are; the others are decompressed and
compressed again. ``adopt`` lets the merge policy give the new segment the dictionary of the
largest segment it merges, so most frames are copied.
"""
from __future__ import annotations

import os

import numpy as np
import zstandard

from search.text_store import ERRORS, SegmentTexts, write_texts

#: Measured on 1,000 long-tail reports (bench/README.md, "Index size"): a 256 KB dictionary
#: gives 0.37 of the UTF-8 text at level 6 (0.40 at level 3, 0.36 at 9, at 40% of level 6's
#: speed); 8 MB of reports train it in about 0.2 s (fast cover, k=1024, d=8).
DICT_BYTES = 256 * 1024
LEVEL = 6
TRAIN_BYTES = 8 * 1024 * 1024
MIN_TRAIN_BYTES = 1024 * 1024


class TextBuilder:
    """Collects the texts of one new segment, in document order, then writes its text file."""

    def __init__(self):
        self.docs = 0
        self._frames: list = []          # compressed, in document order
        self._frame_bytes = 0
        self._held: list[bytes] = []     # UTF-8 texts after those, waiting for the dictionary
        self._held_bytes = 0
        self._dictionary = b""
        self._compressor: zstandard.ZstdCompressor | None = None    # None: not trained yet

    @property
    def nbytes(self) -> int:
        """Memory the texts hold until they are written (frames and texts waiting to be
        compressed): counted with the postings' when a segment is closed for size."""
        return self._frame_bytes + self._held_bytes

    def _keep(self, frames) -> None:
        for frame in frames:
            self._frames.append(frame)
            self._frame_bytes += len(frame)

    def add(self, docnum: int, text: str) -> None:
        """Add document ``docnum``'s text (documents must come in order, from 0)."""
        if docnum != self.docs:
            raise ValueError(f"the text of document {docnum} came after {self.docs - 1}")
        self._add_bytes(text.encode("utf-8", ERRORS))

    def _add_bytes(self, data: bytes) -> None:
        self.docs += 1
        if self._compressor is not None:
            self._keep([self._compressor.compress(data) if data else b""])
            return
        self._held.append(data)
        self._held_bytes += len(data)
        if self._held_bytes >= TRAIN_BYTES:
            self._train()

    def adopt(self, texts: SegmentTexts) -> None:
        """Compress with ``texts``' dictionary from now on (before any document is added), so
        that merging that segment copies its frames."""
        if self.docs == 0 and self._compressor is None and texts.dictionary:
            self._use(texts.dictionary)

    def add_segment(self, texts: SegmentTexts, live: np.ndarray) -> None:
        """Append the documents of ``texts`` where ``live`` is set, in order."""
        docs = np.flatnonzero(live).tolist()
        if self._compressor is not None and texts.dictionary == self._dictionary:
            self._keep(texts.frame(d) for d in docs)     # same dictionary: as stored
            self.docs += len(docs)
            return
        for d in docs:
            self._add_bytes(texts.text(d).encode("utf-8", ERRORS))

    def finish(self) -> None:
        """Train the dictionary of a segment too small to have trained one, and compress."""
        if self._compressor is None:
            self._train()

    def write(self, path: str | os.PathLike) -> None:
        """Write the text file (the directory entry is synced by ``store.publish``)."""
        self.finish()
        write_texts(path, self._dictionary, self._frames, LEVEL)

    def _train(self) -> None:
        """Train the dictionary on the texts held (none for too few), then compress them."""
        samples = [t for t in self._held if t]
        dictionary = b""
        if self._held_bytes >= MIN_TRAIN_BYTES and len(samples) >= 8:
            size = min(DICT_BYTES, self._held_bytes // 8)
            try:
                dictionary = zstandard.train_dictionary(size, samples, k=1024, d=8,
                                                        threads=1).as_bytes()
            except zstandard.ZstdError:       # samples zstd cannot learn from: none is used
                dictionary = b""
        self._use(dictionary)

    def _use(self, dictionary: bytes) -> None:
        self._dictionary = dictionary
        self._compressor = zstandard.ZstdCompressor(
            level=LEVEL, write_checksum=True, write_content_size=True, write_dict_id=False,
            dict_data=zstandard.ZstdCompressionDict(dictionary) if dictionary else None)
        held, self._held, self._held_bytes = self._held, [], 0
        self._keep(self._compressor.compress(t) if t else b"" for t in held)

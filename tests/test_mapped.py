"""Segments are read through one shared memory map, never copied per reader (search/mapped.py)."""
from __future__ import annotations

import io
import random

from whoosh.filedb.structfile import StructFile

from search import store
from search.mapped import MappedFile


def test_mapped_file_reads_like_whoosh_structfile(tmp_path):
    rng = random.Random(3)
    data = bytes(rng.randrange(256) for _ in range(4096))
    path = tmp_path / "blob.seg"
    path.write_bytes(data)
    mapped, plain = MappedFile.open(str(path)), StructFile(io.BytesIO(data))
    for pos in (0, 1, 17, 1000, 4088):
        for method in ("get_byte", "get_sbyte", "get_int", "get_uint", "get_ushort",
                       "get_long", "get_ulong", "get_float"):
            if pos + 8 <= len(data):
                assert getattr(mapped, method)(pos) == getattr(plain, method)(pos), method
        assert mapped.get(pos, 8) == plain.get(pos, 8)
        assert list(mapped.get_array(pos, "I", 2)) == list(plain.get_array(pos, "I", 2))
    sub = mapped.subset(100, 50)
    assert sub.read(10) == data[100:110] and sub.tell() == 10
    sub.seek(-5, 2)
    assert sub.read() == data[145:150]
    assert sub.read_int.__self__ is sub and sub.get_int(0) == plain.get_int(100)
    empty = tmp_path / "empty.seg"
    empty.write_bytes(b"")
    assert MappedFile.open(str(empty)).read() == b""


def test_readers_share_one_map_of_each_segment(built_index):
    build = store.current_build(built_index)
    ix = store.open_build(build)
    with ix.searcher() as first, ix.searcher() as second:
        owners = set()
        for searcher in (first, second):
            for leaf, _ in searcher.reader().leaf_readers():
                storage = leaf._storage.a                # the segment's CompoundStorage
                assert storage._source is None           # Whoosh did not map (and copy) again
                handle = storage.open_file(storage.list()[0])
                assert isinstance(handle, MappedFile)
                owners.add(id(handle._owner))
        # one map per reader's segment file; the page cache holds the data once
        assert owners and all(o is not None for o in owners)
        assert first.document(id=first.stored_fields(0)["id"]) is not None

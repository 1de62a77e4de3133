"""The facet table of a build, computed once when the build is published and read with mmap.

The facet table (``search.facets.FacetTable``) needs, per Whoosh document number, the code of
each facet value, whether the document is live, and which group of copies it belongs to.
Whoosh's column readers hand those out one Python object per document, and ``groups.json`` is
one JSON object per report: at 100,000 reports that made the first query after a publish or a
``serve`` start take 1.5–3.3 s. ``store.publish`` now writes them beside the build:

* ``table.bin``: the arrays, each at an 8-byte aligned offset, read in place with
  ``np.frombuffer`` over one ``mmap`` (no copy, shared by every thread and process);
* ``table.json``: what the arrays are (name, dtype, shape, offset), the distinct values and
  labels of each facet, and the build's ``key`` (segments, document and deletion counts).

The arrays include each kind of report section's position intervals (``sections.*``, what
``section_index.SectionTable`` reads from every report's stored spans: at 100,000 reports that
was a Python loop of about a second on the first query that showed the section facet).

A build is never changed once published, and a new build never links these files from its base
(``store.new_build``): an incremental build gets its own. A table whose key does not match the
opened reader, or which is missing (builds published before this file existed) or damaged, is
ignored and the table is computed from the columns as before: slower, never wrong.
"""
from __future__ import annotations

import json
import mmap
import os
from pathlib import Path

import numpy as np

from search.groups import load_groups

BIN, JSON = "table.bin", "table.json"
#: Arrays of another length than one slot per document: section intervals, per segment.
SPANS = "sections.span."
FILES = (BIN, JSON)
FORMAT = 2

#: Facet name → Whoosh column.
COLUMNS = {"province": "province_code", "city": "city_code", "county": "county_code",
           "level": "level", "year": "year", "issuer": "issuer", "published": "published"}
#: Facets whose display label is another column (the code's name).
LABEL_COLUMNS = {"province": "province", "city": "city", "county": "county"}


def build_key(reader) -> list:
    """What identifies the reader's view of a build: its segments and their deletions."""
    out = [FORMAT, reader.doc_count_all(), reader.doc_count()]
    for leaf, base in reader.leaf_readers():
        segment = leaf.segment()
        out.append([base, segment.segment_id() if segment is not None else None,
                    leaf.doc_count_all(), leaf.doc_count()])
    return out


def orders(year: np.ndarray, published: np.ndarray, values: dict) -> dict[str, np.ndarray]:
    """Every document number in each fixed sort order, ties by document number: ``year``
    (newest first, then the newest publication date; also the empty query's order),
    ``year-asc`` (unknown years and dates last) and ``published`` (newest date first).

    A request then keeps the matching documents of one of these in order (a mask, no sort):
    sorting 100,000 matches by year took longer than answering the rest of the request.
    """
    year, published = year.astype(np.int64), published.astype(np.int64)
    docs = np.arange(len(year), dtype=np.int64)
    top = np.iinfo(np.int64).max
    unknown_year = bool(values["year"]) and values["year"][0] == 0
    unknown_date = bool(values["published"]) and values["published"][0] == ""
    year_key = np.where((year == 0) & unknown_year, top, year)
    date_key = np.where((published == 0) & unknown_date, top, published)
    return {"year": np.lexsort((docs, -published, -year)).astype(np.int32),
            "year-asc": np.lexsort((docs, date_key, year_key)).astype(np.int32),
            "published": np.lexsort((docs, -year, -published)).astype(np.int32)}


def _column(reader, field: str) -> list:
    """A column's values per document; none for a build without segments (Whoosh's empty
    reader has no columns)."""
    if not reader.doc_count_all():
        return []
    return list(reader.column_reader(field))


def compute(folder: str, reader) -> dict:
    """Read the table from the build's columns and ``groups.json`` (the slow path)."""
    n = reader.doc_count_all()
    arrays, values, raw = {}, {}, {}
    for name, field in COLUMNS.items():
        default = 0 if name == "year" else ""
        raw[name] = [default if v is None else v for v in _column(reader, field)]
        distinct, inverse = np.unique(np.asarray(raw[name], dtype=object), return_inverse=True)
        values[name] = [int(v) if name == "year" else v for v in distinct.tolist()]
        arrays[f"codes.{name}"] = inverse.astype(np.int32).reshape(-1)
    labels = {}
    for name, field in LABEL_COLUMNS.items():
        names = _column(reader, field)
        labels[name] = {code: label for code, label in zip(raw[name], names) if code}
    live = np.zeros(n, dtype=bool)
    live[list(reader.all_doc_ids())] = True
    arrays["live"] = live
    ids = _column(reader, "id")
    entries = load_groups(folder)
    rep = np.ones(n, dtype=bool)
    copies = np.ones(n, dtype=np.int32)
    group = list(ids)
    for d, cid in enumerate(ids):
        entry = entries.get(cid)
        if entry is None or not live[d]:
            continue
        rep[d], group[d], copies[d] = bool(entry["rep"]), entry["group"], entry["copies"]
    names, codes = np.unique(np.asarray(group, dtype=object), return_inverse=True)
    arrays.update({f"order.{name}": order for name, order in
                   orders(arrays["codes.year"], arrays["codes.published"], values).items()})
    arrays.update({"copies.representative": rep, "copies.copies": copies,
                   "copies.group_code": codes.astype(np.int64).reshape(-1),
                   "copies.group_names": np.asarray(names.tolist() or [""], dtype=str)})
    return {"key": build_key(reader), "doc_count": n, "values": values, "labels": labels,
            "live_reports": int(np.count_nonzero(rep & live)), "arrays": arrays}


def _section_arrays(folder: str, reader) -> dict[str, np.ndarray]:
    """The section table's arrays (``section_index.SectionTable.arrays``); none for a build
    whose postings cannot be opened (the search then reports the damage itself)."""
    from search.postings import BuildPostings
    from search.section_index import SectionTable

    try:
        postings = BuildPostings.open(folder, reader)
    except (OSError, ValueError):
        return {}
    values = (_column(reader, "sections") if "sections" in reader.schema
              else [""] * reader.doc_count_all())
    return SectionTable(postings, values).arrays()


def write(folder: str | os.PathLike) -> None:
    """Compute the table of the build at ``folder`` and write ``table.bin`` and ``table.json``.

    Called by ``store.publish`` before it syncs the build; an ``OSError`` is the caller's.
    """
    from search.mapped import MappedStorage

    folder = Path(folder)
    ix = MappedStorage(str(folder), readonly=True).open_index()
    with ix.reader() as reader:
        table = compute(str(folder), reader)
        table["arrays"].update(_section_arrays(str(folder), reader))
    layout, offset = [], 0
    with open(folder / (BIN + ".tmp"), "wb") as fh:
        for name, array in table.pop("arrays").items():
            data = np.ascontiguousarray(array)
            layout.append({"name": name, "dtype": data.dtype.str, "shape": list(data.shape),
                           "offset": offset})
            fh.write(data.tobytes())
            pad = -data.nbytes % 8
            fh.write(b"\0" * pad)
            offset += data.nbytes + pad
    table["layout"] = layout
    with open(folder / (JSON + ".tmp"), "w", encoding="utf-8", errors="surrogateescape") as fh:
        json.dump(table, fh, ensure_ascii=False)
    os.replace(folder / (BIN + ".tmp"), folder / BIN)
    os.replace(folder / (JSON + ".tmp"), folder / JSON)


def read(folder: str | os.PathLike, reader) -> dict | None:
    """The table written at publish time, arrays mapped; None when missing, stale or damaged."""
    folder = Path(folder)
    try:
        with open(folder / JSON, encoding="utf-8", errors="surrogateescape") as fh:
            table = json.load(fh)
        if table.get("key") != json.loads(json.dumps(build_key(reader))):
            return None
        with open(folder / BIN, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            buf = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
        arrays = {}
        for item in table["layout"]:
            dtype = np.dtype(item["dtype"])
            count = int(np.prod(item["shape"]))
            if item["offset"] + count * dtype.itemsize > size:
                return None
            arrays[item["name"]] = np.frombuffer(buf, dtype=dtype, count=count,
                                                 offset=item["offset"]).reshape(item["shape"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    n = table.get("doc_count")
    if any(len(a) != n for name, a in arrays.items()
           if name != "copies.group_names" and not name.startswith(SPANS)):
        return None
    table["arrays"] = arrays
    return table

"""One report file in, one index record out: read, clean, extract metadata, segment.

This runs in worker processes (``build`` spreads files over all cores), so it returns plain,
picklable data and never raises for a bad file: a bad file comes back as a ``Skipped`` reason.
The jieba segmentation is done here, once, and travels to the writer inside ``Segmented``.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from search import section_index
from search.analysis import Segmented
from search.schema import YEAR_RANGE
from search.similar import top_words
from indexer.sections import find_sections
from indexer.clean import clean_text
from indexer.copies import sketch
from indexer.metadata import extract_metadata
from indexer.page_head import report_text
from indexer.sidecar import SIDECAR_PROBLEM, apply_corrections, load_sidecar
from indexer.reader import UnreadableDocument, read_document


@dataclass(frozen=True)
class Skipped:
    """A file that could not be indexed, and why."""

    path: str
    reason: str


def report_id(path: str) -> str:
    """Return the stable public id of the report at ``path`` (16 hex digits)."""
    return hashlib.sha1(path.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def sidecar_of(path: Path) -> Path:
    """Return where a report's hand-made corrections live: ``NAME.meta.json`` beside it."""
    return path.with_name(path.stem + ".meta.json")


def file_signature(path: Path) -> list:
    """Return ``[size, mtime_ns, sidecar size, sidecar mtime_ns]``: what a quick skip compares."""
    st = os.stat(path)
    try:
        side = os.stat(sidecar_of(path))
        side_sig = [side.st_size, side.st_mtime_ns]
    except OSError:
        side_sig = [None, None]
    return [st.st_size, st.st_mtime_ns, *side_sig]


def inspect_file(path: Path, max_bytes: int | None = None) -> dict:
    """Read, clean and extract one report; raise UnreadableDocument or ValueError when bad."""
    doc = read_document(path, max_bytes)
    cleaned = clean_text(doc.text)
    if not any(ch.isalnum() for ch in cleaned):
        raise UnreadableDocument(path, "no text left after removing page chrome")
    sidecar = load_sidecar(sidecar_of(path))
    address = sidecar.corrections.get("source_url") or doc.source_url   # a text copy's, by hand
    meta = extract_metadata(doc.text, cleaned, path.name, source_url=address)
    cleaned = report_text(cleaned, meta.title)      # the page's head and byline go
    if sidecar.corrections:
        meta = apply_corrections(meta, sidecar.corrections)
    meta.warnings.extend(sidecar.problems)
    meta.warnings.extend(doc.notes)                 # e.g. scanned pages past the OCR limit
    links = {k: sidecar.corrections[k] for k in ("same_as", "not_same_as")
             if sidecar.corrections.get(k)}
    return {**links, "path": str(path), "sha256": doc.sha256, "size": doc.size,
            "encoding": doc.encoding, "kind": doc.kind, "reader": reader_info(doc),
            "text": cleaned, **meta.to_dict(), "source_url": address}


def reader_info(doc) -> dict:
    """Which format and extractor read a file (shown by ``inspect``, stored with the report)."""
    return {"kind": doc.kind, "extractor": doc.extractor, "pages": doc.pages, "ocr": doc.ocr}


def process_file(path_str: str, max_bytes: int | None = None):
    """Worker entry point: return an index record (field → value) or a ``Skipped``."""
    path = Path(path_str)
    try:
        try:
            signature = file_signature(path)          # before reading: a later change shows
        except OSError:
            signature = None                          # inspect_file says what is wrong
        info = inspect_file(path, max_bytes)
        signature = signature or file_signature(path)
    except UnreadableDocument as exc:
        return Skipped(path_str, exc.reason)
    except FileNotFoundError:
        return Skipped(path_str, "file vanished while reading")
    except (OSError, ValueError) as exc:
        return Skipped(path_str, f"{type(exc).__name__}: {exc}")
    return to_record(info, signature)


def summary(record: dict) -> dict:
    """What the build keeps of an indexed record for its manifest (path, signature, hash, id),
    plus the problems of its sidecar, which the run reports."""
    kept = {key: record[key] for key in ("path", "mtime", "sha256", "id", "_copy")}
    notices = [w for w in record["warnings"] if w.startswith(SIDECAR_PROBLEM)]
    return {**kept, "notices": notices} if notices else kept


def _in_range(year: int | None) -> int:
    """The year to index: 0 (unknown) for none, or one no filter or facet link could take."""
    return year if year and YEAR_RANGE[0] <= year <= YEAR_RANGE[1] else 0


def to_record(info: dict, signature: list) -> dict:
    """Map an inspected report onto the schema's fields, segmenting the text once."""
    text, title = info["text"], info.get("title") or ""
    content = Segmented(text)
    searchable_title = title                # the report's own title only, never a derived one
    doc_number = info.get("doc_number") or ""
    if doc_number:              # 金政发〔2025〕33号 finds the report, [2025] and (2025) too
        searchable_title += "\n" + doc_number
    record = {
        "id": report_id(info["path"]), "path": info["path"], "sha256": info["sha256"],
        "mtime": signature, "size": info["size"], "encoding": info["encoding"],
        "reader": info.get("reader") or {"kind": info.get("kind", "")},
        "title": Segmented(searchable_title), "_stored_title": title,
        "display_title": info["display_title"], "title_derived": bool(info["title_derived"]),
        "content": content, "_stored_content": text,           # store text, not the spans
        "top_words": top_words(content),
        "year": _in_range(info.get("year")), "year_source": info.get("year_source") or "",
        "warnings": list(info.get("warnings") or []),
        "sections": section_index.encode(text, find_sections(text)),
    }
    for name in ("province", "province_code", "city", "city_code", "county", "county_code",
                 "level", "published", "script", "issuer", "source_url", "doc_number"):
        record[name] = info.get(name) or ""
    values, shingles = sketch(text)        # indexer.copies: grouping of copies; kept in the
    record["_copy"] = {                    # build's sketches.npy, never as a stored field
        "id": record["id"], "sketch": values, "shingles": shingles,
        "length": len(text), "year": record["year"], "issuer": record["issuer"],
        **{k: record[k] for k in ("province_code", "city_code", "county_code", "source_url")},
        "same_as": info.get("same_as") or "", "not_same_as": list(info.get("not_same_as") or ()),
        "info": {"path": info["path"], "kind": record["reader"].get("kind", ""),
                 "script": record["script"], "source_url": record["source_url"]}}
    return record

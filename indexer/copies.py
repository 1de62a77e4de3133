"""One report, many copies: a MinHash sketch per report, and the groups of near-identical texts.

A report is reposted by portals and mirrors, saved as HTML and as its PDF attachment, in GBK and
UTF-8, simplified and traditional. Counting each file would make every count a researcher quotes
wrong by the number of copies, so each build groups its reports:

* **Sketch** (``sketch``, in the indexing worker): a MinHash of 128 permutations over the
  character 5-shingles of ``search.analysis.normalize(text)`` with every non-word character
  removed. The one text path folds script and width, so a traditional copy, a copy with other
  punctuation or line breaks, and a PDF's hard-wrapped text all give the same shingles. The
  hashing is vectorised in numpy (a polynomial hash of each shingle's code points, mixed by
  MurmurHash3's 64-bit finaliser; each permutation a multiply-shift ``(a·h + b) >> 32``):
  datasketch's ``update_batch`` hashed each shingle in Python and cost about a fifth of jieba's
  time per report, this costs about a twentieth. Stored as 128 ``uint32`` values: 512 bytes a
  report, 51.2 MB for 100,000 reports; ``SKETCH_VERSION`` in ``groups.json`` tells sketches
  made another way, which are made again from the stored text.
* **Candidates** (``candidate_pairs``, once per build over all reports): LSH banding with
  datasketch's bands for a low threshold (``CANDIDATE_THRESHOLD``), run in numpy over all
  sketches at once, finds the pairs worth checking, so an excerpt (Jaccard about 0.5) is not
  missed.
* **Decision** (``same_report``): near-identical (Jaccard estimate ≥ ``JACCARD``) or an excerpt
  of at least ``EXCERPT_SHARE`` of the other whose shingles lie in it (containment ≥
  ``CONTAINMENT``); AND the same year (two different known years are a veto: reports of one body
  share boilerplate year after year); AND no different known county, city, province or issuer
  (two counties' reports written from one template stay apart; an issuer differs only when
  neither name is the other written shorter, as 山西省审批服务管理局 is 山西省行政审批服务管理局). Groups are joined pair by pair,
  strongest first, and two groups join only when *all* their members agree on year and place, so
  an unknown-year copy never chains two years together.
* **Hand corrections**: a sidecar's ``same_as`` joins a group (it wins over the vetoes),
  ``not_same_as`` keeps two reports apart.

The group id is the smallest report id in the group; the representative is the most complete
copy (longest clean text; among copies nearly as long, one on a government site, ``gov.cn``,
first), ties by id. Nothing depends on file order, so the same folder gives the same groups.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import numpy as np
from datasketch import MinHashLSH

from search.analysis import normalize

NUM_PERM = 128
SHINGLE = 5
SEED = 1
#: Jaccard estimate from which two texts are the same report (a few sentences edited).
JACCARD = 0.8
#: An excerpt is the same report when this share of its shingles lies in the other … (0.9
#: missed 1% of the excerpts of bench/copies.py: at half the report, the estimate from 128
#: values has a standard error of about 0.05)
CONTAINMENT = 0.8
#: … and it has at least this share of the other's shingles (cut short, but not a quote).
EXCERPT_SHARE = 0.5
#: The LSH threshold that finds candidates: below the Jaccard of a half-length excerpt.
CANDIDATE_THRESHOLD = 0.35
#: Copies within this share of the longest count as complete when choosing the representative.
COMPLETE_SHARE = 0.9

_NON_WORD = re.compile(r"\W+")


_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)
_PRIME = np.uint64(1_000_003)
_SHIFT = np.uint64(32)


def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The ``NUM_PERM`` multiply-shift permutations: odd 64-bit ``a``, 64-bit ``b`` (fixed)."""
    rng = np.random.Generator(np.random.PCG64(SEED))
    a = rng.integers(0, 2**64, size=NUM_PERM, dtype=np.uint64, endpoint=False) | np.uint64(1)
    b = rng.integers(0, 2**64, size=NUM_PERM, dtype=np.uint64, endpoint=False)
    return a[:, None], b[:, None]


_A, _B = _permutations()
#: Bumped whenever ``sketch`` changes its values: older builds' sketches are then made again.
SKETCH_VERSION = 2
#: The sketch of a text without shingles (never the same report as anything).
EMPTY = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)


def _chars(text: str) -> str:
    return _NON_WORD.sub("", normalize(text))


def shingles(text: str) -> set[str]:
    """The character 5-shingles of the normalised text, non-word characters removed (what the
    sketch hashes; a text shorter than a shingle is one shingle)."""
    chars = _chars(text)
    if len(chars) <= SHINGLE:
        return {chars} if chars else set()
    return {chars[i:i + SHINGLE] for i in range(len(chars) - SHINGLE + 1)}


def shingle_hashes(text: str) -> np.ndarray:
    """The distinct 64-bit hashes of the text's shingles, sorted (numpy, no per-shingle Python)."""
    chars = _chars(text)
    if not chars:
        return np.zeros(0, dtype=np.uint64)
    points = np.frombuffer(chars.encode("utf-32-le", "surrogatepass"),
                           dtype=np.uint32).astype(np.uint64)
    width = min(SHINGLE, len(points))
    n = len(points) - width + 1
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(width):                   # polynomial hash of each shingle, mod 2**64
            h = h * _PRIME + points[k:k + n]
        h ^= h >> np.uint64(33)                  # MurmurHash3's fmix64: mixes every bit
        h *= np.uint64(0xFF51AFD7ED558CCD)
        h ^= h >> np.uint64(33)
        h *= np.uint64(0xC4CEB9FE1A85EC53)
        h ^= h >> np.uint64(33)
    return np.unique(h)


def sketch(text: str) -> tuple[bytes, int]:
    """Return ``(128 uint32 hash values as bytes, number of distinct shingles)`` of a text."""
    hashes = shingle_hashes(text)
    if not len(hashes):
        return EMPTY.tobytes(), 0
    with np.errstate(over="ignore"):
        values = _A * hashes[None, :]            # NUM_PERM × shingles, mod 2**64
        values += _B
        values >>= _SHIFT
    return values.min(axis=1).astype(np.uint32).tobytes(), len(hashes)


@dataclass
class Copy:
    """What grouping needs to know of one report (kept per build in ``groups.json``)."""

    id: str
    values: np.ndarray            # the sketch, NUM_PERM uint32
    shingles: int
    length: int                   # characters of clean text
    year: int = 0
    province_code: str = ""
    city_code: str = ""
    county_code: str = ""
    issuer: str = ""
    source_url: str = ""
    same_as: str = ""
    not_same_as: tuple = ()
    info: dict = field(default_factory=dict)    # path, kind, script: what the copy list shows


def jaccard(a: Copy, b: Copy) -> float:
    """The MinHash estimate of the Jaccard similarity of two reports' shingle sets (0 when
    either has none: two empty texts are not the same report)."""
    if not a.shingles or not b.shingles:
        return 0.0
    return float(np.count_nonzero(a.values == b.values)) / NUM_PERM


def containment(a: Copy, b: Copy, j: float | None = None) -> float:
    """Estimated share of ``a``'s shingles that lie in ``b`` (from Jaccard and set sizes)."""
    j = jaccard(a, b) if j is None else j
    if not a.shingles:
        return 0.0
    inter = j * (a.shingles + b.shingles) / (1 + j)
    return min(1.0, inter / a.shingles)


def similar_text(a: Copy, b: Copy) -> float:
    """How strongly the texts say "same report": 0 when they do not; else the score to order by."""
    j = jaccard(a, b)
    if j >= JACCARD:
        return j
    small, big = (a, b) if a.shingles <= b.shingles else (b, a)
    if big.shingles and small.shingles >= EXCERPT_SHARE * big.shingles \
            and containment(small, big, j) >= CONTAINMENT:
        return j
    return 0.0


def _conflict(xs: set) -> bool:
    return len(xs - {"", 0}) > 1


_FACTS = ("year", "province_code", "city_code", "county_code", "issuer")


def _within(short: str, long: str) -> bool:
    """True when ``short``'s characters appear in ``long`` in order (山西省审批服务管理局 in
    山西省行政审批服务管理局; 霍城县应急管理局 not in 霍城县行政审批服务管理局)."""
    rest = iter(long)
    return all(ch in rest for ch in short)


def _issuers_conflict(names: set) -> bool:
    """Two issuers differ when neither name is the other written shorter: one body's name is
    written with and without 行政, with a channel tag glued on, or without its place."""
    names = sorted(n for n in names if n)
    return any(not _within(*sorted((a, b), key=len)) for i, a in enumerate(names)
               for b in names[i + 1:])


def compatible(members_a: list[Copy], members_b: list[Copy]) -> bool:
    """True when no known fact (year, province, city, county, issuer) differs across the union."""
    both = members_a + members_b
    if any(_conflict({getattr(c, name) for c in both}) for name in _FACTS[:-1]):
        return False
    return not _issuers_conflict({c.issuer for c in both})


def same_report(a: Copy, b: Copy) -> bool:
    """The pair decision: similar text, and no known year, place or issuer that differs."""
    return similar_text(a, b) > 0 and compatible([a], [b])


class _Groups:
    """Union-find over report ids whose groups remember their members."""

    def __init__(self, ids):
        self.parent = {i: i for i in ids}
        self.members = {i: [i] for i in ids}

    def find(self, i: str) -> str:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: str, b: str) -> None:
        ra, rb = sorted((self.find(a), self.find(b)))
        if ra != rb:
            self.parent[rb] = ra
            self.members[ra].extend(self.members.pop(rb))


def _bands() -> tuple[int, int]:
    """``(bands, rows)``: datasketch's choice for ``CANDIDATE_THRESHOLD`` at ``NUM_PERM``."""
    lsh = MinHashLSH(threshold=CANDIDATE_THRESHOLD, num_perm=NUM_PERM)
    return lsh.b, lsh.r


BANDS, ROWS = _bands()


def candidate_pairs(copies: dict[str, Copy]) -> list[tuple[float, str, str]]:
    """The pairs the text calls the same report, ``(score, id, id)``, strongest first.

    LSH banding as datasketch's ``MinHashLSH`` does it (its bands and rows), but over all
    reports at once in numpy: two reports are candidates when all ``ROWS`` values of one band
    agree. datasketch inserts key by key, band by band, in Python: about 1 ms a report, a
    minute at 100,000 reports, paid by every reindex.
    """
    ids = [cid for cid in sorted(copies) if copies[cid].shingles]
    if len(ids) < 2:
        return []
    matrix = np.stack([copies[cid].values for cid in ids])
    first, second = _band_pairs(matrix.astype(np.uint64))
    j = np.zeros(len(first))
    for start in range(0, len(first), 65536):              # the Jaccard estimates, in chunks
        part = slice(start, start + 65536)
        j[part] = np.count_nonzero(matrix[first[part]] == matrix[second[part]], axis=1)
    j /= NUM_PERM
    sizes = np.array([copies[cid].shingles for cid in ids], dtype=np.float64)
    small = np.minimum(sizes[first], sizes[second])
    big = np.maximum(sizes[first], sizes[second])
    contained = j * (small + big) / (1 + j) / small        # as ``containment``, vectorised
    same = (j >= JACCARD) | ((small >= EXCERPT_SHARE * big) & (contained >= CONTAINMENT))
    pairs = [(float(j[k]), ids[first[k]], ids[second[k]]) for k in np.flatnonzero(same).tolist()]
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    return pairs


def _band_pairs(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row pairs ``(i, j)``, ``i < j``, that agree on all values of at least one band."""
    n = len(matrix)
    found = []
    with np.errstate(over="ignore"):
        for band in range(BANDS):
            key = np.zeros(n, dtype=np.uint64)
            for col in range(band * ROWS, (band + 1) * ROWS):
                key = key * _PRIME + matrix[:, col]
            order = np.argsort(key, kind="stable")
            ordered = key[order]
            starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
            sizes = np.diff(np.r_[starts, n])
            for size in np.unique(sizes[sizes > 1]).tolist():   # buckets of one size at once
                at = starts[sizes == size]
                rows = np.sort(order[at[:, None] + np.arange(size)], axis=1).astype(np.int64)
                a, b = np.triu_indices(size, 1)
                found.append((rows[:, a] * n + rows[:, b]).ravel())
    if not found:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    codes = np.unique(np.concatenate(found))
    return codes // n, codes % n


def compute_groups(copies: dict[str, Copy]) -> dict[str, dict]:
    """Group the reports of a build: id → ``{"group", "rep", "copies"}``. Deterministic."""
    groups = _Groups(copies)
    apart = {}
    for c in copies.values():
        for other in c.not_same_as:
            if other in copies:
                apart.setdefault(c.id, set()).add(other)
                apart.setdefault(other, set()).add(c.id)

    def split_by_hand(ra: str, rb: str) -> bool:
        mb = set(groups.members[rb])
        return any(apart.get(m, set()) & mb for m in groups.members[ra])

    for cid in sorted(copies):                        # hand joins first: they win
        target = copies[cid].same_as
        if target and target in copies and target != cid:
            ra, rb = groups.find(cid), groups.find(target)
            if ra != rb and not split_by_hand(ra, rb):
                groups.union(ra, rb)
    for _, a, b in candidate_pairs(copies):
        ra, rb = groups.find(a), groups.find(b)
        if ra == rb or split_by_hand(ra, rb):
            continue
        if compatible([copies[m] for m in groups.members[ra]],
                      [copies[m] for m in groups.members[rb]]):
            groups.union(ra, rb)
    out = {}
    for root, members in groups.members.items():
        rep = representative([copies[m] for m in members])
        gid = min(members)
        for m in members:
            out[m] = {"group": gid, "rep": m == rep, "copies": len(members)}
    return out


def _on_government_site(c: Copy) -> bool:
    host = (urlsplit(c.source_url).hostname or "") if c.source_url else ""
    return host == "gov.cn" or host.endswith(".gov.cn")


def representative(members: list[Copy]) -> str:
    """The most complete copy: among those nearly as long as the longest, a government site's
    first, then the longest; ties by id."""
    longest = max(c.length for c in members)
    complete = [c for c in members if c.length >= COMPLETE_SHARE * longest]
    return min(complete, key=lambda c: (not _on_government_site(c), -c.length, c.id)).id


# --------------------------------------------------------------------------------------------
# What a build keeps: ``groups.json`` (search.groups reads it) and ``sketches.npy``

def copy_of(entry: dict) -> Copy:
    """A ``Copy`` from the summary a worker sends back (``copy`` key of ``pipeline.summary``)."""
    values = np.frombuffer(entry["sketch"], dtype=np.uint32).copy()
    facts = {k: entry.get(k) or ("" if k != "year" else 0) for k in _FACTS}
    return Copy(entry["id"], values, entry["shingles"], entry["length"],
                source_url=entry.get("source_url") or "", same_as=entry.get("same_as") or "",
                not_same_as=tuple(entry.get("not_same_as") or ()),
                info=dict(entry.get("info") or {}), **facts)


def to_entry(c: Copy, grouping: dict) -> dict:
    """The JSON-able record of one report in ``groups.json`` (its sketch lives in the .npy)."""
    return {"group": grouping["group"], "rep": grouping["rep"], "copies": grouping["copies"],
            "sketch": SKETCH_VERSION, "shingles": c.shingles, "length": c.length, "year": c.year,
            "province_code": c.province_code, "city_code": c.city_code,
            "county_code": c.county_code, "issuer": c.issuer, "source_url": c.source_url,
            "same_as": c.same_as, "not_same_as": list(c.not_same_as), "info": c.info}


def load_copies(folder) -> dict[str, Copy]:
    """The copies recorded in a build (empty when it has none)."""
    from search.groups import load_groups, SKETCHES

    entries = load_groups(folder)
    if not entries:
        return {}
    try:
        values = np.load(f"{folder}/{SKETCHES}", allow_pickle=False)
    except (OSError, ValueError):
        return {}
    ids = sorted(entries)
    if values.shape != (len(ids), NUM_PERM) or any(
            e.get("sketch") != SKETCH_VERSION for e in entries.values()):
        return {}                                 # made another way: sketched again
    out = {}
    for row, cid in enumerate(ids):
        e = entries[cid]
        facts = {k: e.get(k) or ("" if k != "year" else 0) for k in _FACTS}
        out[cid] = Copy(cid, values[row], e["shingles"], e["length"],
                        source_url=e.get("source_url") or "", same_as=e.get("same_as") or "",
                        not_same_as=tuple(e.get("not_same_as") or ()),
                        info=dict(e.get("info") or {}), **facts)
    return out


def write_groups(folder, copies: dict[str, Copy]) -> dict[str, dict]:
    """Group ``copies`` and write ``groups.json`` and ``sketches.npy`` (rows in id order) into
    the unpublished build at ``folder``, as new files (never through the live build's links)."""
    import json
    import os

    from search.groups import GROUPS, SKETCHES

    grouping = compute_groups(copies)
    ids = sorted(copies)
    matrix = (np.stack([copies[i].values for i in ids]) if ids
              else np.zeros((0, NUM_PERM), dtype=np.uint32)).astype(np.uint32)
    tmp = f"{folder}/{SKETCHES}.tmp.npy"
    np.save(tmp, matrix, allow_pickle=False)
    os.replace(tmp, f"{folder}/{SKETCHES}")
    body = {i: to_entry(copies[i], grouping[i]) for i in ids}
    tmp = f"{folder}/{GROUPS}.tmp"
    with open(tmp, "w", encoding="utf-8", errors="surrogateescape") as fh:
        json.dump(body, fh, ensure_ascii=False)
    os.replace(tmp, f"{folder}/{GROUPS}")
    return grouping

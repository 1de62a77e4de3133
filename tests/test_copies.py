"""Copies of one report count once (indexer.copies): real builds of the sample reports plus
copies made by hand, and the pair decision on its own."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bench.corpus import to_traditional
from indexer import copies
from indexer.build import build_index
from indexer.pipeline import report_id
from search import engine
from search.engine import SearchRequest
from search.store import IndexHandle

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"


def _sample(name_index: int = 0) -> tuple[str, str]:
    path = sorted(SAMPLE.glob("*.txt"))[name_index]
    return path.name, path.read_text(encoding="utf-8")


def _edit(text: str) -> str:
    """A few sentences changed: every 40th sentence mark gets a different clause before it."""
    parts = text.split("。")
    for i in range(5, len(parts), 40):
        parts[i] = parts[i][:-6] + "有关工作稳步推进" if len(parts[i]) > 8 else parts[i]
    return "。".join(parts)


def _corpus(tmp_path: Path) -> Path:
    """The five samples, plus copies of the first: other chrome in GBK, traditional script,
    edited sentences, an excerpt of over half; and a copy claiming another year."""
    src = tmp_path / "corpus"
    shutil.copytree(SAMPLE, src)
    _, text = _sample(0)
    (src / "copy_portal_gbk.txt").write_bytes(
        ("无障碍 | 长者模式 | 繁體\n首页 > 政务公开 > 法治政府建设\n" + text
         + "\n主办单位：某某网  版权所有").encode("gb18030"))
    (src / "copy_traditional.txt").write_text(to_traditional(text), encoding="utf-8")
    (src / "copy_edited.txt").write_text(_edit(text), encoding="utf-8")
    (src / "copy_excerpt.txt").write_text(text[: int(len(text) * 0.7)], encoding="utf-8")
    return src


def _build(src: Path, index_dir: Path) -> IndexHandle:
    build_index([src], index_dir, jobs=1)
    return IndexHandle(index_dir)


def test_copies_count_once_and_copies_all_shows_every_file(tmp_path):
    src = _corpus(tmp_path)
    handle = _build(src, tmp_path / "index")
    results = engine.search(handle, SearchRequest(q=""))
    assert results.total == 5
    grouped = [h for h in results.hits if h.metadata["copies"] > 1]
    first = report_id(str(src / _sample(0)[0]))
    assert [h.metadata["copies"] for h in grouped] == [5]
    members = sorted([first] + [report_id(str(src / n)) for n in
                                ("copy_portal_gbk.txt", "copy_traditional.txt",
                                 "copy_edited.txt", "copy_excerpt.txt")])
    assert grouped[0].metadata["group"] == members[0]
    assert engine.search(handle, SearchRequest(q="", copies="all")).total == 9
    facets = {f["name"]: sum(v["count"] for v in f["values"]) for f in results.facets}
    assert facets["year"] == 5 and facets["province"] == 5
    stats = engine.stats(handle)
    assert (stats["files"], stats["reports"], stats["copies"]) == (9, 5, 4)


def test_a_different_year_or_another_county_stays_apart(tmp_path):
    src = tmp_path / "corpus"
    shutil.copytree(SAMPLE, src)
    name, text = _sample(0)
    side = {"year": 2011}
    (src / "other_year.txt").write_text(text, encoding="utf-8")
    (src / "other_year.meta.json").write_text(json.dumps(side), encoding="utf-8")
    (src / "other_county.txt").write_text(text, encoding="utf-8")
    (src / "other_county.meta.json").write_text(json.dumps({"county": "110105"}),
                                                encoding="utf-8")
    handle = _build(src, tmp_path / "index")
    assert engine.search(handle, SearchRequest(q="")).total == 7


def test_sidecar_joins_and_splits_groups(tmp_path):
    src = tmp_path / "corpus"
    shutil.copytree(SAMPLE, src)
    name, text = _sample(0)
    (src / "dup.txt").write_text(text, encoding="utf-8")
    (src / "dup.meta.json").write_text(
        json.dumps({"not_same_as": [report_id(str(src / name))]}), encoding="utf-8")
    other = sorted(SAMPLE.glob("*.txt"))[1].name
    (src / "joined.meta.json").write_text(
        json.dumps({"same_as": report_id(str(src / other))}), encoding="utf-8")
    (src / "joined.txt").write_text("另一份完全不同的材料。" * 30, encoding="utf-8")
    handle = _build(src, tmp_path / "index")
    assert engine.search(handle, SearchRequest(q="")).total == 6     # dup apart, joined in


def test_incremental_join_and_promotion_and_order_independence(tmp_path):
    src = tmp_path / "corpus"
    shutil.copytree(SAMPLE, src)
    handle = _build(src, tmp_path / "index")
    name, text = _sample(0)
    longer = text + "\n附：本报告全文另见附件。"            # the most complete copy
    (src / "longer_copy.txt").write_text(longer, encoding="utf-8")
    build_index([src], tmp_path / "index", jobs=1)
    hits = engine.search(handle, SearchRequest(q="", page_size=50)).hits
    assert len(hits) == 5
    rep = next(h for h in hits if h.metadata["copies"] == 2)
    assert Path(rep.path).name == "longer_copy.txt"
    (src / "longer_copy.txt").unlink()                     # removing it promotes the original
    build_index([src], tmp_path / "index", jobs=1)
    hits = engine.search(handle, SearchRequest(q="", page_size=50)).hits
    assert [h.metadata["copies"] for h in hits] == [1] * 5
    assert name in {Path(h.path).name for h in hits}


@pytest.mark.parametrize("order", [1, -1])
def test_grouping_does_not_depend_on_order(order):
    _, text = _sample(0)
    texts = {f"{i:016x}": t for i, t in enumerate([text, to_traditional(text), _edit(text),
                                                   _sample(1)[1], text[: len(text) * 2 // 3]])}
    made = {}
    for cid in list(texts)[::order]:
        values, count = copies.sketch(texts[cid])
        made[cid] = copies.copy_of({"id": cid, "sketch": values, "shingles": count,
                                    "length": len(texts[cid]), "year": 2023})
    groups = copies.compute_groups(made)
    assert {g["group"] for g in groups.values()} == {f"{0:016x}", f"{3:016x}"}
    longest = max((c for c in texts if c != f"{3:016x}"), key=lambda c: (len(texts[c]), c))
    assert [cid for cid, g in sorted(groups.items()) if g["rep"]] == sorted([longest,
                                                                             f"{3:016x}"])


def test_unknown_year_never_chains_two_years():
    _, text = _sample(0)
    values, count = copies.sketch(text)
    made = {cid: copies.copy_of({"id": cid, "sketch": values, "shingles": count,
                                 "length": len(text), "year": year})
            for cid, year in (("a" * 16, 2021), ("b" * 16, 0), ("c" * 16, 2022))}
    groups = copies.compute_groups(made)
    assert groups["a" * 16]["group"] != groups["c" * 16]["group"]


def test_the_hit_says_how_many_other_copies_there_are(tmp_path):
    from web import create_app

    src = _corpus(tmp_path)
    _build(src, tmp_path / "index")
    app = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "index")})
    page = app.test_client().get("/").get_data(as_text=True)
    assert page.count("另有 4 个副本") == 1
    every = app.test_client().get("/?copies=all").get_data(as_text=True)
    assert every.count("另有 4 个副本") == 5


def test_one_body_written_shorter_is_the_same_issuer_another_office_is_not():
    _, text = _sample(0)
    values, count = copies.sketch(text)

    def made(cid, issuer):
        return copies.copy_of({"id": cid, "sketch": values, "shingles": count,
                               "length": len(text), "year": 2024, "issuer": issuer})
    same = [made("a" * 16, "山西省行政审批服务管理局"), made("b" * 16, "山西省审批服务管理局"),
            made("c" * 16, "工作动态】山西省行政审批服务管理局")]
    assert copies.compatible(same[:1], same[1:])
    assert not copies.compatible([made("a" * 16, "霍城县行政审批服务管理局")],
                                 [made("b" * 16, "霍城县应急管理局")])


def _grouping(handle: IndexHandle) -> dict[str, tuple[frozenset, bool]]:
    """File name → (the file names of its group, whether it is the representative)."""
    hits = engine.search(handle, SearchRequest(q="", copies="all", page_size=100)).hits
    names = {h.id: Path(h.path).name for h in hits}
    groups: dict[str, set] = {}
    for h in hits:
        groups.setdefault(h.metadata["group"], set()).add(names[h.id])
    reps = {Path(h.path).name for h in engine.search(handle, SearchRequest(q="", page_size=100)).hits}
    return {names[h.id]: (frozenset(groups[h.metadata["group"]]), names[h.id] in reps)
            for h in hits}


def test_same_groups_built_at_once_or_file_by_file_in_reverse_with_two_jobs(tmp_path):
    src = _corpus(tmp_path)
    _, text = _sample(0)
    (src / "copy_mirror.txt").write_text("秘书之家—全网资源每日更新www.example.com" + text
                                         + "\n扫一扫在手机打开当前页", encoding="utf-8")
    at_once = _grouping(_build_jobs(src, tmp_path / "a", 2))
    files = sorted(p.name for p in src.iterdir())
    stage = tmp_path / "stage"
    stage.mkdir()
    handle = None
    for start in range(0, len(files), 4):          # reverse order, four files a time (a pool)
        for name in files[::-1][start:start + 4]:
            shutil.copy2(src / name, stage / name)
        handle = _build_jobs(stage, tmp_path / "b", 2)
        grouping = _grouping(handle)
        present = {n for n in files if (stage / n).exists() and n.endswith(".txt")}
        for name, (members, _) in grouping.items():      # each copy present joined at once
            assert members == at_once[name][0] & present
    assert _grouping(handle) == at_once
    assert engine.search(handle, SearchRequest(q="")).total == 5
    # Removing the representative (two jobs) promotes another copy; the group keeps the rest.
    rep = next(n for n, (members, is_rep) in at_once.items() if is_rep and len(members) > 1)
    (stage / rep).unlink()
    after = _grouping(_build_jobs(stage, tmp_path / "b", 2))
    members = at_once[rep][0] - {rep}
    assert {after[n][0] for n in members} == {members}
    assert sum(after[n][1] for n in members) == 1
    assert engine.search(handle, SearchRequest(q="")).total == 5


def _build_jobs(src: Path, index_dir: Path, jobs: int) -> IndexHandle:
    build_index([src], index_dir, jobs=jobs)
    return IndexHandle(index_dir)


def test_numpy_banding_finds_what_datasketch_lsh_finds():
    """candidate_pairs bands in numpy; datasketch's MinHashLSH with the same bands must give
    the same pairs (checked on the samples, their copies and excerpts of every length)."""
    import numpy as np
    from datasketch import LeanMinHash, MinHashLSH

    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLE.glob("*.txt"))]
    texts += [to_traditional(texts[0]), _edit(texts[1])]
    texts += [t[: len(t) * k // 10] for t in texts[:3] for k in (3, 4, 5, 6, 8)]
    made = {}
    for i, t in enumerate(texts):
        values, count = copies.sketch(t)
        made[f"{i:016x}"] = copies.copy_of({"id": f"{i:016x}", "sketch": values,
                                            "shingles": count, "length": len(t)})
    lsh = MinHashLSH(threshold=copies.CANDIDATE_THRESHOLD, num_perm=copies.NUM_PERM)
    assert (lsh.b, lsh.r) == (copies.BANDS, copies.ROWS)
    sketches = {cid: LeanMinHash(seed=1, hashvalues=c.values.astype(np.uint64),
                                 scheme="affine32") for cid, c in made.items()}
    for cid, mh in sketches.items():
        lsh.insert(cid, mh)
    expected = sorted((copies.similar_text(made[a], made[b]), a, b) for a in made
                      for b in lsh.query(sketches[a]) if b > a
                      and copies.similar_text(made[a], made[b]))
    got = copies.candidate_pairs(made)
    assert len(got) >= 10 and sorted(got) == expected

"""bench.realpages scores every split the truth names, text only and with the saved address."""
from __future__ import annotations

import json

from bench import realpages

PAGE = ("关于2023年法治政府建设工作情况的报告\n"
        "2023年，我乡在县委、县政府的坚强领导下，坚持以习近平法治思想为指导，深入推进依法行政，"
        "全面提升基层治理法治化水平。\n一、主要举措\n健全依法决策机制。\n")


def test_every_split_is_scored_and_the_address_adds_the_region(tmp_path, monkeypatch, capsys):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "000.txt").write_text(PAGE, encoding="utf-8")
    label = {"url": "http://www.xuwen.gov.cn/xxgk/content/post_1.html",
             "title": "关于2023年法治政府建设工作情况的报告", "province": "广东省", "city": "湛江市",
             "county": "徐闻县", "level": "county", "year": 2023, "published": None}
    truth = {"000.txt": {**label, "split": "fresh2"}, "001.txt": {**label, "split": "tune"}}
    (tmp_path / "pages" / "001.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "truth.json").write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(realpages, "ROOT", tmp_path)
    assert realpages.splits_of(truth) == ["tune", "fresh2"]
    assert realpages.main(["--split", "fresh2", "--show", "--with-address"]) == 0
    out = capsys.readouterr().out
    text_only, with_address = out.split("fresh2: 1 pages, with the saved address")
    assert "fresh2: 1 pages, text only" in text_only and "county   0.0% (0/1" in text_only
    assert "000.txt county: got '', want '徐闻县'" in text_only
    assert "county 100.0% (1/1" in with_address and "000.txt" not in with_address
    assert "001.txt" not in out
    realpages.main([])
    out = capsys.readouterr().out
    assert "tune: 1 pages, text only" in out and "fresh2: 1 pages, text only" in out
    assert "with the saved address" not in out


def test_a_zone_counts_under_any_of_its_table_names():
    assert realpages.same_zone("重庆高新区", "重庆高新技术产业开发区")       # the table's alias
    assert realpages.same_zone("深汕特别合作区", "深圳市深汕特别合作区")     # its city first
    assert realpages.same_zone("", None) and realpages.same_zone("忻府区", "忻府区")
    assert not realpages.same_zone("重庆高新区", "两江新区")
    assert not realpages.same_zone("忻府区", "原平市")
    assert not realpages.same_zone("重庆高新区", None)
    assert realpages.same_zone("唐山芦台经济开发区", "河北唐山芦台经济开发区")   # its province first
    assert not realpages.same_zone("唐山芦台经济开发区", "唐山某某经济开发区")
    assert realpages.same_zone("唐山芦台经济开发区", "芦台经济开发区")        # batch17: no city given
    assert realpages.same_zone("河北唐山芦台经济开发区", "芦台经济开发区")
    assert not realpages.same_zone("唐山芦台经济开发区", "台经济开发区")       # a cut name is no name
    assert not realpages.same_zone("唐山芦台经济开发区", "经济开发区")
    assert realpages.same_zone("武汉经开区", "武汉经济技术开发区")          # batch19: its kind in full
    assert realpages.same_zone("珠海高新区", "珠海高新技术产业开发区")
    assert not realpages.same_zone("武汉经开区", "武汉高新技术产业开发区")

"""facets.facet_results ranks only the values that can be shown: the same page as sorting all.

A facet like 发布机关 has thousands of values; only those counted at least as often as the
``size``-th can rank, plus the selected and unknown ones. Checked against a full sort.
"""
from __future__ import annotations

from collections import Counter

import numpy as np
from hypothesis import given, settings, strategies as st

from search import facets


class _Labels:
    def label(self, facet, value):
        return str(value)


def _full_sort(name, counts, chosen, size):
    rows = [(facets._value(v), v, n) for v, n in counts.items()]
    seen = {r[0] for r in rows}
    rows += [(v, facets._raw(name, v), 0) for v in chosen if v not in seen][
        :facets.ZERO_SELECTED_SHOWN]
    rows.sort(key=facets._sort_key(name, chosen))
    return [(value, n) for value, _, n in rows[:size]], len(rows) > size


@settings(max_examples=300, deadline=None)
@given(values=st.dictionaries(st.sampled_from([""] + [f"机关{i}" for i in range(120)]),
                              st.integers(1, 6), max_size=120),
       chosen=st.sets(st.sampled_from(["none", "机关3", "机关7", "机关200"]), max_size=3),
       size=st.integers(1, 12))
def test_the_shown_values_are_those_of_a_full_sort(values, chosen, size):
    counts = {"issuer": Counter(values)}
    flt = [facets.Filter("issuer", lambda v: True, tuple(sorted(chosen)))] if chosen else []
    got = facets.facet_results(_Labels(), counts, flt, size)[0]
    want, truncated = _full_sort("issuer", counts["issuer"], set(chosen), size)
    assert [(v["value"], v["count"]) for v in got["values"]] == want
    assert got["truncated"] == truncated


def _one_per_group_by_sorting_all(table, matched):
    docs = np.flatnonzero(matched)
    if not len(docs):
        return matched
    groups = table.group_code[docs]
    order = np.lexsort((docs, ~table.representative[docs], groups))
    first = np.ones(len(order), dtype=bool)
    first[1:] = groups[order][1:] != groups[order][:-1]
    out = np.zeros_like(matched)
    out[docs[order[first]]] = True
    return out


@settings(max_examples=300, deadline=None)
@given(data=st.data(), n=st.integers(0, 40))
def test_one_hit_per_group_sorts_only_shared_groups_and_keeps_the_same_hits(data, n):
    group = np.array(data.draw(st.lists(st.integers(0, 12), min_size=n, max_size=n)),
                     dtype=np.int64)
    rep = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
    live = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
    matched = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)),
                       dtype=bool) & live
    names = np.array([f"g{i}" for i in range(13)])
    table = facets.CopyTable("", rep, np.ones(n, dtype=np.int32), group, names, live, 0)
    assert np.array_equal(table.one_per_group(matched),
                          _one_per_group_by_sorting_all(table, matched))


@settings(max_examples=300, deadline=None)
@given(data=st.data(), n=st.integers(1, 40), sort=st.sampled_from(
    ["relevance", "year", "year-asc", "published"]), limit=st.integers(1, 50))
def test_sort_orders_written_at_publish_rank_as_sorting_the_matches(data, n, sort, limit):
    from types import SimpleNamespace

    from search import engine, table_file

    years = sorted(set(data.draw(st.lists(st.sampled_from([0, 2019, 2020, 2023]), min_size=1))))
    dates = sorted(set(data.draw(st.lists(st.sampled_from(["", "2020-01-02", "2021-05-06"]),
                                          min_size=1))))
    year = np.array(data.draw(st.lists(st.integers(0, len(years) - 1), min_size=n, max_size=n)))
    published = np.array(data.draw(st.lists(st.integers(0, len(dates) - 1), min_size=n,
                                            max_size=n)))
    docs = np.array(sorted(data.draw(st.sets(st.integers(0, n - 1)))), dtype=np.int64)
    values = {"year": years, "published": dates}
    codes = {"year": year.astype(np.int32), "published": published.astype(np.int32)}
    plain = SimpleNamespace(codes=codes, values=values, doc_count=n, orders=None)
    mapped = SimpleNamespace(codes=codes, values=values, doc_count=n,
                             orders=table_file.orders(codes["year"], codes["published"], values))
    assert engine._rank(mapped, None, docs, sort, limit) == \
        engine._rank(plain, None, docs, sort, limit)

"""facets.FacetCounts (counts kept as the codes' tally) shows the same facets as a Counter.

``count_and_filter`` no longer builds a dict of every counted value: 发布机关 has thousands and a
page shows ten. ``facet_results`` over the tally must give the very page the Counter gave.
"""
from __future__ import annotations

from collections import Counter

import numpy as np
from hypothesis import given, settings, strategies as st

from search import facets

VALUES = [""] + sorted(f"机关{i:03d}" for i in range(150))


class _Labels:
    def label(self, facet, value):
        return f"<{value}>"


@settings(max_examples=300, deadline=None)
@given(tally=st.lists(st.integers(0, 7), min_size=len(VALUES), max_size=len(VALUES)),
       chosen=st.sets(st.sampled_from(["none", "机关003", "机关007", "机关149", "机关200"]),
                      max_size=3),
       size=st.integers(1, 12), name=st.sampled_from(["issuer", "county", "year"]))
def test_the_tally_shows_what_the_counter_showed(tally, chosen, size, name):
    values = VALUES if name != "year" else [0] + list(range(2000, 2000 + len(VALUES) - 1))
    counts = facets.FacetCounts(values, np.array(tally, dtype=np.int64))
    counter = Counter({v: n for v, n in zip(values, tally) if n})
    assert dict(counts.items()) == dict(counter) and len(counts) == len(counter)
    assert all(counts[v] == counter[v] for v in counter)
    flt = ([facets.Filter(name, lambda v: True, tuple(sorted(chosen)))]
           if chosen and name != "year" else [])
    assert facets.facet_results(_Labels(), {name: counts}, flt, size) == \
        facets.facet_results(_Labels(), {name: counter}, flt, size)

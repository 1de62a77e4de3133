"""The Whoosh schema: which fields a report has, how each is analysed, stored and sorted.

Text is indexed twice: as jieba words (``content``, ``title``: precise, scored higher) and as
character bigrams (``content_bigrams``, ``title_bigrams``: the recall guarantee for any phrase).
The display text is stored once, in ``content``, in the report's original script.
Facet fields are ``sortable`` (column storage) so facet counts and sorting read columns, not
stored documents.
"""
from __future__ import annotations

from collections import defaultdict
from pickle import dumps

from whoosh import fields, formats
from whoosh.system import pack_uint as _pack_uint

from search.analysis import bigram_analyzer, normalize, word_analyzer

#: Bump when fields change; an index with another version must be rebuilt.
SCHEMA_VERSION = 2

#: Metadata fields every hit carries, in the order the CLI and the API show them.
METADATA_FIELDS = ("title", "display_title", "title_derived", "province", "province_code", "city",
                   "city_code", "county", "county_code", "level", "year", "year_source",
                   "published", "issuer", "script")

#: Fields with one value per report that the facet sidebar and filters use.
FACET_FIELDS = ("province_code", "city_code", "county_code", "level", "year", "issuer")


class PolicyText(fields.TEXT):
    """A TEXT field that builds its postings straight from its analyzer's spans.

    Whoosh's generic path makes a Token object per token and goes through the format's
    ``word_values``; indexing spends much of its time there. This path asks the field's own
    analyzer for the same ``(text, start, end, prefix)`` spans its tokens are made from, so the
    terms and positions are identical to what the analyzer yields at query time, only cheaper.
    (Pickled with the schema: keep this class here, under this name.)
    """

    def index(self, value, **kwargs):
        if not isinstance(value, str) or not isinstance(self.format, formats.Positions):
            return super().index(value, **kwargs)
        # Position deltas per term, encoded as formats.Positions.encode does (count, then the
        # pickled deltas), without a second pass over each list.
        deltas, last = defaultdict(list), {}
        for pos, (text, _, _, _) in enumerate(self.analyzer.spans(value, normalize(value), "")):
            deltas[text].append(pos - last.get(text, 0))
            last[text] = pos
        boost = self.format.field_boost
        return [(w.encode("utf-8"), len(d), len(d) * boost, _pack_uint(len(d)) + dumps(d, 2))
                for w, d in deltas.items()]


def _facet_id() -> fields.ID:
    return fields.ID(stored=True, sortable=True)


def build_schema() -> fields.Schema:
    """Return a fresh schema; the opened index's own copy is what queries must use."""
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        path=fields.ID(stored=True, unique=True),
        sha256=fields.ID(stored=True),
        mtime=fields.STORED,
        size=fields.STORED,
        encoding=fields.STORED,
        title=PolicyText(analyzer=word_analyzer(), stored=True, field_boost=3.0, phrase=True),
        title_bigrams=PolicyText(analyzer=bigram_analyzer(), field_boost=2.0, phrase=True),
        display_title=fields.STORED,
        title_derived=fields.STORED,
        content=PolicyText(analyzer=word_analyzer(), stored=True, phrase=True),
        content_bigrams=PolicyText(analyzer=bigram_analyzer(), phrase=True),
        province=_facet_id(),
        province_code=_facet_id(),
        city=_facet_id(),
        city_code=_facet_id(),
        county=_facet_id(),
        county_code=_facet_id(),
        level=_facet_id(),
        year=fields.NUMERIC(int, bits=32, stored=True, sortable=True, signed=False),
        year_source=fields.STORED,
        published=_facet_id(),
        issuer=_facet_id(),
        script=_facet_id(),
        warnings=fields.STORED,
    )

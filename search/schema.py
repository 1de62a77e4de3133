"""The Whoosh schema: which fields a report has, how each is stored, sorted and searched.

The two text fields, ``content`` and ``title``, are searched through our own postings
(``search.postings``): jieba words and character bigrams as numpy arrays beside each segment,
which the segment writer (``indexer.segment_writer``) builds from ``search.analysis.analyze``,
the same function the matcher runs on queries. Their display text (in the report's original
script) is stored: the title by Whoosh, the report's text in the segment's own text file
(``search.text_store``, zstandard with a trained dictionary), which ``store.ReportSearcher``
puts back into the stored fields as ``content``. Facet fields are ``sortable`` (column
storage) so facet counts and sorting read columns, not stored documents.
"""
from __future__ import annotations

from whoosh import fields

from search.analysis import WordTokenizer, word_analyzer

#: Bump when fields change; an index with another version must be rebuilt.
SCHEMA_VERSION = 10         # 9: postings format 3; 10: content's text in search.text_store

#: Years a report can be about: what the year facet shows, filters accept and sidecars may set.
YEAR_RANGE = (1949, 2100)

#: Metadata fields every hit carries, in the order the CLI and the API show them.
METADATA_FIELDS = ("title", "display_title", "title_derived", "province", "province_code", "city",
                   "city_code", "county", "county_code", "level", "year", "year_source",
                   "published", "issuer", "doc_number", "script", "source_url")

#: Fields with one value per report that the facet sidebar and filters use.
FACET_FIELDS = ("province_code", "city_code", "county_code", "level", "year", "issuer")


class PolicyText(fields.STORED):
    """A text field that our postings index (see ``search.postings``), stored by Whoosh unless
    ``stored`` is False (the report's text: ``search.text_store`` keeps it).

    It carries its analyzer, as Whoosh fields do, so query words are cut by the object the index
    was built with. (Pickled with the schema: keep this class here, under this name.)
    """

    def __init__(self, analyzer: WordTokenizer, boost: float = 1.0, stored: bool = True):
        self.analyzer, self.boost, self.stored = analyzer, boost, stored


def _facet_id() -> fields.ID:
    return fields.ID(stored=True, sortable=True)


def build_schema() -> fields.Schema:
    """Return a fresh schema; the opened index's own copy is what queries must use."""
    return fields.Schema(
        id=fields.ID(stored=True, unique=True, sortable=True),   # column: docnum → group
        path=fields.ID(stored=True, unique=True),
        sha256=fields.ID(stored=True),
        mtime=fields.STORED,
        size=fields.STORED,
        encoding=fields.STORED,
        reader=fields.STORED,       # what read the file: kind, extractor, pages, ocr
        title=PolicyText(word_analyzer(), boost=3.0),
        display_title=fields.STORED,
        title_derived=fields.STORED,
        content=PolicyText(word_analyzer(), stored=False),     # search.text_store
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
        doc_number=fields.STORED,       # 发文字号; searched through the title's postings
        script=_facet_id(),
        warnings=fields.STORED,
        top_words=fields.STORED,          # search.similar.top_words, for similar reports
        source_url=fields.STORED,     # the original web page, when the saved file names it
        sections=fields.ID(stored=True, sortable=True),    # search.section_index's spans
    )           # (copy sketches live in the build's sketches.npy: indexer.copies)

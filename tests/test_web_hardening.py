"""Web defects found by a hostile test: broken Host headers, repeated filters, dead facet links,
settings that were ignored or failed late. Each test failed before its fix."""
from __future__ import annotations

import re
import time
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.build import build_index
from search.settings import SettingsError
from web import create_app


@pytest.fixture(scope="module")
def odd_index(tmp_path_factory):
    """The samples plus a report with no year and no region (its facets are "未识别")."""
    import shutil

    from conftest import SAMPLE_DIR

    folder = tmp_path_factory.mktemp("odd") / "reports"
    shutil.copytree(SAMPLE_DIR, folder)
    (folder / "unknown.txt").write_text("关于依法行政工作的情况说明\n我单位坚持依法行政，推进证照分离。",
                                        encoding="utf-8")
    index_dir = tmp_path_factory.mktemp("odd-index")
    assert build_index([folder], index_dir, jobs=1).added == 6
    return index_dir


@pytest.fixture()
def client(odd_index):
    return create_app({"index_dir": odd_index}).test_client()


# --- item 5: the Host header ------------------------------------------------------------------

@pytest.mark.parametrize("host", [".", "..", "a b", "exa mple.com", "[::1", "\x7f", "a" * 300])
@pytest.mark.parametrize("path", ["/", "/?q=复议", "/report/0123456789abcdef", "/nope",
                                  "/export.csv", "/api/search?q=x"])
def test_a_malformed_host_header_gets_a_400_page_never_a_500(client, host, path):
    response = client.get(path, headers={"Host": host})
    body = response.get_data(as_text=True)
    assert response.status_code < 500, body[:300]
    if host in (".", ".."):                                   # Werkzeug's BadHost
        assert response.status_code == 400 and "请求的主机名（Host 头）无效" in body
    assert "Traceback" not in body and "服务器内部错误" not in body


def test_the_csv_never_links_to_the_clients_host(odd_index):
    client = create_app({"index_dir": odd_index}).test_client()
    body = client.get("/export.csv?q=", headers={"Host": "evil.com"}).get_data(as_text=True)
    assert "evil.com" not in body and ",/report/" in body
    public = create_app({"index_dir": odd_index, "public_url": "https://fz.example.org/"})
    body = public.test_client().get("/export.csv?q=",
                                    headers={"Host": "evil.com"}).get_data(as_text=True)
    assert "evil.com" not in body and ",https://fz.example.org/report/" in body


#: What a header value can hold on the wire (HTTP ends a header at a line break).
HEADER_TEXT = st.text(st.characters(blacklist_characters="\r\n"), max_size=40)


@settings(max_examples=300, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(host=HEADER_TEXT, path=st.sampled_from(["/", "/?q=复议", "/api/stats", "/x"]),
       agent=HEADER_TEXT, lang=HEADER_TEXT)
def test_fuzzed_request_headers_never_give_a_500(client, host, path, agent, lang):
    headers = {"Host": host.encode("utf-8", "replace").decode("latin-1"),
               "User-Agent": agent.encode("utf-8", "replace").decode("latin-1"),
               "Accept-Language": lang.encode("utf-8", "replace").decode("latin-1")}
    assert client.get(path, headers=headers).status_code < 500


# --- item 6: repeated filters -----------------------------------------------------------------

@pytest.mark.parametrize("name, values", [
    ("year", [str(1949 + i) for i in range(2000)]), ("province", [f"p{i}" for i in range(2000)]),
    ("issuer", [f"机关{i}" for i in range(2000)]), ("county", [str(i) for i in range(2000)])])
def test_two_thousand_values_of_one_filter_are_refused_at_once(client, name, values):
    query = "&".join(f"{name}={v}" for v in values)
    started = time.perf_counter()
    page = client.get("/?" + query)
    seconds = time.perf_counter() - started
    assert page.status_code == 400 and len(page.data) < 100_000
    assert "最多可同时选择 50 项，本次请求选择了 2000 项" in page.get_data(as_text=True)
    assert seconds < 5                                       # was 20 s and a 58 MB page


def test_selected_values_grow_the_page_linearly(odd_index):
    client = create_app({"index_dir": odd_index, "max_filter_values": 800}).test_client()

    def size(n):
        page = client.get("/?" + "&".join(f"issuer=机关{i}" for i in range(n)))
        assert page.status_code == 200
        return len(page.data)
    s100, s200, s400 = size(100), size(200), size(400)
    # Linear: doubling the values doubles the growth (a quadratic page would grow 3× faster).
    assert (s400 - s200) < 2.5 * (s200 - s100), (s100, s200, s400)


@settings(max_examples=100, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pairs=st.lists(st.tuples(
    st.sampled_from(["q", "province", "city", "county", "level", "year", "year_from",
                     "year_to", "issuer", "sort", "page", "page_size"]),
    st.text(max_size=12) | st.integers(-5, 3000).map(str) | st.sampled_from(["none", "山西"])),
    max_size=60))
def test_fuzzed_repeated_parameters_never_give_a_500(client, pairs):
    from urllib.parse import urlencode

    query = urlencode([(n, v.encode("utf-8", "replace").decode("utf-8")) for n, v in pairs])
    for path in ("/", "/api/search", "/export.csv"):
        assert client.get(f"{path}?{query}").status_code in (200, 400)


# --- item 11: every link the page shows works -------------------------------------------------

class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def links_of(body: str, base: str) -> list[str]:
    parser = _Links()
    parser.feed(body)
    out = []
    for href in parser.hrefs:
        url = urljoin("http://localhost" + base, href)
        parts = urlsplit(url)
        if parts.netloc == "localhost" and parts.scheme == "http":
            out.append(parts.path + ("?" + parts.query if parts.query else ""))
    return out


@pytest.mark.parametrize("start", ["/", "/?q=依法行政", "/?q=证照分离&level=none",
                                   "/?year=none", "/?province=山西&q=复议", "/?q=不存在的词"])
def test_every_link_of_a_page_and_of_the_pages_it_links_works(client, start):
    seen, frontier = set(), [start]
    for depth in range(2):
        following = []
        for url in frontier:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            if response.mimetype == "text/html":
                following += [u for u in links_of(response.get_data(as_text=True), url)
                              if u not in seen]
            seen.add(url)
        frontier = list(dict.fromkeys(following))[:80]
    if "不存在" not in start:
        assert any("none" in u for u in seen), "the unknown facet entries were followed"


def test_unknown_year_and_level_select_the_report_without_them(client):
    data = client.get("/api/search?year=none").get_json()
    assert [h["path"].rsplit("/", 1)[-1] for h in data["hits"]] == ["unknown.txt"]
    data = client.get("/api/search?level=none").get_json()
    assert "unknown.txt" in [h["path"].rsplit("/", 1)[-1] for h in data["hits"]]


# --- item 13: settings read once, checked at start-up, app config wins ------------------------

def test_app_config_wins_over_the_environment(odd_index, monkeypatch):
    monkeypatch.setenv("POLICY_MAX_PAGE_SIZE", "50")
    client = create_app({"index_dir": odd_index, "max_page_size": 2}).test_client()
    assert client.get("/api/search?page_size=2").status_code == 200
    response = client.get("/api/search?page_size=3")
    assert response.status_code == 400 and "between 1 and 2" in response.get_json()["message"]


@pytest.mark.parametrize("var, value", [("POLICY_PAGE_SIZE", "ten"), ("POLICY_PAGE_SIZE", "0"),
                                        ("POLICY_MAX_PAGE", "-1"), ("POLICY_FACET_SIZE", "1.5")])
def test_a_bad_setting_fails_at_start_up_with_its_name(odd_index, monkeypatch, var, value):
    monkeypatch.setenv(var, value)
    with pytest.raises(SettingsError, match=re.escape(f"{var}={value!r} is not a whole number")):
        create_app({"index_dir": odd_index})


def test_a_bad_setting_stops_the_cli_with_its_name(odd_index, monkeypatch):
    from click.testing import CliRunner

    from web.cli import cli

    monkeypatch.setenv("POLICY_PAGE_SIZE", "ten")
    result = CliRunner().invoke(cli, ["search", "复议", "--index-dir", str(odd_index)])
    assert result.exit_code == 1
    assert "POLICY_PAGE_SIZE='ten' is not a whole number of at least 1" in result.output


# --- item 7: a report view never segments the whole report ----------------------------------

def test_a_huge_report_page_does_no_jieba_work_on_its_text(tmp_path, monkeypatch):
    from conftest import sample
    from search import analysis

    folder = tmp_path / "big"
    folder.mkdir()
    body = sample("003").read_text(encoding="utf-8")
    (folder / "huge.txt").write_text(body + "\n" + "\n".join([body.split("\n", 1)[1]] * 60),
                                     encoding="utf-8")
    for prefix in ("000", "001", "004"):
        (folder / sample(prefix).name).write_text(sample(prefix).read_text(encoding="utf-8"),
                                                  encoding="utf-8")
    index_dir = tmp_path / "index"
    build_index([folder], index_dir, jobs=1)
    client = create_app({"index_dir": index_dir}).test_client()
    [hit] = [h for h in client.get("/api/search?q=&page_size=10").get_json()["hits"]
             if h["path"].endswith("huge.txt")]
    cut = []
    real = analysis.jieba_tokenizer

    class Counting:
        def __init__(self, tokenizer):
            self.tokenizer = tokenizer

        def cut(self, text, *args, **kwargs):
            cut.append(len(text))
            return self.tokenizer.cut(text, *args, **kwargs)
    monkeypatch.setattr(analysis, "jieba_tokenizer", lambda: Counting(real()))
    page = client.get(f"/report/{hit['id']}?q=行政复议")
    assert page.status_code == 200 and "相似" in page.get_data(as_text=True)
    assert len(client.get(f"/api/report/{hit['id']}").get_json()["content"]) > 400_000  # 1.2 MB
    assert client.get(f"/api/report/{hit['id']}").get_json()["similar"]
    assert max(cut, default=0) < 100                # the query's words only, never the text

"""Hostile input against the web app: markup in reports and URLs, path traversal, huge parameters.

The reports here carry script payloads in their title lines, their text and a ``NAME.meta.json``
sidecar. They are checked three ways: the raw HTML from the Flask test client never holds an
unescaped payload; real Chromium (Playwright, against waitress) shows the payload as text and
runs none of it, once with the Content-Security-Policy in force and once with it bypassed, so
escaping alone is shown to hold; and every error status still carries the security headers.
"""
from __future__ import annotations

import html
import http.client
import json
import shutil
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from markupsafe import escape

from conftest import sample
from web_fixtures import browser  # noqa: F401 - fixture

FILL = "甲市坚持依法行政，推进跨站脚本测试工作，营商环境持续优化。"
SUFFIX = " - 法治政府建设报告检索"

#: Title line of each report. A line holding ">" is taken for a breadcrumb
#: (indexer/metadata.py ``_CHROME``), so these payloads do without it: an unescaped
#: ``<img … title=`` would still open a tag that the template's next ">" closes.
TITLE_LINES = {
    "01_script": "javascript:window.__xss=4甲市2023年度法治政府建设情况报告",
    "02_img": "<img src=x onerror=window.__xss=2 title=乙市2023年度法治政府建设情况报告",
    "03_template": "{{7*7}}丙市2022年度法治政府建设情况报告",
    "04_sidecar": "丁市2024年度法治政府建设情况报告",
}
#: The sidecar of 04_sidecar overrides its title and issuer.
SIDECAR = {"title": "</title><script>window.__xss=1</script>丁市2024年度法治政府建设情况报告",
           "issuer": '"><svg onload=window.__xss=3>司法局'}
TITLES = {**TITLE_LINES, "04_sidecar": SIDECAR["title"]}
#: Payloads inside the text of each report, one sentence each.
BODY_PAYLOADS = {
    "01_script": ["<script>window.__xss=1</script>", "</textarea><script>window.__xss=5</script>"],
    "02_img": ['<img src=x onerror="window.__xss=2">', '"><svg onload=window.__xss=3>'],
    "03_template": ["{{7*7}}", "${7*7}", "<img src=x onerror=alert(1)>"],
    "04_sidecar": ["<script>alert(2)</script>", "javascript:window.__xss=4"],
}
#: Everything that would be live markup if it reached the page unescaped.
MARKUP = sorted({p for ps in BODY_PAYLOADS.values() for p in ps if "<" in p or '"' in p}
                | {TITLES["02_img"], SIDECAR["title"], SIDECAR["issuer"]})
#: Pages listing payload reports.
LISTINGS = ["/?q=正文载荷", "/?q=window", "/?q=xss", "/?q=script", "/?q=跨站脚本测试&sort=year",
            "/?page_size=100"]

SECURITY = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
            "Referrer-Policy": "same-origin"}
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")

#: What no page may contain when payloads were escaped (the one script is /static/app.js).
INJECTED_DOM = """() => ({
    scripts: [...document.scripts].map(s => new URL(s.src || 'inline:', location).pathname),
    live: document.querySelectorAll('img, svg, iframe, object, embed, textarea, '
                                    + '[onerror], [onload], a[href^="javascript:"]').length,
    xss: typeof window.__xss,
})"""


def write_corpus(folder: Path) -> None:
    """Write the four hostile reports, the sidecar, and one real sample report."""
    for name, title in TITLE_LINES.items():
        body = "".join(f"2023年，{FILL}正文载荷{p}在此。\n" for p in BODY_PAYLOADS[name])
        (folder / f"{name}.txt").write_text(title + "\n" + body, encoding="utf-8")
    (folder / "04_sidecar.meta.json").write_text(json.dumps(SIDECAR, ensure_ascii=False),
                                                  encoding="utf-8")
    shutil.copy(sample("000"), folder)


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    from indexer.build import build_index
    from web import create_app

    corpus = tmp_path_factory.mktemp("hostile-corpus")
    write_corpus(corpus)
    index_dir = tmp_path_factory.mktemp("hostile-index")
    report = build_index([corpus], index_dir, jobs=1)
    assert (report.added, report.skipped) == (5, [])
    return create_app({"TESTING": True, "index_dir": index_dir})


@pytest.fixture()
def client(hostile_app):
    return hostile_app.test_client()


@pytest.fixture(scope="module")
def ids(hostile_app) -> dict[str, str]:
    """Map report names (01_script …, and 000 for the sample) to report ids."""
    hits = hostile_app.test_client().get("/api/search?page_size=100").get_json()["hits"]
    stems = {Path(hit["path"]).stem: hit["id"] for hit in hits}
    return {("000" if stem.startswith("000_") else stem): rid for stem, rid in stems.items()}


@pytest.fixture(scope="module")
def live(hostile_app):
    """The hostile app served by waitress on a free loopback port."""
    from web.serve import start_server

    server = start_server(hostile_app)
    yield server
    server.close()


def raw_get(base_url: str, target: str) -> tuple[int, dict, str]:
    """Send ``target`` as it is (no ``..`` folding); return status, headers and body."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("GET", target)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode("utf-8",
                                                                                     "replace")
    finally:
        connection.close()


def assert_security_headers(headers) -> None:
    """Check the four security headers (names in any case: Werkzeug, http.client, Playwright)."""
    headers = {name.lower(): value for name, value in dict(headers).items()}
    assert headers["content-security-policy"] == CSP
    for name, value in SECURITY.items():
        assert headers[name.lower()] == value


def is_markup(payload: str) -> bool:
    """True for a payload that would be live HTML unescaped (not {{7*7}} or javascript: text)."""
    return "<" in payload or '"' in payload


# --------------------------------------------------------------------------------------------
# Payloads in reports: the raw HTML

def test_payloads_reach_the_index_verbatim(client, ids):
    data = client.get("/api/search?q=跨站脚本测试&page_size=100").get_json()
    assert {Path(h["path"]).stem: h["display_title"] for h in data["hits"]} == TITLES
    assert sorted(ids) == ["000", "01_script", "02_img", "03_template", "04_sidecar"]
    report = client.get(f"/api/report/{ids['04_sidecar']}").get_json()
    assert (report["title"], report["issuer"]) == (SIDECAR["title"], SIDECAR["issuer"])
    assert all(p in report["content"] for p in BODY_PAYLOADS["04_sidecar"])


@pytest.mark.parametrize("url, hits", list(zip(LISTINGS, [4, 3, 3, 2, 4, 5])))
def test_search_page_escapes_document_payloads(client, url, hits):
    response = client.get(url)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    for payload in MARKUP:
        assert payload not in body, payload
    found = client.get(url.replace("/?", "/api/search?")).get_json()["hits"]
    assert len(found) == hits
    for hit in found:
        assert f">{escape(hit['display_title'])}</a>" in body, hit["display_title"]


def test_search_fragments_show_body_payloads_escaped(client):
    body = client.get("/?q=正文载荷&page_size=100").get_data(as_text=True)
    for name, payloads in BODY_PAYLOADS.items():
        for payload in payloads:
            assert f"<mark>正文载荷</mark>{html.escape(payload)}在此" in body, (name, payload)
    # a highlight inside a payload splits it, and both halves stay escaped
    body = client.get("/?q=window").get_data(as_text=True)
    assert "&lt;script&gt;<mark>window</mark>.__xss=1&lt;/script&gt;" in body


@pytest.mark.parametrize("name", sorted(BODY_PAYLOADS))
@pytest.mark.parametrize("query", ["", "?q=window", "?q=正文载荷", "?q=%3Cscript%3E"])
def test_report_page_escapes_document_payloads(client, ids, name, query):
    response = client.get(f"/report/{ids[name]}{query}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    for payload in MARKUP:
        assert payload not in body, payload
    assert f"<title>{escape(TITLES[name])}{SUFFIX}</title>" in body
    assert f"<h1>{escape(TITLES[name])}</h1>" in body
    if not query:
        for payload in BODY_PAYLOADS[name]:
            assert f"正文载荷{html.escape(payload)}在此" in body


def test_report_page_escapes_sidecar_issuer(client, ids):
    body = client.get(f"/report/{ids['04_sidecar']}").get_data(as_text=True)
    assert f"<tr><th scope=\"row\">发布机关</th><td>{escape(SIDECAR['issuer'])}</td></tr>" in body


def test_template_syntax_in_documents_is_not_evaluated(client, ids):
    body = client.get(f"/report/{ids['03_template']}").get_data(as_text=True)
    assert "<h1>{{7*7}}丙市2022年度法治政府建设情况报告</h1>" in body
    assert "<title>{{7*7}}丙市2022年度法治政府建设情况报告" + SUFFIX + "</title>" in body
    assert "正文载荷{{7*7}}在此" in body and "正文载荷${7*7}在此" in body
    body = client.get("/?q={{7*7}}").get_data(as_text=True)
    assert "<title>{{7*7}}" + SUFFIX + "</title>" in body


def test_api_and_csv_serve_payloads_as_inert_types(client, ids):
    response = client.get(f"/api/report/{ids['02_img']}")
    assert response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.get_json()["title"] == TITLES["02_img"]
    response = client.get("/export.csv?q=跨站脚本测试")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="policy-reports.csv"'
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert SIDECAR["title"] in response.get_data(as_text=True)


# --------------------------------------------------------------------------------------------
# Payloads in the URL: the raw HTML

#: (URL, status, the payload the page must show escaped)
URL_PAYLOADS = [
    ("/?q=<script>window.__xss=1</script>", 200, "<script>window.__xss=1</script>"),
    ('/?q="><svg onload=window.__xss=3>', 400, '"><svg onload=window.__xss=3>'),
    ("/?q=</textarea><script>window.__xss=5</script>", 200,
     "</textarea><script>window.__xss=5</script>"),
    ("/?q=javascript:window.__xss=4", 400, "javascript:window.__xss=4"),
    ("/?q={{7*7}}", 200, "{{7*7}}"),
    ('/?q=正文载荷&issuer="><svg onload=window.__xss=3>', 200, '"><svg onload=window.__xss=3>'),
    ("/?q=正文载荷&issuer=<img src=x onerror=window.__xss=2>", 200,
     "<img src=x onerror=window.__xss=2>"),
    ("/?q=正文载荷&province=<script>window.__xss=1</script>", 400,
     "<script>window.__xss=1</script>"),
    ('/?q=正文载荷&province="><svg onload=window.__xss=3>', 400, '"><svg onload=window.__xss=3>'),
    ("/?q=正文载荷&sort=<script>window.__xss=1</script>", 400, "<script>window.__xss=1</script>"),
    ('/?sort="><svg onload=window.__xss=3>', 400, '"><svg onload=window.__xss=3>'),
    ("/?year=<img src=x onerror=window.__xss=2>", 400, "<img src=x onerror=window.__xss=2>"),
    ("/?city=<script>window.__xss=1</script>&province=山西", 400,
     "<script>window.__xss=1</script>"),
    ("/export.csv?province=<script>window.__xss=1</script>", 400,
     "<script>window.__xss=1</script>"),
]


@pytest.mark.parametrize("url, status, payload", URL_PAYLOADS)
def test_url_payloads_are_escaped_in_raw_html(client, url, status, payload):
    response = client.get(url)
    assert (response.status_code, response.mimetype) == (status, "text/html")
    body = response.get_data(as_text=True)
    if is_markup(payload):
        assert payload not in body
    assert str(escape(payload)) in body
    assert_security_headers(response.headers)


@pytest.mark.parametrize("name", sorted(BODY_PAYLOADS))
def test_report_page_escapes_query_payloads(client, ids, name):
    payload = '"><svg onload=window.__xss=3><script>window.__xss=1</script>'
    response = client.get(f"/report/{ids[name]}?q={quote(payload)}&issuer={quote(payload)}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert payload not in body
    assert f'name="q" value="{escape(payload)}"' in body
    assert f'name="issuer" value="{escape(payload)}"' in body


# --------------------------------------------------------------------------------------------
# Path traversal through report ids, static files and export parameters

TRAVERSALS = [
    ("/report/../../etc/passwd", 404), ("/report/%2e%2e%2fetc", 404),
    ("/report/..%2f..%2fetc%2fpasswd", 404), ("/report/%252e%252e%252fetc", 404),
    ("/api/report/..%2f..%2f", 404), ("/api/report/../../etc/passwd", 404),
    ("/static/../setup.cfg", 404), ("/static/%2e%2e/setup.cfg", 404),
    ("/static/..%2fsetup.cfg", 404), ("/static/%2e%2e%2fsetup.cfg", 404),
    ("/static/.%2e/setup.cfg", 404), ("/static/..%5csetup.cfg", 404),
    ("/static/../../../../etc/passwd", 404), ("/static/style.css/..%2f..%2fsetup.cfg", 404),
    ("/static/favicon.svg%00.css", 404), ("/../../../../etc/passwd", 404),
    ("/%2e%2e/%2e%2e/etc/passwd", 404),
    ("/export.csv?q=营商环境&province=../../x", 400),
    ("/export.csv?q=营商环境&city=..%2f..%2fetc%2fpasswd", 400),
    ("/export.csv?q=营商环境&level=/etc/passwd", 400),
]
#: Report ids that are almost right: {id} is a real one, {id15} its first 15 digits.
BAD_IDS = ["{id}0", "{id15}", "{id15}g", "{ID}", "{id}%00", "%00{id}", "{id}%0a", "{id}%20",
           "{id}.txt", "{id}/..", "0x{id}", "{id}/"]


def bad_id(template: str, rid: str) -> str:
    return (template.replace("{id15}", rid[:15]).replace("{id}", rid)
            .replace("{ID}", rid.upper()))


@pytest.mark.parametrize("target, status", TRAVERSALS)
def test_traversal_fails_cleanly_in_the_app(client, target, status):
    with client.get(target) as response:
        body = response.get_data(as_text=True)
        assert response.status_code == status, body[:300]
        assert "[metadata]" not in body and "root:" not in body
        assert_security_headers(response.headers)


@pytest.mark.parametrize("target, status", TRAVERSALS)
def test_traversal_fails_cleanly_on_the_real_server(live, target, status):
    got, headers, body = raw_get(live.url, quote(target, safe="/%?&=.:"))
    assert got == status, body[:300]
    assert "[metadata]" not in body and "root:" not in body
    assert_security_headers(headers)


@pytest.mark.parametrize("template", BAD_IDS)
@pytest.mark.parametrize("prefix", ["/report/", "/api/report/"])
def test_almost_valid_report_ids_are_404(client, live, ids, prefix, template):
    assert ids["000"] != ids["000"].upper()
    target = prefix + bad_id(template, ids["000"])
    assert client.get(target).status_code == 404
    status, headers, body = raw_get(live.url, target)
    assert status == 404
    assert "找不到页面" in body
    assert_security_headers(headers)


def test_the_exact_id_is_found_on_both(client, live, ids):
    target = "/api/report/" + ids["000"]
    assert client.get(target).get_json()["id"] == ids["000"]
    status, _, body = raw_get(live.url, target)
    assert status == 200 and json.loads(body)["id"] == ids["000"]


@pytest.mark.parametrize("target", ["/static//etc/passwd", "/static/%2fetc%2fpasswd",
                                    "/static///evil.example/x"])
def test_doubled_slashes_redirect_only_within_this_server(live, target):
    status, headers, _ = raw_get(live.url, target)
    assert status == 308
    location = headers["Location"]
    assert location.startswith(live.url + "/static/")
    status, _, body = raw_get(live.url, location[len(live.url):])
    assert status == 404 and "root:" not in body


# --------------------------------------------------------------------------------------------
# Oversized and out-of-range parameters

OVERSIZED = [
    ("q=" + "行" * 201, "The query is 201 characters long; the limit is 200."),
    ("q=" + "a" * 10_000, "The query is 10000 characters long; the limit is 200."),
    ("page=0", "Page must be between 1 and 1000, not 0."),
    ("page=-1", "Page must be between 1 and 1000, not -1."),
    ("page=1001", "Page must be between 1 and 1000, not 1001."),
    ("page=99999999999999999999", "Page must be between 1 and 1000, not 99999999999999999999."),
    ("page=abc", "page must be a whole number, not “abc”."),
    ("page=2", "Page 2 is past the last page (1)."),
    ("page_size=0", "Page size must be between 1 and 100, not 0."),
    ("page_size=101", "Page size must be between 1 and 100, not 101."),
    ("page_size=abc", "page_size must be a whole number, not “abc”."),
    ("year=abc", "year must be a year such as 2023, not “abc”."),
    ("year=99999999999999999999", "year must be between 1949 and 2100"),
    ("year_from=2024&year_to=2022", "year_from (2024) is after year_to (2022); swap them."),
    ("&".join(f"province=p{i}" for i in range(100)), "省份最多可同时选择 50 项，本次请求选择了 100 项"),
    ("&".join(f"province=p{i}" for i in range(50)), "Unknown province “p0”"),
    ("&".join(f"year={1949 + i}" for i in range(2000)), "年份最多可同时选择 50 项，本次请求选择了 2000 项"),
    ("q=" + "%E8%A1%8C" * 2300, "The query is 2300 characters long; the limit is 200."),
    ("q=" + "(" * 40 + "a" + ")" * 40, "Too many nested parentheses (at most 8)."),
    ("q=" + "%20".join(["a"] * 17), "The query has 17 terms; the limit is 16."),
]


@pytest.mark.parametrize("args, message", OVERSIZED)
def test_oversized_parameters_are_a_400_with_a_message(client, args, message):
    response = client.get("/api/search?" + args)
    assert response.status_code == 400
    data = response.get_json()
    assert data["status"] == 400 and data["error"] in ("参数有误", "查询语句有误")
    assert message in data["message"]
    response = client.get("/?" + args)
    assert response.status_code == 400
    assert html.escape(message, quote=False) in response.get_data(as_text=True)
    assert_security_headers(response.headers)


def test_a_20_kb_query_string_is_a_400_on_the_real_server(live):
    target = "/api/search?q=" + "%E8%A1%8C" * 2300
    assert len(target) > 20_000
    status, headers, body = raw_get(live.url, target)
    assert status == 400
    assert json.loads(body)["message"].startswith(
        "The query is 2300 characters long; the limit is 200.")
    assert_security_headers(headers)


def test_a_repeated_province_counts_once(client):
    """A hundred copies of one valid province is not an error: it is the same filter."""
    once = client.get("/api/search?province=山西").get_json()
    response = client.get("/api/search?" + "&".join(["province=山西"] * 100))
    assert response.status_code == 200
    many = response.get_json()
    assert (many["total"], [h["id"] for h in many["hits"]]) == (
        once["total"], [h["id"] for h in once["hits"]])
    assert once["total"] == 1


@pytest.mark.parametrize("args", ["page=0", "page=-1", "page=1001", "page_size=101"])
def test_export_rejects_out_of_range_paging_like_the_api(client, args):
    assert client.get("/api/search?" + args).status_code == 400
    response = client.get("/export.csv?" + args)
    assert response.status_code == 400


# --------------------------------------------------------------------------------------------
# Security headers on every status

def test_security_headers_on_200_400_404_500_and_503(client, ids, monkeypatch, tmp_path):
    from search import engine
    from web import create_app

    for url, status in ((f"/report/{ids['000']}", 200), ("/api/search?q=((", 400),
                        ("/?page=0", 400), ("/report/zzz", 404), ("/api/report/zzz", 404),
                        ("/export.csv?year=x", 400), ("/static/nothing.css", 404)):
        with client.get(url) as response:
            assert response.status_code == status, url
            assert_security_headers(response.headers)

    missing = create_app({"index_dir": tmp_path / "none"}).test_client()
    for url in ("/", "/api/search"):
        response = missing.get(url)
        assert response.status_code == 503
        assert_security_headers(response.headers)

    def boom(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(engine, "search", boom)
    monkeypatch.setattr(engine, "export", boom)
    for url in ("/?q=营商环境", "/api/search?q=营商环境", "/export.csv"):
        response = client.get(url)
        assert response.status_code == 500, url
        assert "secret" not in response.get_data(as_text=True)
        assert_security_headers(response.headers)


def test_security_headers_on_every_status_from_waitress(live, ids, monkeypatch):
    from search import engine

    for target, status in ((f"/report/{ids['000']}", 200), ("/api/search?page=0", 400),
                           ("/?q=((", 400), ("/nothing", 404), ("/static/app.js", 200)):
        got, headers, _ = raw_get(live.url, target)
        assert got == status, target
        assert_security_headers(headers)

    def boom(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(engine, "search", boom)
    got, headers, body = raw_get(live.url, "/api/search?q=" + quote("营商环境"))
    assert (got, json.loads(body)["error"]) == (500, "服务器内部错误")
    assert_security_headers(headers)


# --------------------------------------------------------------------------------------------
# The real browser

@pytest.fixture(params=["csp", "bypass-csp"])
def page(request, browser):
    """A page that records dialogs and console errors; ``bypass-csp`` leaves only escaping."""
    context = browser.new_context(bypass_csp=request.param == "bypass-csp", locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.dialogs, page.console_errors = [], []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(
        f"{msg.text} @ {urlsplit(msg.location.get('url', '')).path}"))
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    yield page
    context.close()


def visit(page, url: str, status: int = 200):
    """Open ``url``; check its status, headers, and that nothing injected exists or ran."""
    response = page.goto(url)
    assert response.status == status, url
    assert_security_headers(response.all_headers())
    found = page.evaluate(INJECTED_DOM)
    assert found == {"scripts": ["/static/app.js"], "live": 0, "xss": "undefined"}, url
    assert (page.dialogs, console_errors(page, status)) == ([], []), url
    return response


def console_errors(page, status: int) -> list[str]:
    """Console errors, less Chromium's notes that the document itself had an error status and
    that a JSON document has no /favicon.ico (HTML pages name /static/favicon.svg)."""
    failed = "Failed to load resource: the server responded with a status of "
    expected = (f"{failed}{status} ", f"{failed}404 (NOT FOUND) @ /favicon.ico")
    errors = [e for e in page.console_errors
              if not (status >= 400 and e.startswith(expected[0])) and e != expected[1]]
    page.console_errors.clear()
    return errors


@pytest.mark.slow
@pytest.mark.browser
def test_document_payloads_stay_text_in_the_browser(page, live, ids):
    visit(page, live.url + "/?q=正文载荷&page_size=100")
    shown = page.locator(".hit-title a").all_inner_texts()
    assert sorted(shown) == sorted(TITLES.values())
    fragments = "\n".join(page.locator(".hit .fragment").all_inner_texts())
    for payloads in BODY_PAYLOADS.values():
        for payload in payloads:
            assert f"正文载荷{payload}在此" in fragments, payload
    meta = page.locator(".hit-meta").all_inner_texts()[shown.index(SIDECAR["title"])]
    assert meta.startswith(f"2024年 · {SIDECAR['issuer']}")

    visit(page, live.url + "/?q=window")
    assert set(page.locator(".fragment mark").all_inner_texts()) == {"window"}
    assert "正文载荷<script>window.__xss=1</script>在此" in "\n".join(
        page.locator(".fragment").all_inner_texts())

    for name, title in TITLES.items():
        visit(page, f"{live.url}/report/{ids[name]}?q=正文载荷")
        assert page.title() == title + SUFFIX
        assert page.locator("h1").inner_text() == title
        text = page.locator(".fulltext").inner_text()
        for payload in BODY_PAYLOADS[name]:
            assert f"正文载荷{payload}在此" in text, payload
        assert page.locator("mark#first-hit").inner_text() == "正文载荷"
        assert page.locator(".similar li a").count() >= 1
    meta = page.locator(".report-side .meta").inner_text()        # the last one: 04_sidecar
    assert f"发布机关\t{SIDECAR['issuer']}" in meta
    assert f"标题\t{SIDECAR['title']}" in meta


@pytest.mark.slow
@pytest.mark.browser
def test_url_payloads_stay_text_in_the_browser(page, live, ids):
    for url, status, payload in URL_PAYLOADS:
        if url.startswith("/export.csv"):
            continue                                    # a download, not a page
        visit(page, live.url + url, status)
        q = parse_qs(urlsplit(url).query).get("q", [""])[0]
        assert page.locator(".search-input").input_value() == q, url
        if payload != q:
            assert payload in page.locator("main").inner_text(), url

    issuer = SIDECAR["issuer"]                     # the issuer filter finds its report
    visit(page, live.url + "/?q=正文载荷&issuer=" + quote(issuer))
    assert page.locator(".hit-title a").all_inner_texts() == [SIDECAR["title"]]
    assert page.locator(".chip").inner_text().startswith(f"发布机关：{issuer}")
    assert page.locator('.search-form input[name="issuer"]').input_value() == issuer
    issuer = '"><svg onload=window.__xss=3>'       # and one that finds nothing
    visit(page, live.url + "/?q=正文载荷&issuer=" + quote(issuer))
    assert page.locator(".drops").inner_text().startswith(f"去掉发布机关（{issuer}）")

    payload = "<script>window.__xss=1</script>"
    visit(page, f"{live.url}/report/{ids['01_script']}?q={quote(payload)}")
    assert page.locator(".search-input").input_value() == payload
    # The payload is in the report's text: it is found and marked there, as text.
    assert page.locator(".match-info").inner_text().startswith(f"“{payload}”在正文中有 1 处匹配")
    # Marked from its first to its last word character, the punctuation between included.
    assert page.locator("mark#first-hit").inner_text() == "script>window.__xss=1</script"


#: JSON pages opened as documents: (URL, status)
JSON_PAGES = [("/api/search?q=正文载荷&page_size=100", 200),
              ("/api/search?q=" + quote("<script>window.__xss=1</script>"), 200),
              ("/api/search?province=" + quote('"><svg onload=window.__xss=3>'), 400)]


@pytest.mark.slow
@pytest.mark.browser
def test_json_pages_stay_inert_in_the_browser(page, live, ids):
    pages = JSON_PAGES + [(f"/api/report/{ids[name]}", 200) for name in TITLES]
    for url, status in pages:
        response = page.goto(live.url + url)
        assert response.status == status, url
        assert response.headers["content-type"] == "application/json"
        assert_security_headers(response.all_headers())
        assert page.evaluate("typeof window.__xss") == "undefined"
        assert page.evaluate("document.querySelectorAll('script, img, svg').length") == 0
        assert (page.dialogs, console_errors(page, status)) == ([], [])
        data = json.loads(page.locator("pre").first.inner_text())
        if url.startswith("/api/report/"):
            assert data["display_title"] == TITLES[next(n for n in TITLES if ids[n] in url)]
    assert data["issuer"] == SIDECAR["issuer"]              # the last one: 04_sidecar

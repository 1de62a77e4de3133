"""The body a report's title or opening sentence names as its issuer: pure.

``title_body`` reads the body before a title's year or topic (山西省行政审批服务管理局 of
``山西省行政审批服务管理局2023年…报告``); ``opening_body`` the body the opening sentence makes its
subject (2023年,伊春市营商环境建设监督局按照… → …局), co-issuers joined by 、 included
(某开发区党工委、管委会在…); ``opening_place`` a bare place standing as the subject (2021年,广东坚持…).
``indexer.issuer`` turns them into a region; ``indexer.titles`` finds the title and opening.
"""
from __future__ import annotations

import re

from search import regions
from search.analysis import normalize

# A verb between the body and the year ends the body: 湖南省人民政府公布2017年度… (a mirror's headline).
_BODY_STOP = re.compile(r"关于|(?:公布|发布|印发)(?=\s*(?:19|20)\d{2})|(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4}年"
                        r"|法治|法制|依法行政|年度")
_TITLE_LEAD = re.compile(r"^(?:关于)?[《“]?(?:(?:(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4})\s*年度?)?")
_LEAD = re.compile(r"^(?:(?:19|20)\d{2}\s*年度?(?:以来|全年|上半年)?|今年以来|一年来|近年来|本年度|全年)?"
                   r"[\s,]*(?:(?:我|本)(?=[省市区县州盟旗局委办厅院]))?")   # 本市…, never 本溪市
_SKIP_CLAUSE = re.compile(r"^(?:在|按照|根据|为|随着|自|围绕|坚持|紧紧|深入|是|贯彻|落实|认真|会同(?!县))")   # 会同区检察院…: "together with" (会同县 is a place)
_ORG = r"人民政府|政府|委员会|管委会|办公室|局|厅|委|办|院|中心|署|部|队|站|所|处"
_PREDICATE = (r"按照|按|以|坚持|认真|始终|一直|在|深入|紧紧|紧扣|紧盯|全面|围绕|聚焦|高度|积极|持续|"
              r"立足|严格|扎实|贯彻|切实|进一步|牢固|不断|着力|全力|主动|根据|结合|强化|大力|继续|把|将|"
              r"共|锚定|坚定|于|全年|努力|统筹|落实|依法|自觉|对照|通过|为|秉持|注重|突出|加强|从|抓|"
              r"树牢|深化|充分|坚决|推进|党组|领导班子|聚力|各级")
# co-issuers joined by 、 (某开发区党工委、管委会在…) are one subject; 忻府区委、区政府 is the place's
# party and government (so is 巴州党委、政府), read as the place (``opening_place``)
_LEVEL_ONLY = r"[省市区县旗州盟]?(?:委|政府|人民政府)"
_CO_ISSUER = rf"(?:、(?!{_LEVEL_ONLY})[\u4e00-\u9fff]{{0,12}}?(?:{_ORG}))?"
# 全区各级人民政府坚持…: every government of the region, not one body (the place is read apart);
# 某局某县分局(以下简称“我局”)坚持…: the body's short name between it and its predicate.
_OPENING_BODY = re.compile(rf"^(?!全[省市区县州盟旗]各级)([\u4e00-\u9fff()（）]{{2,30}}?(?:{_ORG}){_CO_ISSUER})"
                           rf"(?=(?:[(（]以下简称[^)）]{{1,12}}[)）])?(?:{_PREDICATE}))")
_SUBJECT_END = re.compile(rf"(?=\(以下简称|（以下简称|{_PREDICATE}|政府|人民政府|区委|县委|市委|党委|"
                          r"法治政府建设|各部门|区、|县、|市、)")
_BODY_WORD = re.compile(r"[局委厅办府院部署会室站所队]|中心|政府|[省市区县州盟旗]$")


def simplified(text: str) -> str:
    """``normalize`` without lower-casing: the simplified-script text we show (XX市 stays XX市)."""
    return "".join(o if o.isascii() else n for o, n in zip(text, normalize(text)))


def title_body(title: str) -> str:
    """The body a title names before its year or topic: 山西省行政审批服务管理局, 忻府区, or ""."""
    norm = _TITLE_LEAD.sub("", simplified(title).strip(" 【】[]"))
    m = _BODY_STOP.search(norm)
    body = norm[: m.start()].strip(" 、:-—") if m else ""
    if title.lstrip(" 【[《“").startswith("关于") and not _BODY_WORD.search(body):
        return ""                  # 关于深入推进依法行政…: a topic, not a body
    return body if len(body) >= 2 else ""


def opening_body(opening: str) -> str:
    """The body the opening sentence makes its subject (2023年伊春市营商环境建设监督局按照… → …局)."""
    for clause in _clauses(opening):
        m = _OPENING_BODY.match(clause)
        if m:
            return m.group(1)
    return ""


def opening_place(opening: str) -> str:
    """A place the opening makes its subject without naming a body: 2021年,广东坚持… → 广东.

    Only a division name (full or short) or a functional zone standing first in a clause and
    followed by a predicate counts, so 在省委…领导下 or a place named in passing does not.
    """
    m = _REPORT_HERE.search(simplified(opening[:300]))
    if m:                    # 根据…要求,现将文山市2022年法治政府建设情况报告如下: the report's place
        found = regions.places_in(m.group(1))
        if found and found[0].start == 0:
            end = found[0].end       # the whole chain: 北京市石景山区人民政府 → 北京市石景山区
            for place in found[1:]:
                if place.start != end:
                    break
                end = place.end
            return m.group(1)[:end]
    for clause in _clauses(opening):
        m = _SUBJECT_END.search(clause, 2)
        head = clause[: m.start()] if m else ""
        head = _YEAR_AFTER.sub("", head)    # 洛浦县2022年法治政府建设工作坚持…: the place
        if not head or len(head) > 20:
            continue
        found = regions.places_in(head)
        if found and found[0].start == 0 and found[-1].end == len(head):
            return head
        if regions.find_zone(head):
            return head
        named = regions.find(head) if not found and 2 <= len(head) <= 4 else []
        if (len(named) == 1 and named[0].level == "county"
                and not clause.startswith(named[0].name)):      # (东湖区委: cut at its 区委)
            return named[0].name     # 2023年,邹城坚持…: one county's short name as the subject
    return ""


# 现将<place>[year]…报告如下: the place whose report follows.
_REPORT_HERE = re.compile(r"现将([\u4e00-\u9fff]{2,16}?)(?:(?:19|20)\d{2}年|年度|法治政府)"
                          r"[^。；;]{0,40}?报告如下")


_YEAR_AFTER = re.compile(r"(?<=[\u4e00-\u9fff])(?:19|20)\d{2}\s*年度?$")


def _clauses(opening: str) -> list[str]:
    out = []
    for clause in re.split(r"[，,；;。:]", simplified(opening), maxsplit=4)[:4]:
        clause = _LEAD.sub("", clause.strip(), count=1)
        if len(clause) >= 2 and not _SKIP_CLAUSE.match(clause):
            out.append(clause)
    return out


# A report delivered to a people's congress: (——)2021年4月30日在市某届人大常委会第某次会议上, then
# the body that delivers it on a line of its own (某某市人民政府).
_DELIVERED = re.compile(r"^[—\-－\s]*(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*)?"
                        r"在[^。，,；;]{2,40}?会议上\s*$")
_DELIVERER = re.compile(rf"^[\u4e00-\u9fff()（）]{{2,28}}?(?:{_ORG})$")
_DELIVERY_LINES = 12


def delivered_by(cleaned: str) -> str:
    """The body that delivers a report to a congress, named on the line under the 在…会议上 line.

    >>> delivered_by("2021年4月30日在市七届人大常委会第四十九次会议上\\n三亚市人民政府\\n2020年,我市…")
    '三亚市人民政府'
    """
    lines = [ln.strip() for ln in cleaned.split("\n", 40)[:40] if ln.strip()][:_DELIVERY_LINES]
    for line, below in zip(lines, lines[1:]):
        if _DELIVERED.match(normalize(line)):
            body = simplified(below)
            if _DELIVERER.match(body) and regions.places_in(body[:12]):
                return body
            return ""
    return ""


# The sentence that sends the report names its body: 现将郑东新区2025年度法治政府建设情况报告如下.
# (现将我局2021年度…, 现将我镇…: a pronoun names no body; the 来源 or the opening may.)
_SENDER = re.compile(r"现将(?:我[省市区县州旗乡镇])?(?![我本])([\u4e00-\u9fff]{2,20}?)(?:(?:19|20)\d{2}\s*年度?)"
                     r"(?:的)?(?:法治政府建设|依法行政|法治建设)[^。]{0,20}?(?:报告|汇报)如下")


def sending_body(opening: str) -> str:
    """The body the sending sentence names (现将某某新区2025年度…报告如下), or ""; a report whose
    opening says only 我区 names itself there.

    >>> sending_body("2025年,我区扎实推进法治政府建设,现将郑东新区2025年度法治政府建设情况报告如下:")
    '郑东新区'
    """
    m = _SENDER.search(normalize(opening))
    return simplified(opening[m.start(1):m.end(1)]) if m else ""

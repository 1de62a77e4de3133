"""Errors a user can fix, in two languages: English for the command line, Chinese for the web.

A front end shows ``str(exc)`` (English, naming the CLI's options such as ``--year-from``) or
``exc.zh`` (Chinese, naming what the web page shows, such as 起始年份). ``exc.code`` is a short
English identifier for the JSON API's ``error`` field. Where one correction is obvious (swap a
reversed year range, go to the last page) ``exc.fix`` holds it as parameters to set (None: drop),
so the web error page can offer the corrected search as a link.
"""
from __future__ import annotations


class UserError(ValueError):
    """A request a user can correct; the messages say what is wrong and what to do instead."""

    code = "bad_request"

    def __init__(self, message: str, zh: str | None = None, *, fix: dict | None = None,
                 code: str | None = None):
        super().__init__(message)
        self.zh = zh or message
        self.fix = dict(fix or {})
        if code:
            self.code = code


class Notice(str):
    """A warning about a result, in English (its text) with a Chinese version in ``zh``."""

    zh: str

    def __new__(cls, message: str, zh: str) -> "Notice":
        notice = super().__new__(cls, message)
        notice.zh = zh
        return notice

"""Month indices (0 = April 2009) and the feed texts of the periods that end in them."""

import calendar
import re

from .assumptions import FIRST_YEAR


def ymd(m):
    """Calendar (year, month) of month index m (0 = April 2009)."""
    return FIRST_YEAR + (m + 3) // 12, (m + 3) % 12 + 1


def period_text(periodicity, m):
    """The feed's text for the period of this periodicity that ends in month m."""
    y, mo = ymd(m)
    fy = FIRST_YEAR + m // 12
    if periodicity == "month":
        return f"{y}-{mo:02d}"
    if periodicity == "quarter":
        return f"{y}-Q{(mo - 1) // 3 + 1}"
    if periodicity == "financial_year":
        return f"{fy}/{(fy + 1) % 100:02d}"
    if periodicity == "financial_half_year":
        return f"{fy}/{(fy + 1) % 100:02d}-H{1 if mo == 9 else 2}"
    return f"{y}-{mo:02d}-{calendar.monthrange(y, mo)[1]:02d}"


def parse_period(text):
    """(periodicity, month index of the period's end) of a feed's period text."""
    if re.fullmatch(r"\d{4}-\d\d", text):
        y, mo = map(int, text.split("-"))
        return "month", (y - FIRST_YEAR) * 12 + mo - 4
    if re.fullmatch(r"\d{4}-Q[1-4]", text):
        return "quarter", (int(text[:4]) - FIRST_YEAR) * 12 + 3 * int(text[-1]) - 4
    if re.fullmatch(r"\d{4}/\d\d", text):
        return "financial_year", (int(text[:4]) - FIRST_YEAR) * 12 + 11
    if re.fullmatch(r"\d{4}/\d\d-H[12]", text):
        return "financial_half_year", (int(text[:4]) - FIRST_YEAR) * 12 + (5 if text[-1] == "1" else 11)
    y, mo, _ = map(int, text.split("-"))
    return "snapshot", (y - FIRST_YEAR) * 12 + mo - 4

"""The dashboard, its CSV and PDF, and the public statistics through the pages and commands."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from reunite.cli import app as cli
from reunite.db.engine import transaction
from reunite.web.deps import LANGUAGE_COOKIE
from reunite.wiring import default_sessions

from browsing import Site, audit_actions, make_site, text_of
from building import new_history

OTHERS = ("liaison_requesting", "liaison_custodial", "family", "adult", "auditor")


@pytest.fixture
def site(configured: str, tmp_path: Path) -> Site:
    site = make_site(tmp_path)
    world = site.world
    now = datetime.now(UTC)
    with transaction(default_sessions()) as session:
        history = new_history(
            session, requesting=world.requesting, custodial=world.custodial,
            user=world.users["caseworker"],
        )  # fmt: skip
        for hours_ago in (1, 5, 30, 24 * 10):
            case = history.case(
                ("in_transit", now - timedelta(hours=hours_ago + 2)),
                ("reunited", now - timedelta(hours=hours_ago)),
                opened=now - timedelta(days=60), last_known_place="Маріуполь", sex="F",
            )  # fmt: skip
            history.handover(case, now - timedelta(hours=hours_ago))
        history.confirmation(("confirmed", now - timedelta(days=1)))
    return site


def test_the_dashboard_shows_every_figure_with_its_chart_table_and_csv(site: Site) -> None:
    browser = site.browser("caseworker")
    page = browser.get("/dashboard?tz=Europe/Kyiv")
    assert page.status_code == 200, page.text
    html = page.text
    assert re.search(r'id="figure-reunited-24h">2<', html)
    assert re.search(r'id="figure-reunited-168h">3<', html)
    assert re.search(r'id="figure-reunited-720h">4<', html)
    assert "(Europe/Kyiv)" in html
    assert (page.cookies.get("tz") or "").strip('"') == "Europe/Kyiv"
    for key in ("status", "monthly", "funnel", "stage_days", "lists", "inquiries"):
        assert f'id="chart-{key}"' in html and f'id="table-{key}"' in html
        assert f'href="/dashboard/{key}.csv' in html
    assert html.count('class="bar"') > 10
    assert 'href="/dashboard/briefing.pdf' in html
    monthly = browser.get("/dashboard/monthly.csv")
    assert monthly.status_code == 200
    rows = list(csv.reader(io.StringIO(monthly.text)))
    assert rows[0] == ["Month", "Children reunited", "Matches confirmed"]
    assert len(rows) == 13
    assert sum(int(row[1]) for row in rows[1:]) == 4
    assert sum(int(row[2]) for row in rows[1:]) == 1


def test_the_dashboard_speaks_the_readers_language(site: Site) -> None:
    browser = site.browser("caseworker")
    browser.client.cookies.set(LANGUAGE_COOKIE, "uk")
    page = browser.get("/dashboard")
    assert page.status_code == 200
    assert "Возз’єднано за останні 24 години" in page.text
    assert "Цифри у вигляді таблиці" in page.text


def test_the_briefing_pdf_holds_the_figures_and_is_audited(site: Site) -> None:
    browser = site.browser("caseworker")
    answer = browser.get("/dashboard/briefing.pdf")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.content)).pages)
    assert "Reunited in the last 24 hours" in text
    assert "Reunited in the last 30 days" in text
    assert "Children reunited and matches confirmed" in text
    assert "figures.briefing" in audit_actions("caseworker")


def test_the_dashboard_is_not_there_for_anyone_else(site: Site) -> None:
    for user in OTHERS:
        browser = site.browser(user)
        for url in ("/dashboard", "/dashboard/status.csv", "/dashboard/briefing.pdf"):
            assert browser.get(url).status_code == 404, (user, url)
    anonymous = site.browser()
    assert anonymous.get("/dashboard", follow_redirects=False).status_code == 303


def _numbers(html: str) -> list[int]:
    cells = re.findall(r'<td class="number">(.*?)</td>', html, re.S)
    return [int(text_of(cell)) for cell in cells if text_of(cell).isdigit()]


def test_public_statistics_need_no_login_and_show_no_small_count(site: Site) -> None:
    anonymous = site.browser()
    home = anonymous.get("/")
    assert 'href="/statistics"' in home.text
    page = anonymous.get("/statistics")
    assert page.status_code == 200
    numbers = _numbers(page.text)
    assert numbers, "the tables show counts"
    assert not [n for n in numbers if 0 < n < 5]
    assert "–" in page.text  # the four Mariupol children are fewer than 5: hidden
    sheet = anonymous.get("/statistics/oblast.csv")
    rows = list(csv.reader(io.StringIO(sheet.text)))
    assert rows[1][:3] == ["#adm1+origin+code", "#adm1+origin+name", "#affected+children+sought"]
    assert "#affected+children+reunified" in rows[1]
    for row in rows[2:]:
        assert not [c for c in row[2:] if c.isdigit() and 0 < int(c) < 5], row
    data = anonymous.get("/statistics.json").json()
    assert data["small_cell_k"] == 5
    donetsk = next(
        row for table in data["tables"] if table["table"] == "oblast"
        for row in table["rows"] if row["code"] == "UA-14"
    )  # fmt: skip
    assert donetsk["counts"]["reunified"] is None


def test_the_commands_write_the_briefing_and_the_public_statistics(
    site: Site, tmp_path: Path
) -> None:
    del site
    runner = CliRunner()
    out = tmp_path / "briefing.pdf"
    done = runner.invoke(cli, ["report", "--pdf", str(out), "--from", "2020-01-01", "--lang", "uk"])
    assert done.exit_code == 0, done.output
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert "24 години" in text
    stats = runner.invoke(cli, ["stats", "--public", "--format", "json"])
    assert stats.exit_code == 0, stats.output
    assert json.loads(stats.stdout)["small_cell_k"] == 5
    sheet = runner.invoke(cli, ["stats", "--public", "--format", "csv", "--table", "sex"])
    assert sheet.stdout.splitlines()[1].startswith("#x_sex,")
    refused = runner.invoke(cli, ["stats", "--format", "csv"])
    assert refused.exit_code != 0

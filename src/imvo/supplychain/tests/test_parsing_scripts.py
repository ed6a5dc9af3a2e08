# ruff: noqa: RUF001, RUF002 (the letters of other scripts are the point)
"""Supplier lists saved in the legacy code page of a production country's script
(a Chinese list in GBK from Excel on a Chinese Windows, a Bulgarian one in
cp1251...) are read in that script. The West-European scoring of
`_guess_encoding` used to win every time and turned them into Latin gibberish,
row after row accepted as valid ("¹ãÖİ·ş×°³§" for 广州服装厂)."""

from __future__ import annotations

import csv
import io

import pytest

from imvo.supplychain import parsing

LISTS = {
    "gb18030": [
        ("广州市锦绣服装有限公司", "广东省广州市白云区太和镇大源北路88号", "China"),
        ("宁波申洲针织有限公司", "浙江省宁波市北仑区甬江路18号", "China"),
    ],
    "big5": [("台灣紡織股份有限公司", "台北市中山區南京東路二段", "Taiwan")],
    "cp932": [("東京縫製株式会社", "東京都台東区浅草", "Japan")],
    "cp949": [("한국섬유주식회사", "서울특별시 중구", "South Korea")],
    "cp1251": [
        ("Шивашка фабрика Пирин", "Благоевград, ул. Тодор Александров 3", "Bulgaria"),
        ("Швейная фабрика Элегант", "Киев, проспект Победы 12", "Ukraine"),
    ],
    "cp1253": [("Υφαντουργία Θεσσαλίας", "Λάρισα, Οδός Ηρώων 4", "Greece")],
    "cp1256": [("مصنع النسيج المصري", "المحلة الكبرى، الغربية", "Egypt")],
    "cp874": [("บริษัท ไทยการ์เมนต์ จำกัด", "กรุงเทพมหานคร", "Thailand")],
    # The West-European lists keep their reading.
    "cp1252": [("Têxteis São João Lda", "Guimarães", "Portugal"), ("Café ’s", "Rue 1", "France")],
    "cp1254": [("Çalık Denim", "İstanbul, Şişli", "Turkey")],
}


@pytest.mark.parametrize("encoding", sorted(LISTS))
def test_a_list_in_its_countrys_code_page_is_read_in_its_script(encoding):
    rows = LISTS[encoding] * 4
    out = io.StringIO()
    csv.writer(out).writerows([("name", "address", "country"), *rows])
    table = parsing.read_table("suppliers.csv", out.getvalue().encode(encoding))
    assert [tuple(cells) for _number, cells in table.rows] == rows
    assert table.encoding == encoding


def test_latin_text_read_in_a_wrong_code_page_is_not_taken_for_another_script():
    assert not parsing._written_in_another_script("Sгo Joгo Lda, Guimarгes")
    assert not parsing._written_in_another_script("S鉶 Jo鉶 Lda")
    assert parsing._written_in_another_script("Шивашка фабрика Пирин, Благоевград")
    assert parsing._written_in_another_script("广州市锦绣服装有限公司 Guangzhou")


@pytest.mark.django_db
def test_an_uploaded_chinese_list_previews_in_chinese_and_its_code_page_can_be_picked(world):
    from django.utils import timezone

    from imvo.supplychain import disclosure, services
    from imvo.supplychain.tests.helpers import make_registry

    make_registry()
    out = io.StringIO()
    csv.writer(out).writerows([("name", "address", "country"), *LISTS["gb18030"] * 3])
    sl = services.upload_list(
        world.member_a, world.covenant_x, timezone.now().year - 1, "供应商.csv",
        out.getvalue().encode("gb18030"), confirm=False,
    )  # fmt: skip
    sl.refresh_from_db()
    preview = disclosure.preview(sl)
    assert preview.encoding == "gb18030"
    assert preview.samples[0] == "广州市锦绣服装有限公司"
    # The preview's choice offers the code page it was read in (and the others).
    assert {"gb18030", "big5", "cp1251"} <= set(services.ENCODINGS)
    services.choose_encoding(world.member_a, sl, "cp1251")
    sl.refresh_from_db()
    assert disclosure.preview(sl).encoding == "cp1251"

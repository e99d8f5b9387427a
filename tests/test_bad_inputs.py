"""Every unreadable input: exit code 3, a Russian message naming the file, file untouched."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from sheetprog.io import safety
from tests.conftest import sha256


def check_rejected(cli, path: Path, *fragments: str) -> str:
    before = sha256(path) if path.is_file() else None
    result = cli("info", path)
    assert result.exit_code == 3, result.output
    message = result.stderr
    assert message.startswith("Ошибка: ")
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message, message
    assert "Traceback" not in result.output
    assert result.stdout == ""
    if before is not None:
        assert sha256(path) == before
    return message


def test_missing_file(cli, tmp_path):
    check_rejected(cli, tmp_path / "нет такого.xlsx", "не найден")


def test_empty_file(cli, tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    check_rejected(cli, path, "пуст", "сохраните")


def test_not_a_zip(cli, tmp_path):
    path = tmp_path / "text.xlsx"
    path.write_text("это не книга", encoding="utf-8")
    check_rejected(cli, path, "не является книгой Excel")


def test_old_binary_xls(cli, tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(safety.OLE_MAGIC + b"\x00" * 4000)
    check_rejected(cli, path, "Excel 97–2003", ".xlsx")


def test_password_protected_workbook(cli, tmp_path, built):
    from msoffcrypto.format.ooxml import OOXMLFile

    path = tmp_path / "secret.xlsx"
    out = io.BytesIO()
    with built.open("rb") as fh:
        OOXMLFile(fh).encrypt("пароль", out)
    path.write_bytes(out.getvalue())
    check_rejected(cli, path, "защищена паролем", "Снимите пароль")


def test_ods(cli, tmp_path):
    path = tmp_path / "table.ods"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<office:document-content/>")
    check_rejected(cli, path, "OpenDocument", "--convert-to xlsx")


def test_zip_that_is_not_a_workbook(cli, tmp_path):
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "hello")
    check_rejected(cli, path, "не книга Excel")


def test_not_a_sheetprog_template_lists_everything_missing(cli, tmp_path):
    path = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Лист1"
    wb.create_sheet("Показатели")["A1"] = "Что-то"
    wb.save(path)
    message = check_rejected(cli, path, "не является книгой мониторинга sheetprog")
    for missing in (
        "«Паспорт»",
        "«Мероприятия»",
        "«Финансирование»",
        "на листе «Показатели» — строка заголовков",
    ):
        assert missing in message


def test_missing_required_column_is_named(cli, built):
    wb = openpyxl.load_workbook(built)
    wb["Мероприятия"]["E3"] = "Исполнитель?"  # "Ответственный исполнитель" renamed
    wb.save(built)
    check_rejected(cli, built, "на листе «Мероприятия» — столбец «Ответственный исполнитель»")


def test_file_over_size_limit(cli, built, monkeypatch):
    monkeypatch.setattr(safety, "MAX_FILE_BYTES", 1000)
    check_rejected(cli, built, "слишком большой")


def test_sheet_over_row_limit(cli, built, monkeypatch):
    monkeypatch.setattr(safety, "MAX_ROWS", 20)
    check_rejected(cli, built, "больше 20 строк")


def test_zip_bomb(cli, tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"0" * (4 * 1024 * 1024))
    assert path.stat().st_size < 100_000
    check_rejected(cli, path, "отклонён", "злонамеренно")


BILLION_LAUGHS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData>
</worksheet>"""


def test_xml_entity_attack_is_refused_by_defusedxml(cli, built, tmp_path):
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True  # defusedxml installed and used by openpyxl
    path = tmp_path / "entities.xlsx"
    with zipfile.ZipFile(built) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":  # the passport
                data = BILLION_LAUGHS
            dst.writestr(item, data)
    check_rejected(cli, path, "недопустимые XML-конструкции")


def test_corrupted_sheet_xml(cli, built, tmp_path):
    path = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(built) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet3.xml":
                data = data[: len(data) // 2]
            dst.writestr(item, data)
    check_rejected(cli, path, "повреждён", "сохраните заново")


def test_a_directory(cli, tmp_path):
    check_rejected(cli, tmp_path, "папка")


@pytest.mark.parametrize("flag", [[], ["--json"]])
def test_debug_shows_traceback_instead(tmp_path, flag):
    from click.testing import CliRunner

    from sheetprog.cli import main
    from sheetprog.errors import UnreadableInputError

    result = CliRunner().invoke(main, ["--debug", "info", str(tmp_path / "x.xlsx"), *flag])
    assert isinstance(result.exception, UnreadableInputError)


def test_openpyxl_engine_refuses_entities_through_defusedxml(built, tmp_path):
    from sheetprog import UnreadableInputError, read_workbook

    path = tmp_path / "entities.xlsx"
    with zipfile.ZipFile(built) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                data = BILLION_LAUGHS
            dst.writestr(item, data)
    with pytest.raises(UnreadableInputError) as err:
        read_workbook(path, engine="openpyxl")
    assert "EntitiesForbidden" in str(err.value)  # raised by defusedxml, not by chance


@pytest.mark.parametrize(
    "prolog",
    [
        b"<!--" + b" " * 70000 + b"-->\n",  # longer than the first bytes looked at
        b"<!-- <a> looks like a root element -->",  # a comment cannot hide the DTD
        b"<?pi <root?>",
    ],
    ids=["long", "comment", "processing-instruction"],
)
@pytest.mark.parametrize("compression", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_fast_engine_finds_a_dtd_behind_comments(built, tmp_path, prolog, compression):
    from sheetprog import UnreadableInputError, read_workbook

    path = tmp_path / "padded.xlsx"
    padded = BILLION_LAUGHS.replace(b"<!DOCTYPE", prolog + b"<!DOCTYPE")
    with zipfile.ZipFile(built) as src, zipfile.ZipFile(path, "w", compression) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                data = padded
            item.compress_type = compression
            dst.writestr(item, data)
    with pytest.raises(UnreadableInputError, match="DTD"):
        read_workbook(path, engine="calamine")


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b'<?xml version="1.0"?>\r\n<worksheet xmlns="m">', False),
        (b"\xef\xbb\xbf<!DOCTYPE x><x/>", True),
        (b"<!-- c --><?pi x?><!ENTITY", True),
        (b'<?xml version="1.0"', None),  # ends inside the declaration: read more
        (b"<!-- <x/> ", None),
        (b"  <!", None),
        (b"garbage", False),
    ],
)
def test_dtd_detection_in_a_prolog(head, expected):
    assert safety.dtd_before_root(head) is expected

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from sheetprog.assess.methodology import methodology_from_toml, preset
from sheetprog.errors import ConfigError
from sheetprog.model import Passport, Program, Source
from sheetprog.settings import find_config, load_settings


def test_presets_by_key_and_by_dropdown_text():
    assert preset("federal").cap == 1
    assert preset("Средние значения (C, Уи, M)").family == "average"
    with pytest.raises(ConfigError, match="не найдена"):
        preset("секретная")


def test_every_option_can_be_set():
    text = """
[methodology]
preset = "federal"
name = "Порядок города N"
cap = 1.3
ci_digits = 2
score_digits = 3
final_digits = 3
weights = "workbook"
activities = "main"
done = "result"
result_threshold = 0.9
plan_base = "budget_list"
sources = ["местный бюджет", "областной бюджет"]
combine = "weighted"
combine_weights = { C = 0.6, U = 0.2, M = 0.2 }
subprogram_weights = "equal"
conclusion = "Эффективность {label} ({value})."

[[methodology.bands]]
min = 0.95
label = "высокоэффективная"
phrase = "высокой"
inclusive = false

[[methodology.bands]]
label = "иная"
"""
    m = methodology_from_toml(text, "sheetprog.toml")
    assert (m.family, m.cap, m.ci_digits, m.score_digits, m.final_digits) == (
        "federal",
        Decimal("1.3"),
        2,
        3,
        3,
    )
    assert (m.weights, m.activities, m.done, m.plan_base) == (
        "workbook",
        "main",
        "result",
        "budget_list",
    )
    assert m.sources == (Source.LOCAL, Source.REGIONAL)
    assert m.combine_weights == {"C": Decimal("0.6"), "U": Decimal("0.2"), "M": Decimal("0.2")}
    assert [b.label for b in m.bands] == ["высокоэффективная", "иная"]
    assert m.band(Decimal("0.95")).label == "иная"  # exclusive boundary
    assert m.name == "Порядок города N" and m.key == "custom"


def test_unknown_keys_and_bad_values_are_reported_with_their_lines():
    text = '[methodology]\ncap = -1\ncolour = "red"\ncombine = "C+U"\nci_digits = 2.5\n'
    with pytest.raises(ConfigError) as err:
        methodology_from_toml(text, "sheetprog.toml")
    message = str(err.value)
    assert "строка 2: «cap»" in message
    assert "строка 3: неизвестный параметр «colour»" in message
    assert "строка 4: «combine»: допустимо: none, C, C*U, C/U, weighted" in message
    assert "строка 5: «ci_digits»" in message


def test_bad_bands_and_toml_syntax():
    with pytest.raises(ConfigError, match="от большего min к меньшему"):
        methodology_from_toml(
            '[[methodology.bands]]\nmin = 0.5\nlabel = "a"\n'
            '[[methodology.bands]]\nmin = 0.9\nlabel = "b"\n',
            "x",
        )
    with pytest.raises(ConfigError, match="синтаксическая ошибка"):
        methodology_from_toml("[methodology\n", "x")


def test_config_lookup_and_passport_methodology(tmp_path: Path, monkeypatch):
    workbook = tmp_path / "book.xlsx"
    workbook.write_bytes(b"")
    assert find_config(workbook, None) is None or find_config(workbook, None).parent != tmp_path
    (tmp_path / "sheetprog.toml").write_text("[methodology]\nci_digits = 2\n", encoding="utf-8")
    found = find_config(workbook, None)
    assert found == tmp_path / "sheetprog.toml"
    program = Program(Passport(methodology="Федеральная (СДп/ппз, ЭРгп)"))
    settings = load_settings(workbook)
    assert settings.path == found
    method = settings.methodology(program.passport.methodology)
    assert method.family == "federal" and method.ci_digits == 2
    explicit = settings.methodology(program.passport.methodology, method="average")
    assert explicit.family == "average"


def test_workbook_dropdown_lists_the_presets_and_docs_document_every_option():
    import dataclasses

    from sheetprog.assess.methodology import PRESETS, Methodology
    from sheetprog.spec import LISTS
    from tests.conftest import ROOT

    assert LISTS["lst_method"].values == tuple(m.name for m in PRESETS.values())
    doc = (ROOT / "docs" / "methodology.md").read_text(encoding="utf-8")
    for option in {f.name for f in dataclasses.fields(Methodology)} - {"key"}:
        assert f"| `{option}` |" in doc, option

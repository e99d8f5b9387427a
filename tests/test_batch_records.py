"""The batch's typed records: round trips, the stored format of the dict-based version, and
the assessment part shared with ``sheetprog calc --json``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from sheetprog.api import calculate
from sheetprog.assess.view import assessment_dict
from sheetprog.batch.process import file_hash, process_file
from sheetprog.batch.records import (
    STATUS_OK,
    STATUS_UNREADABLE,
    VALUE_NOT_KEPT,
    ActivityRow,
    FindingRow,
    FundingRow,
    IndicatorRow,
    Record,
    Submission,
    current,
    unopenable,
)
from sheetprog.batch.store import SUBMISSIONS, Store
from tests.conftest import EXAMPLES

# a record as the dict-based version stored it (keys in its order)
OLD_RECORD = {
    "file": "inbox/kaluga-2016.xlsx",
    "hash": "d3355b4c2e2fad986dc974e8cbfca8c9c188306e2d8e2c4e23d59bc9e8eefaef",
    "mtime": 1795939246.7711482,
    "status": "с ошибками",
    "reason": None,
    "municipality": "Муниципальное образование «Город Калуга»",
    "oktmo": None,
    "program": "Развитие муниципальной службы",
    "program_code": "17",
    "period": "2016",
    "errors": 1,
    "warnings": 0,
    "scores": {"C": 1.0439930555555557, "U": 0.9970260223048327, "M": 0.5, "E": 1.04},
    "rating_value": 1.0409,
    "rating": "высокая",
    "funding_plan": 2690,
    "funding_actual": 2682,
    "activities_done": 1,
    "activities_counted": 2,
    "indicators": [
        {
            "code": "1",
            "name": "Доля муниципальных служащих",
            "unit": "%",
            "plan": "75",
            "fact": 75,
            "ci": 1,
            "achieved": True,
            "cell": "Показатели!X4",
        },
        {
            "code": "2",
            "name": "Доля вакантных должностей",
            "unit": "%",
            "plan": "свыше 90",
            "fact": 80,
            "ci": 0.8888888888888888,
            "achieved": False,
            "cell": "Показатели!X5",
        },
        {
            "code": "3",
            "name": "Без плана",
            "unit": None,
            "plan": None,
            "fact": None,
            "ci": None,
            "achieved": None,
            "cell": None,
        },
    ],
    "activities": [
        {
            "number": "1",
            "name": "Организация обучения",
            "status": "выполнено частично",
            "done": False,
            "overdue": True,
        }
    ],
    "funding": [{"label": "местный бюджет", "plan": 2690, "actual": 2682, "execution": 0.997}],
    "findings": [
        {
            "code": "F03",
            "severity": "ошибка",
            "sheet": "Финансирование",
            "cell": "H4",
            "message": "Сумма не сходится",
        },
        {
            "code": "I04",
            "severity": "предупреждение",
            "sheet": None,
            "cell": None,
            "message": "Нет обоснования",
        },
    ],
}
OLD_UNREAD = {
    "file": "inbox/bad/empty.xlsx",
    "hash": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "mtime": 1796025646.7634368,
    "status": "не прочитан",
    "reason": "Файл «inbox/bad/empty.xlsx» пуст (0 байт).",
}


@pytest.fixture(scope="module")
def kaluga() -> Record:
    return process_file(str(EXAMPLES / "kaluga-2016.xlsx"), None, None)


def test_a_record_survives_the_round_trip(kaluga, tmp_path):
    assert kaluga.status != STATUS_UNREADABLE and kaluga.indicators and kaluga.activities
    data = kaluga.to_dict()
    assert Record.from_dict(data) == kaluga
    assert Record.from_dict(json.loads(json.dumps(data, ensure_ascii=False))) == kaluga
    summary = kaluga.summary()
    assert Submission.from_dict(summary.to_dict()) == summary
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"")
    unread = process_file(str(bad), None, None)
    assert unread.status == STATUS_UNREADABLE and unread.reason
    assert list(unread.to_dict()) == ["file", "hash", "mtime", "status", "reason"]
    assert Record.from_dict(unread.to_dict()) == unread


@pytest.mark.parametrize("old", [OLD_RECORD, OLD_UNREAD], ids=["read", "unread"])
def test_a_record_stored_by_the_dict_based_version_loads(old, tmp_path):
    record = Record.from_dict(old)
    back = record.to_dict()
    assert back == old and list(back) == list(old)  # the same keys, in the same order
    assert json.dumps(back, ensure_ascii=False) == json.dumps(old, ensure_ascii=False)
    store = Store(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        with store.engine.begin() as conn:  # a row as the old version wrote it
            conn.execute(
                sa.insert(SUBMISSIONS),
                [
                    {
                        "hash": old["hash"],
                        "period_key": "",
                        "file": old["file"],
                        "mtime": old["mtime"],
                        "status": old["status"],
                        "oktmo": old.get("oktmo"),
                        "municipality": old.get("municipality"),
                        "program": old.get("program"),
                        "period": old.get("period"),
                        "record": json.dumps(old, ensure_ascii=False),
                    }
                ],
            )
        assert store.get_many([old["hash"]], "") == {old["hash"]: record}
    finally:
        store.close()


def test_the_old_record_reads_by_attribute():
    record = Record.from_dict(OLD_RECORD)
    assert record.indicators[1] == IndicatorRow(
        "2",
        "Доля вакантных должностей",
        "%",
        "свыше 90",
        80,
        0.8888888888888888,
        False,
        "Показатели!X5",
    )
    assert record.activities == [
        ActivityRow("1", "Организация обучения", "выполнено частично", False, True)
    ]
    assert record.funding == [FundingRow("местный бюджет", 2690, 2682, 0.997)]
    assert record.findings[0] == FindingRow(
        "F03",
        "ошибка",
        "Финансирование",
        "H4",
        "Сумма не сходится",
        VALUE_NOT_KEPT,  # the old version kept no value: a returned copy checks it again
    )
    summary = record.summary()
    assert (summary.indicators_achieved, summary.indicators_assessed) == (1, 2)
    assert summary.error_codes == ["F03"] and summary.superseded_by is None
    assert summary["status"] == summary.status == "с ошибками"
    with pytest.raises(KeyError):
        summary["indicators"]
    # the summary's keys: the record's summary fields, then what the run adds
    assert list(summary.to_dict()) == [
        *list(OLD_RECORD)[:19],
        "indicators_achieved",
        "indicators_assessed",
        "error_codes",
        "superseded_by",
    ]
    unread = Record.from_dict(OLD_UNREAD).summary().to_dict()
    assert unread["municipality"] is None and unread["scores"] is None
    assert (unread["indicators_assessed"], unread["error_codes"]) == (0, [])


def test_current_submissions_and_an_unopenable_file(tmp_path):
    record = unopenable(tmp_path / "locked.xlsx", PermissionError(13, "Отказано в доступе"))
    assert record.hash is None and record.status == STATUS_UNREADABLE
    assert "не удалось открыть" in (record.reason or "")
    a = Record.from_dict(OLD_RECORD).summary()
    b = Record.from_dict(dict(OLD_RECORD, file="newer.xlsx")).summary()
    b.superseded_by = None
    a.superseded_by = "newer.xlsx"
    assert current([a, b, record.summary()]) == [b]


@pytest.mark.parametrize("example", ["kaluga-2016.xlsx", "partizansk-2021.xlsx"])
def test_the_batch_record_and_calc_json_share_the_assessment_part(example, tmp_path):
    book = tmp_path / example
    shutil.copy(EXAMPLES / example, book)
    record = process_file(str(book), None, None)
    _program, assessment = calculate(book)
    calc = json.loads(json.dumps(assessment_dict(assessment), ensure_ascii=False))
    assert record.hash == file_hash(Path(book)) and record.status in (STATUS_OK, "с ошибками")
    assert record.period == calc["period"]
    assert record.scores == calc["scores"] and record.scores
    assert (record.rating_value, record.rating) == (
        calc["rating"]["value"],
        calc["rating"]["label"],
    )
    total = calc["funding"]["total"]
    assert (record.funding_plan, record.funding_actual) == (total["plan"], total["actual"])
    assert [(f.label, f.plan, f.actual, f.execution) for f in record.funding] == [
        (g["label"], g["plan"], g["actual"], g["execution"]) for g in calc["funding"]["by_source"]
    ]
    fact = f"fact.{calc['period']}"
    assert [
        (r.code, r.name, r.unit, r.plan, r.fact, r.ci, r.achieved, r.cell)
        for r in record.indicators
    ] == [
        (
            r["code"],
            r["name"],
            r["unit"],
            r["target"],
            r["fact"],
            r["ci"],
            r["achieved"],
            r["cells"].get(fact),
        )
        for r in calc["indicators"]
    ]
    assert [(a.number, a.name, a.status, a.done, a.overdue) for a in record.activities] == [
        (a["number"], a["name"], a["status"], a["done"], a["overdue"]) for a in calc["activities"]
    ]
    counted = [a for a in calc["activities"] if a["counted"]]
    assert record.activities_counted == len(counted)
    assert record.activities_done == sum(1 for a in counted if a["done"])


def test_a_sheetprog_toml_in_the_inbox_does_not_configure_the_run(tmp_path, monkeypatch):
    """The region's settings come from --config or the run's folder, loaded once: a file a
    submitter puts beside their workbook (here: every rule disabled) changes nothing."""
    import shutil

    from sheetprog.batch.run import run_batch
    from sheetprog.checks.catalogue import CATALOGUE
    from tests.conftest import EXAMPLES

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(EXAMPLES / "shakhty-2013.xlsx", inbox)  # has check errors (I01, A03 …)
    codes = ", ".join(f'"{c}"' for c in CATALOGUE)
    (inbox / "sheetprog.toml").write_text(f"[checks]\ndisable = [{codes}]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run_batch(inbox, tmp_path / "out", jobs=1)
    assert [s.status for s in result.submissions] == ["с ошибками"]

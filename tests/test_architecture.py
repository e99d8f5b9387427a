"""The layout's rules, checked on the source: one place for each decision.

- no import cycles between modules, and no module imports another's private name;
- modules of the pure core import no file-format, document or CLI library;
- at most 20 modules directly in ``src/sheetprog/``;
- the front ends (``cli.py``, ``xl.py``) never branch on a workbook kind or touch personal
  data: kinds live behind the library (``sheetprog.kinds``);
- a report kind registered in one place appears in the CLI, the Excel buttons, the macro
  module, the generated docs and the template lint.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT

PACKAGE = ROOT / "src" / "sheetprog"
PURE = (
    "model", "periods", "targets", "timing", "values", "fmt", "grid", "spec", "serialize",
    "kinds", "read", "checks", "assess", "program", "reports.context", "reports.region",
    "reports.filters", "reports.schema", "reserve.model", "reserve.assess", "reserve.views",
    "reserve.layout", "reserve.reader", "reserve.definition", "batch.records", "batch.review",
    "batch.config",
)  # fmt: skip
IMPURE_LIBRARIES = {"zipfile", "openpyxl", "docx", "docxtpl", "click", "xlwings", "sqlalchemy"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> list[tuple[str, str | None]]:
    """(imported module, imported name or None) for every import, also inside functions."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: list[tuple[str, str | None]] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            out += [(a.name, None) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, *([node.module] if node.module else [])])
            for alias in node.names:
                full = f"{base}.{alias.name}"
                out.append((full, None) if full in modules else (base, alias.name))
    return out


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {
        name: {m for m, _n in _imports(name, path, modules) if m in modules and m != name}
        for name, path in modules.items()
    }


def test_no_import_cycles():
    graph = _graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    assert cycles == []


def test_no_module_imports_another_modules_private_name():
    modules = _modules()
    private = [
        (name, module, imported)
        for name, path in modules.items()
        for module, imported in _imports(name, path, modules)
        if imported
        and imported.startswith("_")
        and not imported.startswith("__")
        and module.startswith("sheetprog")
        and module != name
    ]
    assert private == []


def test_the_pure_core_imports_no_file_format_document_or_cli_library():
    modules = _modules()
    offenders = []
    for name, path in modules.items():
        short = name.removeprefix("sheetprog.")
        if not any(short == p or short.startswith(p + ".") for p in PURE):
            continue
        for module, _n in _imports(name, path, modules):
            if module.split(".")[0] in IMPURE_LIBRARIES:
                offenders.append((name, module))
    assert offenders == []


def test_at_most_twenty_modules_at_the_top():
    top = [p for p in PACKAGE.glob("*.py") if p.name != "__init__.py"]
    assert len(top) <= 20, sorted(p.name for p in top)


@pytest.mark.parametrize("front_end", ["cli.py", "xl.py"])
def test_front_ends_do_not_branch_on_kinds_or_handle_personal_data(front_end):
    source = (PACKAGE / front_end).read_text("utf-8")
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in {
            "isinstance",
            "hasattr",
        }:
            checked = ast.unparse(node.args[1]) if len(node.args) > 1 else ""
            assert not any(k in checked for k in ("Program", "Reserve", "reservists")), checked
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            assert node.value not in {"reserve", "program", "reservists", "name"}, node.value
    for word in ("sheetprog.model", "sheetprog.reserve", ".KIND"):
        assert word not in source, word


def test_every_command_reads_sheetprog_toml_once(tmp_path, cli, monkeypatch):
    import tomllib

    parsed = []
    real = tomllib.loads

    def counting(text, **kw):
        parsed.append(text)
        return real(text, **kw)

    monkeypatch.setattr(tomllib, "loads", counting)
    book = tmp_path / "k.xlsx"
    book.write_bytes((EXAMPLES / "kaluga-2016.xlsx").read_bytes())
    (tmp_path / "sheetprog.toml").write_text("[methodology]\nci_digits = 2\n", encoding="utf-8")
    for args in (
        ("check", book),
        ("calc", book),
        ("report", "annual", book, "-o", tmp_path / "a.docx"),
    ):
        parsed.clear()
        result = cli(*args)
        assert result.exit_code in (0, 1), result.stderr
        assert sum("ci_digits" in t for t in parsed) == 1, args


def test_cli_reference_is_generated_from_the_commands():
    from sheetprog.cli_reference import render

    assert (ROOT / "docs" / "cli.md").read_text("utf-8") == render(), (
        "run: python scripts/regenerate.py"
    )


# -- a throwaway report kind --------------------------------------------------------------


def memo_template():
    from docx import Document

    document = Document()
    document.add_paragraph("Служебная записка: {{ memo.program }}, {{ memo.indicators }}")
    return document


def memo_sample():
    return {"memo": {"program": "Программа", "indicators": 3}, "report": {"date": None}}


def make_memo(kind, model, path, options, settings):
    from docxtpl import DocxTemplate

    from sheetprog.reports.kinds import ReportResult
    from sheetprog.reports.template_files import default_template

    document = DocxTemplate(str(options.template or default_template(kind.name)))
    document.render(
        {"memo": {"program": model.passport.program_name, "indicators": len(model.indicators)}}
    )
    document.save(str(options.out))
    return ReportResult(options.out, None, 0)


@pytest.fixture
def memo_kind(tmp_path, monkeypatch):
    from sheetprog.reports import kinds

    monkeypatch.setenv("SHEETPROG_CACHE", str(tmp_path / "cache"))
    kind = kinds.register(
        kinds.ReportKind(
            name="memo",
            title="Служебная записка",
            heading="Служебная записка о программе",
            file_word="Записка",
            workbook="program",
            period=kinds.PERIOD_AS_GIVEN,
            builder="tests.test_architecture:memo_template",
            sample="tests.test_architecture:memo_sample",
            maker="tests.test_architecture:make_memo",
            macro="SheetprogMemo",
        )
    )
    yield kind
    kinds.unregister("memo")


def test_a_new_report_kind_appears_everywhere_from_its_registration(memo_kind, cli, tmp_path):
    from docx import Document

    from sheetprog import xl
    from sheetprog.io.xlsm import buttons, vba_module
    from sheetprog.reports.docs import render as render_docs
    from sheetprog.reports.template_files import default_template

    # the CLI: the help lists it, and the command makes it
    assert "memo" in cli("report", "--help").stdout
    out = tmp_path / "memo.docx"
    made = cli("report", "memo", EXAMPLES / "kaluga-2016.xlsx", "-o", out)
    assert made.exit_code == 0, made.stderr
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "Служебная записка: " in text and "{{" not in text
    # the docs list the kind and its variables
    docs = render_docs()
    assert "`sheetprog report memo`" in docs and "`memo.indicators`" in docs
    # the lint knows its variables: its default template is clean, a misspelling is not
    assert cli("template", "check", default_template("memo")).exit_code == 0
    wrong = tmp_path / "wrong.docx"
    document = memo_template()
    document.add_paragraph("{{ memo.indicatros }}")
    document.save(str(wrong))
    linted = cli("template", "check", wrong)
    assert linted.exit_code == 1 and "indicatros" in linted.stdout
    # the Excel button, its macro and the entry point it calls
    assert ("btnMemo", "Служебная записка", "SheetprogMemo", "report_memo") in buttons()
    assert (
        'Sub SheetprogMemo()\n    RunPython "import sheetprog.xl; sheetprog.xl.report_memo()"'
        in (vba_module())
    )
    assert callable(xl.report_memo)


def test_a_report_of_another_workbook_kind_is_refused_with_what_to_use(cli, tmp_path):
    result = cli("report", "reserve", EXAMPLES / "kaluga-2016.xlsx", "-o", tmp_path / "r.docx")
    assert result.exit_code == 2
    assert "«report quarterly», «report annual», «report final»" in result.stderr
    assert json.loads(cli("info", EXAMPLES / "kaluga-2016.xlsx", "--json").stdout)["years"]

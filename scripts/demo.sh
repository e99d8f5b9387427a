#!/usr/bin/env bash
# README's first command: set sheetprog up in a virtual environment (.venv in the repository,
# never the system Python) and run the main job on the bundled examples; results go to out/.
#
#   bash scripts/demo.sh
#
# PYTHON=python3.12 picks another interpreter (3.11 or newer) for the environment. Without
# LibreOffice the PDF step is skipped with a line saying how to get it. The functions below
# are also sourced by tests/test_setup_scripts.py.
set -euo pipefail

VENV="${SHEETPROG_VENV:-.venv}"

say() { printf '%s\n' "$*"; }
fail() {
    printf 'Ошибка: %s\n' "$*" >&2
    exit 1
}

# The interpreter to build the environment with: $PYTHON, else the first of python3, python
# and py (Windows' launcher) that runs (Windows' python3 may be a stub that opens the Store).
find_python() {
    local candidate
    if [ -n "${PYTHON:-}" ]; then
        printf '%s\n' "$PYTHON"
        return 0
    fi
    for candidate in python3 python py; do
        if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys' >/dev/null 2>&1
        then
            printf '%s\n' "$candidate"
            return 0
        fi
    done
    return 1
}

# Fails with a Russian line when Python is missing, too old or has no venv module.
check_python() {
    local python version
    python="$(find_python)" || fail "не найден Python 3.11 или новее. Установите его: \
Debian/Astra — sudo apt-get install python3 python3-venv; ALT — apt-get install python3 \
python3-module-venv; Windows — python.org."
    version="$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" ||
        fail "«$python» не запускается."
    if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        fail "нужен Python 3.11 или новее, а «$python» — версия $version. Установите новее \
(Debian 12/Astra 1.8: python3; или укажите другой: PYTHON=python3.12 bash scripts/demo.sh)."
    fi
    if ! "$python" -c 'import venv, ensurepip' 2>/dev/null; then
        fail "в Python $version нет модуля venv (виртуальные окружения). Установите его: \
Debian/Astra — sudo apt-get install python3-venv; ALT — apt-get install python3-module-venv; \
Windows — переустановите Python с python.org."
    fi
    printf '%s\n' "$python"
}

# The environment's folder of programs: bin/ (Linux) or Scripts/ (Windows).
venv_bin() {
    if [ -d "$VENV/Scripts" ] && [ ! -d "$VENV/bin" ]; then
        printf '%s\n' "$VENV/Scripts"
    else
        printf '%s\n' "$VENV/bin"
    fi
}

# Create .venv (again, if a broken one is left over) and install sheetprog into it.
make_venv() {
    local python="$1" extras="${2:-}" bin
    bin="$(venv_bin)"
    if ! "$bin/python" -m pip --version >/dev/null 2>&1; then
        say "== создаю виртуальное окружение $VENV (Python: $python)"
        "$python" -m venv --clear "$VENV" || fail "не удалось создать $VENV \
(Debian/Astra: sudo apt-get install python3-venv; ALT: apt-get install python3-module-venv)."
        bin="$(venv_bin)"
    fi
    say "== устанавливаю sheetprog в $VENV (первый раз — несколько минут)"
    "$bin/python" -m pip install --quiet --disable-pip-version-check -e ".$extras"
}

# True when LibreOffice (soffice or libreoffice) is on PATH.
has_libreoffice() {
    command -v soffice >/dev/null 2>&1 || command -v libreoffice >/dev/null 2>&1
}

LIBREOFFICE_HINT="LibreOffice не найден — PDF пропущен. Установите его: Debian/Astra — \
sudo apt-get install libreoffice-writer libreoffice-calc; ALT — apt-get install \
LibreOffice-still-integrated; Windows — libreoffice.org (или укажите путь к soffice в \
SHEETPROG_SOFFICE)."

run_demo() {
    local sheetprog pdf=()
    sheetprog="$(venv_bin)/sheetprog"
    mkdir -p out
    for workbook in examples/*.xlsx; do
        say "=================== $workbook"
        "$sheetprog" info "$workbook"
    done
    say "=================== проверка (копии с листом «Проверки» и отметками — в out/)"
    for name in partizansk-2021 shakhty-2013 kaluga-2016 chechnya-2012; do
        "$sheetprog" check "examples/$name.xlsx" --min-severity ошибка \
            -o "out/$name-проверка.xlsx" --replace || true # exit 1: errors found, as expected
    done
    say "=================== расчёт эффективности (копии с листом «Оценка» — в out/)"
    "$sheetprog" calc examples/partizansk-2021.xlsx --config examples/partizansk.toml \
        -o out/partizansk-2021-оценка.xlsx --replace
    for name in shakhty-2013 kaluga-2016 chechnya-2012; do
        "$sheetprog" calc "examples/$name.xlsx" -o "out/$name-оценка.xlsx" --replace | tail -3
    done
    say "=================== отчёты Word и PDF (в out/)"
    if has_libreoffice; then
        pdf=(--pdf)
    else
        say "$LIBREOFFICE_HINT"
    fi
    "$sheetprog" report annual examples/partizansk-2021.xlsx --config examples/partizansk.toml \
        -o "out/Отчёт Партизанск 2021.docx" --replace "${pdf[@]}"
    "$sheetprog" report quarterly examples/kaluga-2016.xlsx --period 2016-Q2 \
        -o "out/Информация Калуга 2016 полугодие.docx" --replace
    "$sheetprog" report final examples/shakhty-2013.xlsx -o "out/Итоговый отчёт Шахты.docx" \
        --replace --partial # facts for 2012–2013 of 2012–2014
    say "=================== кадровый резерв"
    "$sheetprog" calc examples/reserve-novoshakhtinsk.xlsx
    "$sheetprog" report reserve examples/reserve-novoshakhtinsk.xlsx \
        -o "out/Оценка резерва 2024.docx" --replace
    say "=================== программа в структуре проектов (структурные элементы, результаты, контрольные точки)"
    "$sheetprog" check examples/project-plodovskoe-2025.xlsx
    "$sheetprog" calc examples/project-plodovskoe-2025.xlsx -o out/project-plodovskoe-2025-оценка.xlsx --replace
    "$sheetprog" report project-quarterly examples/project-plodovskoe-2025.xlsx --period 2025-Q3 \
        -o "out/Мониторинг Плодовское 9 месяцев 2025.docx" --replace
    "$sheetprog" report project-annual examples/project-plodovskoe-2025.xlsx \
        -o "out/Годовой отчёт Плодовское 2025.docx" --replace "${pdf[@]}"
    "$sheetprog" new out/новая-программа-проекты-2025-2030.xlsx --structure project --years 2025-2030 --replace
    say "=================== пакетная обработка для региона (сводка по примерам — в out/сводка-региона/)"
    # exit 1 means some files are «не прочитан» — here the reserve's workbook, which is not a
    # program: an expected line of the summary, not a failure of the demo (exit 2–5 still is)
    "$sheetprog" batch examples -o out/сводка-региона || [ $? -eq 1 ]
    say "=================== новая книга"
    "$sheetprog" new out/новая-программа-2025-2030.xlsx --years 2025-2030 --replace
    say "Готово. Результаты — в папке out/; команда sheetprog — $sheetprog"
}

main() {
    cd "$(dirname "${BASH_SOURCE[0]}")/.."
    local python
    python="$(check_python)"
    make_venv "$python"
    run_demo
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    main "$@"
fi

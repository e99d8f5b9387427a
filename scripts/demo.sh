#!/usr/bin/env bash
# Set up sheetprog and run the main job on the bundled examples (README's first command).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -e .
mkdir -p out
for workbook in examples/*.xlsx; do
    echo "=================== $workbook"
    sheetprog info "$workbook"
done
echo "=================== проверка (копии с листом «Проверки» и отметками — в out/)"
for name in partizansk-2021 shakhty-2013 kaluga-2016 chechnya-2012; do
    sheetprog check "examples/$name.xlsx" --min-severity ошибка -o "out/$name-проверка.xlsx" \
        --force || true
done
echo "=================== расчёт эффективности (копии с листом «Оценка» — в out/)"
sheetprog calc examples/partizansk-2021.xlsx --config examples/partizansk.toml \
    -o out/partizansk-2021-оценка.xlsx --force
for name in shakhty-2013 kaluga-2016 chechnya-2012; do
    sheetprog calc "examples/$name.xlsx" -o "out/$name-оценка.xlsx" --force | tail -3
done
echo "=================== отчёты Word и PDF (в out/)"
sheetprog report annual examples/partizansk-2021.xlsx --config examples/partizansk.toml \
    -o "out/Отчёт Партизанск 2021.docx" --replace --pdf
sheetprog report quarterly examples/kaluga-2016.xlsx --period 2016-Q2 \
    -o "out/Информация Калуга 2016 полугодие.docx" --replace
sheetprog report final examples/shakhty-2013.xlsx -o "out/Итоговый отчёт Шахты.docx" --replace
echo "=================== кадровый резерв"
sheetprog calc examples/reserve-novoshakhtinsk.xlsx
sheetprog report reserve examples/reserve-novoshakhtinsk.xlsx -o "out/Оценка резерва 2024.docx" --replace
echo "=================== пакетная обработка для региона (сводка по примерам — в out/сводка-региона/)"
sheetprog batch examples -o out/сводка-региона
echo "=================== новая книга"
sheetprog new out/новая-программа-2025-2030.xlsx --years 2025-2030 --force
echo "Готово. Новая книга: out/новая-программа-2025-2030.xlsx"

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
echo "=================== новая книга"
sheetprog new out/новая-программа-2025-2030.xlsx --years 2025-2030 --force
echo "Готово. Новая книга: out/новая-программа-2025-2030.xlsx"

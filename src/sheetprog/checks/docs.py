"""docs/checks.md, generated from the rule catalogue (a test keeps the file in sync)."""

from __future__ import annotations

from sheetprog.checks.catalogue import CATALOGUE, GROUPS


def render() -> str:
    lines = [
        "# Проверки (контрольные соотношения)",
        "",
        "<!-- Generated from the rule catalogue by scripts/regenerate.py; do not edit. -->",
        "",
        f"Всего правил: {len(CATALOGUE)}. Коды стабильны: на них ссылаются настройки, "
        "результаты в JSON и лист «Проверки». Серьёзность: **ошибка** — книгу нельзя принять "
        "(код завершения 1), **предупреждение** — нужно пояснение, **сведения** — к сведению.",
        "",
        "Настройка в `sheetprog.toml` (тот же файл, что и для методики):",
        "",
        "```toml",
        "[checks]",
        'disable = ["I03", "A04"]        # отключить правила',
        "",
        "[checks.severity]",
        'I07 = "ошибка"                  # изменить серьёзность (ошибка, предупреждение, сведения)',
        "",
        "[checks.tolerance]",
        "money = 0.01                    # допуск равенства сумм, тыс. руб.",
        "jump_ratio = 3                  # «резкое изменение»: во сколько раз",
        "ci_bound = 1.3                  # Ci выше этого — предупреждение I13",
        "```",
        "",
        "По умолчанию суммы сравниваются с допуском в половину единицы последнего знака "
        "менее точной из сравниваемых величин (335,0 — ±0,05; 16 140 — ±0,5).",
        "",
    ]
    for group in GROUPS:
        rules = [r for r in CATALOGUE.values() if r.group == group]
        if not rules:
            continue
        lines += [
            f"## {group}",
            "",
            "| Код | Серьёзность | Правило | Зачем и как исправить |",
            "|---|---|---|---|",
        ]
        for r in rules:
            origin = " (при чтении)" if r.func is None else ""
            lines.append(f"| {r.code} | {r.severity.value} | {r.title}{origin} | {r.description} |")
        lines.append("")
    return "\n".join(lines)

"""One docxtpl template rendered many times: parsed and compiled once.

``render_docx`` opens, patches and compiles the template for every document (~0.1 s);
a batch run writes a letter for every returned workbook, so the template's body (and any
header or footer with tags) is compiled once here and each document is the template's
package with those parts rendered — the same docxtpl patching and post-processing, a few
milliseconds a letter. A template with column loops ({%tc %}) or pictures falls back to
``render_docx``.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from sheetprog.errors import TemplateError
from sheetprog.io.atomic import atomic_write
from sheetprog.reports.render import jinja_env, render_docx

_TAG = re.compile(r"\{\{|\{%")
_PART = re.compile(r"^word/(header|footer)\d*\.xml$")
_SIMPLE_BODY = re.compile(r"\{%-?\s*tc\s|<w:drawing|<w:pict|\{\{r ")


class CompiledTemplate:
    def __init__(self, template: Path) -> None:
        from docxtpl import DocxTemplate

        if not template.is_file():
            raise TemplateError(f"Шаблон «{template}» не найден.")
        self.template = template
        try:
            self._tpl = DocxTemplate(str(template))
            self._tpl.init_docx()
            with zipfile.ZipFile(template) as zf:
                self._parts = [(info, zf.read(info)) for info in zf.infolist()]
        except Exception as exc:  # not a .docx at all
            raise TemplateError(
                f"Шаблон «{template}» не открывается как документ Word (.docx): {exc}"
            ) from exc
        body = self._tpl.get_xml()
        self.simple = _SIMPLE_BODY.search(body) is None
        if not self.simple:
            return
        env = jinja_env()
        document = dict((info.filename, data) for info, data in self._parts)[
            "word/document.xml"
        ].decode("utf-8")
        start, end = document.index("<w:body"), document.rindex("</w:body>") + len("</w:body>")
        self._head, self._tail = document[:start], document[end:]
        self._compiled: dict[str, Any] = {"word/document.xml": env.from_string(self._src(body))}
        for info, data in self._parts:
            if _PART.match(info.filename) and _TAG.search(data.decode("utf-8")):
                text = self._tpl.xml_to_string(_parse(data))
                self._compiled[info.filename] = env.from_string(self._src(text))

    def _src(self, xml: str) -> str:
        return re.sub(r"<w:p([ >])", r"\n<w:p\1", self._tpl.patch_xml(xml))

    def _done(self, xml: str) -> str:
        xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%")
        return str(self._tpl.resolve_listing(xml.replace("%_}", "%}")))

    def render(self, context: dict[str, Any], out: Path) -> None:
        """Write one document (atomically)."""
        if not self.simple:
            render_docx(self.template, context, out)
            return
        import jinja2

        try:
            rendered = {name: self._done(t.render(context)) for name, t in self._compiled.items()}
        except (jinja2.TemplateError, TypeError, ValueError, KeyError):
            render_docx(self.template, context, out)  # fails with the located message
            return
        rendered["word/document.xml"] = self._head + rendered["word/document.xml"] + self._tail
        with atomic_write(out) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            for info, data in self._parts:
                text = rendered.get(info.filename)
                if text is not None and info.filename != "word/document.xml":
                    text = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + text
                zf.writestr(info, text.encode("utf-8") if text is not None else data)


def _parse(data: bytes) -> Any:
    from docx.oxml import parse_xml

    return parse_xml(data)

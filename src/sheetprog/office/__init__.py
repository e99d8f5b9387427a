"""Office suites other than Excel: the LibreOffice Calc extension (.oxt) and what its menu
runs.

``actions``: the actions of the «sheetprog» menu (the same operations as the Excel buttons,
on a saved file) and ``sheetprog libreoffice run``'s one-line JSON answer; ``oxt``: the
extension's builder and installer (``unopkg``); ``calc_macro``: the Python macro module
shipped inside the extension — a standalone file that imports only the standard library and
``uno`` and starts the ``sheetprog`` program, because LibreOffice's own Python (Windows)
cannot import this package.
"""

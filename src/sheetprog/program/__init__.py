"""The municipal program workbook kind: its reader, definition files, ``info`` view and
registration (``kind``). Its layout is ``sheetprog.spec``, its model ``sheetprog.model``."""

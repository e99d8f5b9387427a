Attribute VB_Name = "sheetprog"
Option Explicit
' sheetprog buttons. Each button calls a fixed Python module through xlwings RunPython,
' so workbook names with spaces, hyphens or Cyrillic letters work.
' The Python side is sheetprog.xl; install Python, sheetprog and xlwings on the PC
' (see docs/excel-install.md).

Sub SheetprogCheck()
    RunPython "import sheetprog.xl; sheetprog.xl.check()"
End Sub

Sub SheetprogRecalc()
    RunPython "import sheetprog.xl; sheetprog.xl.recalc()"
End Sub

Sub SheetprogQuarterlyReport()
    RunPython "import sheetprog.xl; sheetprog.xl.report_quarterly()"
End Sub

Sub SheetprogAnnualReport()
    RunPython "import sheetprog.xl; sheetprog.xl.report_annual()"
End Sub

Sub SheetprogFinalReport()
    RunPython "import sheetprog.xl; sheetprog.xl.report_final()"
End Sub

Sub SheetprogProjectQuarterly()
    RunPython "import sheetprog.xl; sheetprog.xl.report_project_quarterly()"
End Sub

Sub SheetprogProjectAnnual()
    RunPython "import sheetprog.xl; sheetprog.xl.report_project_annual()"
End Sub

Sub SheetprogProjectFinal()
    RunPython "import sheetprog.xl; sheetprog.xl.report_project_final()"
End Sub

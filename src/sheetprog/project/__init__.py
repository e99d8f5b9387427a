"""The program workbook in today's structure: structural elements, results, control points."""

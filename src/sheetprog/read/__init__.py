"""Reading shared by every workbook kind: cell parsing (``cells``), the model-to-column
binding (``bind``), locating tables and reading rows by header text (``tables``) and
definition files (``definition``)."""

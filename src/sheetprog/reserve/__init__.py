"""The personnel reserve (кадровый резерв): a second workbook kind with its own register,
yearly ЭфР assessment, checks and report, built on the same machinery as programs."""

"""Regional batch: many submitted workbooks → store, consolidated tables, ranking, note."""

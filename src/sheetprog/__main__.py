from sheetprog.cli import main

main()

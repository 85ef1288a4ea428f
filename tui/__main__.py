from tui.cli import main

# Guarded: the index's worker processes (spawned) import the main module.
if __name__ == "__main__":
    raise SystemExit(main())

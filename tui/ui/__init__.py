"""The UI layer: Textual app, screens, widgets and styles. Only calls ``tui.core``."""

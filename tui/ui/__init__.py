"""The UI layer: Textual app, screens, widgets and styles. Only calls ``tui.core``.

The frame rate is set by the app itself (``tui.ui.textual_compat.set_frame_rate``),
whatever was imported first.
"""

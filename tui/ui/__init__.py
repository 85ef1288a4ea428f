"""The UI layer: Textual app, screens, widgets and styles. Only calls ``tui.core``."""

import os

# Textual paints at most MAX_FPS frames a second, and a change made just
# after a frame waits for the next slot. Moving in the list paints the list
# at once and the article one frame later: at 120 frames a second that frame
# comes 8 ms sooner. Frames are only drawn when something changed, so an idle
# reader costs nothing more. Set TEXTUAL_FPS yourself to override.
os.environ.setdefault("TEXTUAL_FPS", "120")

"""The core: everything the reader knows, with no Textual in sight.

collection loading (``loader``), the article model (``model``), search
(``search``), the bookmark store (``bookmarks``) and every filesystem
location (``locations``). The UI layer (``tui.ui``) only calls into here.
"""

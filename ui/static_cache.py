"""Let browsers keep the static files whose names carry a hash of their content.

Streamlit 1.67 serves app/static through Starlette's `FileResponse` with an ETag but no
Cache-Control, and answers no conditional request: a student's next visit downloads
plotly.js again unless the browser guesses it is still fresh. Those files are published
under content-hashed names (`ui.chart_assets.publish_assets`), so they never change under
their name and may be kept for a year. Streamlit has no setting for a response header (only
`st.App` middleware, which needs another entry script than `streamlit run app.py`), so this
wraps the one Starlette method that sets a file's headers, for files of one folder whose
names are hashed. deploy/nginx.conf sets the same header in front of Streamlit.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from starlette.responses import FileResponse

IMMUTABLE = "public, max-age=31536000, immutable"
HASHED_NAME = re.compile(r"[\w-]+\.[0-9a-f]{12}(\.min)?\.js")  # stem.<12 hex>.js, as published
_folders: set[str] = set()


def keep_hashed_files(static: Path) -> None:
    """Send ``Cache-Control: IMMUTABLE`` with every content-hashed file served from
    ``static`` (from now on, in this process)."""
    _folders.add(os.path.realpath(static) + os.sep)
    if getattr(FileResponse.set_stat_headers, "keeps_hashed_files", False):
        return
    set_stat_headers = FileResponse.set_stat_headers

    def with_cache_control(response: FileResponse, stat_result: os.stat_result) -> None:
        set_stat_headers(response, stat_result)
        path = os.path.realpath(response.path)
        if path.startswith(tuple(_folders)) and HASHED_NAME.fullmatch(os.path.basename(path)):
            response.headers["cache-control"] = IMMUTABLE

    with_cache_control.keeps_hashed_files = True
    FileResponse.set_stat_headers = with_cache_control

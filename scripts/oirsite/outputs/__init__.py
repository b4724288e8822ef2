"""Stage 8, outputs: the feed, calendars, redirect pages and the output-folder rule."""

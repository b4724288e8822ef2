"""--check-external (off by default: it needs the network): is every link to another site alive? Each
URL is checked once, with bounded concurrency, a timeout and retries, and reported at every place it stands."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from ..core.diagnostics import Diagnostics
from ..markdown.process import ExternalLink

USER_AGENT = "international-medical-relations-link-check/1.0"


def probe(url: str, timeout: float, retries: int) -> str | None:
    """None if ``url`` answers, else why not (after ``retries`` more tries for passing failures)."""
    problem = "no answer"
    for attempt in range(retries + 1):
        if attempt:
            time.sleep(0.5 * attempt)
        for method in ("HEAD", "GET"):
            request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
            try:
                with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only
                    response.read(0)
                return None
            except urllib.error.HTTPError as exc:
                problem = f"HTTP {exc.code} {exc.reason}"
                if method == "HEAD" and exc.code in (403, 405, 501):
                    continue  # some servers refuse HEAD: ask again with GET
                if exc.code in (404, 410):
                    return problem  # gone: no point in asking again
                break
            except (urllib.error.URLError, TimeoutError, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                problem = "timed out" if "timed out" in str(reason) else f"cannot connect ({reason})"
                break
    return problem


def check_external(links: list[ExternalLink], diagnostics: Diagnostics, timeout: float = 10.0, retries: int = 2) -> int:
    """Check every distinct URL; report each dead one at each place it stands. Returns how many URLs."""
    urls = sorted({link.url for link in links})
    with ThreadPoolExecutor(max_workers=min(8, len(urls)) or 1) as pool:
        results = dict(zip(urls, pool.map(lambda url: probe(url, timeout, retries), urls)))
    for link in links:
        problem = results[link.url]
        if problem is not None:
            diagnostics.error(link.path, link.line, link.col, "dead-link", f"the link '{link.url}' is dead: {problem}",
                              "fix or remove the address (it may also be down for a while: try again later)")
    return len(urls)

#!/usr/bin/env python3
"""Edit the content in the web editor on your own machine: one command, then open the address it prints.

    python scripts/cms_serve.py           the editor at http://127.0.0.1:8080/admin/#/signin/... and
                                          the site, rebuilt as you save, at http://127.0.0.1:8000/
    python scripts/cms_serve.py --no-preview
                                          the editor only

The editor (Sveltia CMS, as on the published site) saves straight into content/ on this machine
(no GitHub account, no pull request): check with `python scripts/build.py --check`, then commit the
changes as usual. It needs `npm ci` once (it installs the editor into node_modules/). Press Ctrl+C
to stop.

Only the address it prints signs you in: it holds a key made for this run (the editor sends it as
its GitHub token), and the editor's server (on 127.0.0.1 only) refuses any request to its API
without it, from another page or under another host name. It reads and writes the collections'
folders in content/ and the media folder, nothing else; saving an existing file changes only the
fields you changed, the file's comments and key order kept.
"""

from __future__ import annotations

import argparse
import base64
import hmac
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from oirsite.tools.cms import ADMIN_DIR, generate_config  # noqa: E402
from oirsite.tools.cms_admin import admin_files  # noqa: E402
from oirsite.tools.cms_backend import DiskRepo, Guard, answer  # noqa: E402

HOST = "127.0.0.1"
API = ("/api/v3/", "/api/graphql")  # GitHub Enterprise's layout under the CMS's api_root
MAX_BODY = 50 * 1024 * 1024
TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".yml": "application/yaml; charset=utf-8", ".txt": "text/plain; charset=utf-8", ".woff2": "font/woff2"}
HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff",
           "X-Frame-Options": "DENY", "Content-Security-Policy": "frame-ancestors 'none'"}  # on every answer


class EditorServer(ThreadingHTTPServer):
    """The editor on 127.0.0.1 (``port`` 0: any free one): the admin page and the GitHub-like API
    (``oirsite.tools.cms_backend`` over a ``DiskRepo``) for the project in ``root``, behind one key,
    ``token``. ``admin_url`` is the address to open (the key in its fragment, which no request carries).

    A request is answered only when its ``Host`` is this server's own address and port (no other
    name reaches it, as DNS rebinding would), when any ``Origin`` or ``Sec-Fetch-Site`` it has says
    it comes from this page itself, and for the API when it has the key (``Authorization: token
    <key>``; a write must also have the page's ``Origin``). The page and its files hold no secret."""

    daemon_threads = True
    MAX_CONNECTIONS = 32  # a page and its editor need a handful; more is somebody holding the server up

    def __init__(self, root: Path, port: int = 0, token: str | None = None, project_root: Path = ROOT) -> None:
        self.token = token or secrets.token_urlsafe(32)
        self.repo = DiskRepo(Guard(root, generate_config()))
        super().__init__((HOST, port), Handler)
        self._slots = threading.BoundedSemaphore(self.MAX_CONNECTIONS)
        self.origin = f"http://{HOST}:{self.server_address[1]}"
        link = base64.b64encode(json.dumps({"token": self.token}).encode()).decode()
        self.admin_url = f"{self.origin}/{ADMIN_DIR}/#/signin/{link}"
        try:
            self.files = admin_files(project_root, api_root=self.origin, local=True,
                                     repo=f"{self.repo.owner}/{self.repo.name}")
        except BaseException:
            self.server_close()
            raise

    def allows(self, headers, method: str) -> bool:
        """Whether a request with these headers comes from this server's own page, by its own address."""
        if headers.get_all("Host", []) != [self.origin.removeprefix("http://")]:
            return False
        origin = headers.get_all("Origin", [])
        if origin != [self.origin] and (origin or method not in ("GET", "HEAD")):
            return False
        site = headers.get_all("Sec-Fetch-Site", ["same-origin"])  # sent by browsers only
        return site == ["same-origin"] or (site == ["none"] and method == "GET")  # "none": typed, opened

    def has_key(self, headers) -> bool:
        given = headers.get_all("Authorization", [])
        return len(given) == 1 and given[0].startswith("token ") and \
            hmac.compare_digest(given[0].removeprefix("token ").encode(), self.token.encode())

    def process_request(self, request, client_address):  # noqa: ANN001 (socketserver's signature)
        """One thread per connection, at most MAX_CONNECTIONS at once: the others are closed at once."""
        if not self._slots.acquire(blocking=False):
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address):  # noqa: ANN001
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request, client_address):  # noqa: ANN001
        """A client that went away (or was too slow) is no error of ours: nothing to print."""
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class Handler(BaseHTTPRequestHandler):
    server: EditorServer
    timeout = 10  # seconds for a request's headers and body: a client that sends them slowly is dropped

    def _send(self, status: int, body: bytes, content_type: str, location: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in HEADERS.items():
            self.send_header(name, value)
        if location:
            self.send_header("Location", location)
        self.end_headers()
        self.wfile.write(body)

    def _handle(self) -> None:
        self._send(*self._answer())

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

    def _answer(self) -> tuple:
        """(status, body, content type[, where a redirect goes]) of the answer to this request."""
        if not self.path.startswith("/") or self.path.startswith("//") or not self.server.allows(self.headers, self.command):
            return _json(403, "refused: open the address that cms_serve.py printed")
        path = urlsplit(self.path).path
        if not path.startswith(API):
            path = path.lstrip("/")
            if self.command != "GET":
                return _json(404, "not found")
            if path in ("", ADMIN_DIR):
                return 302, b"", "text/plain", f"/{ADMIN_DIR}/"
            if path.endswith("/"):
                path += "index.html"
            if path not in self.server.files:
                return 404, b"Not found\n", "text/plain; charset=utf-8"
            return 200, self.server.files[path], TYPES.get(Path(path).suffix, "application/octet-stream")
        if self.headers.get_all("Sec-Fetch-Site", ["same-origin"]) != ["same-origin"]:  # the page's fetches only
            return _json(403, "refused: the API answers the editor's page only")
        if not self.server.has_key(self.headers):
            return _json(403, "refused: this run's key is missing or wrong")
        body = None
        if self.command != "GET":
            try:
                length = int(self.headers.get("Content-Length", "0"))
            except ValueError:
                length = -1
            if not 0 <= length <= MAX_BODY:
                return _json(413 if length > MAX_BODY else 411, f"a body of at most {MAX_BODY} bytes is needed")
            if length and self.headers.get_content_type() != "application/json":
                return _json(415, "the body must be JSON (Content-Type: application/json)")
            try:
                body = json.loads(self.rfile.read(length)) if length else None
            except (ValueError, RecursionError):  # not JSON, or nested past what Python reads
                return _json(400, "the body is not JSON")
        status, data, content_type, _ = answer(self.server.repo, self.command, path, body)
        return status, data, content_type

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


def _json(status: int, message: str) -> tuple[int, bytes, str]:
    return status, json.dumps({"message": message}).encode("utf-8"), "application/json; charset=utf-8"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python scripts/cms_serve.py", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    parser.add_argument("--port", type=int, default=8080, help="the editor's port (default: 8080)")
    parser.add_argument("--preview-port", type=int, default=8000, help="the site preview's port (default: 8000)")
    parser.add_argument("--no-preview", action="store_true", help="do not serve the site itself")
    parser.add_argument("--root", default=str(ROOT), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    try:
        server = EditorServer(root, args.port)
    except FileNotFoundError:
        print(f"The web editor is not installed: run `npm ci` in {ROOT}, then run this command again.",
              file=sys.stderr)
        return 1
    except OSError as error:
        print(f"The editor cannot listen on {HOST}:{args.port}: {error.strerror or error} "
              "(choose another port with --port).", file=sys.stderr)
        return 1
    children = [] if args.no_preview else [subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"{HOST}:{args.preview_port}", "-f",
         str(root / "mkdocs.yml")], cwd=root, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Edit the content at {server.admin_url}\n(it saves into {root / 'content'}; "
          "the address holds this run's key: open it as printed).")
    if children:
        print(f"The site, rebuilt after each save, is at http://{HOST}:{args.preview_port}/")
    print("Press Ctrl+C to stop.")
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt))
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        print("A part of the editor stopped: stopping the rest.", file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
        for child in children:
            child.terminate()
            child.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())

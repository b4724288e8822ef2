#!/usr/bin/env python3
"""Edit the content in the web editor on your own machine: one command, then open the address it prints.

    python scripts/cms_serve.py           the editor at http://127.0.0.1:8080/admin/?token=... and
                                          the site, rebuilt as you save, at http://127.0.0.1:8000/
    python scripts/cms_serve.py --no-preview
                                          the editor only

The editor saves straight into content/ on this machine (no login, no pull request): check with
`python scripts/build.py --check`, then commit the changes as usual. It needs `npm ci` once (it
installs the editor into node_modules/). Press Ctrl+C to stop.

Only the address it prints opens the editor: it holds a key made for this run, and the editor's
server (on 127.0.0.1 only) refuses any request without it, from another page or under another
host name. It reads and writes the collections' folders in content/ and the media folder, nothing else.
"""

from __future__ import annotations

import argparse
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
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from oirsite.cms import ADMIN_DIR, CONFIG_FILE, generate_config  # noqa: E402
from oirsite.cms_admin import admin_files  # noqa: E402
from oirsite.cms_backend import Refused, guard_for, handle  # noqa: E402

HOST = "127.0.0.1"
API = "/api/v1"
MAX_BODY = 50 * 1024 * 1024  # decap-server's limit too
TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".yml": "text/yaml; charset=utf-8", ".wasm": "application/wasm", ".txt": "text/plain; charset=utf-8"}
INDEX = f"{ADMIN_DIR}/index.html"
CONFIG = f"{ADMIN_DIR}/{CONFIG_FILE}"
CONFIG_LINK = f'href="{CONFIG_FILE}"'.encode()


class EditorServer(ThreadingHTTPServer):
    """The editor on 127.0.0.1 (``port`` 0: any free one): the admin page and the backend
    (``oirsite.cms_backend``) for the project in ``root``, behind one key, ``token``.
    ``admin_url`` is the address to open. Call ``serve_forever`` (in a thread) to run it.

    A request is answered only when its ``Host`` is this server's own address and port (no other
    name reaches it, as DNS rebinding would), when any ``Origin`` or ``Sec-Fetch-Site`` it has says
    it comes from this page itself, and for the API (a POST, whose ``Origin`` must be there) and the
    two files that hold the key (the page and its configuration) when it has the key. The rest of
    the page (Decap's JavaScript from node_modules) holds no secret."""

    daemon_threads = True

    def __init__(self, root: Path, port: int = 0, token: str | None = None, project_root: Path = ROOT) -> None:
        super().__init__((HOST, port), Handler)
        try:
            self._prepare(root, token, project_root)
        except BaseException:
            self.server_close()
            raise

    def _prepare(self, root: Path, token: str | None, project_root: Path) -> None:
        self.token = token or secrets.token_urlsafe(32)
        self.origin = f"http://{HOST}:{self.server_address[1]}"
        self.admin_url = f"{self.origin}/{ADMIN_DIR}/?token={self.token}"
        config = generate_config()
        self.guard = guard_for(root, config)
        self.files = admin_files(project_root, local_backend_url=f"{self.origin}{API}?token={self.token}")
        index = self.files[INDEX]
        if CONFIG_LINK not in index:
            raise RuntimeError(f"{INDEX} does not link {CONFIG_FILE}: the key cannot be given to the page")
        self.files[INDEX] = index.replace(CONFIG_LINK, f'href="{CONFIG_FILE}?token={self.token}"'.encode())

    def allows(self, headers, method: str) -> bool:
        """Whether a request with these headers comes from this server's own page, by its own address."""
        if headers.get_all("Host", []) != [self.origin.removeprefix("http://")]:
            return False
        origin = headers.get_all("Origin", [])
        if origin != [self.origin] and (origin or method == "POST"):
            return False
        site = headers.get_all("Sec-Fetch-Site", ["same-origin"])  # sent by browsers only
        return site == ["same-origin"] or (site == ["none"] and method == "GET")  # "none": typed, opened

    def has_key(self, query: str) -> bool:
        given = parse_qs(query).get("token", [])
        return len(given) == 1 and hmac.compare_digest(given[0].encode(), self.token.encode())


class Handler(BaseHTTPRequestHandler):
    server: EditorServer

    def _send(self, status: int, body: bytes, content_type: str, location: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("X-Frame-Options", "DENY")
        self.send_header("Content-Security-Policy", "frame-ancestors 'none'")
        if location:
            self.send_header("Location", location)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, value: object) -> None:
        self._send(status, json.dumps(value).encode("utf-8"), "application/json; charset=utf-8")

    def _target(self) -> tuple[str, str] | None:
        """(path, query) of the request, or None (after refusing it) when it may not be answered."""
        if not self.path.startswith("/") or self.path.startswith("//") or not self.server.allows(self.headers, self.command):
            self._json(403, {"error": "refused: open the address that cms_serve.py printed"})
            return None
        target = urlsplit(self.path)
        return target.path, target.query

    def do_GET(self) -> None:  # noqa: N802 (the http.server API)
        target = self._target()
        if target is None:
            return
        path, query = target
        path = path.lstrip("/")
        if path in ("", ADMIN_DIR):
            self._send(302, b"", "text/plain", location=f"/{ADMIN_DIR}/" + (f"?{query}" if query else ""))
            return
        if path.endswith("/"):
            path += "index.html"
        if path in (INDEX, CONFIG) and not self.server.has_key(query):
            self._send(403, b"Open the address that cms_serve.py printed: it holds this run's key.\n",
                       "text/plain; charset=utf-8")
            return
        body = self.server.files.get(path)
        if body is None:
            self._send(404, b"Not found\n", "text/plain; charset=utf-8")
            return
        self._send(200, body, TYPES.get(Path(path).suffix, "application/octet-stream"))

    def do_POST(self) -> None:  # noqa: N802
        target = self._target()
        if target is None:
            return
        path, query = target
        if path != API:
            self._json(404, {"error": "not found"})
            return
        if not self.server.has_key(query):
            self._json(403, {"error": "refused: this run's key is missing or wrong"})
            return
        if self.headers.get_content_type() != "application/json":
            self._json(415, {"error": "the body must be JSON (Content-Type: application/json)"})
            return
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            self._json(413 if length > MAX_BODY else 411, {"error": f"a body of at most {MAX_BODY} bytes is needed"})
            return
        try:
            request = json.loads(self.rfile.read(length))
        except ValueError:
            self._json(400, {"error": "the body is not JSON"})
            return
        try:
            answer = handle(self.server.guard, request)
        except Refused as refused:
            self._json(refused.status, {"error": str(refused)})
            return
        except OSError as error:
            self._json(500, {"error": f"{error.strerror or error}"})
            return
        self._json(200, answer)

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


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
    children = []
    if not args.no_preview:
        children.append(subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"{HOST}:{args.preview_port}", "-f",
             str(root / "mkdocs.yml")], cwd=root, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Edit the content at {server.admin_url}\n(it saves into {root / 'content'}; "
          "the address holds this run's key: open it as printed).")
    if not args.no_preview:
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
        for child in children:
            child.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())

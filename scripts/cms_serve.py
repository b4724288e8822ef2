#!/usr/bin/env python3
"""Edit the content in the web editor on your own machine: one command, then open the address it prints.

    python scripts/cms_serve.py           the editor at http://127.0.0.1:8080/admin/ and the
                                          site, rebuilt as you save, at http://127.0.0.1:8000/
    python scripts/cms_serve.py --no-preview
                                          the editor only

The editor saves straight into content/ on this machine (no login, no pull request): check with
`python scripts/build.py --check`, then commit the changes as usual. It needs `npm ci` once (it
installs the editor into node_modules/). Press Ctrl+C to stop.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from oirsite.cms_admin import admin_files  # noqa: E402

HOST = "127.0.0.1"
TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".yml": "text/yaml; charset=utf-8", ".wasm": "application/wasm", ".txt": "text/plain; charset=utf-8"}


def start_backend(content_root: Path, port: int, project_root: Path = ROOT) -> subprocess.Popen:
    """Start decap-server (from node_modules) on 127.0.0.1:``port``, reading and writing the files of
    ``content_root`` (a folder that holds content/); return once it answers."""
    server = project_root / "node_modules" / ".bin" / "decap-server"
    node = shutil.which("node")
    if not server.exists() or node is None:
        raise SystemExit("The web editor is not installed: install Node.js, then run `npm ci` in "
                         f"{project_root}, then run this command again.")
    env = {**os.environ, "PORT": str(port), "BIND_HOST": HOST, "MODE": "fs",
           "GIT_REPO_DIRECTORY": str(content_root), "LOG_LEVEL": os.environ.get("LOG_LEVEL", "warn")}
    process = subprocess.Popen([str(server)], cwd=content_root, env=env, stdin=subprocess.DEVNULL)
    url = f"http://{HOST}:{port}/api/v1"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"The editor's local server stopped at once (port {port} may be in use).")
        try:
            request = urllib.request.Request(url, data=b'{"action":"info"}',
                                             headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=2):
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit(f"The editor's local server did not answer on {url}.")


def admin_server(files: dict[str, bytes], port: int = 0) -> ThreadingHTTPServer:
    """An HTTP server on 127.0.0.1 (``port`` 0: any free one) serving ``files`` (site path -> bytes);
    / leads to /admin/. Call ``serve_forever`` (in a thread) to run it."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the http.server API)
            path = self.path.split("?", 1)[0].split("#", 1)[0].lstrip("/")
            if path in ("", "admin"):
                self.send_response(302)
                self.send_header("Location", "/admin/")
                self.end_headers()
                return
            if path.endswith("/") or path == "":
                path += "index.html"
            body = files.get(path)
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", TYPES.get(Path(path).suffix, "application/octet-stream"))
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

    return ThreadingHTTPServer((HOST, port), Handler)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python scripts/cms_serve.py", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    parser.add_argument("--port", type=int, default=8080, help="the editor's port (default: 8080)")
    parser.add_argument("--backend-port", type=int, default=8081, help="the local server's port (default: 8081)")
    parser.add_argument("--preview-port", type=int, default=8000, help="the site preview's port (default: 8000)")
    parser.add_argument("--no-preview", action="store_true", help="do not serve the site itself")
    parser.add_argument("--root", default=str(ROOT), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    try:
        files = admin_files(ROOT, local_backend_url=f"http://{HOST}:{args.backend_port}/api/v1")
    except FileNotFoundError:
        print(f"The web editor is not installed: run `npm ci` in {ROOT}, then run this command again.",
              file=sys.stderr)
        return 1
    backend = start_backend(root, args.backend_port)
    children = [backend]
    if not args.no_preview:
        children.append(subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"{HOST}:{args.preview_port}", "-f",
             str(root / "mkdocs.yml")], cwd=root, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}))
    server = admin_server(files, args.port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Edit the content at http://{HOST}:{args.port}/admin/ (it saves into {root / 'content'}).")
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
        for child in children:
            child.terminate()
        for child in children:
            child.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())

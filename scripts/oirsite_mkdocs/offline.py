"""The offline build's one addition (``offline: true`` in mkdocs.offline.yml): the iframe-worker shim
as a file of the site, so that search runs opened from a folder (scripts/vendor/iframe-worker/README.md).

Opened from a folder, the shim runs the search in a frame it writes itself, which inherits the page's
Content-Security-Policy (no 'unsafe-inline': plugin.py). The published shim starts it with an inline
script naming the worker's address (where the folder was unzipped: no hash can allow it); this copy
writes a <script src> to FRAME_PATH instead (the same three statements, the address in a data- attribute).
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import Abort

SHIM = Path(__file__).resolve().parent.parent / "vendor" / "iframe-worker" / "shim.js"
SHIM_PATH = "assets/javascripts/iframe-worker-shim.js"  # where mkdocs.offline.yml's extra.polyfills points
FRAME_PATH = "assets/javascripts/iframe-worker-frame.js"  # beside it: the shim finds it from its own address

# The frame's inline script in shim.js 1.0.4 (a template literal: `${e}` is the worker's address,
# `${c}` and `${d}` the two functions that FRAME defines), and what takes its place.
INLINE = ('<script>postMessage=${c};importScripts=${d};addEventListener("error",({error})=>{parent.dispatchEvent('
          'new ErrorEvent("error",{filename:"${e}",error}))})<\\/script>')
EXTERNAL = '<script src="${__oirFrame}" data-worker="${e}"><\\/script>'
START = '"use strict";(()=>{'
FOUND_SELF = 'const __oirFrame=new URL("iframe-worker-frame.js",document.currentScript.src).href;'

FRAME = """\
"use strict";
// The search frame's start for iframe-worker (scripts/offline_hooks.py): what the shim's inline
// script does, from a file of the site, so that the page's policy needs no 'unsafe-inline'.
(() => {
  const worker = document.currentScript.dataset.worker;
  window.postMessage = (message, origin) => parent.postMessage(message, origin || "*");
  window.importScripts = (...urls) => urls.reduce((done, url) => done.then(() => new Promise((resolve) => {
    const script = document.createElement("script");
    script.src = url;
    script.onload = resolve;
    document.body.appendChild(script);
  })), Promise.resolve());
  addEventListener("error", ({ error }) => {
    parent.dispatchEvent(new ErrorEvent("error", { filename: worker, error }));
  });
})();
"""


def shim() -> str:
    """The vendored shim with its frame started from FRAME_PATH (an Abort if shim.js changed)."""
    text = SHIM.read_text(encoding="utf-8")
    if text.count(INLINE) != 1 or not text.startswith(START):
        raise Abort(f"{SHIM} is not the iframe-worker 1.0.4 shim that scripts/oirsite_mkdocs/offline.py rewrites: "
                    "update INLINE there (see scripts/vendor/iframe-worker/README.md)")
    return START + FOUND_SELF + text[len(START):].replace(INLINE, EXTERNAL)

// Material's script (its bundle, 35 KB compressed) loads when the reader first does something: a
// pointer, touch or click, a key, a focus, a scroll, a pointer over something with a tooltip (an
// abbreviation: the theme then shows its tooltip), or a page opened from a search result (?h=). Reading
// needs none of it: the page, its navigation, the drawer and the tabs are HTML and CSS, abbreviations
// have their title, and this script (in the head, overrides/main.html) does the two things the
// theme's script would do before the first paint: it marks the page as scripted (the search box
// shows) and it keeps the colour scheme the reader's system asks for.
"use strict";
(() => {
  const root = document.documentElement;
  root.classList.replace("no-js", "js");
  root.classList.add("oir-theme-pending"); // extra.css: sidebars as the theme shows them without script

  // A first visit: the scheme the theme would choose (the first palette whose media query matches),
  // saved where the theme's inline script in the header reads it, so the page is painted in it.
  const palette = JSON.parse(document.currentScript.dataset.palette || "[]");
  if (palette.length && !__md_get("__palette")) {
    const index = Math.max(0, palette.findIndex((option) => matchMedia(option.media).matches));
    __md_set("__palette", { index, color: palette[index] });
  }

  // The switch shows the button of the scheme in use, as the theme does (the others stay hidden).
  document.addEventListener("DOMContentLoaded", () => {
    const index = __md_get("__palette")?.index;
    document.querySelectorAll("[data-md-component=palette] input").forEach((input, i) => {
      if (input.nextElementSibling instanceof HTMLLabelElement) input.nextElementSibling.hidden = i !== index;
    });
  });

  const TRIGGERS = ["pointerdown", "touchstart", "click", "keydown", "focusin", "scroll"];
  const SWITCH = "[data-md-component=palette]"; // its buttons' clicks are the theme's script's to answer
  let state = "waiting"; // then "loading", then "ready"
  let key = null; // the first key, given to the theme once it listens
  let clicks = 0; // clicks on the colour switch, given to the theme once it listens

  const editable = (target) => target instanceof Element && target.closest("input, select, textarea, [contenteditable]");
  const onKey = (event) => {
    if (state === "ready" || key) return;
    key = event;
    // The theme's keys for search (f, s, /) do nothing else here: the browser's own use waits.
    if (["f", "s", "/"].includes(event.key) && !event.metaKey && !event.ctrlKey && !editable(event.target)) event.preventDefault();
  };
  const onClick = (event) => {
    if (state === "ready" || !(event.target instanceof Element && event.target.closest(`${SWITCH} label`))) return;
    event.preventDefault();
    clicks += 1;
  };

  const onHover = (event) => event.target instanceof Element && event.target.closest("[title]") && start();
  const start = () => {
    if (state !== "waiting") return;
    state = "loading";
    TRIGGERS.forEach((type) => removeEventListener(type, start, true));
    removeEventListener("pointerover", onHover, true);
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", inject);
    else inject();
  };

  // The theme starts on DOMContentLoaded, which has fired by now: while its script runs, a listener
  // it adds for that event is called at once (after the script), with the same event.
  const inject = () => {
    const later = document.querySelector("script[data-oir-theme]");
    const script = document.createElement("script");
    script.src = later.dataset.oirTheme;
    const started = [];
    document.addEventListener = function (type, listener, options) {
      if (type !== "DOMContentLoaded") return EventTarget.prototype.addEventListener.call(this, type, listener, options);
      started.push(listener);
    };
    script.addEventListener("load", () => {
      delete document.addEventListener;
      const event = new Event("DOMContentLoaded");
      started.forEach((listener) => (typeof listener === "function" ? listener.call(document, event) : listener.handleEvent(event)));
      setTimeout(ready);
    });
    later.after(script);
  };

  const ready = () => {
    state = "ready";
    root.classList.remove("oir-theme-pending");
    removeEventListener("keydown", onKey, true);
    removeEventListener("click", onClick, true);
    if (key) {
      const { key: name, code, shiftKey, altKey } = key;
      (key.target instanceof Element && key.target.isConnected ? key.target : document.body)
        .dispatchEvent(new KeyboardEvent("keydown", { key: name, code, shiftKey, altKey, bubbles: true, cancelable: true }));
    }
    for (; clicks > 0; clicks -= 1) document.querySelector(`${SWITCH} label:not([hidden])`)?.click();
    // Search opened before (its icon is a label): its box takes the focus, as the theme gives it.
    if (document.getElementById("__search")?.checked) document.querySelector("[data-md-component=search-query]")?.focus();
  };

  addEventListener("keydown", onKey, true);
  addEventListener("click", onClick, true);
  TRIGGERS.forEach((type) => addEventListener(type, start, { capture: true, passive: true }));
  addEventListener("pointerover", onHover, { capture: true, passive: true });
  if (new URLSearchParams(location.search).has("h")) start(); // a result's words are highlighted
})();

// Zensical's search dialog lives in a shadow root, which no stylesheet of the page reaches. Its
// result paths (45% of the text colour), matched words (the accent colour) and the headings of its
// filters (half opacity) fall short of the 4.5:1 contrast that axe-core asks for
// (tests/browser/test_zensical_site.py): darken them, and show matched words in the text colour,
// bold and underlined as they are, in every colour scheme.
(function () {
  var css = "[role=listbox] menu { color: rgb(var(--color-foreground) / .75); }" +
            "[role=listbox] mark { color: rgb(var(--color-foreground)); font-weight: 700; }" +
            "dialog h4[id] { opacity: 1; }";
  // A region that scrolls must be reachable by keyboard (axe: scrollable-region-focusable).
  function focusable(root) {
    var all = root.querySelectorAll("*");
    for (var i = 0; i < all.length; i++) {
      var el = all[i];
      if (el.scrollHeight > el.clientHeight + 1 && el.tabIndex < 0 && !el.querySelector("a, button, input")) {
        el.tabIndex = 0;
      }
    }
  }
  function fix(root) {
    if (root && !root.querySelector("style[data-oir-contrast]")) {
      var style = document.createElement("style");
      style.setAttribute("data-oir-contrast", "");
      style.textContent = css;
      root.appendChild(style);
      new MutationObserver(function () { focusable(root); }).observe(root, { childList: true, subtree: true });
    }
    if (root) focusable(root);
  }
  function scan() {
    for (var i = 0; i < document.body.children.length; i++) fix(document.body.children[i].shadowRoot);
  }
  scan();
  new MutationObserver(scan).observe(document.body, { childList: true });
})();

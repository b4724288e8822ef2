// The search's index and worker load when the reader opens search (the search field takes the
// focus: a click, the search icon, the keys f, s, /), not with every page. Material asks for both
// as its bundle starts: run just before it (overrides/main.html), this holds them until then. A
// page opened from a result (?h=, to highlight the words) loads the index at once.
"use strict";
(() => {
  const INDEX = /\/search\/search_index\.json$/;
  const WORKER = /\/workers\/search\.[^/]*\.js$/;
  const waiting = [];
  let opened = new URLSearchParams(location.search).has("h");
  const whenOpen = (start) => (opened ? start() : waiting.push(start));
  const open = () => {
    if (!opened) {
      opened = true;
      waiting.splice(0).forEach((start) => start());
    }
  };
  document.addEventListener("focusin", (event) => {
    if (event.target instanceof Element && event.target.matches("[data-md-component=search-query]")) open();
  });
  document.addEventListener("change", (event) => {
    if (event.target instanceof Element && event.target.id === "__search" && event.target.checked) open();
  });

  const path = (url) => new URL(url, location.href).pathname;
  const { open: xhrOpen, send: xhrSend } = XMLHttpRequest.prototype;
  const held = new WeakSet();
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    if (INDEX.test(path(url))) held.add(this);
    return xhrOpen.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function (...body) {
    if (!held.has(this)) return xhrSend.apply(this, body);
    whenOpen(() => xhrSend.apply(this, body));
  };

  // A stand-in for the search's worker: starts the real one (the offline build's iframe-worker
  // from a folder) when search opens, and passes messages both ways, in order.
  const Started = window.Worker;
  window.Worker = function (url, options) {
    if (!WORKER.test(path(url))) return new Started(url, options);
    const stand = new EventTarget();
    const queue = [];
    let worker = null;
    stand.postMessage = (...message) => (worker ? worker.postMessage(...message) : queue.push(message));
    stand.terminate = () => worker && worker.terminate();
    whenOpen(() => {
      worker = new Started(url, options);
      worker.addEventListener("message", (event) => stand.dispatchEvent(new MessageEvent("message", { data: event.data })));
      worker.addEventListener("error", (event) => stand.dispatchEvent(new ErrorEvent("error", { message: event.message, error: event.error })));
      queue.splice(0).forEach((message) => worker.postMessage(...message));
    });
    return stand;
  };
})();

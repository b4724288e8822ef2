// Runs after decap-cms.js. Before an entry is saved, empty optional fields are removed, so that
// the file holds only what the editor filled in: an untouched optional field would otherwise be
// written as '' or {} and the check would refuse it (a field that is there must have a value).
(function () {
  "use strict";
  function isMap(value) { return value && value["@@__IMMUTABLE_MAP__@@"] === true; }
  function isList(value) { return value && value["@@__IMMUTABLE_LIST__@@"] === true; }
  function isEmpty(value) {
    return value === null || value === undefined ||
      (typeof value === "string" && value.trim() === "") ||
      ((isMap(value) || isList(value)) && value.size === 0);
  }
  function prune(value) {
    if (isMap(value)) {
      return value.map(prune).filter(function (item) { return !isEmpty(item); });
    }
    if (isList(value)) {
      return value.map(prune).filter(function (item) { return !isEmpty(item); });
    }
    return value;
  }
  window.CMS.registerEventListener({
    name: "preSave",
    handler: function (event) {
      var data = event.entry.get("data");
      var body = data.get("body");
      var pruned = prune(data);
      // The Markdown body of a page may be empty, but it stays where it was.
      return body === undefined ? pruned : pruned.set("body", body);
    },
  });
})();

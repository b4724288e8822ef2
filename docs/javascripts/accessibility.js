// Material's search dialog carries role="dialog" but no accessible name (axe: aria-dialog-name).
// Name it, so that screen readers announce what the dialog is.
document.querySelectorAll('.md-search[role="dialog"]').forEach(function (dialog) {
  dialog.setAttribute("aria-label", "Search");
});

// The breadcrumbs (navigation.path) share the label "Navigation" with the main navigation
// (axe: landmark-unique). Give them their own name.
document.querySelectorAll("nav.md-path").forEach(function (path) {
  path.setAttribute("aria-label", "Breadcrumbs");
});

// The search form's "Show results" button (overrides/partials/search.html): submitting the form
// moves the focus to the first result (or to the list of results), instead of reloading the page.
document.querySelectorAll("form.md-search__form").forEach(function (form) {
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var target = document.querySelector(".md-search-result__link") || document.querySelector(".md-search__scrollwrap");
    if (target) {
      target.focus();
    }
  });
});

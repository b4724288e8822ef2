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

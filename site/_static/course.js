// The course site's one script of its own.
//
// Sphinx's search shows a summary under each result by fetching that page; Chromium refuses such
// fetches from a page opened from file:// (CORS), so there the results show their titles only,
// without an error for each one. Served over http (python -m http.server) the summaries appear.
if (window.location.protocol === "file:" && typeof DOCUMENTATION_OPTIONS !== "undefined") {
  DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;
}

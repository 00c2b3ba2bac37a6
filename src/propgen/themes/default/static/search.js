// The search page (search.html): Pagefind's own interface over the index propgen made of the
// site's public pages (search.py). Everything it loads comes from this site's pagefind/ folder.
// A link to /search/?q=gala opens with that search done.
"use strict";

(function () {
  var box = document.querySelector("[data-search]");
  if (!box || typeof PagefindUI === "undefined") return;
  var ui = new PagefindUI({
    element: "#" + box.id,
    bundlePath: box.dataset.bundle,
    baseUrl: box.dataset.base,
    showImages: false,
    showSubResults: false,
    resetStyles: false,
    translations: { placeholder: box.dataset.placeholder },
  });
  var input = box.querySelector("input");
  if (input) input.setAttribute("aria-labelledby", "search-label"); // named by the page's visible label
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) ui.triggerSearch(query);
})();

// Filters the events index by kind of event without leaving the page.
// Without JavaScript the same links open the per-kind pages, so nothing depends on this.
(function () {
  var nav = document.querySelector("[data-filters]");
  var cards = document.querySelectorAll("[data-cards] [data-type]");
  var status = document.querySelector("[data-filter-status]");
  if (!nav || !cards.length) return;
  var chips = nav.querySelectorAll("[data-filter]");

  function apply(type) {
    var shown = 0;
    cards.forEach(function (card) {
      var match = !type || card.getAttribute("data-type") === type;
      card.hidden = !match;
      if (match) shown += 1;
    });
    chips.forEach(function (chip) {
      if (chip.getAttribute("data-filter") === type) chip.setAttribute("aria-current", "page");
      else chip.removeAttribute("aria-current");
    });
    if (status) status.textContent = type ? shown + " / " + cards.length : "";
  }

  chips.forEach(function (chip) {
    chip.addEventListener("click", function (event) {
      event.preventDefault();
      var type = chip.getAttribute("data-filter");
      history.replaceState(null, "", type ? "#" + type : location.pathname);
      apply(type);
    });
  });
  var initial = decodeURIComponent(location.hash.slice(1));
  if (initial && nav.querySelector('[data-filter="' + initial.replace(/"/g, "") + '"]')) apply(initial);
})();

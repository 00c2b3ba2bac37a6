// Gallery viewer: a photo of an event page's gallery opens in a <dialog> at full width,
// with its caption; arrows (and a swipe) step through the gallery, Esc or the close button
// closes it and gives the focus back to the photo that opened it. Without JavaScript each
// photo is a plain link to its largest rendition, so nothing depends on this file.
(function () {
  "use strict";
  var dialog = document.querySelector("[data-lightbox]");
  var links = Array.prototype.slice.call(document.querySelectorAll("[data-gallery] a[data-src]"));
  if (!dialog || !links.length || typeof dialog.showModal !== "function") return;
  var figure = dialog.querySelector(".lightbox-figure");
  var caption = dialog.querySelector(".lightbox-caption");
  var count = dialog.querySelector(".lightbox-count");
  // A <picture> as the page's photos are: AVIF or WebP where the browser reads them (a
  // fraction of the JPEG's bytes on a phone), the JPEG otherwise.
  var picture = document.createElement("picture");
  var sources = ["avif", "webp"].map(function (format) {
    var source = document.createElement("source");
    source.type = "image/" + format;
    source.sizes = "100vw";
    picture.appendChild(source);
    return { element: source, key: format + "Srcset" };
  });
  var image = document.createElement("img");
  image.className = "lightbox-image";
  image.decoding = "async";
  picture.appendChild(image);
  figure.insertBefore(picture, caption);
  var index = 0;
  var opener = null;
  var startX = null;

  function show(next) {
    index = (next + links.length) % links.length;
    var link = links[index];
    sources.forEach(function (source) {
      // a source without a srcset is skipped by the browser: this photo has no such rendition
      if (link.dataset[source.key]) source.element.srcset = link.dataset[source.key];
      else source.element.removeAttribute("srcset");
    });
    image.removeAttribute("srcset");
    image.src = link.dataset.src;
    if (link.dataset.srcset) {
      image.srcset = link.dataset.srcset;
      image.sizes = "100vw";
    }
    image.width = Number(link.dataset.width) || 0;
    image.height = Number(link.dataset.height) || 0;
    image.alt = link.dataset.caption || "";
    caption.textContent = link.dataset.caption || "";
    count.textContent = index + 1 + " / " + links.length;
  }

  links.forEach(function (link, position) {
    link.addEventListener("click", function (event) {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      opener = link;
      show(position);
      dialog.showModal();
      dialog.querySelector(".lightbox-close").focus();
    });
  });
  dialog.querySelector(".lightbox-prev").addEventListener("click", function () { show(index - 1); });
  dialog.querySelector(".lightbox-next").addEventListener("click", function () { show(index + 1); });
  dialog.querySelector(".lightbox-close").addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("keydown", function (event) {
    if (event.key === "ArrowLeft") show(index - 1);
    else if (event.key === "ArrowRight") show(index + 1);
    else return;
    event.preventDefault();
  });
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) dialog.close(); // a click on the backdrop
  });
  dialog.addEventListener("touchstart", function (event) { startX = event.touches[0].clientX; }, { passive: true });
  dialog.addEventListener("touchend", function (event) {
    if (startX === null) return;
    var moved = event.changedTouches[0].clientX - startX;
    startX = null;
    if (Math.abs(moved) > 40) show(index + (moved < 0 ? 1 : -1));
  });
  dialog.addEventListener("close", function () {
    if (opener) opener.focus();
    opener = null;
  });
})();

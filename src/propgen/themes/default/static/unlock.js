// Opens a password-protected proposal in the browser. The page carries the proposal
// encrypted with AES-GCM under a PBKDF2-SHA256 key (parameters in the payload); nothing
// is sent anywhere: the password and the decrypted proposal stay in this tab.
// The form arrives disabled and says it needs a current browser; only a browser that can
// decrypt gets it enabled, and its submission is always cancelled, never sent.
(function () {
  var form = document.querySelector("[data-unlock]");
  var source = document.getElementById("propgen-payload");
  if (!form || !source) return;
  var fields = form.querySelector("[data-fields]");
  var field = form.querySelector("input[type=password]");
  var wrong = form.querySelector("[data-wrong]");
  var unsupported = form.querySelector("[data-unsupported]");
  var busy = form.querySelector("[data-busy]");
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  if (!window.isSecureContext) {
    unsupported.hidden = true;
    form.querySelector("[data-insecure]").hidden = false;
    return;
  }
  if (!window.crypto || !window.crypto.subtle || !window.TextEncoder) return;
  var payload = JSON.parse(source.textContent);

  function bytes(b64) {
    var raw = atob(b64), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  async function open(password) {
    var material = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveKey"]);
    var key = await crypto.subtle.deriveKey(
      { name: "PBKDF2", hash: "SHA-256", salt: bytes(payload.salt), iterations: payload.iterations },
      material, { name: "AES-GCM", length: 256 }, false, ["decrypt"]);
    var plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: bytes(payload.iv) }, key, bytes(payload.data));
    // The content is padded with spaces to a multiple of 1 KiB, so its size tells nothing.
    return JSON.parse(new TextDecoder().decode(plain).replace(/ +$/, ""));
  }

  form.addEventListener("submit", async function () {
    wrong.hidden = true;
    busy.hidden = false;
    try {
      var doc = await open(field.value);
      document.title = doc.title;
      var main = document.getElementById("main");
      main.innerHTML = doc.html;
      // The printed header and footer (partials/print-running.html) name the proposal: only now.
      var running = main.querySelector("[data-print-style]");
      if (running) document.documentElement.style.cssText = running.getAttribute("data-print-style");
      document.dispatchEvent(new CustomEvent("propgen:unlocked"));  // quote.js brings the quote to life
      main.focus();
      window.scrollTo(0, 0);
    } catch (error) {
      wrong.hidden = false;
      field.select();
    } finally {
      busy.hidden = true;
    }
  });
  unsupported.hidden = true;
  fields.disabled = false;
})();

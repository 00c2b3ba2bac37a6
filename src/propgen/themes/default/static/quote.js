// The quote the client shapes: ticking an optional line, changing a quantity within its
// range or picking one line of a group recomputes every figure of the page (lines, section
// subtotals, discount, service charge, tax, total, instalments, cancellation amounts) by the
// same rules as propgen's money.py, in integer minor units (BigInt), never floating point.
// Money is formatted with the locale's data propgen took from Babel at build time (the page's
// JSON), so the figures look exactly like the ones the server wrote.
// compute() and format() are pure and run in Node too: tests/e2e/test_quote_exact.py holds
// them to money.py on hundreds of generated budgets.
(function () {
  "use strict";
  var ZERO = BigInt(0), TWO = BigInt(2), TEN = BigInt(10), HUNDRED = BigInt(100);

  // "12.5" -> [125n, 10n]: an exact decimal as numerator and power-of-ten denominator.
  function ratio(text) {
    var parts = String(text).split(".");
    var fraction = parts[1] || "";
    return [BigInt(parts[0] + fraction), TEN ** BigInt(fraction.length)];
  }

  // num/den rounded half away from zero (Python's ROUND_HALF_UP); den > 0.
  function roundHalfUp(num, den) {
    var negative = num < ZERO;
    var q = (TWO * (negative ? -num : num) + den) / (TWO * den);
    return negative ? -q : q;
  }

  function percentOf(base, percent) {
    var p = ratio(percent);
    return roundHalfUp(base * p[0], p[1] * HUNDRED);
  }

  function charge(spec, base) {
    if (!spec) return ZERO;
    return spec.percent !== undefined ? percentOf(base, spec.percent) : BigInt(spec.amount);
  }

  // Every figure of a selection (one quantity as text, or null when left out, per line).
  function compute(data, selection) {
    var lines = [], sections = [], subtotal = ZERO, i;
    for (i = 0; i < data.sections; i++) sections.push(ZERO);
    data.lines.forEach(function (line, index) {
      var qty = ratio(selection[index] === null ? line.qty : selection[index]);
      var amount = (BigInt(line.price) * qty[0]) / qty[1];
      lines.push(amount);
      if (selection[index] !== null) {
        sections[line.section] += amount;
        subtotal += amount;
      }
    });
    var discount = charge(data.discount, subtotal);
    var service = charge(data.service, subtotal - discount);
    var tax = charge(data.tax, subtotal - discount + service);
    var total = subtotal - discount + service + tax;
    var payments = [], paid = ZERO;
    data.payments.forEach(function (percent, index) {
      var amount = index === data.payments.length - 1 ? total - paid : percentOf(total, percent);
      paid += amount;
      payments.push(amount);
    });
    var cancellation = data.cancellation.map(function (percent) { return percentOf(total, percent); });
    return {
      lines: lines,
      sections: sections,
      totals: [subtotal, discount, service, tax, total],
      payments: payments,
      cancellation: cancellation
    };
  }

  function group(digits, grouping, symbol) {
    if (digits.length <= grouping[0]) return digits;
    var out = digits.slice(-grouping[0]), rest = digits.slice(0, -grouping[0]);
    while (rest.length > grouping[1]) {
      out = rest.slice(-grouping[1]) + symbol + out;
      rest = rest.slice(0, -grouping[1]);
    }
    return rest + symbol + out;
  }

  // An amount in minor units (0 or more) as Babel writes it; `cents` shows a zero fraction too.
  function format(minor, cents, f) {
    var scale = TEN ** BigInt(f.digits);
    var whole = minor / scale, fraction = minor % scale;
    var withFraction = f.digits > 0 && (cents || fraction !== ZERO);
    var text = group(whole.toString(), f.grouping, f.group);
    if (withFraction) text += f.decimal + fraction.toString().padStart(f.digits, "0");
    var k = withFraction ? 1 : 0;
    return f.prefix[k] + text + f.suffix[k];
  }

  // Either every amount of the budget shows cents or none does (as the server decides).
  function hasCents(data, figures) {
    var scale = TEN ** BigInt(data.format.digits);
    var all = [].concat(
      data.lines.map(function (line) { return BigInt(line.price); }),
      figures.lines, figures.sections, figures.totals, figures.payments, figures.cancellation
    );
    return all.some(function (x) { return x % scale !== ZERO; });
  }

  var api = { compute: compute, format: format, hasCents: hasCents };
  if (typeof module !== "undefined" && module.exports) {
    module.exports = api;
    return;
  }

  // -- the page -------------------------------------------------------------------------
  function init(root) {
    var source = root.querySelector("#propgen-quote");
    if (!source || source.dataset.ready) return;
    source.dataset.ready = "1";
    var data = JSON.parse(source.textContent);
    var quote = root.querySelector("[data-quote]");
    if (!quote) return;
    quote.classList.add("is-live");

    function selection() {
      return data.lines.map(function (line, index) {
        var pick = root.querySelector('[data-pick="' + index + '"]');
        if (pick && !pick.checked) return null;
        var qty = root.querySelector('[data-qty="' + index + '"]');
        if (qty && line.range) {
          var n = parseInt(qty.value, 10);
          if (isNaN(n)) n = parseInt(line.qty, 10);
          n = Math.min(Math.max(n, line.range[0]), line.range[1]);
          return String(n);
        }
        return line.qty;
      });
    }

    function show(kind, index, minor, cents, negative) {
      root.querySelectorAll('[data-figure="' + kind + '"][data-index="' + index + '"]').forEach(function (el) {
        el.textContent = (negative ? "\u2212" : "") + format(minor, cents, data.format);
      });
    }

    function update() {
      var chosen = selection();
      var figures = compute(data, chosen);
      var cents = hasCents(data, figures);
      figures.lines.forEach(function (minor, i) {
        show("line", i, minor, cents);
        var row = root.querySelector('[data-line="' + i + '"]');
        if (row) {
          row.classList.toggle("is-off", chosen[i] === null);
          if (data.lines[i].choice) row.hidden = chosen[i] === null;
        }
        var card = root.querySelector('[data-card="' + i + '"]');
        if (card) card.classList.toggle("is-chosen", chosen[i] !== null);
      });
      data.lines.forEach(function (line, i) {
        show("price", i, BigInt(line.price), cents);
      });
      figures.sections.forEach(function (minor, i) { show("section", i, minor, cents); });
      ["subtotal", "discount", "service", "tax", "total"].forEach(function (name, i) {
        show(name, 0, figures.totals[i], cents, name === "discount");
      });
      figures.payments.forEach(function (minor, i) { show("payment", i, minor, cents); });
      figures.cancellation.forEach(function (minor, i) { show("cancellation", i, minor, cents); });
      acceptance(chosen, figures, cents);
    }

    // "2 days", "1 day": the unit's text for the quantity's CLDR plural category (the server
    // gives one per category, from the catalog), the number grouped as the page groups it.
    function quantity(qty, row) {
      var forms = row && row.dataset.unitForms ? JSON.parse(row.dataset.unitForms) : { other: "{n}" };
      var category = new Intl.PluralRules(document.documentElement.lang || "en").select(Number(qty));
      var number = group(String(qty), data.format.grouping, data.format.group);
      return (forms[category] || forms.other).replace("{n}", number);
    }

    // The acceptance carries the choice: a summary, the form's fields and the email.
    function acceptance(chosen, figures, cents) {
      var form = root.querySelector("[data-accept]");
      if (!form) return;
      var names = [];
      chosen.forEach(function (qty, i) {
        if (qty === null) return;
        var row = root.querySelector('[data-line="' + i + '"]');
        var label = row ? row.dataset.item : "";
        names.push(label + ": " + quantity(qty, row));
      });
      var total = format(figures.totals[4], cents, data.format);
      var first = figures.payments.length ? format(figures.payments[0], cents, data.format) : "";
      var name = form.querySelector("[data-signature]");
      var signed = name ? name.value.trim() : "";
      var today = new Date();
      var date = today.getFullYear() + "-" + String(today.getMonth() + 1).padStart(2, "0") + "-" + String(today.getDate()).padStart(2, "0");
      var fields = { lines: names.join("\n"), total_minor: figures.totals[4].toString(), total: total, name: signed, date: date };
      Object.keys(fields).forEach(function (key) {
        var input = form.querySelector('input[type=hidden][name="' + key + '"]');
        if (input) input.value = fields[key];
      });
      var list = form.querySelector("[data-summary-lines]");
      if (list) {
        list.textContent = "";
        names.forEach(function (text) {
          var li = document.createElement("li");
          li.textContent = text;
          list.appendChild(li);
        });
      }
      form.querySelectorAll("[data-summary-total]").forEach(function (el) { el.textContent = total; });
      form.querySelectorAll("[data-summary-first]").forEach(function (el) { el.textContent = first; });
      var mail = form.querySelector("[data-mailto]");
      if (mail) {
        var fill = function (text) {
          return text.replace("{lines}", names.map(function (n) { return "- " + n; }).join("\n"))
            .replace("{total}", total).replace("{first}", first)
            .replace("{name}", signed || mail.dataset.unsigned).replace("{date}", date);
        };
        mail.href = "mailto:" + mail.dataset.address + "?subject=" + encodeURIComponent(fill(mail.dataset.subject)) +
          "&body=" + encodeURIComponent(fill(mail.dataset.body).replace(/\r?\n/g, "\r\n"));
      }
      var ready = !name || signed.length > 0;
      form.querySelectorAll("[data-needs-name]").forEach(function (el) {
        el.setAttribute("aria-disabled", ready ? "false" : "true");
        if (el.tagName === "BUTTON") el.disabled = !ready;
      });
      var hint = form.querySelector("[data-name-hint]");
      if (hint) hint.hidden = ready;
    }

    quote.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("[data-step]") : null;
      if (!button) return;
      var input = root.querySelector('[data-qty="' + button.dataset.for + '"]');
      var line = data.lines[Number(button.dataset.for)];
      var n = (parseInt(input.value, 10) || 0) + Number(button.dataset.step);
      input.value = String(Math.min(Math.max(n, line.range[0]), line.range[1]));
      update();
    });
    root.addEventListener("change", update);
    root.addEventListener("input", update);
    root.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("[data-mailto]") : null;
      if (link && link.getAttribute("aria-disabled") === "true") {
        event.preventDefault();
        var name = root.querySelector("[data-signature]");
        if (name) name.focus();
      }
    });
    update();
  }

  window.propgenQuote = { init: init, compute: compute, format: format };
  init(document);
  // A protected proposal is decrypted into the page by unlock.js, which then says so.
  document.addEventListener("propgen:unlocked", function () { init(document); });
})();

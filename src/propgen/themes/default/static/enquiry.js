// The enquiry form (partials/enquiry.html). Two jobs, no framework:
// 1. accessible errors: when the browser's own validation refuses a field, the field is marked
//    aria-invalid and its message is written under it (and read out through aria-describedby);
// 2. without a form endpoint (no `enquiry.action`), the form is shown (it is hidden for visitors
//    without JavaScript, who get a plain email link instead) and sending it opens the visitor's
//    mail app with every filled field in the body. The same link stays on the page, in case no
//    mail app opens.
"use strict";

(function () {
  function errorFor(field) {
    var id = field.id + "-error";
    var message = document.getElementById(id);
    if (!message) {
      message = document.createElement("span");
      message.id = id;
      message.className = "field-error";
      field.insertAdjacentElement("afterend", message);
      var described = field.getAttribute("aria-describedby");
      field.setAttribute("aria-describedby", described ? described + " " + id : id);
    }
    return message;
  }

  function mailtoUrl(form) {
    var lines = [];
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || !field.dataset.label || !field.value.trim()) return;
      var value = field.tagName === "SELECT" ? field.options[field.selectedIndex].text : field.value.trim();
      lines.push(field.dataset.label + ": " + value);
    });
    var body = lines.join("\r\n");
    return "mailto:" + form.dataset.mailto + "?subject=" + encodeURIComponent(form.dataset.subject) + "&body=" + encodeURIComponent(body);
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-enquiry]"), function (form) {
    form.addEventListener("invalid", function (event) {
      var field = event.target;
      field.setAttribute("aria-invalid", "true");
      errorFor(field).textContent = field.validationMessage;
    }, true);
    form.addEventListener("input", function (event) {
      var field = event.target;
      if (field.getAttribute("aria-invalid") === "true" && field.checkValidity()) {
        field.removeAttribute("aria-invalid");
        errorFor(field).textContent = "";
      }
    });
    if (!form.dataset.mailto) return;
    form.hidden = false;
    var fallback = form.parentNode.querySelector("[data-enquiry-fallback]");
    if (fallback) fallback.hidden = true;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var url = mailtoUrl(form);
      var status = form.querySelector("[data-enquiry-status]");
      var link = document.createElement("a");
      link.href = url;
      link.textContent = status.dataset.linkText || form.dataset.mailto;
      status.textContent = (status.dataset.opening || "") + " ";
      status.appendChild(link);
      window.location.href = url;
    });
  });
})();

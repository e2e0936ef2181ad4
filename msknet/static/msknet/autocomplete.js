// Turns long member pickers (<select data-autocomplete>) into searchable
// comboboxes with GOV.UK's accessible-autocomplete. Without JavaScript, or if
// the library fails to load, the plain <select> still works.
(function () {
  "use strict";

  function enhance() {
    if (typeof window.accessibleAutocomplete === "undefined") {
      return;
    }
    var selects = document.querySelectorAll("select[data-autocomplete]");
    Array.prototype.forEach.call(selects, function (select) {
      var empty = select.querySelector('option[value=""]');
      var describedBy = select.getAttribute("aria-describedby");
      var inputClasses = "nhsuk-input";
      if (select.classList.contains("nhsuk-select--error")) {
        inputClasses += " nhsuk-input--error";
      }
      window.accessibleAutocomplete.enhanceSelectElement({
        selectElement: select,
        inputClasses: inputClasses,
        defaultValue: "",
        tNoResults: function () {
          return "No member has that name";
        },
        tStatusQueryTooShort: function (minQueryLength) {
          return "Type " + minQueryLength + " or more letters of a name";
        },
        // The <select> is what the form sends: it follows the box exactly, so
        // a box left empty, or with a name that is not in the list, sends
        // nobody (and the form says so if someone is needed).
        onConfirm: function (chosen) {
          if (chosen === undefined) {
            var input = document.getElementById(select.id.replace(/-select$/, ""));
            chosen = input ? input.value : "";
          }
          var match = Array.prototype.filter.call(select.options, function (option) {
            return option.value !== "" && option.textContent === chosen;
          })[0] || empty;
          if (match) {
            match.selected = true;
          }
        }
      });
      // The field's hint and error stay announced with the new text box.
      var input = document.getElementById(select.id.replace(/-select$/, ""));
      if (input && describedBy) {
        var own = input.getAttribute("aria-describedby");
        input.setAttribute("aria-describedby", own ? own + " " + describedBy : describedBy);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();

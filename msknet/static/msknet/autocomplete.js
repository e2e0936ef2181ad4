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
        // An emptied box means "nobody", so the <select> is cleared too.
        onConfirm: function (chosen) {
          if (chosen === undefined) {
            var input = document.getElementById(select.id.replace(/-select$/, ""));
            if (input && input.value === "" && empty) {
              empty.selected = true;
            }
            return;
          }
          Array.prototype.forEach.call(select.options, function (option) {
            option.selected = option.textContent === chosen;
          });
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

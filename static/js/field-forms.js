// Small helpers of the field forms (no inline script: the CSP forbids it).
// - "选用标准表述": the chosen standard phrase goes into the item's note, which is
//   then saved like a typed note (the card's form posts on "change").
// - The order form's 3/7/15/30 buttons fill the deadline field; its "input" event
//   asks the server for the due date (htmx GET, the calendar service).
(function () {
  "use strict";
  document.body.addEventListener("click", function (evt) {
    if (!evt.target.closest) { return; }
    var phrase = evt.target.closest(".use-phrase");
    if (phrase) {
      var note = document.getElementById(phrase.getAttribute("data-note"));
      if (note) {
        note.value = phrase.getAttribute("data-phrase");
        note.dispatchEvent(new Event("change", { bubbles: true }));
      }
      return;
    }
    var preset = evt.target.closest(".deadline-preset");
    if (preset) {
      var field = document.getElementById(preset.getAttribute("data-field"));
      if (field) {
        field.value = preset.getAttribute("data-days");
        field.dispatchEvent(new Event("input", { bubbles: true }));
      }
    }
  });
}());

// A filter box above a long select ([data-filter-select] names the select's id):
// typing a name, its pinyin or its initials hides the options that do not match
// (data-pinyin is set by the server). The chosen option always stays visible.
(function () {
  "use strict";
  document.body.addEventListener("input", function (evt) {
    var box = evt.target;
    if (!box.matches || !box.matches("[data-filter-select]")) { return; }
    var select = document.getElementById(box.getAttribute("data-filter-select"));
    if (!select) { return; }
    var query = box.value.trim().toLowerCase().replace(/\s+/g, "");
    Array.prototype.forEach.call(select.options, function (option) {
      if (!option.value) { return; }
      var haystack = (option.textContent + " " + (option.getAttribute("data-pinyin") || ""))
        .toLowerCase();
      var keys = haystack.split(" ");
      var match = !query || haystack.replace(/\s+/g, "").indexOf(query) >= 0 ||
        keys.some(function (key) { return key.indexOf(query) === 0; });
      option.hidden = !match && !option.selected;
    });
  });
}());

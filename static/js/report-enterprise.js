// The 12350 form's enterprise field: registry names as the citizen types (2+ characters),
// from GET /api/v1/public/reports/enterprises/?q=. Choosing a listed name links the
// registry enterprise (hidden field "enterprise"); any other text is kept as free text.
(function () {
  "use strict";
  var input = document.getElementById("enterprise_name");
  var list = document.getElementById("enterprise-options");
  var hidden = document.getElementById("enterprise");
  if (!input || !list || !hidden) { return; }
  var url = input.getAttribute("data-search-url");
  var known = {};
  var timer = null;

  function link() {
    hidden.value = Object.prototype.hasOwnProperty.call(known, input.value) ? known[input.value] : "";
  }

  function search() {
    var q = input.value.trim();
    if (q.length < 2) { return; }
    fetch(url + "?q=" + encodeURIComponent(q), {headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (rows) {
        list.textContent = "";
        known = {};
        rows.forEach(function (row) {
          var option = document.createElement("option");
          option.value = row.name;
          option.label = row.place;
          known[row.name] = String(row.id);
          list.appendChild(option);
        });
        link();
      })
      .catch(function () { /* free text still works */ });
  }

  input.addEventListener("input", function () {
    link();
    window.clearTimeout(timer);
    timer = window.setTimeout(search, 300);
  });
})();

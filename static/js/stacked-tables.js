// Stacked tables (one component for every list page and the public pages): under
// 576 px, a <table class="table-stack"> shows each row as a card, each cell under its
// column's name (site.css reads the name from data-label). This script copies the
// header texts into data-label once per cell, on load and after every htmx swap;
// a cell that already carries data-label (set in the template) keeps it. Without the
// script the table stays a plain table: nothing is hidden.
(function () {
  "use strict";
  function headers(table) {
    var row = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    var names = [];
    if (!row) { return names; }
    Array.prototype.forEach.call(row.cells, function (cell) {
      var span = cell.colSpan || 1;
      for (var i = 0; i < span; i += 1) { names.push(cell.textContent.trim()); }
    });
    return names;
  }
  function label(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var tables = Array.prototype.slice.call(scope.querySelectorAll("table.table-stack"));
    if (scope.matches && scope.matches("table.table-stack")) { tables.push(scope); }
    var inside = scope.closest && scope.closest("table.table-stack");
    if (inside) { tables.push(inside); }
    tables.forEach(function (table) {
      var names = headers(table);
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          var column = 0;
          Array.prototype.forEach.call(row.cells, function (cell) {
            if (!cell.hasAttribute("data-label") && cell.colSpan === 1) {
              cell.setAttribute("data-label", names[column] || "");
            }
            column += cell.colSpan || 1;
          });
        });
      });
      table.classList.add("table-stack-ready");
    });
  }
  document.addEventListener("DOMContentLoaded", function () { label(document); });
  document.addEventListener("htmx:afterSettle", function (evt) { label(evt.target); });
}());

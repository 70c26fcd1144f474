// The inspection page's live progress (no inline script: the CSP forbids it). The
// counts come from the answer cards: the server's answer (data-result), or the one
// given on site and still queued on the phone (data-pending-result, set by
// static/js/offline-queue.js, whose badge says how many wait to be sent). Updated on
// load, after every swap and whenever the queue changes: "已检查 a / n", the
// non-compliant count, the summary before 完成检查 and the "next unanswered item" link.
(function () {
  "use strict";
  function update() {
    var bar = document.querySelector("[data-inspection-progress]");
    if (!bar) { return; }
    var cards = document.querySelectorAll("[data-testid=item-card][data-result]");
    var tally = { pending: 0, compliant: 0, non_compliant: 0, not_applicable: 0 };
    var firstPending = null;
    Array.prototype.forEach.call(cards, function (card) {
      var result = card.getAttribute("data-pending-result") || card.getAttribute("data-result");
      if (Object.prototype.hasOwnProperty.call(tally, result)) { tally[result] += 1; }
      if (result === "pending" && !firstPending) { firstPending = card; }
    });
    tally.answered = cards.length - tally.pending;
    Array.prototype.forEach.call(document.querySelectorAll("[data-progress]"), function (el) {
      var key = el.getAttribute("data-progress");
      if (Object.prototype.hasOwnProperty.call(tally, key)) { el.textContent = tally[key]; }
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-progress-show]"),
      function (el) { el.hidden = !tally[el.getAttribute("data-progress-show")]; });
    var next = bar.querySelector("[data-next-pending]");
    if (next) {
      next.setAttribute("href", firstPending ? "#" + firstPending.id : "#complete");
      next.textContent = next.getAttribute(firstPending ? "data-text-next" : "data-text-done");
    }
  }
  // "去完成检查" opens the summary it jumps to.
  document.addEventListener("click", function (evt) {
    var link = evt.target.closest ? evt.target.closest("[data-next-pending]") : null;
    if (link && link.getAttribute("href") === "#complete") {
      var details = document.getElementById("complete");
      if (details) { details.open = true; }
    }
  });
  document.addEventListener("DOMContentLoaded", update);
  document.addEventListener("htmx:afterSettle", update);
  document.addEventListener("offline:changed", update);
}());

// Never fail silently (no inline script: the CSP forbids it).
//
// Every htmx save inside an element marked [data-save-item] (an answer card, an
// upload form) shows its state: while sending, and after a failure (network error,
// 5xx, 401 after the session expired, 403), the element carries data-save-state and
// the tapped answer is styled as not saved (site.css); only the card the server sends
// back after saving replaces it. A failed save is queued and retried in order: every
// few seconds while online, at once when the connection returns or the page is shown
// again, or with the retry button. A 401 shows the session banner, whose login link
// opens in a new tab so this page and its unsaved work stay; after logging in the
// queue is sent again with the new CSRF token (Django rotates it on login).
(function () {
  "use strict";
  if (!window.htmx) { return; }
  var RETRY_MS = 5000;
  var queue = [];   // forms whose last save failed, oldest first
  var texts = document.getElementById("save-messages");
  var banner = document.getElementById("session-banner");

  function text(key) { return (texts && texts.dataset[key]) || ""; }

  function cookie(name) {
    var parts = document.cookie ? document.cookie.split("; ") : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf("=");
      if (parts[i].slice(0, eq) === name) { return decodeURIComponent(parts[i].slice(eq + 1)); }
    }
    return "";
  }

  function holder(elt) { return elt && elt.closest ? elt.closest("[data-save-item]") : null; }

  function statusBox(form) {
    var own = form.querySelector(".save-status");
    if (own) { return own; }
    var item = holder(form);
    return item ? item.querySelector(".save-status") : null;
  }

  function show(form, state, message) {
    var item = holder(form);
    if (!item) { return; }
    item.setAttribute("data-save-state", state);
    var saved = item.querySelector("[data-testid=saved]");
    if (saved) { saved.remove(); }   // an earlier "saved" no longer tells the truth
    var box = statusBox(form);
    if (!box) { return; }
    box.hidden = false;
    box.querySelector(".save-status-text").textContent = message;
    box.querySelector(".save-retry").hidden = state !== "failed";
  }

  function clear(form) {
    var item = holder(form);
    if (item && document.contains(item)) {
      item.removeAttribute("data-save-state");
      var box = statusBox(form);
      if (box) { box.hidden = true; }
    }
  }

  function enqueue(form) {
    if (queue.indexOf(form) < 0) { queue.push(form); }
  }

  function dequeue(form) {
    var i = queue.indexOf(form);
    if (i >= 0) { queue.splice(i, 1); }
  }

  function resend(form) {
    if (!document.contains(form)) { dequeue(form); return; }
    htmx.trigger(form, form.getAttribute("data-retry-event") || "change");
  }

  function retryAll() {
    if (!navigator.onLine) { return; }
    queue.slice().forEach(resend);
  }

  function fromSaveItem(evt) {
    // The element that sent the request (in htmx:beforeSwap detail.elt is the target).
    var config = evt.detail && evt.detail.requestConfig;
    var elt = (config && config.elt) || (evt.detail && evt.detail.elt);
    return elt && holder(elt) ? elt.closest("form") || elt : null;
  }

  // The CSRF token of the current session: after logging in again in another tab the
  // token in the page is stale, the cookie holds the new one.
  document.body.addEventListener("htmx:configRequest", function (evt) {
    var token = cookie("csrftoken");
    if (!token) { return; }
    evt.detail.headers["X-CSRFToken"] = token;
    // Django reads the form field before the header: replace a stale one.
    if (evt.detail.verb !== "get" && evt.detail.parameters) {
      evt.detail.parameters.csrfmiddlewaretoken = token;
    }
  });

  document.body.addEventListener("htmx:beforeRequest", function (evt) {
    var form = fromSaveItem(evt);
    if (form) { show(form, "sending", text("sending")); }
  });

  document.body.addEventListener("htmx:beforeSwap", function (evt) {
    var form = fromSaveItem(evt);
    if (!form) { return; }
    var status = evt.detail.xhr.status;
    if (status === 400 || status === 409 || status === 413) {
      // A refusal with its reason in Chinese (bad file, closed inspection): shown,
      // not retried — sending it again would be refused the same way.
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
      dequeue(form);
      clear(form);
      return;
    }
    if (status >= 200 && status < 300) {
      if (evt.detail.xhr.responseURL && evt.detail.xhr.responseURL.indexOf("/login/") >= 0) {
        // A redirect to the login page was followed: never swap the login form in.
        evt.detail.shouldSwap = false;
        failed(form, 401);
        return;
      }
      // Saved. Booked here, not in afterRequest: an answer card is replaced by the
      // swap, and events of a detached element never reach the body.
      saved(form);
    }
  });

  function saved(form) {
    dequeue(form);
    if (!queue.length && banner) { banner.hidden = true; }
    clear(form);
  }

  function failed(form, status) {
    enqueue(form);
    if (status === 401) {
      if (banner) { banner.hidden = false; }
      show(form, "failed", text("expired"));
    } else if (status === 403) {
      show(form, "failed", text("refused"));
    } else {
      show(form, "failed", text("failed"));
    }
  }

  document.body.addEventListener("htmx:responseError", function (evt) {
    var form = fromSaveItem(evt);
    if (form) { failed(form, evt.detail.xhr.status); }
  });

  document.body.addEventListener("htmx:sendError", function (evt) {
    var form = fromSaveItem(evt);
    if (form) { failed(form, 0); }
  });

  document.body.addEventListener("htmx:afterRequest", function (evt) {
    var form = fromSaveItem(evt);
    if (!form || !evt.detail.successful) { return; }
    if (evt.detail.xhr.responseURL && evt.detail.xhr.responseURL.indexOf("/login/") >= 0) {
      return;
    }
    saved(form);
    // A stored upload: the file input is emptied for the next photo (the form got a
    // fresh client id from the server's out-of-band swap).
    var file = form.querySelector("input[type=file]");
    if (file && form.getAttribute("hx-encoding") === "multipart/form-data") { file.value = ""; }
  });

  document.body.addEventListener("click", function (evt) {
    var button = evt.target.closest ? evt.target.closest(".save-retry") : null;
    if (!button) { return; }
    var item = holder(button);
    var form = button.closest("form") || (item && item.querySelector("form"));
    if (form) { resend(form); }
  });

  window.addEventListener("online", retryAll);
  window.addEventListener("focus", retryAll);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { retryAll(); }
  });
  window.setInterval(function () { if (queue.length) { retryAll(); } }, RETRY_MS);
}());

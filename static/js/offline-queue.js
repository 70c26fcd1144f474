// Offline-first filing (no inline script: the CSP forbids it).
//
// Every form marked data-offline (an answer card, a camera button, the evidence
// upload, the signature pad) is written first to a queue in IndexedDB (through the
// vendored idb library), with its own client id and the moment it was given on site,
// and then sent by the page in order, one at a time, while the phone is online and
// the session valid. The queue survives reloads, the phone sleeping and the session
// expiring; the server makes each delivery idempotent by the client id, so a resend
// after a lost response is stored once. Each entry shows its state where it was made:
// waiting to send, sending (with the upload's progress), failed (retried on its own),
// refused by the server (with its reason, to retry or discard), and saved.
//
// Entries stay in the queue as "sent" until the inspection's pages have been fetched
// again into the service worker's page cache (static/sw.js keeps the last copy of
// each for reloads offline), so a reload offline never shows a page older than what
// the inspector did on it.
(function () {
  "use strict";
  var body = document.body;
  var user = body.getAttribute("data-user");
  if (!user) { return; }
  var STORE = "outbox";
  var PAGE_CACHE = "hs-pages";
  var RETRY_MS = 5000;
  var NOTE_DELAY_MS = 800;
  var texts = document.getElementById("offline-messages");
  var banner = document.getElementById("session-banner");
  var badge = document.getElementById("outbox");
  var sending = false;
  var progress = {};      // entry id -> upload percentage
  var previews = {};      // entry id -> object URL of a queued photo
  var lastQueued = {};    // answer key -> fields last queued (no duplicate entries)
  var noteTimers = {};
  var refreshTimer = null;

  function t(key, n) {
    var s = (texts && texts.getAttribute("data-" + key)) || "";
    return n === undefined ? s : s.replace("%(n)s", String(n));
  }

  var dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = window.idb && window.indexedDB
        ? window.idb.openDB("hs-offline", 1, {
          upgrade: function (d) { d.createObjectStore(STORE, { keyPath: "seq", autoIncrement: true }); }
        })
        : Promise.reject(new Error("IndexedDB is not available"));
    }
    return dbPromise;
  }

  function mine() {
    return db().then(function (d) { return d.getAll(STORE); }).then(function (all) {
      return all.filter(function (e) { return e.user === user; });
    });
  }

  function update(entry, changes) {
    return db().then(function (d) {
      var tx = d.transaction(STORE, "readwrite");
      return tx.store.get(entry.seq).then(function (current) {
        if (!current) { return tx.done; }
        Object.keys(changes).forEach(function (k) { current[k] = changes[k]; });
        return tx.store.put(current).then(function () { return tx.done; });
      });
    });
  }

  function remove(seq) {
    return db().then(function (d) { return d.delete(STORE, seq); });
  }

  function cookie(name) {
    var parts = document.cookie ? document.cookie.split("; ") : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf("=");
      if (parts[i].slice(0, eq) === name) { return decodeURIComponent(parts[i].slice(eq + 1)); }
    }
    return "";
  }

  function newId() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // The inspection's pages to fetch again once what was done on them has been sent.
  function offlinePages() {
    var holder = document.getElementById("offline-pages");
    return holder ? holder.getAttribute("data-urls").split(" ").filter(Boolean) : [];
  }

  // A snapshot of the form, files read into memory (a camera's temporary file may be
  // gone by the time the phone is back online).
  function snapshot(form) {
    var fields = [];
    var reads = [];
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken" || name === "client_id" || name === "given_at") { return; }
      if (typeof value === "string") { fields.push({ name: name, value: value }); return; }
      if (!value.size) { return; }
      var field = { name: name, filename: value.name, type: value.type };
      fields.push(field);
      reads.push(value.arrayBuffer().then(function (buffer) {
        field.blob = new Blob([buffer], { type: value.type });
      }));
    });
    return Promise.all(reads).then(function () { return fields; });
  }

  function value(entry, name) {
    for (var i = 0; i < entry.fields.length; i++) {
      if (entry.fields[i].name === name && !entry.fields[i].blob) { return entry.fields[i].value; }
    }
    return null;
  }

  function enqueue(form) {
    var key = form.getAttribute("data-offline-key") || "";
    return snapshot(form).then(function (fields) {
      var plain = JSON.stringify(fields.filter(function (f) { return !f.blob; }));
      if (key && lastQueued[key] === plain) { return null; }
      if (key) { lastQueued[key] = plain; }
      var entry = {
        id: newId(), user: user, kind: form.getAttribute("data-offline"),
        url: form.getAttribute("action") || location.pathname, fields: fields,
        givenAt: new Date().toISOString(), attempts: 0, state: "waiting", error: "",
        target: form.getAttribute("data-offline-target") || "",
        swap: form.getAttribute("data-offline-swap") || "none", key: key,
        refresh: offlinePages(), queuedAt: Date.now()
      };
      return db().then(function (d) {
        var tx = d.transaction(STORE, "readwrite");
        return tx.store.getAll().then(function (all) {
          // A newer edit of an answer not yet tried replaces it (keeping its place and
          // id); once tried, it may have reached the server, so the edit is a new entry.
          var same = key && all.filter(function (e) {
            return e.user === user && e.key === key && e.state === "waiting" && !e.attempts;
          })[0];
          if (same) { entry.seq = same.seq; entry.id = same.id; }
          return tx.store.put(entry).then(function () { return tx.done; });
        });
      }).then(function () { return entry; });
    }).then(function (entry) {
      render();
      pump();
      return entry;
    });
  }

  // The first entry to send, marked as being sent in the same transaction (an edit
  // queued meanwhile then becomes an entry of its own).
  function takeNext() {
    return db().then(function (d) {
      var tx = d.transaction(STORE, "readwrite");
      return tx.store.getAll().then(function (all) {
        var next = all.filter(function (e) {
          return e.user === user && (e.state === "waiting" || e.state === "failed" ||
            e.state === "sending" || e.state === "expired");
        })[0];
        if (!next) { return tx.done.then(function () { return null; }); }
        next.state = "sending";
        next.attempts += 1;
        return tx.store.put(next).then(function () { return tx.done; }).then(function () { return next; });
      });
    });
  }

  function post(entry) {
    return new Promise(function (resolve) {
      var data = new FormData();
      entry.fields.forEach(function (f) {
        if (f.blob) { data.append(f.name, f.blob, f.filename); } else { data.append(f.name, f.value); }
      });
      var token = cookie("csrftoken");
      data.append("client_id", entry.id);
      data.append("given_at", entry.givenAt);
      data.append("csrfmiddlewaretoken", token);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", entry.url);
      xhr.setRequestHeader("X-CSRFToken", token);
      // The server answers as to htmx: a fragment, and 401 (not the login page) when
      // the session has expired.
      xhr.setRequestHeader("HX-Request", "true");
      xhr.timeout = 120000;
      if (entry.kind === "photo" && xhr.upload) {
        xhr.upload.onprogress = function (evt) {
          if (!evt.lengthComputable) { return; }
          progress[entry.id] = Math.round(evt.loaded * 100 / evt.total);
          paintPhoto(entry);
        };
      }
      xhr.onload = function () { resolve(xhr); };
      xhr.onerror = xhr.ontimeout = xhr.onabort = function () { resolve(null); };
      xhr.send(data);
    });
  }

  function reason(html) {
    var box = document.createElement("div");
    box.innerHTML = html || "";
    return (box.textContent || "").replace(/\s+/g, " ").trim().slice(0, 300);
  }

  // Returns whether the queue may go on with the next entry.
  function settle(entry, xhr) {
    var status = xhr ? xhr.status : 0;
    var toLogin = xhr && xhr.responseURL && xhr.responseURL.indexOf("/login/") >= 0;
    delete progress[entry.id];
    if (status >= 200 && status < 300 && !toLogin) {
      if (banner) { banner.hidden = true; }
      // Booked as sent before the server's card goes in, so that painting the page
      // after the swap does not mark the new card as still waiting.
      return update(entry, { state: "sent", sentAt: Date.now(), error: "" }).then(function () {
        swapIn(entry, xhr.responseText);
        return true;
      });
    }
    if (status === 401 || toLogin) {
      if (banner) { banner.hidden = false; }
      return update(entry, { state: "expired", error: "" }).then(function () { return false; });
    }
    if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
      // Refused with a reason (a bad file, a closed inspection, no right to do it):
      // sending it again would be refused the same way, so it waits for the officer.
      return update(entry, { state: "refused", error: reason(xhr.responseText) || t("refused") })
        .then(function () { return true; });
    }
    return update(entry, { state: "failed", error: "" }).then(function () { return false; });
  }

  function swapIn(entry, html) {
    var target = entry.target && document.querySelector(entry.target);
    if (!target || entry.swap === "none" || !window.htmx) { return; }
    if (entry.swap !== "outerHTML") {
      Array.prototype.forEach.call(target.querySelectorAll("[data-empty-placeholder]"),
        function (el) { el.remove(); });
      var placeholder = document.getElementById("pending-" + entry.id);
      if (placeholder) { placeholder.remove(); }
    }
    // A card's open sections (the hidden danger's order form) stay open after its swap.
    var open = Array.prototype.map.call(target.querySelectorAll("details[open][id]"),
      function (el) { return el.id; });
    window.htmx.swap(target, html, { swapStyle: entry.swap, swapDelay: 0, settleDelay: 0 });
    open.forEach(function (id) {
      var again = document.getElementById(id);
      if (again) { again.open = true; }
    });
  }

  function pump() {
    if (sending || !navigator.onLine) { return; }
    sending = true;
    (function step() {
      takeNext().then(function (entry) {
        if (!entry) { sending = false; render(); scheduleRefresh(); return; }
        render();
        return post(entry).then(function (xhr) { return settle(entry, xhr); }).then(function (goOn) {
          render();
          if (goOn && navigator.onLine) { step(); } else { sending = false; }
        });
      }).catch(function () { sending = false; });
    }());
  }

  // --- the page cache: fetched again once everything done on a page has been sent ---

  function scheduleRefresh() {
    if (refreshTimer) { window.clearTimeout(refreshTimer); }
    refreshTimer = window.setTimeout(refreshPages, 1000);
  }

  function store(cache, url) {
    return fetch(url, { credentials: "same-origin", redirect: "manual" }).then(function (response) {
      if (!response.ok || response.type !== "basic") { throw new Error("not kept: " + url); }
      return cache.put(url, response);
    });
  }

  function refreshPages() {
    if (!window.caches || !navigator.onLine) { return; }
    mine().then(function (entries) {
      if (entries.some(function (e) { return e.state !== "sent" && e.state !== "refused"; })) { return; }
      var sent = entries.filter(function (e) { return e.state === "sent"; });
      var urls = {};
      sent.forEach(function (e) { (e.refresh || []).forEach(function (u) { urls[u] = true; }); });
      var started = Date.now();
      return caches.open(PAGE_CACHE).then(function (cache) {
        return Promise.all(Object.keys(urls).map(function (u) { return store(cache, u); }));
      }).then(function () {
        return Promise.all(sent.filter(function (e) { return e.sentAt <= started; })
          .map(function (e) { return remove(e.seq); }));
      });
    }).then(render).catch(function () { /* kept for the next refresh */ });
  }

  // The inspection's pages (and the photos shown on them), kept for a reload offline.
  function keepPages() {
    var urls = offlinePages();
    if (!urls.length || !window.caches || !navigator.onLine) { return; }
    // Photos shown on a page the worker does not control yet (the first visit); once
    // it does, it keeps each thumbnail as the page loads it (no second download).
    if (!(navigator.serviceWorker && navigator.serviceWorker.controller)) {
      Array.prototype.forEach.call(document.querySelectorAll("img.evidence-thumb"), function (img) {
        urls.push(new URL(img.src, location.href).pathname);
      });
    }
    caches.open(PAGE_CACHE).then(function (cache) {
      return Promise.all(urls.map(function (u) {
        return cache.match(u).then(function (hit) { return hit || store(cache, u); });
      }));
    }).catch(function () { /* the next page load tries again */ });
  }

  // --- showing the queue on the page ---

  function stateText(entry) {
    if (entry.state === "sending") {
      return progress[entry.id] !== undefined ? t("uploading", progress[entry.id]) : t("sending");
    }
    if (entry.state === "refused") { return t("refused") + " " + entry.error; }
    return t(entry.state === "sent" ? "saved" : entry.state);
  }

  function button(className, testid, label, entry) {
    var el = document.createElement("button");
    el.type = "button";
    el.className = "btn btn-sm " + className;
    el.setAttribute("data-entry", entry.seq);
    el.setAttribute("data-testid", testid);
    el.textContent = label;
    return el;
  }

  function buttons(entry) {
    var box = document.createElement("span");
    box.className = "d-inline-flex gap-2";
    if (entry.state === "failed" || entry.state === "refused" || entry.state === "expired") {
      box.appendChild(button("btn-outline-danger offline-retry", "offline-retry", t("retry"), entry));
    }
    if (entry.state === "refused") {
      box.appendChild(button("btn-outline-secondary offline-discard", "offline-discard",
        t("discard-label"), entry));
    }
    return box;
  }

  function paintAnswer(entry) {
    var card = entry.target && document.querySelector(entry.target);
    if (!card) { return; }
    var form = card.querySelector("form[data-offline=answer]");
    if (!form) { return; }
    var result = value(entry, "result");
    if (entry.state !== "sent") {
      var radio = result && form.querySelector("input[name=result][value='" + result + "']");
      if (radio) { radio.checked = true; }
      var note = form.querySelector("textarea[name=note]");
      if (note && document.activeElement !== note && value(entry, "note") !== null) { note.value = value(entry, "note"); }
      ["criterion", "major_reason"].forEach(function (name) {
        var input = form.querySelector("[name=" + name + "]");
        if (input && document.activeElement !== input && value(entry, name) !== null) { input.value = value(entry, name); }
      });
      card.setAttribute("data-pending-result", result || "");
      card.setAttribute("data-save-state", entry.state);
      var saved = card.querySelector("[data-testid=saved]");
      if (saved) { saved.remove(); }
      var status = form.querySelector(".save-status");
      if (status) {
        status.hidden = false;
        status.querySelector(".save-status-text").textContent = stateText(entry);
        var retry = status.querySelector(".save-retry");
        if (retry) {
          retry.hidden = !(entry.state === "failed" || entry.state === "expired" || entry.state === "refused");
          retry.setAttribute("data-entry", entry.seq);
        }
      }
    }
    var camera = card.querySelector("form[data-offline=photo]");
    if (camera && result) { camera.hidden = result !== "non_compliant" && !camera.querySelector("li"); }
  }

  // The row standing for a queued photo or signature in its list (null when the list
  // is not on this page, or the server's own row for it is already shown).
  function pendingRow(entry, testid, className) {
    var list = entry.target && document.querySelector(entry.target);
    if (!list || document.querySelector("[data-client-id='" + entry.id + "']")) { return null; }
    var li = document.getElementById("pending-" + entry.id);
    if (!li) {
      li = document.createElement("li");
      li.id = "pending-" + entry.id;
      li.className = "list-group-item d-flex flex-wrap align-items-center gap-2 " + className;
      li.setAttribute("data-testid", testid);
      li.setAttribute("data-pending-id", entry.id);
      if (entry.swap === "afterbegin") { list.insertBefore(li, list.firstChild); } else { list.appendChild(li); }
    }
    li.setAttribute("data-state", entry.state);
    li.textContent = "";
    return li;
  }

  function paintPhoto(entry) {
    var li = pendingRow(entry, "pending-evidence", "pending-evidence");
    if (!li) { return; }
    var file = entry.fields.filter(function (f) { return f.blob; })[0];
    if (file && /^image\/(jpeg|png)$/.test(file.type)) {
      if (!previews[entry.id]) { previews[entry.id] = URL.createObjectURL(file.blob); }
      var img = document.createElement("img");
      img.src = previews[entry.id];
      img.alt = file.filename;
      li.appendChild(img);
    }
    var label = document.createElement("span");
    label.className = "flex-grow-1 text-break small";
    label.textContent = (file ? file.filename : t("photo")) + " · " + stateText(entry);
    li.appendChild(label);
    li.appendChild(buttons(entry));
    var holder = li.closest("form[data-offline=photo]");
    if (holder) { holder.hidden = false; }
  }

  function paintSignature(entry) {
    var li = pendingRow(entry, "pending-signature", "");
    if (!li) { return; }
    var label = document.createElement("span");
    label.className = "flex-grow-1 text-break";
    label.textContent = t("signature") + " · " + (value(entry, "signer_name") || "") + " · " + stateText(entry);
    li.appendChild(label);
    li.appendChild(buttons(entry));
  }

  function render() {
    return mine().then(function (entries) {
      var present = {};
      entries.forEach(function (entry) {
        present[entry.id] = true;
        if (entry.kind === "answer") { paintAnswer(entry); }
        else if (entry.kind === "photo" && entry.state !== "sent") { paintPhoto(entry); }
        else if (entry.kind === "signature" && entry.state !== "sent") { paintSignature(entry); }
        else if (entry.state === "sent") {
          // Sent, and the page (kept before it was sent) does not show it yet.
          if (entry.kind === "photo") { paintPhoto(entry); } else { paintSignature(entry); }
        }
      });
      Array.prototype.forEach.call(document.querySelectorAll("[data-pending-id]"), function (el) {
        var id = el.getAttribute("data-pending-id");
        if (!present[id] || document.querySelector("[data-client-id='" + id + "']")) {
          el.remove();
          if (previews[id]) { URL.revokeObjectURL(previews[id]); delete previews[id]; }
        }
      });
      var waiting = entries.filter(function (e) { return e.state !== "sent" && e.state !== "refused"; }).length;
      var refused = entries.filter(function (e) { return e.state === "refused"; }).length;
      if (badge) {
        badge.hidden = !waiting && !refused;
        badge.textContent = waiting ? t("outbox", waiting) : t("outbox-refused", refused);
        badge.classList.toggle("refused", !waiting && refused > 0);
        badge.setAttribute("data-waiting", waiting);
        body.classList.toggle("has-outbox", !badge.hidden);
      }
      document.dispatchEvent(new CustomEvent("offline:changed", { detail: { waiting: waiting } }));
      return entries;
    }).catch(function () { /* no IndexedDB: the forms post as plain forms */ });
  }

  function pendingCount() {
    return mine().then(function (entries) {
      return entries.filter(function (e) { return e.state !== "sent"; }).length;
    }, function () { return 0; });
  }

  // --- what the officer does ---

  function checkedResult(form) {
    return form.querySelector("input[name=result]:checked");
  }

  function queueOrPost(form) {
    return enqueue(form).catch(function () {
      // No IndexedDB (a private window of some browsers): send it as a plain form.
      form.submit();
    });
  }

  document.addEventListener("change", function (evt) {
    var form = evt.target.form;
    if (!form || !form.hasAttribute("data-offline")) { return; }
    var kind = form.getAttribute("data-offline");
    if (kind === "answer") {
      if (noteTimers[form.id || form.action]) { window.clearTimeout(noteTimers[form.id || form.action]); }
      // A note typed before choosing an answer goes with the answer.
      if (checkedResult(form)) { queueOrPost(form); }
    } else if (kind === "photo" && evt.target.type === "file" && form.classList.contains("camera-form")) {
      queueOrPost(form).then(function () { evt.target.value = ""; });
    }
  });

  document.addEventListener("input", function (evt) {
    var form = evt.target.form;
    if (!form || form.getAttribute("data-offline") !== "answer") { return; }
    if (evt.target.type === "radio") { return; }
    var key = form.id || form.action;
    if (noteTimers[key]) { window.clearTimeout(noteTimers[key]); }
    noteTimers[key] = window.setTimeout(function () {
      if (checkedResult(form)) { queueOrPost(form); }
    }, NOTE_DELAY_MS);
  });

  // A form that must reach the server now (completing, issuing an order, a plan),
  // submitted with no connection, would leave the page for the browser's error page:
  // it stays, and says why.
  function needsNetwork(form) {
    var note = form.querySelector("[data-offline-now]");
    if (!note) {
      note = document.createElement("div");
      note.className = "alert alert-warning py-1 px-2 small mt-2";
      note.setAttribute("role", "alert");
      note.setAttribute("data-offline-now", "");
      note.setAttribute("data-testid", "needs-network");
      form.appendChild(note);
    }
    note.textContent = t("needs-network");
  }

  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    if (!navigator.onLine && !form.hasAttribute("data-offline") &&
        (form.getAttribute("method") || "get").toLowerCase() === "post") {
      evt.preventDefault();
      needsNetwork(form);
      return;
    }
    if (form.hasAttribute("data-offline-wait")) {
      // Completing the inspection fixes the findings: everything must be on the server.
      evt.preventDefault();
      pendingCount().then(function (n) {
        var note = form.querySelector("[data-offline-wait-message]");
        if (n) {
          if (note) { note.hidden = false; note.textContent = t("wait", n); }
          pump();
        } else {
          form.submit();
        }
      });
      return;
    }
    if (form.hasAttribute("data-offline-logout")) {
      evt.preventDefault();
      pendingCount().then(function (n) {
        if (n && !window.confirm(t("logout", n))) { return; }
        // The kept pages hold enterprises' data: they leave with the officer.
        var clear = window.caches ? caches.delete(PAGE_CACHE) : Promise.resolve();
        clear.then(function () { form.submit(); }, function () { form.submit(); });
      });
      return;
    }
    if (!form.hasAttribute("data-offline")) { return; }
    evt.preventDefault();
    queueOrPost(form).then(function (entry) {
      if (!entry) { return; }
      var file = form.querySelector("input[type=file]");
      if (file) { file.value = ""; }
      var clear = form.querySelector("#signature-clear");
      if (clear) { clear.click(); }
    });
  });

  document.addEventListener("click", function (evt) {
    var button = evt.target.closest ? evt.target.closest(".offline-retry, .offline-discard, .save-retry[data-entry]") : null;
    if (button) {
      var seq = Number(button.getAttribute("data-entry"));
      if (button.classList.contains("offline-discard")) {
        if (!window.confirm(t("discard"))) { return; }
        remove(seq).then(render);
        return;
      }
      update({ seq: seq }, { state: "waiting", error: "" }).then(function () { render(); pump(); });
      return;
    }
    if (badge && evt.target === badge) {
      evt.preventDefault();
      var first = document.querySelector("[data-save-state], [data-pending-id]");
      if (first) { first.scrollIntoView({ block: "center" }); }
    }
  });

  window.addEventListener("online", pump);
  window.addEventListener("focus", pump);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { pump(); }
  });
  window.setInterval(function () {
    if (navigator.onLine && !sending) {
      pendingCount().then(function (n) { if (n) { pump(); } });
    }
  }, RETRY_MS);
  // A card swapped in by htmx (or by the queue) is painted again with what still waits.
  document.addEventListener("htmx:afterSettle", function () { render(); });

  if ("serviceWorker" in navigator && body.getAttribute("data-sw")) {
    navigator.serviceWorker.register(body.getAttribute("data-sw"), { scope: "/" })
      .catch(function () { /* served without a worker: online only */ });
  }
  render().then(function () { pump(); keepPages(); });
}());

/* Service worker of the field pages, rendered by hangzhou_safety/web/offline.py.
 * Static files: precached, served from the cache (their names change with them).
 * Inspection pages (/inspections/<id>/, its evidence/ and sign/ pages): network first,
 * the last good copy kept and served when there is no connection (or none within
 * PAGE_TIMEOUT_MS). Photo thumbnails: from the cache once seen. Any other page:
 * network, and the offline notice when there is none. Nothing is ever written here. */
"use strict";
var VERSION = "{{ version }}";
var STATIC_CACHE = "hs-static-" + VERSION;
var PAGE_CACHE = "hs-pages";
var PRECACHE = {{ precache|safe }};
var OFFLINE_URL = {{ offline_url|safe }};
var PAGE_TIMEOUT_MS = 8000;
var PAGES = [/^\/inspections\/\d+\/$/, /^\/inspections\/\d+\/evidence\/$/, /^\/inspections\/\d+\/sign\/$/];
var THUMB = /^\/evidence\/\d+\/thumb\/$/;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(STATIC_CACHE).then(function (cache) {
    return cache.addAll(PRECACHE.concat([OFFLINE_URL]));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) {
      return key.indexOf("hs-static-") === 0 && key !== STATIC_CACHE;
    }).map(function (key) { return caches.delete(key); }));
  }).then(function () { return self.clients.claim(); }));
});

function isPage(url) {
  return !url.search && PAGES.some(function (pattern) { return pattern.test(url.pathname); });
}

// A page worth keeping: a 200 of our own, not a redirect (to the login page).
function keepable(response) {
  return response && response.ok && response.type === "basic" && !response.redirected;
}

function fromCache(request, cacheName) {
  return caches.open(cacheName).then(function (cache) { return cache.match(request); });
}

function offline() {
  return fromCache(OFFLINE_URL, STATIC_CACHE).then(function (page) {
    return page || new Response("offline", { status: 503, headers: { "Content-Type": "text/plain" } });
  });
}

function networkFirstPage(request, url) {
  var network = fetch(request).then(function (response) {
    if (keepable(response)) {
      var copy = response.clone();
      caches.open(PAGE_CACHE).then(function (cache) { return cache.put(url.pathname, copy); });
    }
    return response;
  });
  var slow = new Promise(function (resolve) {
    setTimeout(function () { resolve(null); }, PAGE_TIMEOUT_MS);
  }).then(function () { return fromCache(url.pathname, PAGE_CACHE); });
  // The network's answer, unless it fails (or is too slow) and a copy is kept.
  return Promise.race([network.catch(function () { return null; }), slow]).then(function (first) {
    if (first) { return first; }
    return fromCache(url.pathname, PAGE_CACHE).then(function (kept) {
      return kept || network.catch(offline);
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (PRECACHE.indexOf(url.pathname) >= 0) {
    event.respondWith(fromCache(request, STATIC_CACHE).then(function (hit) {
      return hit || fetch(request);
    }));
  } else if (THUMB.test(url.pathname)) {
    event.respondWith(fromCache(request, PAGE_CACHE).then(function (hit) {
      return hit || fetch(request).then(function (response) {
        if (keepable(response)) {
          var copy = response.clone();
          caches.open(PAGE_CACHE).then(function (cache) { return cache.put(request, copy); });
        }
        return response;
      });
    }));
  } else if (request.mode === "navigate" && isPage(url)) {
    event.respondWith(networkFirstPage(request, url));
  } else if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(offline));
  }
});

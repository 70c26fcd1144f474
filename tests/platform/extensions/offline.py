"""The generated checks' reach into offline filing: the service worker and the
offline notice it serves are public (the worker is fetched by the browser, not by a
logged-in page, and holds no data; the notice says only that there is no network)."""

PUBLIC_PAGES = {"sw.js", "offline/"}

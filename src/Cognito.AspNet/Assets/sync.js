// Tab sync for Cognito cookie sessions (the seed's auth_sync_key, kept in localStorage).
// Asks the server for the session instead of reading document.cookie, so it works with HttpOnly
// cookies too. A tab reloads when another tab signs in or out (storage event) or when, on focus,
// the server's session is no longer the one the page was rendered with.
(() => {
  "use strict";
  const KEY = "auth_sync_key";
  const script = document.currentScript;
  const sessionUrl = new URL("session", script ? script.src : location.href).toString();
  let rendered = null;

  const stateOf = (s) => (s && s.signedIn ? "in:" + s.sub : "out");
  const current = () =>
    fetch(sessionUrl, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then((r) => r.json())
      .then(stateOf);
  const announce = (state) => {
    try {
      if (localStorage.getItem(KEY) !== state) localStorage.setItem(KEY, state);
    } catch (_) { /* storage disabled: focus checks still work */ }
  };
  const check = () =>
    current().then((state) => {
      if (rendered !== null && state !== rendered) {
        announce(state);
        location.reload();
      }
    }).catch(() => {});

  current().then((state) => { rendered = state; announce(state); }).catch(() => {});
  window.addEventListener("storage", (e) => {
    if (e.key === KEY && rendered !== null && e.newValue !== null && e.newValue !== rendered) location.reload();
  });
  window.addEventListener("focus", check);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") check(); });
})();

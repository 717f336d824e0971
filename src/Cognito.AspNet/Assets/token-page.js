// Browser-Amplify mode (the original package's /token page): Amplify in the browser reads the tokens
// from the URL fragment and writes its cookies; this page waits until the server sees the session,
// tells the other tabs (the sync key in localStorage), then goes on to the return URL.
(() => {
  const started = Date.now();
  const poll = () => fetch("session", { credentials: "same-origin", cache: "no-store" })
    .then(r => r.json())
    .then(s => {
      if (s.signedIn) {
        try { localStorage.setItem("{{syncKey}}", "in:" + s.sub); } catch (_) {}
        location.replace({{returnUrl}});
      } else if (Date.now() - started < 15000) {
        setTimeout(poll, 250);
      } else {
        document.getElementById("status").textContent = "Sign-in did not complete. Please try again.";
      }
    });
  poll();
})();

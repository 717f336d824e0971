// Cognito.Blazor: asks the server who is signed in (GET auth/session with the cookies; HttpOnly cookies
// work, no token ever reaches the page) and tells the other tabs through the auth_sync_key storage key
// that the adapter's sync.js uses too. Loaded on any page (a static one too: it announces the session),
// and imported by the live components, which it calls back when the tab becomes visible or another tab
// announces a change.
const KEY = "auth_sync_key";

const stateOf = (answer) => (answer && answer.signedIn ? "in:" + answer.sub : "out");

const announce = (state) => {
  try {
    if (localStorage.getItem(KEY) !== state) localStorage.setItem(KEY, state);
  } catch (_) { /* storage disabled: the interval and visibility checks still work */ }
};

const sessionUrl = (path, query) => {
  const url = new URL(path || "auth/session", document.baseURI);
  if (url.origin !== location.origin) throw new Error("the session endpoint must be on this site");
  url.search = query || "";
  return url;
};

// The server's answer as text, or null when it could not be asked (offline, a 5xx, a redirect).
export async function session(path, query) {
  try {
    const response = await fetch(sessionUrl(path, query), {
      credentials: "same-origin", cache: "no-store", redirect: "error", headers: { Accept: "application/json" },
    });
    if (!response.ok) return null;
    const text = await response.text();
    announce(stateOf(JSON.parse(text)));
    return text;
  } catch (_) {
    return null;
  }
}

// Calls dotnet.Signal() when another tab announces a change or this tab becomes visible.
export function watch(dotnet) {
  const signal = () => { dotnet.invokeMethodAsync("Signal").catch(() => {}); };
  const onStorage = (e) => { if (e.key === KEY) signal(); };
  const onVisible = () => { if (document.visibilityState === "visible") signal(); };
  window.addEventListener("storage", onStorage);
  document.addEventListener("visibilitychange", onVisible);
  return {
    dispose() {
      window.removeEventListener("storage", onStorage);
      document.removeEventListener("visibilitychange", onVisible);
    },
  };
}

// On a page that loads this module as a script (<script type="module" src="_content/Cognito.Blazor/cognito-session.js">),
// such as the page a sign-out lands on: tell the other tabs who is signed in now.
const meta = document.querySelector('meta[name="cognito-session"]');
session(meta ? meta.content : null, "");

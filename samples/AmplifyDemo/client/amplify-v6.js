// Amplify v6 (aws-amplify) configured the seed's way, for the AmplifyDemo sample: the hosted UI with the
// authorization code and PKCE (the token exchange done here, in the browser), tokens in cookies the
// server reads. The server prepends its settings as window.cognitoDemo (see AmplifyScript.cs).
import { Amplify } from "aws-amplify";
import { signInWithRedirect, signOut, fetchAuthSession, getCurrentUser } from "aws-amplify/auth";
import { cognitoUserPoolsTokenProvider } from "aws-amplify/auth/cognito";
import { CookieStorage, Hub } from "aws-amplify/utils";

const c = window.cognitoDemo;

Amplify.configure({
  Auth: {
    Cognito: {
      userPoolId: c.userPoolId,
      userPoolClientId: c.clientId,
      // The development pool answers Cognito's API (token refresh, revocation) here; a real pool needs no endpoint.
      userPoolEndpoint: c.userPoolEndpoint || undefined,
      loginWith: {
        oauth: {
          domain: c.oauthDomain,
          scopes: ["email", "openid"],
          redirectSignIn: [c.redirectSignIn],
          redirectSignOut: [c.redirectSignOut],
          responseType: "code",
        },
      },
    },
  },
});

// Cookie storage, as the seed's _app.tsx configures it: domain, path, expiry in days, secure. After
// Amplify.configure, which sets its default storage (localStorage); before the listener that completes
// the sign-in on the /token page stores the tokens (it runs once this script has run).
cognitoUserPoolsTokenProvider.setKeyValueStorage(new CookieStorage({
  domain: c.cookieDomain || undefined,
  path: "/",
  expires: 7,
  secure: c.secure,
  sameSite: "lax",
}));

// What Amplify reports (sign-in, refresh, failures) goes to the console, where a developer looks first.
Hub.listen("auth", ({ payload }) => console.info("Amplify auth:", payload.event, payload.data && payload.data.message ? payload.data.message : ""));

const session = async (forceRefresh) => {
  const s = await fetchAuthSession({ forceRefresh: !!forceRefresh });
  const user = s.tokens ? await getCurrentUser() : null;
  return { signedIn: !!s.tokens, username: user ? user.username : null, sub: s.tokens ? s.tokens.accessToken.payload.sub : null };
};

window.demo = {
  amplify: "aws-amplify 6",
  signIn: () => signInWithRedirect(),
  signOut: () => signOut(),
  session,
};

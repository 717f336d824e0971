// The original package's Amplify generation (@aws-amplify/auth 3.x), configured exactly as its README's
// _app.tsx: cookie storage with domain, path, expiry and secure; the hosted UI with responseType "token"
// (the implicit grant: the tokens arrive in the /token page's URL fragment). The server prepends its
// settings as window.cognitoDemo (see AmplifyScript.cs).
import Amplify from "@aws-amplify/core";
import Auth from "@aws-amplify/auth";

const c = window.cognitoDemo;

Amplify.configure({
  Auth: {
    region: c.region,
    userPoolId: c.userPoolId,
    userPoolWebClientId: c.clientId,
    cookieStorage: {
      domain: c.cookieDomain,
      path: "/",
      expires: 7,
      secure: c.secure,
    },
    oauth: {
      domain: c.oauthDomain,
      scope: ["email", "openid"],
      redirectSignIn: c.redirectSignIn,
      redirectSignOut: c.redirectSignOut,
      responseType: "token",
    },
  },
});

const session = async () => {
  try {
    const s = await Auth.currentSession();
    const payload = s.getAccessToken().decodePayload();
    return { signedIn: true, username: payload.username, sub: payload.sub };
  } catch (_) {
    return { signedIn: false, username: null, sub: null };
  }
};

window.demo = {
  amplify: "@aws-amplify/auth 3",
  signIn: () => Auth.federatedSignIn(),
  signOut: () => Auth.signOut(),
  session,
};

// Differential cases for tests/Conformance/PeerConformanceTests.cs, made with the real JavaScript peers:
// Amplify's own cookie writers (amazon-cognito-identity-js 4 / js-cookie 2 for Amplify v3-v5,
// @aws-amplify/core 6 / js-cookie 3 for v6) write the cookies through a stand-in `document`; the
// original package (aws-cognito-next 3.0.4) says which tokens it picks and whether getServerSideAuth
// accepts; aws-jwt-verify 5 says whether verifySync accepts both tokens; jwk-to-pem converts the keys.
// Tokens and the attack catalogue are signed with Node's crypto, not with the .NET code under test.
// Usage: node generate.cjs OUT.json [SEED]
"use strict";
const crypto = require("crypto");
const fs = require("fs");

// ---- a browser cookie jar behind `document.cookie`, for js-cookie ----
const jar = new Map();
global.document = {
  get cookie() {
    return [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
  },
  set cookie(text) {
    const [pair, ...attributes] = text.split(";");
    const eq = pair.indexOf("=");
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const expires = attributes.map((a) => a.trim()).find((a) => a.toLowerCase().startsWith("expires="));
    if (expires && new Date(expires.slice(8)).getTime() < Date.now()) jar.delete(name);
    else jar.set(name, value);
  },
};

const { CookieStorage: CookieStorageV3 } = require("amazon-cognito-identity-js"); // js-cookie 2.2.1
const { CookieStorage: CookieStorageV6 } = require("amplify-core-6"); // js-cookie 3.0.x
const JsCookie2 = require("js-cookie-2");
const JsCookie3 = require("js-cookie-3");
const Auth = require("@aws-amplify/auth").default;
const { getCognitoCookieInfo, createGetServerSideAuth } = require("aws-cognito-next");
const { CognitoJwtVerifier } = require("aws-jwt-verify");
const jwkToPem = require("jwk-to-pem");

// ---- deterministic randomness ----
let seed = Number(process.argv[3] || 20261127) >>> 0;
const random = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
const pick = (items) => items[Math.floor(random() * items.length)];
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));

const region = "eu-west-1";
const userPoolId = "eu-west-1_PeerPool1";
const clientId = "6peer0client0id0abcdef0123";
const issuer = `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
const now = 1767225600; // 2026-01-01T00:00:00Z, the clock of every peer and of the .NET side
Date.now = () => now * 1000;

const key = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const other = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const kid = "peer-key-1";
const jwk = { ...key.publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" };
const jwks = { keys: [jwk] };
const pem = jwkToPem(jwk);
const pems = { [region]: { [userPoolId]: { [kid]: pem } } };

const b64 = (data) => Buffer.from(data).toString("base64url");
const sign = (header, payload, privateKey = key.privateKey, alg = "RS256") => {
  const input = `${b64(typeof header === "string" ? header : JSON.stringify(header))}.${b64(typeof payload === "string" ? payload : JSON.stringify(payload))}`;
  let signature;
  if (alg === "HS256") signature = crypto.createHmac("sha256", privateKey).update(input).digest();
  else if (alg === "RS512") signature = crypto.sign("sha512", Buffer.from(input), privateKey);
  else if (alg === "PS256") signature = crypto.sign("sha256", Buffer.from(input), { key: privateKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING });
  else if (alg === "none") signature = Buffer.alloc(0);
  else signature = crypto.sign("sha256", Buffer.from(input), privateKey);
  return `${input}.${b64(signature)}`;
};
const header = { kid, alg: "RS256" };

const idClaims = (username, sub, groups) => ({
  sub, ...(groups.length ? { "cognito:groups": groups } : {}), email_verified: true, iss: issuer,
  "cognito:username": username, origin_jti: crypto.randomUUID(), aud: clientId, event_id: crypto.randomUUID(),
  token_use: "id", auth_time: now - 100, exp: now + 3600, iat: now - 100, jti: crypto.randomUUID(), email: "user@example.com",
});
const accessClaims = (username, sub, groups) => ({
  sub, ...(groups.length ? { "cognito:groups": groups } : {}), iss: issuer, version: 2, client_id: clientId,
  origin_jti: crypto.randomUUID(), event_id: crypto.randomUUID(), token_use: "access", scope: "openid email",
  auth_time: now - 100, exp: now + 3600, iat: now - 100, jti: crypto.randomUUID(), username,
});

// ---- usernames over the whole Unicode range and the characters js-cookie treats specially ----
const special = "#$&+^`|()!~*'@ ;=,\"%/\\:?[]{}<>.-_";
const randomUsername = () => {
  const length = int(1, 16);
  let name = "";
  for (let i = 0; i < length; i++) {
    const kind = random();
    if (kind < 0.35) name += pick("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".split(""));
    else if (kind < 0.7) name += pick(special.split(""));
    else if (kind < 0.85) name += String.fromCodePoint(int(0xa0, 0xd7ff));
    else if (kind < 0.95) name += String.fromCodePoint(int(0xe000, 0xfffd));
    else name += String.fromCodePoint(int(0x10000, 0x10ffff));
  }
  return name;
};
const randomGroups = () => Array.from({ length: int(0, 3) }, () => pick(["admin", "staff", "eu-west-1_PeerPool1_Google", "a b", "ü", "x,y"]));

// ---- the writers: Amplify's CookieStorage, as the SDK stores a session ----
const writers = {
  "amplify-v3 (amazon-cognito-identity-js, js-cookie 2)": () => new CookieStorageV3({ domain: "localhost", secure: false }),
  "amplify-v6 (@aws-amplify/core CookieStorage, js-cookie 3)": () => new CookieStorageV6({ domain: "localhost", secure: false, sameSite: "lax" }),
};
const unrelated = () => Array.from({ length: int(0, 3) }, () => [pick(["_ga", "theme", "session", "lang", "a%20b"]) + int(0, 9), pick(["1", "dark", "%E2%9C%93", "x=y"])]);

async function writeSession(makeStorage, username, tokens, extras, forClient = clientId) {
  jar.clear();
  for (const [name, value] of unrelated()) JsCookie3.set(name, value);
  const storage = makeStorage();
  const prefix = `CognitoIdentityServiceProvider.${forClient}`;
  // The order and key names of the SDK's cacheTokens (v3-v5) and TokenStore (v6).
  await storage.setItem(`${prefix}.${username}.idToken`, tokens.idToken);
  await storage.setItem(`${prefix}.${username}.accessToken`, tokens.accessToken);
  await storage.setItem(`${prefix}.${username}.refreshToken`, tokens.refreshToken);
  await storage.setItem(`${prefix}.${username}.clockDrift`, "0");
  await storage.setItem(`${prefix}.LastAuthUser`, username);
  for (const [name, value] of extras) await storage.setItem(`${prefix}.${username}.${name}`, value);
  for (const [name, value] of unrelated()) JsCookie2.set(name, value);
  return document.cookie;
}

Auth.configure({ region, userPoolId, userPoolWebClientId: clientId });
const getServerSideAuth = createGetServerSideAuth({ pems });
const verifier = CognitoJwtVerifier.create({ userPoolId, clientId, tokenUse: null });
verifier.cacheJwks(jwks);
const quiet = (f) => { const log = console.log; console.log = () => {}; try { return f(); } finally { console.log = log; } };
const jwtVerify = (token, tokenUse) => { try { verifier.verifySync(token, { tokenUse }); return true; } catch { return false; } };

function verdicts(cookieHeader) {
  const picked = getCognitoCookieInfo(cookieHeader, clientId);
  return {
    seedPick: { idToken: picked.idToken || null, accessToken: picked.accessToken || null },
    seed: quiet(() => getServerSideAuth({ headers: { cookie: cookieHeader } })) !== null,
    jwtVerify: !!picked.idToken && !!picked.accessToken && jwtVerify(picked.idToken, "id") && jwtVerify(picked.accessToken, "access"),
  };
}

async function main() {
  const cases = [];
  const writerNames = Object.keys(writers);
  // 1. Sessions as Amplify writes them, for random users, claims, groups and extra cookies.
  for (let i = 0; i < 300; i++) {
    const writer = writerNames[i % writerNames.length];
    const username = randomUsername();
    const sub = crypto.randomUUID();
    const groups = randomGroups();
    const tokens = {
      idToken: sign(header, idClaims(username, sub, groups)),
      accessToken: sign(header, accessClaims(username, sub, groups)),
      refreshToken: b64(crypto.randomBytes(int(40, 120))),
    };
    const extras = writer.includes("v6")
      ? [["signInDetails", JSON.stringify({ loginId: username, authFlowType: "USER_SRP_AUTH" })], ["oauthMetadata", '{"oauthSignIn":true}'], ["oidcProvider", "COGNITO"]]
      : random() < 0.5 ? [["userData", JSON.stringify({ UserAttributes: [{ Name: "email", Value: "user@example.com" }], Username: username })]] : [];
    const cookieHeader = await writeSession(writers[writer], username, tokens, extras);
    cases.push({ name: `session ${i}`, writer, username, header: cookieHeader, idToken: tokens.idToken, accessToken: tokens.accessToken, ...verdicts(cookieHeader) });
  }

  // 2. Where this port is stricter than the original: a peer accepts, SPEC §2 refuses.
  const user = "jane.doe";
  const sub = crypto.randomUUID();
  const stricter = (rule, code, id, access) => ({ rule, code, id: id ?? sign(header, idClaims(user, sub, [])), access: access ?? sign(header, accessClaims(user, sub, [])) });
  const withClaims = (base, change) => { const claims = { ...base }; change(claims); return claims; };
  const divergences = [
    stricter("issuer: iss of another pool", "unknown-issuer", sign(header, withClaims(idClaims(user, sub, []), (c) => (c.iss = `https://cognito-idp.${region}.amazonaws.com/${region}_OtherPool`))), sign(header, withClaims(accessClaims(user, sub, []), (c) => (c.iss = `https://cognito-idp.${region}.amazonaws.com/${region}_OtherPool`)))),
    stricter("token_use: an id token whose token_use is access", "wrong-token-use", sign(header, withClaims(idClaims(user, sub, []), (c) => (c.token_use = "access")))),
    stricter("required exp: no exp claim", "malformed", sign(header, withClaims(idClaims(user, sub, []), (c) => delete c.exp))),
    stricter("iat in the future", "issued-in-future", sign(header, withClaims(idClaims(user, sub, []), (c) => (c.iat = now + 3600)))),
    stricter("duplicate claims", "malformed", sign(header, JSON.stringify(idClaims(user, sub, [])).slice(0, -1) + ',"cognito:username":"admin"}')),
    stricter("non-canonical base64url", "malformed", nonCanonical(sign(header, idClaims(user, sub, [])))),
    stricter("crit header", "malformed", sign({ ...header, crit: ["exp"] }, idClaims(user, sub, []))),
    stricter("token pair of different users", "mismatched-tokens", undefined, sign(header, accessClaims("mallory", crypto.randomUUID(), []))),
    stricter("size limit: a 17 KB id token", "too-large", sign(header, withClaims(idClaims(user, sub, []), (c) => (c.padding = "p".repeat(17 * 1024))))),
  ];
  for (const d of divergences) {
    const cookieHeader = await writeSession(writers[writerNames[0]], user, { idToken: d.id, accessToken: d.access, refreshToken: "r" }, []);
    cases.push({ name: `stricter: ${d.rule}`, writer: writerNames[0], username: user, header: cookieHeader, idToken: d.id, accessToken: d.access, expectedCode: d.code, rule: d.rule, ...verdicts(cookieHeader) });
  }

  // 3. The attack catalogue of SPEC §2, forged with Node's crypto.
  const publicPem = key.publicKey.export({ type: "spki", format: "pem" });
  const attacks = [
    ["alg none, empty signature", "malformed", `${b64(JSON.stringify({ kid, alg: "none" }))}.${b64(JSON.stringify(idClaims(user, sub, [])))}.`],
    ["alg none with a signature", "unsupported-alg", sign({ kid, alg: "none" }, idClaims(user, sub, []), key.privateKey, "RS256")],
    ["HS256 keyed with the public key", "unsupported-alg", sign({ kid, alg: "HS256" }, idClaims(user, sub, []), publicPem, "HS256")],
    ["RS512 with the right key", "unsupported-alg", sign({ kid, alg: "RS512" }, idClaims(user, sub, []), key.privateKey, "RS512")],
    ["PS256 with the right key", "unsupported-alg", sign({ kid, alg: "PS256" }, idClaims(user, sub, []), key.privateKey, "PS256")],
    ["signed by another key with the pool's kid", "bad-signature", sign(header, idClaims(user, sub, []), other.privateKey)],
    ["unknown kid", "unknown-key", sign({ kid: "rotated-away", alg: "RS256" }, idClaims(user, sub, []), other.privateKey)],
    ["jku pointing at an attacker's keys", "bad-signature", sign({ ...header, jku: "https://evil.example/jwks.json" }, idClaims(user, sub, []), other.privateKey)],
    ["embedded jwk", "bad-signature", sign({ ...header, jwk: other.publicKey.export({ format: "jwk" }) }, idClaims(user, sub, []), other.privateKey)],
    ["aud of another app client", "wrong-client", sign(header, withClaims(idClaims(user, sub, []), (c) => (c.aud = "7another0client0abcdef012")))],
    ["expired", "expired", sign(header, withClaims(idClaims(user, sub, []), (c) => (c.exp = now - 3600)))],
    ["nbf in the future", "not-yet-valid", sign(header, withClaims(idClaims(user, sub, []), (c) => (c.nbf = now + 3600)))],
    ["string exp", "malformed", sign(header, withClaims(idClaims(user, sub, []), (c) => (c.exp = String(now + 3600))))],
    ["deep nesting", "malformed", sign(header, JSON.stringify(idClaims(user, sub, [])).slice(0, -1) + ',"deep":' + "[".repeat(100) + "]".repeat(100) + "}")],
    ["payload changed after signing", "bad-signature", (() => { const [h, , s] = sign(header, idClaims(user, sub, [])).split("."); return `${h}.${b64(JSON.stringify(idClaims("admin", sub, ["admin"])))}.${s}`; })()],
  ];
  for (const [rule, code, id] of attacks) {
    const access = sign(header, accessClaims(user, sub, []));
    const cookieHeader = await writeSession(writers[writerNames[1]], user, { idToken: id, accessToken: access, refreshToken: "r" }, []);
    cases.push({ name: `attack: ${rule}`, writer: writerNames[1], username: user, header: cookieHeader, idToken: id, accessToken: access, expectedCode: code, attack: true, ...verdicts(cookieHeader) });
  }

  // 4. Today's Cognito (issue 12): aws-jwt-verify's verdicts with two app clients (clientId: [..]) on
  // sessions and single tokens of either issuer form, and machine-to-machine access tokens.
  const mobileClientId = "7peer0mobile0client0abcdef";
  const updatedIssuer = `https://issuer-cognito-idp.${region}.amazonaws.com/${userPoolId}`;
  const multi = CognitoJwtVerifier.create({ userPoolId, clientId: [clientId, mobileClientId], tokenUse: null });
  multi.cacheJwks(jwks);
  const multiVerify = (token, tokenUse) => { try { multi.verifySync(token, { tokenUse }); return true; } catch { return false; } };
  const today = [];
  for (let i = 0; i < 60; i++) {
    const client = i % 2 ? mobileClientId : clientId;
    const iss = i % 3 ? updatedIssuer : issuer;
    const username = randomUsername();
    const sub = crypto.randomUUID();
    const groups = randomGroups();
    const idToken = sign(header, { ...idClaims(username, sub, groups), aud: client, iss });
    const accessToken = sign(header, { ...accessClaims(username, sub, groups), client_id: client, iss });
    const cookieHeader = await writeSession(writers[writerNames[i % writerNames.length]], username, { idToken, accessToken, refreshToken: "r" }, [], client);
    today.push({ name: `today: session ${i} of ${client === clientId ? "the web" : "the mobile"} client, ${iss === issuer ? "original" : "updated"} issuer`, kind: "session", header: cookieHeader, idToken, accessToken, jwtVerify: multiVerify(idToken, "id") && multiVerify(accessToken, "access") });
    today.push({ name: `today: access token ${i} alone`, kind: "access", token: accessToken, jwtVerify: multiVerify(accessToken, "access") });
    const machine = { sub: client, token_use: "access", scope: pick(["orders/read", "orders/read orders/write", "api.example.com/admin"]), auth_time: now - 10, iss, exp: now + 3600, iat: now - 10, version: 2, jti: crypto.randomUUID(), client_id: client };
    today.push({ name: `today: machine-to-machine token ${i}`, kind: "access", token: sign(header, machine), jwtVerify: multiVerify(sign(header, machine), "access") });
  }

  fs.writeFileSync(process.argv[2], JSON.stringify({ now, region, userPoolId, clientId, mobileClientId, jwks, pems, cases, today }, null, 1));
  console.log(`${cases.length} cases written to ${process.argv[2]}`);
}

function nonCanonical(token) {
  // Flip an unused low bit of the signature's last character: same bytes, another spelling.
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const last = token[token.length - 1];
  return token.slice(0, -1) + alphabet[alphabet.indexOf(last) ^ 1];
}

main().catch((e) => { console.error(e); process.exit(1); });

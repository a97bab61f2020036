// A relying party built on openid-client, driven by oidc_clients_test.go.
// It writes one JSON object per line to stdout for each step and reads the
// browser's callback URL, one line, from stdin. Environment: ISSUER (the
// org URL), CUSTOM_ISSUER (a custom authorization server), CLIENT_ID and
// REDIRECT_URI. TLS trust comes from NODE_EXTRA_CA_CERTS.
import * as client from 'openid-client';
import { createInterface } from 'node:readline';

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const say = (step, fields) => process.stdout.write(JSON.stringify({ step, ...fields }) + '\n');
const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};

async function discover(issuer) {
  const config = await client.discovery(new URL(issuer), env('CLIENT_ID'), undefined, client.None());
  // Verify every ID token's signature against the server's JWKS, not only
  // the TLS channel it arrived on (OpenID Connect Core §3.1.3.7).
  client.enableNonRepudiationChecks(config);
  return config;
}

async function codeFlow(config) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: env('REDIRECT_URI'), scope: 'openid profile email offline_access', state, nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  });
  say('authorize', { url: url.href });
  const { value: callback } = await lines.next();
  const tokens = await client.authorizationCodeGrant(config, new URL(callback), {
    pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true,
  });
  const claims = tokens.claims();
  say('code', { claims, scope: tokens.scope, token_type: tokens.token_type, has_refresh_token: Boolean(tokens.refresh_token) });
  const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  say('userinfo', { userinfo: info });
  return tokens;
}

async function refresh(config, tokens) {
  const next = await client.refreshTokenGrant(config, tokens.refresh_token);
  say('refresh', { claims: next.claims(), rotated: next.refresh_token !== tokens.refresh_token });
}

async function deviceFlow(config) {
  const device = await client.initiateDeviceAuthorization(config, { scope: 'openid profile offline_access' });
  say('device', { user_code: device.user_code, verification_uri: device.verification_uri,
    verification_uri_complete: device.verification_uri_complete, interval: device.interval, expires_in: device.expires_in });
  const tokens = await client.pollDeviceAuthorizationGrant(config, device);
  say('device_tokens', { claims: tokens.claims(), id_token: tokens.id_token });
}

try {
  const custom = await discover(env('CUSTOM_ISSUER'));
  say('discovered', { issuer: custom.serverMetadata().issuer });
  const org = await discover(env('ISSUER'));
  const md = org.serverMetadata();
  say('discovered', { issuer: md.issuer, device_authorization_endpoint: md.device_authorization_endpoint });
  const tokens = await codeFlow(org);
  await refresh(org, tokens);
  await deviceFlow(org);
  await codeFlow(custom);
} catch (e) {
  say('error', { name: e.name, code: e.code, message: e.message, error: e.error, error_description: e.error_description });
  process.exitCode = 1;
} finally {
  process.stdin.destroy();
}

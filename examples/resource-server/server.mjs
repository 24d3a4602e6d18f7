// A service of another stack (plain Fastify, no Nest) that trusts otpgate's access tokens. It needs nothing
// of otpgate but its address: the issuer and the keys come from the discovery document and the JWKS, and
// `jose` does the verifying. One route also asks otpgate whether the token was revoked (introspection).
//
//   OTPGATE_URL=http://localhost:3000 INTROSPECTION_SECRET=... node examples/resource-server/server.mjs
import Fastify from 'fastify';
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';

/**
 * @param {object} options
 * @param {string} options.otpgateUrl where otpgate answers, e.g. https://auth.example.com
 * @param {string} [options.audience] the `aud` to require (otpgate's JWT_AUDIENCE), if set there
 * @param {string} [options.introspectionSecret] one of otpgate's INTROSPECTION_SECRET, for revocation-aware routes
 * @param {number} [options.jwksCacheMs] how long fetched keys are trusted before the JWKS is fetched again
 */
export async function createResourceServer({ otpgateUrl, audience, introspectionSecret, jwksCacheMs = 60_000 }) {
  const discovery = await (await fetch(new URL('/.well-known/openid-configuration', otpgateUrl))).json();
  // An unknown kid (a key rotated in since the last fetch) makes jose fetch the JWKS again, at most once per
  // cooldown; keys that left the JWKS (a revoked key) are dropped at the next fetch, jwksCacheMs at the latest.
  const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri), { cacheMaxAge: jwksCacheMs, cooldownDuration: 1000 });

  async function authenticate(request) {
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    if (scheme !== 'Bearer' || !token) throw Object.assign(new Error('a bearer token is required'), { statusCode: 401 });
    try {
      const { payload } = await jwtVerify(token, jwks, {
        issuer: discovery.issuer,
        audience,
        typ: 'at+jwt', // access tokens only: otpgate's refresh tokens carry another type
        // Pinned here, never taken from the token: otpgate's asymmetric algorithms (its JWT_ALGORITHM may change).
        algorithms: ['ES256', 'EdDSA', 'RS256'],
      });
      return { token, user: payload.sub, roles: payload.roles ?? [] };
    } catch (error) {
      if (error instanceof errors.JOSEError) throw Object.assign(new Error(`token refused: ${error.code}`), { statusCode: 401 });
      throw error;
    }
  }

  /** Revocation-aware: asks otpgate whether the token is still live (logout, logout-all, deactivation, ...). */
  async function stillActive(token) {
    const response = await fetch(discovery.introspection_endpoint, {
      method: 'POST',
      headers: { authorization: `Bearer ${introspectionSecret}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }),
    });
    if (!response.ok) throw Object.assign(new Error(`introspection answered ${response.status}`), { statusCode: 502 });
    return (await response.json()).active === true;
  }

  const app = Fastify();
  app.setErrorHandler((error, _request, reply) => {
    void reply.status(error.statusCode ?? 500).send({ error: error.statusCode ? error.message : 'internal error' });
  });

  // Signature, issuer, audience and expiry, checked locally: no call to otpgate per request.
  app.get('/notes', async (request) => {
    const { user, roles } = await authenticate(request);
    return { notes: [], user, roles };
  });

  // Money moves only for tokens otpgate still considers live.
  app.post('/payments', async (request, reply) => {
    const { token, user } = await authenticate(request);
    if (!(await stillActive(token))) return reply.status(401).send({ error: 'token revoked' });
    return { paid: true, user };
  });

  return app;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const app = await createResourceServer({
    otpgateUrl: process.env.OTPGATE_URL ?? 'http://localhost:3000',
    audience: process.env.JWT_AUDIENCE || undefined,
    introspectionSecret: process.env.INTROSPECTION_SECRET,
    jwksCacheMs: Number(process.env.JWKS_CACHE_MS ?? 60_000),
  });
  const address = await app.listen({ port: Number(process.env.PORT ?? 4000), host: '127.0.0.1' });
  console.log(`resource server listening on ${address}`);
}

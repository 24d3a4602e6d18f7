import type { FastifyCorsOptions } from '@fastify/cors';

/**
 * Every method a route of this API answers to. @fastify/cors allows only GET, HEAD and POST by default, so a
 * browser front-end's preflight for `PATCH /api/users/me`, the admin PATCH or the Google unlink (DELETE)
 * would fail.
 */
export const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'];

/**
 * The request headers a front-end sends that are not CORS-safelisted: the bearer token, the JSON content
 * type, and a request id (kept only from a trusted proxy, harmless from a browser). Named, not reflected,
 * so the preflight answer says what the API reads.
 */
export const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'X-Request-Id'];

/**
 * CORS for `origins` only. Any other origin gets no CORS headers at all, not even the allowed methods and
 * headers of a preflight (which @fastify/cors sends to every origin when given a list): its preflight is a
 * 404 like any unknown OPTIONS route.
 */
export function corsOptions(origins: string[]): FastifyCorsOptions {
  const allowed = new Set(origins);
  return {
    origin: allowed.size ? (origin, callback) => callback(null, origin !== undefined && allowed.has(origin) ? origin : false) : false,
    methods: CORS_METHODS,
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: ['X-Request-Id', 'Retry-After'],
  };
}

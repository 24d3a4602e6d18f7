import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import FindMyWay from 'find-my-way';
import { DomainError } from '../errors/domain-error.js';
import { sendError } from './all-exceptions.filter.js';

/**
 * Fastify's router answers a known path with a wrong method as an unknown route (404). This keeps a second
 * router with every route's path, fed as routes are added and matched the same way (trailing slashes
 * ignored), to tell the two apart: a 404 for a path that some route serves becomes 405 METHOD_NOT_ALLOWED,
 * with an `Allow` header naming the methods that path does serve.
 *
 * Checked when the request arrives (so a body is not read for nothing) and again when a route hands a
 * request to the not-found handler: the CORS plugin's catch-all OPTIONS route does that when CORS is off.
 */
export function registerMethodNotAllowed(fastify: FastifyInstance): void {
  const paths = FindMyWay({ ignoreTrailingSlash: true });
  const methods = new Set<FindMyWay.HTTPMethod>();
  fastify.addHook('onRoute', (route) => {
    // A catch-all (the CORS preflight route, `*`) serves no particular path; counting it would turn every
    // unknown path into a 405.
    if (route.url === '*' || route.url === '/*') return;
    for (const method of [route.method].flat() as FindMyWay.HTTPMethod[]) {
      if (paths.hasRoute(method, route.url)) continue;
      paths.on(method, route.url, () => undefined);
      methods.add(method);
    }
  });

  const refuse = (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    if (!request.is404) return done();
    const allowed = [...methods].filter((method) => paths.find(method, request.url) !== null);
    if (!allowed.length) return done();
    const allow = allowed.join(', ');
    const path = request.url.split('?')[0];
    sendError(
      request,
      reply,
      new DomainError('METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${path}; it accepts ${allow}`, { allowed_methods: allowed }, { Allow: allow }),
    );
  };
  fastify.addHook('onRequest', refuse);
  fastify.addHook('preHandler', refuse);
}

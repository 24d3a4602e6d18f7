import type { FastifyInstance } from 'fastify';

/**
 * `application/x-www-form-urlencoded`, only for the routes a standard requires it of (RFC 7662
 * introspection). Everywhere else a form is refused as before, so a form post from another site still
 * cannot trigger anything. A field given twice is refused (RFC 7662 section 2.1 allows each once).
 */
export function registerFormBodyParser(fastify: FastifyInstance, bodyLimit: number, routes: readonly string[]): void {
  const allowed = new Set(routes);
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit }, (request, raw, done) => {
    if (!allowed.has(request.routeOptions.url ?? '')) {
      done(Object.assign(new Error('Unsupported Media Type'), { statusCode: 415 }), undefined);
      return;
    }
    const body: Record<string, string> = {};
    for (const [name, value] of new URLSearchParams(String(raw))) {
      if (Object.hasOwn(body, name)) {
        done(Object.assign(new Error(`The form field "${name}" is given more than once`), { statusCode: 400 }), undefined);
        return;
      }
      body[name] = value;
    }
    done(null, body);
  });
}

import type { FastifyInstance } from 'fastify';

/** Deeper bodies are refused before parsing: recursion over them (validation, transformation) would overflow. */
export const MAX_JSON_DEPTH = 32;

/**
 * JSON is the only body this API accepts: every other content type is refused (a form post from another
 * site cannot trigger a code). Bodies nested deeper than MAX_JSON_DEPTH are refused; `__proto__` and
 * `constructor.prototype` keys are refused by Fastify's secure parser.
 */
export function registerJsonBodyParser(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.removeAllContentTypeParsers();
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (request, raw, done) => {
    const body = String(raw);
    if (nestingDepth(body) > MAX_JSON_DEPTH) {
      done(Object.assign(new Error(`The request body nests deeper than ${MAX_JSON_DEPTH} levels`), { statusCode: 400, code: 'BODY_TOO_DEEP' }), undefined);
      return;
    }
    void parse(request, body, done);
  });
}

/** The deepest nesting of arrays and objects in a JSON text, brackets inside strings not counted. */
export function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) max = Math.max(max, ++depth);
    else if (c === 125 || c === 93) depth--;
  }
  return max;
}

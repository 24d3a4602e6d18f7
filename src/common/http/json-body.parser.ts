import type { FastifyInstance } from 'fastify';
import secureJsonParse from 'secure-json-parse';
import { DomainError } from '../errors/domain-error.js';
import { describeJsonSyntaxError } from './json-syntax-error.js';

/** Deeper bodies are refused before parsing: recursion over them (validation, transformation) would overflow. */
export const MAX_JSON_DEPTH = 32;

/**
 * JSON is the only body this API accepts: every other content type is refused (a form post from another
 * site cannot trigger a code). Bodies nested deeper than MAX_JSON_DEPTH are refused; `__proto__` and
 * `constructor.prototype` keys are refused by secure-json-parse (Fastify's own parser, called directly:
 * Fastify's wrapper answers both a syntax error and a forbidden key with one vague error). A body that is not
 * JSON is answered with what is wrong and where.
 */
export function registerJsonBodyParser(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (_request, raw, done) => {
    const body = String(raw);
    if (body.length === 0) return done(refusal('The request body is empty but Content-Type is application/json'), undefined);
    if (nestingDepth(body) > MAX_JSON_DEPTH) return done(refusal(`The request body nests deeper than ${MAX_JSON_DEPTH} levels`), undefined);
    let parsed: unknown;
    try {
      parsed = secureJsonParse(body, null, { protoAction: 'error', constructorAction: 'error' });
    } catch (error) {
      const forbidden = error instanceof SyntaxError && /forbidden prototype property/.test(error.message);
      return done(forbidden ? refusal('The request body holds a forbidden key (__proto__ or constructor.prototype)') : describeJsonSyntaxError(body), undefined);
    }
    done(null, parsed);
  });
}

function refusal(message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', message);
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

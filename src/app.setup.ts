import { Logger, type INestApplication, type NestApplicationOptions } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cors from '@fastify/cors';
import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { compile as compileTrust } from '@fastify/proxy-addr';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { sendError } from './common/http/all-exceptions.filter.js';
import type { ErrorCode } from './common/errors/error-code.js';
import { DomainError } from './common/errors/domain-error.js';
import { corsOptions } from './common/http/cors.js';
import { registerFormBodyParser } from './common/http/form-body.parser.js';
import { registerJsonBodyParser } from './common/http/json-body.parser.js';
import { isDraining, registerLingering } from './common/http/linger.js';
import { registerMethodNotAllowed } from './common/http/method-not-allowed.js';
import { INTROSPECTION_PATH } from './auth/introspection.controller.js';
import { AT_CAPACITY, RequestsInFlight } from './common/http/requests-in-flight.js';
import { readAppConfig } from './config/app.config.js';
import metadata from './metadata.js';

export const DOCS_PATH = 'docs';

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** Nest's own body parsers are off: setupApp installs the JSON-only parser. */
export const APP_OPTIONS: NestApplicationOptions = { bodyParser: false, abortOnError: false };

const errorLogger = new Logger('Errors');

/** Fastify with the service's HTTP rules: body limit, request ids, trailing slashes served directly. */
export function createHttpAdapter(): FastifyAdapter {
  const { bodyLimitBytes, trustProxy, requestTimeoutMs, nodeEnv } = readAppConfig();
  // The answers written straight to the socket carry the same security headers as every other response.
  const rawSecurityHeaders = Object.entries(helmetHeaders(nodeEnv === 'production'))
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  const trusted = trustProxy === false ? () => false : typeof trustProxy === 'boolean' ? () => true : compileTrust(trustProxy);
  return new FastifyAdapter({
    bodyLimit: bodyLimitBytes,
    trustProxy,
    requestTimeout: requestTimeoutMs,
    // A request id from a trusted proxy is kept (one id across the hops); anyone else's is replaced.
    genReqId: (req: { headers: Record<string, string | string[] | undefined>; socket?: { remoteAddress?: string } }) => {
      const given = req.headers['x-request-id'];
      const peer = req.socket?.remoteAddress ?? '';
      return typeof given === 'string' && REQUEST_ID.test(given) && trusted(peer, 0) ? given : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true },
    // No Nest middleware here: without middie, no per-request hook walks an empty middleware list (~2 % of
    // the CPU of GET /api/auth/me). JSON only: no multipart parser either.
    skipMiddie: true,
    multipart: false,
    logger: false,
    // Errors Fastify raises before routing (a malformed URL) get the contract's body too.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => sendError(request, reply, error, errorLogger),
    // And so do requests Node's HTTP parser refuses (oversized headers, garbage) or that take too long.
    clientErrorHandler: (error, socket) => {
      const { status, code, message } = clientError((error as { code?: string }).code);
      const requestId = randomUUID();
      const body = JSON.stringify({ success: false, code, message, request_id: requestId });
      const headersSent = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
      // A socket draining an answered body already has its answer: a late timeout just closes it.
      if (!socket.writable || headersSent || isDraining(socket)) {
        socket.destroy();
        return;
      }
      // Written, then destroyed: a client that never closes its side must not keep a half-open socket (and
      // a file descriptor) forever.
      socket.end(
        `HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\nX-Request-Id: ${requestId}\r\n` +
          `${rawSecurityHeaders}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        () => socket.destroy(),
      );
    },
    // Node checks REQUEST_TIMEOUT_MS only this often (30 s by default), so a slow request could outlive it by that much.
    http: { connectionsCheckingInterval: Math.min(1000, requestTimeoutMs) },
  });
}

/** The answer to a request Node's HTTP parser gave up on, before Fastify saw it. */
function clientError(nodeCode: string | undefined): { status: string; code: ErrorCode; message: string } {
  switch (nodeCode) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: '431 Request Header Fields Too Large', code: 'HEADERS_TOO_LARGE', message: 'The request headers are larger than this service accepts' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: '408 Request Timeout', code: 'REQUEST_TIMEOUT', message: 'The request was not received in time' };
    default:
      return { status: '400 Bad Request', code: 'VALIDATION_FAILED', message: 'The request is malformed' };
  }
}

const bodyTimers = new WeakMap<FastifyRequest, NodeJS.Timeout>();

/**
 * Node enforces REQUEST_TIMEOUT_MS only until a request is handed over, so a body that stops arriving would
 * hold the connection open forever: a body still incomplete after that long gets 408 REQUEST_TIMEOUT and
 * the connection is closed.
 */
function watchBody(request: FastifyRequest, reply: FastifyReply, timeoutMs: number): void {
  const { 'content-length': length, 'transfer-encoding': chunked } = request.headers;
  if ((length === undefined || length === '0') && chunked === undefined) return;
  const timer = setTimeout(() => {
    if (reply.sent) return;
    void reply.header('connection', 'close');
    sendError(request, reply, new DomainError('REQUEST_TIMEOUT', 'The request was not received in time'), errorLogger);
  }, timeoutMs);
  bodyTimers.set(request, timer);
}

function unwatchBody(request: FastifyRequest): void {
  const timer = bodyTimers.get(request);
  if (timer) clearTimeout(timer);
}

/** What main.ts and the e2e tests both apply to the app: body parsing, headers, hooks and Swagger. */
export async function setupApp(app: NestFastifyApplication): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const { bodyLimitBytes, corsOrigins, requestTimeoutMs, maxRequestsInFlight, nodeEnv } = readAppConfig();
  const inFlight = new RequestsInFlight(maxRequestsInFlight);
  registerJsonBodyParser(fastify, bodyLimitBytes);
  registerFormBodyParser(fastify, bodyLimitBytes, [INTROSPECTION_PATH]);
  await app.register(cors, corsOptions(corsOrigins));
  const securityHeaders = helmetHeaders(nodeEnv === 'production');
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.headers(securityHeaders).header('x-request-id', request.id);
    // Swagger UI's page uses paths relative to /docs; served at /docs/ they would miss.
    if (request.url === `/${DOCS_PATH}/`) return void reply.redirect(`/${DOCS_PATH}`);
    if (!inFlight.admit(request, reply)) return sendError(request, reply, AT_CAPACITY);
    watchBody(request, reply, requestTimeoutMs);
    done();
  });
  registerMethodNotAllowed(fastify);
  registerLingering(fastify, requestTimeoutMs);
  fastify.addHook('preValidation', (request, _reply, done) => {
    unwatchBody(request);
    done();
  });
  fastify.addHook('onResponse', (request, _reply, done) => {
    unwatchBody(request);
    done();
  });
  await setupSwagger(app);
}

/**
 * helmet's security headers (CSP, HSTS, nosniff, ...), worked out once: they are the same on every response,
 * and @fastify/helmet rebuilt helmet's middleware on each request (about 6 % of the CPU of `GET /me`).
 * Swagger UI's page needs its own inline styles and scripts, so CSP allows them from this origin.
 * Strict-Transport-Security only in production: development serves plain HTTP, where the header has no
 * business (and behind a local HTTPS proxy it would pin localhost to https for a year).
 */
export function helmetHeaders(production: boolean): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string | number | readonly string[]) => (headers[name.toLowerCase()] = String(value)),
    removeHeader: () => undefined,
  };
  const middleware = helmet({
    strictTransportSecurity: production,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'https:'],
      },
    },
  });
  middleware({} as IncomingMessage, response as unknown as ServerResponse, () => undefined);
  return headers;
}

async function setupSwagger(app: INestApplication): Promise<void> {
  await SwaggerModule.loadPluginMetadata(metadata);
  const config = new DocumentBuilder()
    .setTitle('otpgate')
    .setDescription(
      'Passwordless authentication: request a one-time code by email or SMS, verify it, register or log in, ' +
        'and use the JWTs. Use **Authorize** with an access token to call protected routes. ' +
        'Every error has the body `{success: false, code, message, details?, request_id}`.',
    )
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token' })
    .build();
  // Built on the first request for the docs, not at start-up (~70 ms of the time to ready).
  SwaggerModule.setup(DOCS_PATH, app, () => SwaggerModule.createDocument(app, config), {
    jsonDocumentUrl: `${DOCS_PATH}-json`,
    customSiteTitle: 'otpgate API',
    swaggerOptions: { persistAuthorization: true, displayRequestDuration: true },
  });
}

export const bootstrapLogger = new Logger('Bootstrap');

/**
 * SIGTERM/SIGINT: stop accepting, let in-flight requests finish, drain the queue worker and close the pools
 * (Nest's shutdown hooks, run by app.close()), then exit 0. Bounded: a shutdown that hangs exits 1.
 */
export function closeOnSignals(app: { close(): Promise<void> }, logger: Logger, graceMs = 10_000): void {
  let closing = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      logger.log(`${signal}: shutting down`);
      setTimeout(() => {
        logger.error(`shutdown took longer than ${graceMs} ms; exiting`);
        process.exit(1);
      }, graceMs).unref();
      app.close().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error(`shutdown failed: ${String(error)}`);
          process.exit(1);
        },
      );
    });
  }
}

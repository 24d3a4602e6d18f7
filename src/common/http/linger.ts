import type { FastifyInstance } from 'fastify';
import { Socket } from 'node:net';

/** Past this many bytes of a body nobody will read, the connection is closed instead. */
export const DRAIN_MAX_BYTES = 8 * 1024 * 1024;

const draining = new WeakSet<Socket>();

/** True while the socket is reading off the rest of a body already answered (see registerLingering). */
export function isDraining(socket: Socket): boolean {
  return draining.has(socket);
}

/**
 * An answer sent before the request body was read (413 for a body over the limit, 405, 404, 401, 503 at
 * capacity) must reach the client. Fastify asks to close the connection after a body error, and Node then
 * destroys the socket with the rest of the body unread, which makes the kernel reset the connection: a
 * client still sending (fetch with a 2 MB body) sees EPIPE or ECONNRESET instead of the answer, and a reset
 * can erase the answer from the client's buffers (RFC 9112 section 9.6). As mature servers do (nginx's
 * lingering close), the rest of the body is read and thrown away, within bounds: at most DRAIN_MAX_BYTES and
 * `maxMs`, then the connection is closed. A body declared larger than the bound is not waited for.
 * Draining leaves the connection usable for the next request, so it is not marked to close.
 */
export function registerLingering(fastify: FastifyInstance, maxMs: number): void {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const raw = request.raw;
    const socket = raw.socket;
    // 408: the body stopped coming, and the connection is closed on purpose. (Injected requests have no socket.)
    if (raw.complete || reply.statusCode === 408 || !(socket instanceof Socket)) return done(null, payload);
    const declared = Number(request.headers['content-length']);
    if (declared > DRAIN_MAX_BYTES) {
      void reply.header('connection', 'close');
      return done(null, payload);
    }
    if (String(reply.getHeader('connection')).toLowerCase() === 'close') reply.removeHeader('connection');
    draining.add(socket);
    let drained = 0;
    const stop = () => socket.destroy();
    const timer = setTimeout(stop, maxMs);
    const count = (chunk: Buffer) => {
      drained += chunk.length;
      if (drained > DRAIN_MAX_BYTES) stop();
    };
    const finish = () => {
      clearTimeout(timer);
      draining.delete(socket);
      raw.off('data', count);
    };
    raw.on('data', count).once('end', finish).once('close', finish);
    raw.resume();
    done(null, payload);
  });
}

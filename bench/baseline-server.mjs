// The floor: a bare node:http server that verifies the same HS256 JWT with node:crypto and answers.
import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

const key = createSecretKey(Buffer.from(process.env.JWT_SECRET, 'utf8'));
const body = JSON.stringify({ ok: true });

createServer((req, res) => {
  const token = (req.headers.authorization ?? '').slice(7);
  const [head, payload, signature] = token.split('.');
  const expected = createHmac('sha256', key).update(`${head}.${payload}`).digest();
  const given = Buffer.from(signature ?? '', 'base64url');
  const claims = given.length === expected.length && timingSafeEqual(given, expected) ? JSON.parse(Buffer.from(payload, 'base64url')) : undefined;
  if (!claims || claims.exp * 1000 < Date.now()) {
    res.writeHead(401).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end(body);
}).listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));

import pg from 'pg';

/** PostgreSQL did not let the service in at start-up: said in one line, with no stack (main.ts). */
export class DatabaseUnreachableError extends Error {}

/**
 * Connects once to DATABASE_URL before the app is built, so an unreachable server, a wrong password or a
 * missing database stops start-up with one line naming the variable and the server (never the password),
 * instead of TypeORM's retries and Nest's handler each printing a stack trace.
 */
export async function probePostgres(url: string, timeoutMs: number): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    const parsed = new URL(url);
    const server = `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
    const password = decodeURIComponent(parsed.password);
    const reason = error instanceof Error ? error.message : String(error);
    throw new DatabaseUnreachableError(
      `DATABASE_URL: cannot connect to PostgreSQL at ${server}: ${password ? reason.replaceAll(password, '***') : reason}`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

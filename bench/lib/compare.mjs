// Two instances measured alternately: this host's speed drifts by tens of percent within minutes, more
// than the 10 % these comparisons must resolve, so each operation is measured on the two instances in
// turn, ROUNDS times, and the change is the median of the rounds' changes (each pair ran within seconds).
import { startServer, stopServer } from './instances.mjs';
import { measure } from './operations.mjs';
import { ONLY, ROUNDS } from './settings.mjs';
import { seedBenchUsers } from './seed.mjs';

/**
 * @param {Array<{ target: object, label: string }>} sides the two instances (the first is the reference)
 * @param {Record<string, (target: object, users: object[]) => Promise<object>>} operations
 */
export async function alternate(sides, operations) {
  const instances = [];
  try {
    for (const side of sides) {
      const { server } = await startServer(side.target);
      instances.push({ ...side, server, users: await seedBenchUsers(side.target, 5_000) });
    }
    const rows = [];
    for (const [name, prepare] of Object.entries(operations)) {
      if (ONLY && ONLY !== name) continue;
      const rounds = [];
      let errors = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const results = [];
        for (const instance of instances) {
          results.push(await measure(`${name} (${instance.label})`, await prepare(instance.target, instance.users)));
        }
        rounds.push(results.map((r) => r.rps));
        errors += results.reduce((sum, r) => sum + r.errors, 0);
      }
      rows.push({ name, rounds, errors });
    }
    return { labels: sides.map((s) => s.label), rows };
  } finally {
    for (const { server } of instances) await stopServer(server);
  }
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The median of the rounds' relative changes from the first instance to the second. */
export const medianChange = (rounds) => median(rounds.map(([a, b]) => (b - a) / a));

// The Markdown table a run prints and writes to bench/results/.
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { median, medianChange } from './compare.mjs';
import { CONNECTIONS, DURATION, ROUNDS, SMOKE, TARGETS, WARMUP } from './settings.mjs';

export function renderReport(phases, comparisons) {
  const lines = [
    `# otpgate benchmark, ${new Date().toISOString()}${SMOKE ? ' (smoke: 2 s windows)' : ''}`,
    '',
    `${CONNECTIONS} connections on loopback, ${WARMUP} s warm-up, ${DURATION} s measured; Node ${process.version}, ${os()}.`,
  ];
  for (const phase of phases) {
    const baseline = phase.rows.find((r) => r.name === 'baseline');
    lines.push('', `## ${phase.label}`, '', '| operation | req/s | p50 ms | p99 ms | errors | of baseline | target |', '|---|---|---|---|---|---|---|');
    for (const row of phase.rows) {
      const target = TARGETS[row.name];
      const verdict = target
        ? `${row.rps >= target.rps && row.p99 < target.p99 && (!target.baseline || row.rps / baseline.rps >= target.baseline) ? 'met' : 'missed'} (>= ${target.rps}, p99 < ${target.p99})`
        : '';
      lines.push(`| ${row.name} | ${row.rps} | ${row.p50} | ${row.p99} | ${row.errors} | ${(row.rps / baseline.rps).toFixed(2)} | ${verdict} |`);
    }
    lines.push(
      '',
      `Peak RSS under load: ${phase.peakRssMb} MB (target < 200). Start-up to ready: ${phase.startupMs} ms (target < 2000).`,
      phase.memory ? `Redis per pending code: ${phase.memory.code} bytes for otp:<PURPOSE>:<id> (target < 200), plus ${phase.memory.sent} bytes for its otp-sent:<PURPOSE>:<id> bookkeeping.` : '',
    );
  }
  for (const comparison of comparisons) lines.push(...renderComparison(comparison));
  return lines.join('\n');
}

function renderComparison({ title, labels: [a, b], rows, target }) {
  const lines = [
    '',
    `## ${title}`,
    '',
    `Two instances measured alternately (${ROUNDS} round${ROUNDS > 1 ? 's' : ''} of ${DURATION} s each): req/s per round, ${a} / ${b};`,
    `the change is the median of the rounds' changes from ${a} to ${b}.`,
    '',
    `| operation | rounds | median ${a} | median ${b} | change |${target ? ' target |' : ''}`,
    `|---|---|---|---|---|${target ? '---|' : ''}`,
  ];
  for (const { name, rounds } of rows) {
    const change = medianChange(rounds);
    const verdict = target ? ` ${change >= -target ? 'met' : 'missed'} (at most ${target * 100} % slower) |` : '';
    lines.push(
      `| ${name} | ${rounds.map(([x, y]) => `${x} / ${y}`).join(', ')} | ${median(rounds.map((r) => r[0]))} | ${median(rounds.map((r) => r[1]))} | ${(change * 100).toFixed(1)} % |${verdict}`,
    );
  }
  return lines;
}

function os() {
  const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.+)/)?.[1] ?? 'unknown CPU';
  return `${cpu}, ${spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()} cores`;
}

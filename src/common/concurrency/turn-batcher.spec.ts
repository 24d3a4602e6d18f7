import { TurnBatcher } from './turn-batcher.js';

function doubling() {
  const calls: number[][] = [];
  const batcher = new TurnBatcher<number, number>(async (items) => {
    calls.push(items);
    return items.map((n) => n * 2);
  }, 3);
  return { batcher, calls };
}

describe('TurnBatcher', () => {
  it('runs the items of one turn together and gives each caller its own result', async () => {
    const { batcher, calls } = doubling();
    expect(await Promise.all([batcher.submit(1), batcher.submit(2)])).toEqual([2, 4]);
    expect(calls).toEqual([[1, 2]]);
  });

  it('starts a new batch in the next turn', async () => {
    const { batcher, calls } = doubling();
    expect(await batcher.submit(1)).toBe(2);
    expect(await batcher.submit(2)).toBe(4);
    expect(calls).toEqual([[1], [2]]);
  });

  it('runs a full batch at once', async () => {
    const { batcher, calls } = doubling();
    expect(await Promise.all([1, 2, 3, 4].map((n) => batcher.submit(n)))).toEqual([2, 4, 6, 8]);
    expect(calls).toEqual([[1, 2, 3], [4]]);
  });

  it('fails every caller of a failed batch, and runs the next one', async () => {
    let fail = true;
    const batcher = new TurnBatcher<number, number>(async (items) => {
      if (fail) throw new Error('database down');
      return items;
    });
    const results = await Promise.allSettled([batcher.submit(1), batcher.submit(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await batcher.submit(3)).toBe(3);
  });
});

import { nestingDepth } from './json-body.parser.js';

describe('nestingDepth', () => {
  it.each([
    ['1', 0],
    ['{}', 1],
    ['{"a":[1,{"b":2}]}', 3],
    ['{"a":"[[[[{{{{"}', 1],
    ['{"a":"\\"[[["}', 1],
    [`${'['.repeat(3000)}${']'.repeat(3000)}`, 3000],
  ])('%s is %i deep', (text, depth) => {
    expect(nestingDepth(text)).toBe(depth);
  });
});

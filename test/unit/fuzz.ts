import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { testService } from './helpers';

/** Edits that turn a real file into the half-typed or damaged text an editor sees mid-keystroke. */
function mutate(sample: string): fc.Arbitrary<string> {
  const position = fc.nat({ max: sample.length });
  const junk = fc.string({
    unit: fc.constantFrom(
      '{',
      '}',
      '"',
      "'",
      '\\',
      '\n',
      ':',
      ';',
      ',',
      '-',
      '=',
      '/',
      '<',
      '>',
      '$',
      '#',
      ' ',
      '0',
      '9',
      'x',
    ),
    maxLength: 12,
  });
  return fc.oneof(
    fc.tuple(position, position).map(([a, b]) => sample.slice(0, Math.min(a, b)) + sample.slice(Math.max(a, b))),
    fc.tuple(position, junk).map(([at, text]) => sample.slice(0, at) + text + sample.slice(at)),
    position.map((at) => sample.slice(0, at)),
    fc.tuple(position, position).map(([a, b]) => sample + sample.slice(Math.min(a, b), Math.max(a, b)).repeat(3)),
  );
}

/**
 * Fuzzes one format's scanner with random text and with mutations of real samples: it must never throw, and
 * every mention it reports must lie inside the text and name a valid port. A scanner that throws shows as a
 * `scan-incomplete` finding that says its reader failed, which fails the property. Other shortfalls are what
 * the mutated text says (a macro made to name itself), and the honest answer to it.
 */
export function fuzzFormat(languageId: string, samples: readonly string[], runs = 200): void {
  it(`${languageId}: survives random and mutated input`, async () => {
    const service = await testService();
    const inputs = fc.oneof(
      fc.string({ maxLength: 400 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.constantFrom(...samples).chain(mutate),
    );
    fc.assert(
      fc.property(inputs, (text) => {
        const scan = service.scan({ text, languageId });
        assert.deepEqual(scan.notices, [], `the ${languageId} scan met a problem`);
        const failures = (scan.incomplete ?? []).filter((shortfall) => / reader failed /.test(shortfall.reason));
        assert.deepEqual(failures, [], `the ${languageId} reader failed`);
        for (const mention of scan.mentions) {
          assert.ok(
            mention.span.start >= 0 && mention.span.end <= text.length && mention.span.start <= mention.span.end,
          );
          assert.ok(
            mention.port >= 0 && mention.port <= 65535 && (mention.endPort === null || mention.endPort >= mention.port),
          );
        }
      }),
      { numRuns: runs },
    );
  });
}

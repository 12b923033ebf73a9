import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { CharacterSet, WHITESPACE } from '../../server/src/scan/lexing';
import { type Token, splitWords, words as wordsOf } from '../../server/src/scan/token';

/** The words and their document spans, as a reader of the tokens sees them. */
const words = (line: string, lineStart: number) =>
  splitWords(line, lineStart).map((token) => [token.text, token.span.start, token.span.end]);

describe('tokens', () => {
  it('splits at exactly the characters that a regular expression calls white space', () => {
    for (let code = 0; code <= 0xffff; code++) {
      const character = String.fromCharCode(code);
      if (character === '"' || character === "'") continue;
      const expected = /\s/.test(character)
        ? [
            ['a', 0, 1],
            ['b', 2, 3],
          ]
        : [[`a${character}b`, 0, 3]];
      assert.deepEqual(words(`a${character}b`, 0), expected, `U+${code.toString(16).padStart(4, '0')}`);
    }
  });

  it('splits a line without quotes at any white space, with each word at its place in the document', () => {
    // A tab, a vertical tab, a no-break space and an ideographic space between words; a CJK word and an emoji.
    assert.deepEqual(words('ufw\tallow\u000b22/tcp\u00a0comment\u3000防火墙 🔥', 100), [
      ['ufw', 100, 103],
      ['allow', 104, 109],
      ['22/tcp', 110, 116],
      ['comment', 117, 124],
      ['防火墙', 125, 128],
      ['🔥', 129, 131],
    ]);
    assert.deepEqual(words('   ', 0), []);
  });

  it('joins quoted parts to the words they touch and maps a port inside quotes to its column', () => {
    const line = `-A INPUT -m comment --comment "Allow SSH" --dport '22' -j ACCEPT`;
    const tokens = splitWords(line, 10);
    assert.deepEqual(
      tokens.map((token) => token.text),
      ['-A', 'INPUT', '-m', 'comment', '--comment', 'Allow SSH', '--dport', '22', '-j', 'ACCEPT'],
    );
    const port = tokens[7];
    assert.deepEqual(port.spanOf(0, 2), { start: 10 + line.indexOf("'22'") + 1, end: 10 + line.indexOf("'22'") + 3 });
    assert.deepEqual(
      splitWords(`name="web 1"x`, 0).map((token) => token.text),
      ['name=web 1x'],
    );
  });

  it('agrees with the quoting rule written as a regular expression, on random lines of quotes and blanks', () => {
    /** Each word's text, span, and the document offset of each of its characters. */
    const read = (tokens: Token[]) =>
      tokens.map((token) => ({
        text: token.text,
        start: token.span.start,
        end: token.span.end,
        at: Array.from(token.text, (_, index) => token.spanOf(index, index + 1).start),
      }));
    // Quoted text runs to the same quote or the line's end; unquoted runs stop at white space and quotes; parts
    // that touch make one word.
    const byPattern = (line: string, lineStart: number) => {
      const found: { text: string; start: number; end: number; at: number[] }[] = [];
      let lastEnd = -1;
      for (const match of line.matchAll(/"([^"]*)"?|'([^']*)'?|[^\s"']+/g)) {
        const quoted = match[1] ?? match[2];
        const part = quoted ?? match[0];
        const partStart = lineStart + match.index + (quoted === undefined ? 0 : 1);
        if (match.index !== lastEnd) found.push({ text: '', start: lineStart + match.index, end: 0, at: [] });
        const word = found[found.length - 1];
        word.text += part;
        for (let index = 0; index < part.length; index++) word.at.push(partStart + index);
        lastEnd = match.index + match[0].length;
        word.end = lineStart + lastEnd;
      }
      return found;
    };
    const line = fc.string({
      unit: fc.constantFrom('a', '2', '=', ' ', '\t', '\u000b', '\u00a0', '"', "'"),
      maxLength: 40,
    });
    fc.assert(
      fc.property(line, line, line, fc.nat(1000), (before, text, after, lineStart) => {
        const expected = byPattern(text, lineStart);
        assert.deepEqual(read(splitWords(text, lineStart)), expected);
        // A stretch of a longer text reads the same: nothing outside it, a closing quote included, counts.
        const whole = `${before}${text}${after}`;
        assert.deepEqual(
          read(wordsOf(whole, before.length, before.length + text.length, WHITESPACE, lineStart - before.length)),
          expected,
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('splits at the separators it is given, quoted or not: iptables-save lines only at spaces and tabs', () => {
    const spacesAndTabs = new CharacterSet(/[ \t]/);
    const line = `x -m comment --comment "web\u000b1"\u000bx\t--dport\u00a022`;
    assert.deepEqual(
      wordsOf(line, 2, line.length, spacesAndTabs, 100).map((token) => [token.text, token.span.start, token.span.end]),
      [
        ['-m', 102, 104],
        ['comment', 105, 112],
        ['--comment', 113, 122],
        ['web\u000b1\u000bx', 123, 132],
        ['--dport\u00a022', 133, 143],
      ],
    );
  });
});

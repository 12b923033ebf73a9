import * as assert from 'node:assert/strict';
import { splitWords } from '../../server/src/scan/token';

/** The words and their document spans, as a reader of the tokens sees them. */
const words = (line: string, lineStart: number) => splitWords(line, lineStart).map((token) => [token.text, token.span.start, token.span.end]);

describe('tokens', () => {
  it('splits at exactly the characters that a regular expression calls white space', () => {
    for (let code = 0; code <= 0xffff; code++) {
      const character = String.fromCharCode(code);
      if (character === '"' || character === "'") continue;
      const expected = /\s/.test(character) ? [['a', 0, 1], ['b', 2, 3]] : [[`a${character}b`, 0, 3]];
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
    assert.deepEqual(tokens.map((token) => token.text), ['-A', 'INPUT', '-m', 'comment', '--comment', 'Allow SSH', '--dport', '22', '-j', 'ACCEPT']);
    const port = tokens[7];
    assert.deepEqual(port.spanOf(0, 2), { start: 10 + line.indexOf("'22'") + 1, end: 10 + line.indexOf("'22'") + 3 });
    assert.deepEqual(splitWords(`name="web 1"x`, 0).map((token) => token.text), ['name=web 1x']);
  });
});

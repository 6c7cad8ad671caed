// Chevrotain token definitions for the .axn DSL: keywords, names, literals, punctuation, skipped
// whitespace and comments (`#` or `//` to end of line), and the catch-all for characters that start no token.

import { createToken, Lexer, type CustomPatternMatcherFunc, type TokenType } from 'chevrotain';
import { MAX_DIAGNOSTICS_PER_FILE } from '../diagnostics/diagnostic.ts';

export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/, label: 'a name' });

function keyword(word: string): TokenType {
  return createToken({
    name: word[0].toUpperCase() + word.slice(1),
    pattern: new RegExp(word),
    longer_alt: Identifier,
    label: `'${word}'`,
  });
}

export const Model = keyword('model');
export const Input = keyword('input');
export const Output = keyword('output');
export const Quality = keyword('quality');
export const Benchmark = keyword('benchmark');
export const Cpu = keyword('cpu');
export const Cycles = keyword('cycles');
export const Approximator = keyword('approximator');
export const Predictor = keyword('predictor');
export const Split = keyword('split');
export const Weights = keyword('weights');
export const Seed = keyword('seed');
export const Dense = keyword('dense');
// `controlled` must come before `control` in the token list: the lexer takes the first pattern that matches.
export const Controlled = keyword('controlled');
export const Control = keyword('control');
export const By = keyword('by');
export const Decision = keyword('decision');

export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  pattern: /[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/,
  label: 'a number',
});
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: /"[^"\n]*"/, label: 'a string' });

export const LCurly = createToken({ name: 'LCurly', pattern: /\{/, label: "'{'" });
export const RCurly = createToken({ name: 'RCurly', pattern: /\}/, label: "'}'" });
export const LParen = createToken({ name: 'LParen', pattern: /\(/, label: "'('" });
export const RParen = createToken({ name: 'RParen', pattern: /\)/, label: "')'" });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/, label: "'['" });
export const RBracket = createToken({ name: 'RBracket', pattern: /\]/, label: "']'" });
export const Equals = createToken({ name: 'Equals', pattern: /=/, label: "'='" });
export const Comma = createToken({ name: 'Comma', pattern: /,/, label: "','" });
export const Colon = createToken({ name: 'Colon', pattern: /:/, label: "':'" });
export const Dot = createToken({ name: 'Dot', pattern: /\./, label: "'.'" });
export const LessThan = createToken({ name: 'LessThan', pattern: /</, label: "'<'" });

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /\s+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: 'Comment', pattern: /(?:#|\/\/)[^\n\r]*/, group: Lexer.SKIPPED });

/** Lexer errors kept per file; at the next one the lexer stops (see Unlexable). */
export const MAX_LEXER_ERRORS = MAX_DIAGNOSTICS_PER_FILE;
export const UNLEXABLE_GROUP = 'unlexable';

/** A character no token can start with, and the run of such characters after it (reported as one error). */
const UNLEXABLE_RUN = /[^][^\s\w"{}()[\]=,:.<#/+-]*/y;

/**
 * Chevrotain's own lexer error recovery costs microseconds and an object per error and cannot be stopped, so
 * a file of junk took minutes and gigabytes. Instead this last-resort token matches whatever nothing else
 * matches, into its own group; once MAX_LEXER_ERRORS are recorded, it matches the rest of the text, which
 * ends lexing at once: the group's extra last token marks where axc stopped reading.
 */
const matchUnlexable: CustomPatternMatcherFunc = (text, offset, _tokens, groups) => {
  if ((groups[UNLEXABLE_GROUP]?.length ?? 0) >= MAX_LEXER_ERRORS) return [text.slice(offset)];
  UNLEXABLE_RUN.lastIndex = offset;
  return UNLEXABLE_RUN.exec(text);
};

/** Every UTF-16 code unit: the catch-all may start anywhere, and saying so keeps the lexer's first-character optimisation. */
const ANY_CHAR = Array.from({ length: 0x10000 }, (_, i) => i);

export const Unlexable = createToken({
  name: 'Unlexable',
  pattern: { exec: matchUnlexable },
  start_chars_hint: ANY_CHAR,
  line_breaks: true,
  group: UNLEXABLE_GROUP,
  label: 'an unexpected character',
});

/** Lexing order matters: skipped tokens, keywords (longer first), names, literals, punctuation, then the catch-all. */
export const allTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  Model,
  Input,
  Output,
  Quality,
  Benchmark,
  Cpu,
  Cycles,
  Approximator,
  Predictor,
  Split,
  Weights,
  Seed,
  Dense,
  Controlled,
  Control,
  By,
  Decision,
  Identifier,
  NumberLiteral,
  StringLiteral,
  LCurly,
  RCurly,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Equals,
  Comma,
  Colon,
  Dot,
  LessThan,
  Unlexable, // last: only what nothing else matches
];

export const axnLexer = new Lexer(allTokens, { positionTracking: 'full', ensureOptimizations: false });

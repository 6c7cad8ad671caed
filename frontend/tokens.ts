// Chevrotain token definitions for the .axn DSL: keywords, names, literals, punctuation, and skipped
// whitespace and comments (`#` or `//` to end of line).

import { createToken, Lexer, type TokenType } from 'chevrotain';

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

/** Lexing order matters: skipped tokens, keywords (longer first), then names, literals and punctuation. */
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
];

export const axnLexer = new Lexer(allTokens, { positionTracking: 'full', ensureOptimizations: false });

// The .axn grammar: one reused chevrotain CstParser (rules as class fields, error recovery on) and the
// error-message provider that turns chevrotain's errors into "expected X after Y, found Z" text.

import { CstParser, EOF, type IParserErrorMessageProvider, type IRecognitionException, type IToken, type TokenType } from 'chevrotain';
import * as T from './tokens.ts';
import { quote } from '../diagnostics/quote.ts';

/** What each rule is, for error messages ("... in a layer declaration"). */
const RULE_CONTEXT: Record<string, string> = {
  model: 'the model declaration',
  modelItem: 'the model body',
  inputDecl: "the 'input' declaration",
  outputDecl: "the 'output' declaration",
  qualityDecl: "the 'quality' declaration",
  benchmarkDecl: "the 'benchmark' declaration",
  cpuDecl: "the 'cpu' declaration",
  approximatorBlock: "the 'approximator' block",
  predictorBlock: "the 'predictor' block",
  layerDecl: 'a layer declaration',
  splitBlock: "a 'split' block",
  splitEntry: "a 'split' block",
  controlDecl: 'a control segment',
  decisionDecl: "the 'decision'",
  decisionArg: "a 'decision' argument",
  weightsDecl: "the 'weights' declaration",
  weightEntry: 'a weight assignment',
  weightValue: 'a weight list',
  weightList: 'a weight list',
};

function label(t: TokenType): string {
  return t === EOF ? 'end of file' : (t.LABEL ?? t.name);
}

function found(tok: IToken | undefined): string {
  if (!tok || tok.tokenType === EOF) return 'end of file';
  return quote(tok.image);
}

function after(prev: IToken | undefined): string {
  if (!prev || prev.tokenType === EOF || !prev.image) return '';
  return ` after ${quote(prev.image)}`;
}

function context(rule: string): string {
  const c = RULE_CONTEXT[rule];
  return c ? ` in ${c}` : '';
}

function firstTokens(paths: TokenType[][]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    const t = p[0];
    if (!t) continue;
    const l = label(t);
    if (!out.includes(l)) out.push(l);
  }
  return out;
}

function oneOf(labels: string[]): string {
  if (labels.length === 0) return 'something else';
  if (labels.length === 1) return labels[0];
  return `one of ${labels.slice(0, -1).join(', ')} or ${labels[labels.length - 1]}`;
}

export const axnErrorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, previous, ruleName }) {
    return `expected ${label(expected)}${after(previous)}${context(ruleName)}, found ${found(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `expected end of file after the model's closing '}', found ${found(firstRedundant)}`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, previous, ruleName }) {
    const expected = firstTokens(expectedPathsPerAlt.flat());
    return `expected ${oneOf(expected)}${after(previous)}${context(ruleName)}, found ${found(actual[0])}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, previous, ruleName }) {
    const expected = firstTokens(expectedIterationPaths);
    return `expected ${oneOf(expected)}${after(previous)}${context(ruleName)}, found ${found(actual[0])}`;
  },
};

/** Thrown out of the parser once it has kept `errorLimit` errors; parseModel catches it. */
export class ParseStopped {
  constructor(readonly at: IToken) {}
}

type SaveError = (this: CstParser, e: IRecognitionException) => IRecognitionException;
const chevrotainSaveError = (CstParser.prototype as unknown as { SAVE_ERROR: SaveError }).SAVE_ERROR;

export class AxnParser extends CstParser {
  /** Errors kept per parse (set before each parse); the next one stops parsing, so junk costs bounded work. */
  errorLimit = Infinity;
  /** Where parsing stopped, when it did. */
  stoppedAt: IToken | null = null;

  /** Chevrotain's hook for every recognition error (not in its typings): kept, or parsing stops. */
  SAVE_ERROR(e: IRecognitionException): IRecognitionException {
    if (this.stoppedAt) return e; // unwinding after the stop: chevrotain may report once more on its way out
    if (this.errors.length >= this.errorLimit) {
      this.stoppedAt = e.token;
      throw new ParseStopped(e.token);
    }
    return chevrotainSaveError.call(this, e);
  }

  constructor() {
    super(T.allTokens, { recoveryEnabled: true, errorMessageProvider: axnErrorMessages, maxLookahead: 3 });
    this.performSelfAnalysis();
  }

  model = this.RULE('model', () => {
    this.CONSUME(T.Model);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.modelItem));
    this.CONSUME(T.RCurly);
  });

  modelItem = this.RULE('modelItem', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.inputDecl) },
      { ALT: () => this.SUBRULE(this.outputDecl) },
      { ALT: () => this.SUBRULE(this.qualityDecl) },
      { ALT: () => this.SUBRULE(this.benchmarkDecl) },
      { ALT: () => this.SUBRULE(this.cpuDecl) },
      { ALT: () => this.SUBRULE(this.approximatorBlock) },
      { ALT: () => this.SUBRULE(this.predictorBlock) },
      { ALT: () => this.SUBRULE(this.weightsDecl) },
    ]);
  });

  inputDecl = this.RULE('inputDecl', () => {
    this.CONSUME(T.Input);
    this.CONSUME(T.NumberLiteral);
  });

  outputDecl = this.RULE('outputDecl', () => {
    this.CONSUME(T.Output);
    this.CONSUME(T.NumberLiteral);
  });

  /** quality METRIC < BOUND */
  qualityDecl = this.RULE('qualityDecl', () => {
    this.CONSUME(T.Quality);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.LessThan);
    this.CONSUME(T.NumberLiteral);
  });

  /** benchmark NAME: the exact function the CPU computes for samples the predictor rejects */
  benchmarkDecl = this.RULE('benchmarkDecl', () => {
    this.CONSUME(T.Benchmark);
    this.CONSUME(T.Identifier);
  });

  /** cpu N cycles: the CPU's cost of one exact evaluation */
  cpuDecl = this.RULE('cpuDecl', () => {
    this.CONSUME(T.Cpu);
    this.CONSUME(T.NumberLiteral);
    this.CONSUME(T.Cycles);
  });

  approximatorBlock = this.RULE('approximatorBlock', () => {
    this.CONSUME(T.Approximator);
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.layerDecl));
    this.CONSUME(T.RCurly);
  });

  predictorBlock = this.RULE('predictorBlock', () => {
    this.CONSUME(T.Predictor);
    this.CONSUME(T.LCurly);
    this.MANY(() =>
      this.OR([{ ALT: () => this.SUBRULE(this.layerDecl) }, { ALT: () => this.SUBRULE(this.splitBlock) }]),
    );
    this.CONSUME(T.RCurly);
  });

  /** NAME = dense(WIDTH, ACTIVATION) [controlled by CONTROL] */
  layerDecl = this.RULE('layerDecl', () => {
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.CONSUME(T.Dense);
    this.CONSUME(T.LParen);
    this.CONSUME(T.NumberLiteral);
    this.CONSUME(T.Comma);
    this.CONSUME2(T.Identifier);
    this.CONSUME(T.RParen);
    this.OPTION(() => {
      this.CONSUME(T.Controlled);
      this.CONSUME(T.By);
      this.CONSUME3(T.Identifier);
    });
  });

  splitBlock = this.RULE('splitBlock', () => {
    this.CONSUME(T.Split);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.splitEntry));
    this.CONSUME(T.RCurly);
  });

  splitEntry = this.RULE('splitEntry', () => {
    this.OR([{ ALT: () => this.SUBRULE(this.controlDecl) }, { ALT: () => this.SUBRULE(this.decisionDecl) }]);
  });

  /** NAME = control(WIDTH, ACTIVATION) */
  controlDecl = this.RULE('controlDecl', () => {
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.CONSUME(T.Control);
    this.CONSUME(T.LParen);
    this.CONSUME(T.NumberLiteral);
    this.CONSUME(T.Comma);
    this.CONSUME2(T.Identifier);
    this.CONSUME(T.RParen);
  });

  /** decision = KIND [ ( [ARG: NUMBER {, ARG: NUMBER}] ) ] */
  decisionDecl = this.RULE('decisionDecl', () => {
    this.CONSUME(T.Decision);
    this.CONSUME(T.Equals);
    this.CONSUME(T.Identifier);
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.decisionArg) });
      this.CONSUME(T.RParen);
    });
  });

  decisionArg = this.RULE('decisionArg', () => {
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Colon);
    this.CONSUME(T.NumberLiteral);
  });

  /** weights "FILE" | weights seed N | weights { NAME.FIELD = LIST ... } */
  weightsDecl = this.RULE('weightsDecl', () => {
    this.CONSUME(T.Weights);
    this.OR([
      { ALT: () => this.CONSUME(T.StringLiteral) },
      {
        ALT: () => {
          this.CONSUME(T.Seed);
          this.CONSUME(T.NumberLiteral);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LCurly);
          this.MANY(() => this.SUBRULE(this.weightEntry));
          this.CONSUME(T.RCurly);
        },
      },
    ]);
  });

  weightEntry = this.RULE('weightEntry', () => {
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Dot);
    this.CONSUME2(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.weightList);
  });

  /** [ VALUE {, VALUE} [,] ] where VALUE is a number or a nested list. */
  weightList = this.RULE('weightList', () => {
    this.CONSUME(T.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.weightValue);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.weightValue);
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RBracket);
  });

  weightValue = this.RULE('weightValue', () => {
    this.OR([{ ALT: () => this.CONSUME(T.NumberLiteral) }, { ALT: () => this.SUBRULE(this.weightList) }]);
  });
}

/** The one parser instance; reset per parse by assigning `input`. */
export const axnParser = new AxnParser();

// Entry points of the .axn frontend: text (or a file path) -> lex -> parse -> AST -> checked AxModel IR,
// with every problem returned as a Diagnostic (never thrown for bad input).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { EOF, type IRecognitionException, type IToken } from 'chevrotain';
import type { AxModel, SourceLoc } from '../ir/model.ts';
import { DIAG } from '../diagnostics/catalog.ts';
import { describeFsError, diag, MAX_DIAGNOSTICS_PER_FILE, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { axnLexer, LBracket, MAX_LEXER_ERRORS, RBracket, UNLEXABLE_GROUP } from './tokens.ts';
import { axnParser, ParseStopped } from './parser.ts';
import { cstToAst } from './cst-to-ast.ts';
import { checkModel, type WeightsFileLoader } from './check-model.ts';
import { readWeightsFile } from './weights-file.ts';
import { wrongKindOfFile } from './file-kind.ts';

export interface ParseOptions {
  /**
   * Reads a weights file named by `weights "FILE"`. It receives FILE resolved against the directory of the
   * model's `file` argument (path.join, or FILE itself when absolute). Default: fs.readFileSync as UTF-8.
   */
  readFile?: (path: string) => string;
}

export interface ParseResult {
  model: AxModel | null;
  diagnostics: Diagnostic[];
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return (a.loc?.line ?? 0) - (b.loc?.line ?? 0) || (a.loc?.col ?? 0) - (b.loc?.col ?? 0);
}

/** Where a parse error points: the offending token, or just past the last token at end of file. */
function errorLoc(file: string, tok: IToken, tokens: IToken[], text: string): SourceLoc {
  if (tok.tokenType !== EOF && Number.isFinite(tok.startLine)) return { file, line: tok.startLine!, col: tok.startColumn! };
  const last = tokens[tokens.length - 1];
  if (last && Number.isFinite(last.endLine)) return { file, line: last.endLine!, col: last.endColumn! + 1 };
  const lines = text.split('\n');
  return { file, line: lines.length, col: lines[lines.length - 1].length + 1 };
}

/** Weights are at most 2-D; deeper lists are refused before the (recursive) parser sees them. */
export const MAX_WEIGHT_NESTING = 8;

function tokenLoc(file: string, tok: IToken): SourceLoc {
  return { file, line: tok.startLine ?? 1, col: tok.startColumn ?? 1 };
}

/** The first '[' that opens a list deeper than MAX_WEIGHT_NESTING, found by counting: no recursion. */
function tooDeepBracket(tokens: readonly IToken[]): IToken | null {
  let depth = 0;
  for (const t of tokens) {
    if (t.tokenType === LBracket && ++depth > MAX_WEIGHT_NESTING) return t;
    if (t.tokenType === RBracket && depth > 0) depth--;
  }
  return null;
}

/** A summary note: where reading stopped after `kept` errors. */
function stopNote(loc: SourceLoc, kept: number): Diagnostic {
  return { ...diag(DIAG.tooManyErrors, loc, kept), summary: true };
}

export function parseModel(text: string, file: string, opts: ParseOptions = {}): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const lexed = axnLexer.tokenize(text);
  const unlexable = lexed.groups[UNLEXABLE_GROUP] ?? [];
  // One error per run of such characters, naming its first (a whole code point, so an emoji stays whole).
  for (const t of unlexable.slice(0, MAX_LEXER_ERRORS)) diagnostics.push(diag(DIAG.unexpectedCharacter, tokenLoc(file, t), String.fromCodePoint(t.image.codePointAt(0)!)));
  if (unlexable.length > MAX_LEXER_ERRORS) {
    // The lexer stopped: its last token is the rest of the file, so parsing what came before would mislead.
    diagnostics.push(stopNote(tokenLoc(file, unlexable[MAX_LEXER_ERRORS]), MAX_LEXER_ERRORS));
    return { model: null, diagnostics };
  }
  const deep = tooDeepBracket(lexed.tokens);
  if (deep) {
    diagnostics.push(diag(DIAG.weightsTooDeep, tokenLoc(file, deep), MAX_WEIGHT_NESTING));
    return { model: null, diagnostics: diagnostics.sort(byPosition) };
  }
  axnParser.input = lexed.tokens;
  axnParser.errorLimit = MAX_DIAGNOSTICS_PER_FILE - diagnostics.length;
  axnParser.stoppedAt = null;
  let cst;
  try {
    cst = axnParser.model();
  } catch (e) {
    if (!(e instanceof ParseStopped)) throw e;
  }
  const seen = new Set<string>();
  for (const e of axnParser.errors as IRecognitionException[]) {
    const loc = errorLoc(file, e.token, lexed.tokens, text);
    const key = `${loc.line}:${loc.col}`;
    if (seen.has(key)) continue; // recovery can report the same spot twice
    seen.add(key);
    diagnostics.push(diag(DIAG.syntax, loc, e.message));
  }
  diagnostics.sort(byPosition);
  if (axnParser.stoppedAt) {
    // Lexer errors past the stop were not read in order with the rest; the note says where reading ended.
    const stop = errorLoc(file, axnParser.stoppedAt, lexed.tokens, text);
    const before = diagnostics.filter((d) => byPosition(d, { ...d, loc: stop }) < 0);
    return { model: null, diagnostics: [...before, stopNote(stop, before.length)] };
  }
  if (diagnostics.length > 0 || !cst) return { model: null, diagnostics };

  const ast = cstToAst(cst, file);
  const readFile = opts.readFile ?? ((p: string) => fs.readFileSync(p, 'utf8'));
  const loadWeights: WeightsFileLoader = (lit, statementLoc) => {
    const resolved = path.isAbsolute(lit.value) ? lit.value : path.join(path.dirname(file), lit.value);
    let json: string;
    try {
      json = readFile(resolved);
    } catch (err) {
      const why = describeFsError(err);
      return { table: null, diagnostics: [diag(DIAG.weightsFileUnreadable, statementLoc, resolved, why)] };
    }
    return readWeightsFile(json, resolved);
  };
  return checkModel(ast, file, loadWeights);
}

/** Reads and parses an .axn file; a weights file it names is resolved relative to the model file's directory. */
export function loadModelFile(file: string, opts: ParseOptions = {}): ParseResult {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    const why = describeFsError(err);
    return { model: null, diagnostics: [diag(DIAG.fileUnreadable, undefined, file, why)] };
  }
  const wrongKind = wrongKindOfFile(bytes, file, 'an .axn model', ['axn', 'text']);
  if (wrongKind) return { model: null, diagnostics: [wrongKind] };
  return parseModel(bytes.toString('utf8'), file, opts);
}

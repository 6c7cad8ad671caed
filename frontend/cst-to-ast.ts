// CST -> AST: a chevrotain visitor that turns the parser's concrete syntax tree into the typed AST of
// ast.ts, attaching 1-based file:line:col positions. Only called on a CST that parsed without errors.

import type { CstNode, IToken } from 'chevrotain';
import type { SourceLoc } from '../ir/model.ts';
import type {
  ControlSegmentAst,
  DecisionArgAst,
  DecisionAst,
  LayerAst,
  ModelAst,
  ModelItemAst,
  Name,
  NumLit,
  SplitAst,
  SplitEntryAst,
  WeightEntryAst,
  WeightValue,
  WeightsSourceAst,
} from './ast.ts';
import { axnParser } from './parser.ts';

type Ctx = Record<string, (IToken | CstNode)[] | undefined>;

const BaseVisitor = axnParser.getBaseCstVisitorConstructor();

function tokens(ctx: Ctx, key: string): IToken[] {
  return (ctx[key] ?? []) as IToken[];
}

function nodes(ctx: Ctx, key: string): CstNode[] {
  return (ctx[key] ?? []) as CstNode[];
}

class AstBuilder extends BaseVisitor {
  constructor(private readonly file: string) {
    super();
    this.validateVisitor();
  }

  private loc(t: IToken): SourceLoc {
    return { file: this.file, line: t.startLine ?? 0, col: t.startColumn ?? 0 };
  }

  private nameOf(t: IToken): Name {
    return { name: t.image, loc: this.loc(t) };
  }

  private num(t: IToken): NumLit {
    return { value: Number(t.image), text: t.image, loc: this.loc(t) };
  }

  model(ctx: Ctx): ModelAst {
    return {
      loc: this.loc(tokens(ctx, 'Model')[0]),
      name: this.nameOf(tokens(ctx, 'Identifier')[0]),
      items: nodes(ctx, 'modelItem').map((n) => this.visit(n) as ModelItemAst),
    };
  }

  modelItem(ctx: Ctx): ModelItemAst {
    const child = Object.values(ctx).find((v) => v && v.length > 0)!;
    return this.visit(child[0] as CstNode) as ModelItemAst;
  }

  inputDecl(ctx: Ctx): ModelItemAst {
    return { kind: 'input', loc: this.loc(tokens(ctx, 'Input')[0]), width: this.num(tokens(ctx, 'NumberLiteral')[0]) };
  }

  outputDecl(ctx: Ctx): ModelItemAst {
    return { kind: 'output', loc: this.loc(tokens(ctx, 'Output')[0]), width: this.num(tokens(ctx, 'NumberLiteral')[0]) };
  }

  qualityDecl(ctx: Ctx): ModelItemAst {
    return {
      kind: 'quality',
      loc: this.loc(tokens(ctx, 'Quality')[0]),
      metric: this.nameOf(tokens(ctx, 'Identifier')[0]),
      bound: this.num(tokens(ctx, 'NumberLiteral')[0]),
    };
  }

  benchmarkDecl(ctx: Ctx): ModelItemAst {
    return { kind: 'benchmark', loc: this.loc(tokens(ctx, 'Benchmark')[0]), name: this.nameOf(tokens(ctx, 'Identifier')[0]) };
  }

  cpuDecl(ctx: Ctx): ModelItemAst {
    return { kind: 'cpu', loc: this.loc(tokens(ctx, 'Cpu')[0]), cycles: this.num(tokens(ctx, 'NumberLiteral')[0]) };
  }

  approximatorBlock(ctx: Ctx): ModelItemAst {
    return {
      kind: 'approximator',
      loc: this.loc(tokens(ctx, 'Approximator')[0]),
      layers: nodes(ctx, 'layerDecl').map((n) => this.visit(n) as LayerAst),
    };
  }

  predictorBlock(ctx: Ctx): ModelItemAst {
    return {
      kind: 'predictor',
      loc: this.loc(tokens(ctx, 'Predictor')[0]),
      hidden: nodes(ctx, 'layerDecl').map((n) => this.visit(n) as LayerAst),
      splits: nodes(ctx, 'splitBlock').map((n) => this.visit(n) as SplitAst),
    };
  }

  layerDecl(ctx: Ctx): LayerAst {
    const ids = tokens(ctx, 'Identifier');
    const controlled = tokens(ctx, 'Controlled')[0];
    return {
      name: this.nameOf(ids[0]),
      width: this.num(tokens(ctx, 'NumberLiteral')[0]),
      activation: this.nameOf(ids[1]),
      control: controlled ? { ...this.nameOf(ids[2]), keywordLoc: this.loc(controlled) } : null,
    };
  }

  splitBlock(ctx: Ctx): SplitAst {
    return {
      loc: this.loc(tokens(ctx, 'Split')[0]),
      name: this.nameOf(tokens(ctx, 'Identifier')[0]),
      entries: nodes(ctx, 'splitEntry').map((n) => this.visit(n) as SplitEntryAst),
    };
  }

  splitEntry(ctx: Ctx): SplitEntryAst {
    const child = Object.values(ctx).find((v) => v && v.length > 0)!;
    return this.visit(child[0] as CstNode) as SplitEntryAst;
  }

  controlDecl(ctx: Ctx): ControlSegmentAst {
    const ids = tokens(ctx, 'Identifier');
    return {
      kind: 'control',
      name: this.nameOf(ids[0]),
      width: this.num(tokens(ctx, 'NumberLiteral')[0]),
      activation: this.nameOf(ids[1]),
    };
  }

  decisionDecl(ctx: Ctx): DecisionAst {
    return {
      kind: 'decision',
      loc: this.loc(tokens(ctx, 'Decision')[0]),
      fn: this.nameOf(tokens(ctx, 'Identifier')[0]),
      args: nodes(ctx, 'decisionArg').map((n) => this.visit(n) as DecisionArgAst),
    };
  }

  decisionArg(ctx: Ctx): DecisionArgAst {
    return { name: this.nameOf(tokens(ctx, 'Identifier')[0]), value: this.num(tokens(ctx, 'NumberLiteral')[0]) };
  }

  weightsDecl(ctx: Ctx): ModelItemAst {
    const loc = this.loc(tokens(ctx, 'Weights')[0]);
    const str = tokens(ctx, 'StringLiteral')[0];
    let source: WeightsSourceAst;
    if (str) source = { kind: 'file', path: { value: str.image.slice(1, -1), loc: this.loc(str) } };
    else if (tokens(ctx, 'Seed').length > 0) source = { kind: 'seed', seed: this.num(tokens(ctx, 'NumberLiteral')[0]) };
    else source = { kind: 'inline', entries: nodes(ctx, 'weightEntry').map((n) => this.visit(n) as WeightEntryAst) };
    return { kind: 'weights', loc, source };
  }

  weightEntry(ctx: Ctx): WeightEntryAst {
    const ids = tokens(ctx, 'Identifier');
    return { layer: this.nameOf(ids[0]), field: this.nameOf(ids[1]), value: this.visit(nodes(ctx, 'weightList')[0]) as WeightValue };
  }

  weightList(ctx: Ctx): WeightValue {
    return {
      kind: 'list',
      loc: this.loc(tokens(ctx, 'LBracket')[0]),
      items: nodes(ctx, 'weightValue').map((n) => this.visit(n) as WeightValue),
    };
  }

  weightValue(ctx: Ctx): WeightValue {
    const t = tokens(ctx, 'NumberLiteral')[0];
    if (t) return { kind: 'num', value: Number(t.image), text: t.image, loc: this.loc(t) };
    return this.visit(nodes(ctx, 'weightList')[0]) as WeightValue;
  }
}

export function cstToAst(cst: CstNode, file: string): ModelAst {
  return new AstBuilder(file).visit(cst) as ModelAst;
}

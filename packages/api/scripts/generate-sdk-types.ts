/**
 * Writes `packages/sdk/src/generated/app-router.ts`: the SDK's copy of `AppRouter`'s type with
 * every procedure's kind, input and output expanded structurally, so the published SDK's
 * `.d.ts` files reference nothing but `@trpc/server` (no Zod, Kysely, ioredis, Fastify…).
 *
 *   pnpm --filter @pulse/api gen:sdk             # regenerate
 *   pnpm --filter @pulse/api gen:sdk --check     # CI: fail if the committed file is stale
 *
 * How a procedure's types are printed:
 * - primitives, literals, unions (sorted), intersections, arrays, tuples, index signatures and
 *   object types are expanded structurally, whatever module declared them;
 * - types declared in TypeScript's default lib (Date, Record, AsyncIterable, Uint8Array…) keep
 *   their global name, with their type arguments expanded;
 * - recursive types become local type aliases in the generated file;
 * - anything that can't be reproduced without the server's code (type parameters, unique
 *   symbols, generic functions, classes with private members…) stops the generator with the
 *   procedure path and the offending type, instead of producing a wrong file.
 *
 * Subscriptions: tRPC v11 types a subscription built from an async generator with
 * `output: AsyncIterable<Yield, Return, Next>`, where events wrapped in `tracked(id, data)` are
 * already `TrackedData<Data>` (`{ id: string; data: Data }`). That output is printed as is
 * (`AsyncIterable<{ id: string; data: … }, void, any>`), which is exactly what the client's
 * `.subscribe()` / `inferRouterOutputs` infer from the real router. A legacy observable
 * subscription is emitted as `TRPCSubscriptionProcedure<…> & { _observable: true }` (tRPC's
 * `LegacyObservableSubscriptionProcedure` isn't exported), with the observable's value type as
 * output.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const scriptDir = path.dirname(fileURLToPath(import.meta.url));
const apiDir = path.resolve(scriptDir, '..');
const repoRoot = path.resolve(apiDir, '../..');

export const DEFAULT_ROUTER_FILE = path.join(apiDir, 'src/root.ts');
export const DEFAULT_TSCONFIG = path.join(apiDir, 'tsconfig.json');
export const DEFAULT_OUT_FILE = path.resolve(repoRoot, 'packages/sdk/src/generated/app-router.ts');

const REGENERATE_COMMAND = 'pnpm --filter @pulse/api gen:sdk';

export interface GenerateSdkTypesOptions {
  /** Module exporting the router type. Default: packages/api/src/root.ts. */
  routerFile?: string;
  /** Name of the exported router type. Default: `AppRouter`. */
  exportName?: string;
  /** Name of the router type in the generated file. Default: `AppRouter`. */
  typeName?: string;
  /** Name of the error shape type in the generated file. Default: `PulseErrorShape`. */
  errorShapeName?: string;
  /** tsconfig whose compiler options compile `routerFile`. Default: packages/api/tsconfig.json. */
  tsconfig?: string;
  /** An existing program containing `routerFile` (skips creating one). */
  program?: ts.Program;
  /** Refuse to generate from a program with type errors. Default: true. */
  failOnTypeErrors?: boolean;
}

export class GenerateSdkTypesError extends Error {
  override name = 'GenerateSdkTypesError';
}

/** Returns the generated file's text. Throws `GenerateSdkTypesError` on anything unsupported. */
export function generateSdkTypes(options: GenerateSdkTypesOptions = {}): string {
  const routerFile = path.resolve(options.routerFile ?? DEFAULT_ROUTER_FILE);
  const exportName = options.exportName ?? 'AppRouter';
  const typeName = options.typeName ?? 'AppRouter';
  const errorShapeName = options.errorShapeName ?? 'PulseErrorShape';
  const program =
    options.program ?? createProgram(routerFile, options.tsconfig ?? DEFAULT_TSCONFIG);

  if (options.failOnTypeErrors ?? true) {
    const errors = ts
      .getPreEmitDiagnostics(program)
      .filter((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error);
    if (errors.length > 0) {
      throw new GenerateSdkTypesError(
        `the program has ${errors.length} type error(s); fix them first, types inferred from a broken program can be wrong:\n${formatDiagnostics(errors)}`,
      );
    }
  }

  const checker = program.getTypeChecker();
  const sourceFile = program.getSourceFile(routerFile);
  if (!sourceFile) throw new GenerateSdkTypesError(`${routerFile} is not part of the program`);
  const moduleSymbol = checker.getSymbolAtLocation(sourceFile);
  const exported =
    moduleSymbol && checker.getExportsOfModule(moduleSymbol).find((s) => s.name === exportName);
  if (!exported)
    throw new GenerateSdkTypesError(`${relative(routerFile)} does not export ${exportName}`);
  const target =
    exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
  const routerType = checker.getDeclaredTypeOfSymbol(target);

  const printer = new TypePrinter(program, checker, [
    typeName,
    errorShapeName,
    'TRPCBuiltRouter',
    ...Object.values(PROCEDURE_TYPES),
  ]);
  const def = requireProperty(checker, routerType, '_def', exportName);
  const rootTypes = requireProperty(
    checker,
    requireProperty(checker, def, '_config', exportName),
    '$types',
    exportName,
  );
  const errorShapeType = requireProperty(checker, rootTypes, 'errorShape', exportName);
  const transformerType = requireProperty(checker, rootTypes, 'transformer', exportName);
  const record = requireProperty(checker, def, 'record', exportName);

  const errorShape = printer.print(errorShapeType, 0, 'errorShape');
  const transformer = printer.print(transformerType, 0, 'transformer');
  const kinds = new Set<ProcedureKind>();
  const routes = printRecord(printer, checker, record, 1, [], {
    errorShapeType,
    errorShapeName,
    kinds,
  });

  const imports = [...kinds].map((kind) => PROCEDURE_TYPES[kind]);
  imports.push('TRPCBuiltRouter');
  imports.sort();

  const out: string[] = [
    '// Generated by packages/api/scripts/generate-sdk-types.ts: do not edit.',
    `// Source: ${relative(routerFile)} (${exportName}). Regenerate: ${REGENERATE_COMMAND}`,
    '//',
    "// The API router's type as the SDK sees it: each procedure's kind, input and output, expanded",
    '// so that nothing here (or in the published .d.ts) refers to server code.',
    '',
    `import type { ${imports.join(', ')} } from '@trpc/server';`,
    '',
    '/** The shape of every error a procedure sends (`TRPCClientError#shape`). */',
    `${joinType(`export type ${errorShapeName} =`, errorShape)};`,
    '',
  ];
  for (const [name, declaration] of printer.declarations()) {
    out.push('/** A recursive type, named so it can refer to itself. */');
    out.push(`${joinType(`export type ${name} =`, declaration)};`, '');
  }
  out.push(
    `export type ${typeName} = TRPCBuiltRouter<`,
    '  {',
    '    ctx: object;',
    '    meta: object;',
    `    errorShape: ${errorShapeName};`,
    `    transformer: ${transformer};`,
    '  },',
    `  ${routes}`,
    '>;',
    '',
  );
  const text = out.join('\n');

  const parsed = ts.createSourceFile(
    'generated.ts',
    text,
    ts.ScriptTarget.Latest,
    true,
    ts.ScriptKind.TS,
  );
  const syntaxErrors =
    (parsed as ts.SourceFile & { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
  if (syntaxErrors.length > 0) {
    throw new GenerateSdkTypesError(
      `generated invalid TypeScript (a generator bug):\n${formatDiagnostics(syntaxErrors)}`,
    );
  }
  return text;
}

export function createProgram(routerFile: string, tsconfig: string): ts.Program {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    tsconfig,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new GenerateSdkTypesError(formatDiagnostics([diagnostic]));
      },
    },
  );
  if (!parsed) throw new GenerateSdkTypesError(`cannot read ${tsconfig}`);
  return ts.createProgram({
    rootNames: [routerFile],
    options: { ...parsed.options, noEmit: true },
  });
}

type ProcedureKind = 'query' | 'mutation' | 'subscription';

const PROCEDURE_TYPES: Record<ProcedureKind, string> = {
  query: 'TRPCQueryProcedure',
  mutation: 'TRPCMutationProcedure',
  subscription: 'TRPCSubscriptionProcedure',
};

interface RecordContext {
  errorShapeType: ts.Type;
  errorShapeName: string;
  kinds: Set<ProcedureKind>;
}

function printRecord(
  printer: TypePrinter,
  checker: ts.TypeChecker,
  record: ts.Type,
  depth: number,
  routePath: string[],
  context: RecordContext,
): string {
  const entries = checker
    .getPropertiesOfType(record)
    .map((property) => property.name)
    .sort(compareStrings);
  if (entries.length === 0) return '{}';
  const lines = entries.map((key) => {
    const property = record.getProperty(key)!;
    const value = checker.getTypeOfSymbol(property);
    const here = [...routePath, key];
    const text = isProcedure(checker, value)
      ? printProcedure(printer, checker, value, depth + 1, here, context)
      : printRecord(printer, checker, value, depth + 1, here, context);
    return `${indent(depth + 1)}${propertyName(key)}: ${text};`;
  });
  return `{\n${lines.join('\n')}\n${indent(depth)}}`;
}

function isProcedure(checker: ts.TypeChecker, type: ts.Type): boolean {
  const def = type.getProperty('_def');
  return !!def && !!checker.getTypeOfSymbol(def).getProperty('procedure');
}

function printProcedure(
  printer: TypePrinter,
  checker: ts.TypeChecker,
  procedure: ts.Type,
  depth: number,
  routePath: string[],
  context: RecordContext,
): string {
  const where = routePath.join('.');
  const def = requireProperty(checker, procedure, '_def', where);
  const kindType = requireProperty(checker, def, 'type', where);
  const kind = kindType.isStringLiteral() ? kindType.value : undefined;
  if (kind !== 'query' && kind !== 'mutation' && kind !== 'subscription') {
    throw new GenerateSdkTypesError(
      `${where}: unknown procedure type ${checker.typeToString(kindType)}`,
    );
  }
  context.kinds.add(kind);
  const types = requireProperty(checker, def, '$types', where);
  const input = printer.print(
    requireProperty(checker, types, 'input', where),
    depth + 1,
    `${where} input`,
  );
  const output = printer.print(
    requireProperty(checker, types, 'output', where),
    depth + 1,
    `${where} output`,
  );
  const errorShapeType = requireProperty(checker, types, 'errorShape', where);

  const lines = [
    `${joinType('input:', input)};`,
    `${joinType('output:', output)};`,
    'meta: object;',
  ];
  if (errorShapeType === context.errorShapeType) {
    lines.push(`errorShape: ${context.errorShapeName};`);
  } else if (!(errorShapeType.flags & ts.TypeFlags.Unknown)) {
    lines.push(
      `${joinType('errorShape:', printer.print(errorShapeType, depth + 1, `${where} errorShape`))};`,
    );
  }
  const body = `${PROCEDURE_TYPES[kind]}<{\n${lines.map((line) => `${indent(depth + 1)}${line}`).join('\n')}\n${indent(depth)}}>`;
  // tRPC's LegacyObservableSubscriptionProcedure (not exported) is a subscription with this marker.
  return procedure.getProperty('_observable') ? `${body} & { _observable: true }` : body;
}

function requireProperty(
  checker: ts.TypeChecker,
  type: ts.Type,
  name: string,
  where: string,
): ts.Type {
  const property = type.getProperty(name);
  if (!property) {
    throw new GenerateSdkTypesError(
      `${where}: ${checker.typeToString(type)} has no '${name}' (is this a tRPC v11 router?)`,
    );
  }
  return checker.getTypeOfSymbol(property);
}

const MAX_DEPTH = 64;

/** Prints types structurally; see the file comment for the rules. */
class TypePrinter {
  readonly #program: ts.Program;
  readonly #checker: ts.TypeChecker;
  /** Structured types being expanded (by identity, see `#identity`), to detect recursion. */
  readonly #expanding = new Map<unknown, ts.Type>();
  readonly #aliasNames = new Map<unknown, string>();
  readonly #ids = new Map<ts.Type, number>();
  #globalNames: Set<string> | undefined;
  readonly #aliasDeclarations = new Map<string, string>();
  /** Names the generated file already uses. */
  readonly #reserved: ReadonlySet<string>;
  #depth = 0;

  constructor(program: ts.Program, checker: ts.TypeChecker, reserved: Iterable<string>) {
    this.#program = program;
    this.#checker = checker;
    this.#reserved = new Set(reserved);
  }

  /** Local type aliases created for recursive types, sorted by name. */
  declarations(): [string, string][] {
    return [...this.#aliasDeclarations].sort(([a], [b]) => compareStrings(a, b));
  }

  /**
   * `level` is the indentation of the line the type starts on; `where` names the type in
   * error messages.
   */
  print(type: ts.Type, level: number, where: string): string {
    if (++this.#depth > MAX_DEPTH) {
      throw new GenerateSdkTypesError(
        `${where}: type nests more than ${MAX_DEPTH} levels deep (an infinitely expanding type?)`,
      );
    }
    try {
      return this.#print(type, level, where, true);
    } finally {
      this.#depth--;
    }
  }

  #nested(type: ts.Type, level: number, where: string): string {
    if (++this.#depth > MAX_DEPTH) {
      throw new GenerateSdkTypesError(
        `${where}: type nests more than ${MAX_DEPTH} levels deep (an infinitely expanding type?)`,
      );
    }
    try {
      return this.#print(type, level, where, false);
    } finally {
      this.#depth--;
    }
  }

  #print(type: ts.Type, level: number, where: string, multilineUnion: boolean): string {
    if (
      !(type.flags & (ts.TypeFlags.Union | ts.TypeFlags.Intersection | ts.TypeFlags.Object)) ||
      type.flags & ts.TypeFlags.Boolean
    ) {
      return this.#printType(type, level, where, multilineUnion);
    }
    // Structured types may refer to themselves (`Json`, `Tree`): those become named aliases.
    const identity = this.#identity(type);
    const existing = this.#aliasNames.get(identity);
    if (existing) return existing;
    const outer = this.#expanding.get(identity);
    if (outer) {
      const name = this.#aliasName([type, outer]);
      this.#aliasNames.set(identity, name);
      return name;
    }
    this.#expanding.set(identity, type);
    let text: string;
    try {
      text = this.#printType(type, level, where, multilineUnion);
    } finally {
      this.#expanding.delete(identity);
    }
    const alias = this.#aliasNames.get(identity);
    if (!alias) return text;
    // It referred to itself: print it again, unindented, as a top-level type alias.
    this.#expanding.set(identity, type);
    try {
      this.#aliasDeclarations.set(alias, this.#printType(type, 0, where, true));
    } finally {
      this.#expanding.delete(identity);
    }
    return alias;
  }

  /**
   * Unions with the same members are the same type to us: TypeScript keeps separate objects for
   * `Json` and the same union without its alias name.
   */
  #identity(type: ts.Type): unknown {
    if (!type.isUnion()) return type;
    return `union:${type.types.map((member) => this.#id(member)).join(',')}`;
  }

  #id(type: ts.Type): number {
    let id = this.#ids.get(type);
    if (id === undefined) {
      id = this.#ids.size + 1;
      this.#ids.set(type, id);
    }
    return id;
  }

  #printType(type: ts.Type, level: number, where: string, multilineUnion: boolean): string {
    const f = type.flags;
    const { TypeFlags } = ts;
    if (f & TypeFlags.Any) return 'any';
    if (f & TypeFlags.Unknown) return 'unknown';
    if (f & TypeFlags.Never) return 'never';
    if (f & TypeFlags.Void) return 'void';
    if (f & TypeFlags.Undefined) return 'undefined';
    if (f & TypeFlags.Null) return 'null';
    if (f & TypeFlags.Boolean) return 'boolean';
    if (f & TypeFlags.String) return 'string';
    if (f & TypeFlags.Number) return 'number';
    if (f & TypeFlags.BigInt) return 'bigint';
    if (f & TypeFlags.ESSymbol) return 'symbol';
    if (f & TypeFlags.NonPrimitive) return 'object';
    if (f & TypeFlags.BooleanLiteral) return this.#checker.typeToString(type);
    if (type.isStringLiteral()) return quote(type.value);
    if (type.isNumberLiteral()) return String(type.value);
    if (f & TypeFlags.BigIntLiteral) {
      const { negative, base10Value } = (type as ts.BigIntLiteralType).value;
      return `${negative ? '-' : ''}${base10Value}n`;
    }
    if (f & TypeFlags.TemplateLiteral)
      return this.#templateLiteral(type as ts.TemplateLiteralType, where);
    if (type.isUnion()) return this.#union(type, level, where, multilineUnion);
    if (type.isIntersection()) {
      return type.types.map((member) => this.#parenthesized(member, level, where)).join(' & ');
    }
    if (f & TypeFlags.Object) return this.#object(type as ts.ObjectType, level, where);
    throw this.#unsupported(
      type,
      where,
      'it is not a concrete type (a type parameter or an unresolved generic?)',
    );
  }

  #union(type: ts.UnionType, level: number, where: string, multiline: boolean): string {
    let members = type.types;
    const hasTrue = members.some(
      (member) =>
        member.flags & ts.TypeFlags.BooleanLiteral && this.#checker.typeToString(member) === 'true',
    );
    const hasFalse = members.some(
      (member) =>
        member.flags & ts.TypeFlags.BooleanLiteral &&
        this.#checker.typeToString(member) === 'false',
    );
    const printed: string[] = [];
    if (hasTrue && hasFalse) {
      members = members.filter((member) => !(member.flags & ts.TypeFlags.BooleanLiteral));
      printed.push('boolean');
    }
    // Members of a multi-line union start after `| `, so their bodies indent one more step.
    for (const member of members) printed.push(this.#parenthesized(member, level + 2, where));
    const unique = [...new Set(printed)].sort(compareUnionMembers);
    const single = unique.join(' | ');
    if (!multiline || unique.length < 2 || (single.length <= 80 && !single.includes('\n')))
      return single;
    return unique.map((member) => `\n${indent(level + 1)}| ${member}`).join('');
  }

  /** A union/intersection member, array element or type argument. */
  #parenthesized(type: ts.Type, level: number, where: string): string {
    const text = this.#nested(type, level, where);
    const needsParens =
      type.isUnion() ||
      type.isIntersection() ||
      (type.flags & ts.TypeFlags.Object && /^(new )?\(/.test(text) && text.includes('=>'));
    return needsParens && !(type.flags & ts.TypeFlags.Boolean) && !/^[\w$]+$/.test(text)
      ? `(${text})`
      : text;
  }

  #templateLiteral(type: ts.TemplateLiteralType, where: string): string {
    const escapeText = (text: string) => text.replace(/[`\\]/g, '\\$&').replace(/\$\{/g, '\\${');
    let text = escapeText(type.texts[0] ?? '');
    type.types.forEach((part, index) => {
      text += `\${${this.#nested(part, 0, where)}}${escapeText(type.texts[index + 1] ?? '')}`;
    });
    return `\`${text}\``;
  }

  #object(type: ts.ObjectType, level: number, where: string): string {
    const checker = this.#checker;
    if (checker.isTupleType(type)) return this.#tuple(type as ts.TupleTypeReference, level, where);
    if (checker.isArrayType(type)) {
      const reference = type as ts.TypeReference;
      const [element] = checker.getTypeArguments(reference);
      if (!element) throw this.#unsupported(type, where, 'array without element type');
      const readonly = reference.target.symbol?.name === 'ReadonlyArray' ? 'readonly ' : '';
      return `${readonly}${this.#parenthesized(element, level, `${where}[]`)}[]`;
    }
    return this.#builtinName(type, level, where) ?? this.#structure(type, level, where);
  }

  /** A name for a recursive type: its own (`Json`, `Tree`) unless that would shadow a global. */
  #aliasName(types: ts.Type[]): string {
    const named = (symbol: ts.Symbol | undefined) =>
      symbol &&
      !this.#isDefaultLib(symbol) &&
      /^[A-Za-z_$][\w$]*$/.test(symbol.name) &&
      !symbol.name.startsWith('__')
        ? symbol.name
        : undefined;
    const base =
      types.map((type) => named(type.aliasSymbol)).find(Boolean) ??
      types.map((type) => named(type.getSymbol())).find(Boolean) ??
      'Recursive';
    const taken = new Set([...this.#reserved, ...this.#aliasNames.values(), ...this.#globals()]);
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}${n}`;
    return name;
  }

  /** Names declared by TypeScript's default lib (`Array`, `Date`…), which aliases must not shadow. */
  #globals(): Set<string> {
    if (this.#globalNames) return this.#globalNames;
    const names = new Set<string>();
    for (const file of this.#program.getSourceFiles()) {
      if (!this.#program.isSourceFileDefaultLibrary(file)) continue;
      for (const statement of file.statements) {
        if (ts.isVariableStatement(statement)) {
          for (const declaration of statement.declarationList.declarations) {
            if (ts.isIdentifier(declaration.name)) names.add(declaration.name.text);
          }
        } else if (
          'name' in statement &&
          statement.name &&
          ts.isIdentifier(statement.name as ts.Node)
        ) {
          names.add((statement.name as ts.Identifier).text);
        }
      }
    }
    this.#globalNames = names;
    return names;
  }

  /** `Date`, `Record<K, V>`, `AsyncIterable<T, R, N>`…: types from TypeScript's default lib. */
  #builtinName(type: ts.ObjectType, level: number, where: string): string | undefined {
    const aliasSymbol = type.aliasSymbol;
    if (aliasSymbol && this.#isDefaultLib(aliasSymbol)) {
      const args = type.aliasTypeArguments ?? [];
      return `${aliasSymbol.name}${this.#typeArguments(args, level, where)}`;
    }
    const symbol = type.getSymbol();
    if (!symbol || !this.#isDefaultLib(symbol)) return undefined;
    if (!(symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class))) return undefined;
    let args: readonly ts.Type[] = [];
    if (type.objectFlags & ts.ObjectFlags.Reference) {
      const reference = type as ts.TypeReference;
      const declared = reference.target as ts.InterfaceType;
      const count = declared.typeParameters?.length ?? 0;
      args = this.#checker.getTypeArguments(reference).slice(0, count);
    }
    return `${symbol.name}${this.#typeArguments(args, level, where)}`;
  }

  #typeArguments(args: readonly ts.Type[], level: number, where: string): string {
    if (args.length === 0) return '';
    return `<${args.map((arg, index) => this.#nested(arg, level, `${where}<${index}>`)).join(', ')}>`;
  }

  #isDefaultLib(symbol: ts.Symbol): boolean {
    // `some`: globals like Uint8Array are also augmented by @types/node; they're still the global.
    return (symbol.declarations ?? []).some((declaration) =>
      this.#program.isSourceFileDefaultLibrary(declaration.getSourceFile()),
    );
  }

  #tuple(type: ts.TupleTypeReference, level: number, where: string): string {
    const target = type.target;
    const elements = this.#checker.getTypeArguments(type).slice(0, target.elementFlags.length);
    const parts = elements.map((element, index) => {
      const flags = target.elementFlags[index] ?? ts.ElementFlags.Required;
      const optional = !!(flags & ts.ElementFlags.Optional);
      const text = optional
        ? this.#withoutUndefined(element, level, `${where}[${index}]`)
        : this.#parenthesized(element, level, `${where}[${index}]`);
      if (flags & ts.ElementFlags.Variable)
        return `...${flags & ts.ElementFlags.Rest ? `${text}[]` : text}`;
      return flags & ts.ElementFlags.Optional ? `${text}?` : text;
    });
    return `${target.readonly ? 'readonly ' : ''}[${parts.join(', ')}]`;
  }

  /** An optional tuple element: `number?` means `(number | undefined)?` already. */
  #withoutUndefined(type: ts.Type, level: number, where: string): string {
    if (!type.isUnion() || type.flags & ts.TypeFlags.Boolean)
      return this.#parenthesized(type, level, where);
    const members = type.types.filter((member) => !(member.flags & ts.TypeFlags.Undefined));
    if (members.length === type.types.length) return this.#parenthesized(type, level, where);
    const hasTrue = members.some(
      (m) => m.flags & ts.TypeFlags.BooleanLiteral && this.#checker.typeToString(m) === 'true',
    );
    const hasFalse = members.some(
      (m) => m.flags & ts.TypeFlags.BooleanLiteral && this.#checker.typeToString(m) === 'false',
    );
    const printed = (
      hasTrue && hasFalse
        ? members.filter((m) => !(m.flags & ts.TypeFlags.BooleanLiteral))
        : members
    ).map((member) => this.#parenthesized(member, level, where));
    if (hasTrue && hasFalse) printed.push('boolean');
    const sorted = [...new Set(printed)].sort(compareUnionMembers);
    return sorted.length === 1 ? sorted[0]! : `(${sorted.join(' | ')})`;
  }

  #structure(type: ts.ObjectType, level: number, where: string): string {
    const checker = this.#checker;
    const properties = checker.getPropertiesOfType(type);
    const indexInfos = checker.getIndexInfosOfType(type);
    const calls = checker.getSignaturesOfType(type, ts.SignatureKind.Call);
    const constructs = checker.getSignaturesOfType(type, ts.SignatureKind.Construct);

    if ((type.getSymbol()?.flags ?? 0) & ts.SymbolFlags.Class) {
      const hidden = properties.find((property) =>
        property.declarations?.some(
          (declaration) =>
            ts.getCombinedModifierFlags(declaration) &
              (ts.ModifierFlags.Private | ts.ModifierFlags.Protected) ||
            (ts.isPropertyDeclaration(declaration) && ts.isPrivateIdentifier(declaration.name)),
        ),
      );
      if (hidden)
        throw this.#unsupported(
          type,
          where,
          `class with private member '${hidden.name}' cannot be copied structurally`,
        );
    }
    if (
      properties.length === 0 &&
      indexInfos.length === 0 &&
      constructs.length === 0 &&
      calls.length === 1
    ) {
      return this.#signature(calls[0]!, level, where, 'arrow');
    }

    const members: string[] = [];
    for (const info of indexInfos) {
      const key = this.#nested(info.keyType, level + 1, where);
      const value = this.print(info.type, level + 1, `${where}[${key}]`);
      members.push(`${joinType(`${info.isReadonly ? 'readonly ' : ''}[key: ${key}]:`, value)};`);
    }
    for (const signature of calls)
      members.push(`${this.#signature(signature, level + 1, where, 'call')};`);
    for (const signature of constructs)
      members.push(`new ${this.#signature(signature, level + 1, where, 'call')};`);
    for (const property of properties) {
      if (property.name.startsWith('__@') || property.name.startsWith('#')) {
        throw this.#unsupported(
          type,
          where,
          `property '${property.name}' has a symbol or private name`,
        );
      }
      const optional = property.flags & ts.SymbolFlags.Optional ? '?' : '';
      const readonly = isReadonlyProperty(property) ? 'readonly ' : '';
      const value = this.print(
        checker.getTypeOfSymbol(property),
        level + 1,
        `${where}.${property.name}`,
      );
      members.push(
        `${readonly}${propertyName(property.name)}${optional}:${value.startsWith('\n') ? '' : ' '}${value};`,
      );
    }
    if (members.length === 0) return '{}';
    return `{\n${members.map((member) => `${indent(level + 1)}${member}`).join('\n')}\n${indent(level)}}`;
  }

  #signature(
    signature: ts.Signature,
    level: number,
    where: string,
    style: 'arrow' | 'call',
  ): string {
    if (signature.typeParameters?.length) {
      throw new GenerateSdkTypesError(
        `${where}: generic function types are not supported (functions never cross the wire)`,
      );
    }
    const checker = this.#checker;
    const parameters = signature.parameters.map((parameter) => {
      const declaration = parameter.valueDeclaration;
      const isRest = !!declaration && ts.isParameter(declaration) && !!declaration.dotDotDotToken;
      const isOptional =
        !!declaration &&
        ts.isParameter(declaration) &&
        (!!declaration.questionToken || !!declaration.initializer);
      const parameterType = checker.getTypeOfSymbol(parameter);
      return `${isRest ? '...' : ''}${parameter.name}${isOptional ? '?' : ''}: ${this.#nested(parameterType, level, where)}`;
    });
    const returned = this.#nested(checker.getReturnTypeOfSignature(signature), level, `${where}()`);
    return style === 'arrow'
      ? `(${parameters.join(', ')}) => ${returned}`
      : `(${parameters.join(', ')}): ${returned}`;
  }

  #unsupported(type: ts.Type, where: string, why: string): GenerateSdkTypesError {
    const text = this.#checker.typeToString(type, undefined, ts.TypeFormatFlags.NoTruncation);
    return new GenerateSdkTypesError(`${where}: cannot copy type \`${text}\` into the SDK: ${why}`);
  }
}

interface CheckFlagsApi {
  getCheckFlags?: (symbol: ts.Symbol) => number;
  CheckFlags?: { Readonly: number; Mapped: number };
}

function isReadonlyProperty(property: ts.Symbol): boolean {
  // `readonly` added by a mapped type (Readonly<T>, z.readonly()) is only in the symbol's check
  // flags, which TypeScript doesn't expose in its typings.
  const internal = ts as unknown as CheckFlagsApi;
  if (internal.getCheckFlags && internal.CheckFlags) {
    const flags = internal.getCheckFlags(property);
    if (flags & internal.CheckFlags.Readonly) return true;
    if (flags & internal.CheckFlags.Mapped) return false;
  }
  if (property.flags & ts.SymbolFlags.GetAccessor && !(property.flags & ts.SymbolFlags.SetAccessor))
    return true;
  return (
    property.declarations?.some(
      (declaration) => !!(ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Readonly),
    ) ?? false
  );
}

/** `prefix type`, or `prefix` directly followed by a multi-line union's first `\n  | …`. */
function joinType(prefix: string, type: string): string {
  return type.startsWith('\n') ? `${prefix}${type}` : `${prefix} ${type}`;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorted, with `null` and `undefined` last, as people write them. */
function compareUnionMembers(a: string, b: string): number {
  const rank = (text: string) => (text === 'undefined' ? 2 : text === 'null' ? 1 : 0);
  return rank(a) - rank(b) || compareStrings(a, b);
}

function indent(level: number): string {
  return '  '.repeat(level);
}

function quote(text: string): string {
  return `'${JSON.stringify(text).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

function propertyName(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : quote(name);
}

function relative(file: string): string {
  return path.relative(repoRoot, file).split(path.sep).join('/');
}

function formatDiagnostics(diagnostics: readonly ts.Diagnostic[]): string {
  return ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (fileName) => fileName,
    getCurrentDirectory: () => repoRoot,
    getNewLine: () => '\n',
  });
}

/** The first line where two texts differ, for `--check`'s message. */
function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      return `line ${i + 1}:\n  committed: ${b[i] ?? '<end of file>'}\n  generated: ${a[i] ?? '<end of file>'}`;
    }
  }
  return 'no difference';
}

function main(argv: string[]): number {
  const known = new Set(['--check', '--help']);
  const unknown = argv.filter((arg) => !known.has(arg));
  if (argv.includes('--help') || unknown.length > 0) {
    if (unknown.length > 0) console.error(`unknown argument(s): ${unknown.join(' ')}`);
    console.error(`usage: tsx scripts/generate-sdk-types.ts [--check]
  writes ${relative(DEFAULT_OUT_FILE)} from ${relative(DEFAULT_ROUTER_FILE)};
  --check  write nothing; exit 1 if the committed file differs from a fresh generation`);
    return unknown.length > 0 ? 2 : 0;
  }
  const check = argv.includes('--check');
  let generated: string;
  try {
    generated = generateSdkTypes();
  } catch (error) {
    if (!(error instanceof GenerateSdkTypesError)) throw error;
    console.error(`gen:sdk failed: ${error.message}`);
    return 2;
  }
  const outFile = DEFAULT_OUT_FILE;
  const committed = existsSync(outFile) ? readFileSync(outFile, 'utf8') : undefined;
  if (check) {
    if (committed === generated) {
      console.log(`${relative(outFile)} is up to date`);
      return 0;
    }
    console.error(
      committed === undefined
        ? `${relative(outFile)} is missing. Run \`${REGENERATE_COMMAND}\` and commit the result.`
        : `${relative(outFile)} is out of date with ${relative(DEFAULT_ROUTER_FILE)}: the API changed but the SDK types were not regenerated.\nFirst difference at ${firstDifference(generated, committed)}\nRun \`${REGENERATE_COMMAND}\` and commit the result.`,
    );
    return 1;
  }
  if (committed === generated) {
    console.log(`${relative(outFile)} unchanged`);
    return 0;
  }
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, generated);
  console.log(`wrote ${relative(outFile)}`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}

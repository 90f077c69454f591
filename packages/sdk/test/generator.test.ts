/**
 * The SDK type generator (packages/api/scripts/generate-sdk-types.ts) on a fixture router with
 * the shapes the API doesn't have yet (subscriptions, recursive types…): the generated router
 * type must make the client infer exactly what the real router does.
 */

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { GenerateSdkTypesError, generateSdkTypes } from '../../api/scripts/generate-sdk-types.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, 'fixtures');
const tsconfig = path.join(here, '../tsconfig.json');

function compilerOptions(): ts.CompilerOptions {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    tsconfig,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(String(d.messageText));
      },
    },
  );
  return { ...parsed!.options, noEmit: true };
}

/** Typechecks in-memory files (next to real ones, so imports resolve) and returns the errors. */
function typecheck(files: Record<string, string>): string[] {
  const options = compilerOptions();
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, language, ...rest) =>
    name in files
      ? ts.createSourceFile(name, files[name]!, language)
      : getSourceFile.call(host, name, language, ...rest);
  host.fileExists = (name) => name in files || fileExists.call(host, name);
  host.readFile = (name) => files[name] ?? readFile.call(host, name);
  const program = ts.createProgram(Object.keys(files), options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

const ASSERTIONS = `
import type { TRPCClient } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { FixtureRouter } from './fixture-router.js';
import type { AppRouter as Generated } from './fixture-router.generated.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;
type Kinds<R> = { [K in keyof R]: R[K] extends { _def: { procedure: true; type: infer T } } ? T : Kinds<R[K]> };
type Yield<R extends FixtureRouter | Generated, K extends 'ticks' | 'plain' | 'legacy'> =
  ReturnType<TRPCClient<R>['live'][K]['subscribe']> extends AsyncIterableIterator<infer Y> ? Y : never;
type Resolved<R extends FixtureRouter | Generated> = Awaited<ReturnType<TRPCClient<R>['shapes']['everything']['query']>>;

export type Checks = [
  Assert<Equal<inferRouterInputs<Generated>, inferRouterInputs<FixtureRouter>>>,
  Assert<Equal<inferRouterOutputs<Generated>, inferRouterOutputs<FixtureRouter>>>,
  Assert<Equal<Kinds<Generated['_def']['record']>, Kinds<FixtureRouter['_def']['record']>>>,
  Assert<Equal<Resolved<Generated>, Resolved<FixtureRouter>>>,
  Assert<Equal<Yield<Generated, 'ticks'>, Yield<FixtureRouter, 'ticks'>>>,
  Assert<Equal<Yield<Generated, 'plain'>, Yield<FixtureRouter, 'plain'>>>,
  Assert<Equal<Yield<Generated, 'legacy'>, Yield<FixtureRouter, 'legacy'>>>,
  // And they are what a user expects, not just equal:
  Assert<Equal<Yield<Generated, 'ticks'>, { id: string; data: { n: number; at: Date } }>>,
  Assert<Equal<Yield<Generated, 'plain'>, { n: number }>>,
  Assert<Equal<Yield<Generated, 'legacy'>, { n: number }>>,
];
`;

describe('generate-sdk-types', () => {
  it('reproduces subscriptions, recursive and lib types exactly', { timeout: 60_000 }, () => {
    const generated = generateSdkTypes({
      routerFile: path.join(fixtures, 'fixture-router.ts'),
      exportName: 'FixtureRouter',
      tsconfig,
    });
    // Only @trpc/server is imported; recursive types became local aliases.
    expect(generated.match(/^import .*$/gm)).toEqual([
      "import type { TRPCBuiltRouter, TRPCQueryProcedure, TRPCMutationProcedure, TRPCSubscriptionProcedure } from '@trpc/server';".replace(
        /\{ .* \}/,
        (m) => `{ ${m.slice(2, -2).split(', ').sort().join(', ')} }`,
      ),
    ]);
    expect(generated).toContain('export type Tree = {');
    expect(generated).toContain('export type Json =');
    expect(generated).toContain('AsyncIterable<');
    expect(generated).toContain('& { _observable: true }');

    const errors = typecheck({
      [path.join(fixtures, 'fixture-router.generated.ts')]: generated,
      [path.join(fixtures, 'fixture-assertions.ts')]: ASSERTIONS,
    });
    expect(errors).toEqual([]);

    // The check is not vacuous: a wrong type is caught.
    const broken = generated.replace('value: number;', 'value: string;');
    expect(broken).not.toBe(generated);
    expect(
      typecheck({
        [path.join(fixtures, 'fixture-router.generated.ts')]: broken,
        [path.join(fixtures, 'fixture-assertions.ts')]: ASSERTIONS,
      }),
    ).not.toEqual([]);
  });

  it('is deterministic', { timeout: 60_000 }, () => {
    const options = {
      routerFile: path.join(fixtures, 'fixture-router.ts'),
      exportName: 'FixtureRouter',
      tsconfig,
    };
    expect(generateSdkTypes(options)).toBe(generateSdkTypes(options));
  });

  it('refuses types it cannot copy, naming the procedure', { timeout: 60_000 }, () => {
    expect(() =>
      generateSdkTypes({
        routerFile: path.join(fixtures, 'fixture-router.ts'),
        exportName: 'SecretRouter',
        tsconfig,
      }),
    ).toThrow(GenerateSdkTypesError);
    expect(() =>
      generateSdkTypes({
        routerFile: path.join(fixtures, 'fixture-router.ts'),
        exportName: 'SecretRouter',
        tsconfig,
      }),
    ).toThrow(/leak output.*private member/);
  });
});

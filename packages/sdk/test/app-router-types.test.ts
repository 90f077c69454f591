/**
 * The SDK's generated `AppRouter` (src/generated/app-router.ts) must give clients exactly the
 * types the server's router does, for every procedure. The `expectTypeOf` assertions below are
 * compile-time: `tsc -p packages/sdk` fails when they drift, and so does the 'typechecks' test,
 * which runs the compiler on this file so that `vitest run` catches drift too.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TRPCClientError } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import ts from 'typescript';
import { beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  DEFAULT_OUT_FILE,
  DEFAULT_ROUTER_FILE,
  generateSdkTypes,
} from '../../api/scripts/generate-sdk-types.js';
// Type-only, erased at runtime: the SDK never imports server code.
import type { AppRouter as ServerRouter } from '../../api/src/root.js';
import type { AppRouter, RouterInputs, RouterOutputs } from '../src/index.js';

/** Each procedure's kind (`'query'`…), by path. */
type Kinds<R> = {
  [K in keyof R]: R[K] extends { _def: { procedure: true; type: infer T } } ? T : Kinds<R[K]>;
};
type RootTypes<R extends { _def: { _config: { $types: object } } }> =
  R['_def']['_config']['$types'];

expectTypeOf<inferRouterInputs<AppRouter>>().toEqualTypeOf<inferRouterInputs<ServerRouter>>();
expectTypeOf<inferRouterOutputs<AppRouter>>().toEqualTypeOf<inferRouterOutputs<ServerRouter>>();
expectTypeOf<Kinds<AppRouter['_def']['record']>>().toEqualTypeOf<
  Kinds<ServerRouter['_def']['record']>
>();
expectTypeOf<RootTypes<AppRouter>['errorShape']>().toEqualTypeOf<
  RootTypes<ServerRouter>['errorShape']
>();
expectTypeOf<RootTypes<AppRouter>['transformer']>().toEqualTypeOf<
  RootTypes<ServerRouter>['transformer']
>();
expectTypeOf<TRPCClientError<AppRouter>['data']>().toEqualTypeOf<
  TRPCClientError<ServerRouter>['data']
>();
// The SDK's exported helpers are the same types.
expectTypeOf<RouterInputs>().toEqualTypeOf<inferRouterInputs<ServerRouter>>();
expectTypeOf<RouterOutputs>().toEqualTypeOf<inferRouterOutputs<ServerRouter>>();

const thisFile = fileURLToPath(import.meta.url);
const sdkTsconfig = fileURLToPath(new URL('../tsconfig.json', import.meta.url));

describe('generated AppRouter', () => {
  let program: ts.Program;
  beforeAll(() => {
    const parsed = ts.getParsedCommandLineOfConfigFile(
      sdkTsconfig,
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
          throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
        },
      },
    );
    if (!parsed) throw new Error(`cannot read ${sdkTsconfig}`);
    // One program for both tests: this file, which pulls in the API's router and the generator.
    program = ts.createProgram({
      rootNames: [thisFile],
      options: { ...parsed.options, noEmit: true },
    });
  }, 120_000);

  it('matches the server router type for every procedure (typechecks)', {
    timeout: 120_000,
  }, () => {
    const sdkDir = fileURLToPath(new URL('..', import.meta.url));
    const errors = ts
      .getPreEmitDiagnostics(program)
      .filter((diagnostic) => diagnostic.file?.fileName.startsWith(sdkDir) ?? true)
      .map((diagnostic) => {
        const where = diagnostic.file
          ? `${diagnostic.file.fileName}:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1}`
          : '';
        return `${where} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
      });
    expect(errors).toEqual([]);
  });

  it('is up to date with packages/api (else run `pnpm --filter @pulse/api gen:sdk`)', {
    timeout: 120_000,
  }, () => {
    const fresh = generateSdkTypes({
      program,
      routerFile: DEFAULT_ROUTER_FILE,
      failOnTypeErrors: false,
    });
    expect(readFileSync(DEFAULT_OUT_FILE, 'utf8')).toBe(fresh);
  });
});

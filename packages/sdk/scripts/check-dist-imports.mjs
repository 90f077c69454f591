// Fails the build if dist/ imports anything but the SDK's own dependencies: the published
// package must never reach for server code (@pulse/api, kysely, fastify…) or dev-only packages.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dist = path.join(root, 'dist');
const allowed = ['@trpc/client', '@trpc/server', 'superjson'];

const files = readdirSync(dist, { recursive: true, encoding: 'utf8' })
  .filter((file) => /\.(js|d\.ts)$/.test(file))
  .map((file) => path.join(dist, file));

const problems = [];
for (const file of files) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const visit = (node) => {
    let specifier;
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      specifier = node.moduleSpecifier;
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      specifier = node.arguments[0];
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      specifier = node.argument.literal;
    }
    if (specifier) {
      const name = ts.isStringLiteral(specifier) ? specifier.text : '<dynamic>';
      const ok =
        name.startsWith('./') ||
        name.startsWith('../') ||
        allowed.some((p) => name === p || name.startsWith(`${p}/`));
      if (!ok) problems.push(`${path.relative(root, file)}: imports ${name}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}
if (problems.length > 0) {
  console.error(
    `dist/ may only import ${allowed.join(', ')} and its own files:\n  ${problems.join('\n  ')}`,
  );
  process.exit(1);
}
console.log(`dist/: ${files.length} files import only ${allowed.join(', ')} and relative files`);

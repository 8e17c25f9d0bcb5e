import ts from 'typescript';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [
    {
      name: 'tc39-decorators',
      enforce: 'pre',
      transform(code, id) {
        if (!id.endsWith('.decorators.test.ts')) return null;
        const out = ts.transpileModule(code, {
          fileName: id,
          compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, sourceMap: true },
        });
        return { code: out.outputText, map: out.sourceMapText ?? null };
      },
    },
  ],
});

import { defineConfig } from 'vitest/config';

/**
 * Vite 8 transforms TypeScript with oxc, which lowers only legacy (experimentalDecorators)
 * decorators, and Node 20 has no native TC39 decorators. Test files named
 * `*.decorators.test.ts` are lowered by TypeScript itself first (the compiler `npm run build`
 * uses); every other file goes through vite's default transform untouched.
 */
export default defineConfig({
  plugins: [
    {
      name: 'spanlite:tc39-decorators',
      enforce: 'pre',
      async transform(code, id) {
        if (!id.endsWith('.decorators.test.ts')) return null;
        const { default: ts } = await import('typescript');
        const out = ts.transpileModule(code, {
          fileName: id,
          compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, sourceMap: true },
        });
        return { code: out.outputText, map: out.sourceMapText ?? null };
      },
    },
  ],
});

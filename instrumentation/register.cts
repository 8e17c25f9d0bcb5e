/**
 * The drop-in for CommonJS preloading: `node -r spanlite/register app.js`. Compiled to
 * `register.cjs`; it loads the ESM drop-in next to it. Node 20.19+ and 22.12+ can require() an
 * ES module synchronously, so tracing is set up before the app's first line runs; older Node 20
 * releases fall back to import(), which sets it up a moment later (spans started before that
 * are not recorded).
 */
const canRequireEsm = (process.features as { require_module?: boolean }).require_module === true;

if (canRequireEsm) {
  require('./register.js');
} else {
  import('./register.js').catch((error: unknown) => {
    console.warn('spanlite: could not load the tracing setup; the app runs untraced', error);
  });
}

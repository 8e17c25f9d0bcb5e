/**
 * The drop-in: `node --import spanlite/register app.js` traces an app with no code change.
 * Configured from the standard OTEL_* variables only; see `register()` for what they set.
 */
import { register } from './tracing-setup.js';

register();

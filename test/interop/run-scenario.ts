/** Runs one scenario script of test/interop/scenarios as a child process, bounded in time. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCENARIO_TIMEOUT_MS = 30_000;

/** Runs the script with `env` added; resolves with its last stdout line parsed as JSON. */
export function runScenario(script: string, env: Record<string, string>): Promise<any> {
  const path = fileURLToPath(new URL(`./scenarios/${script}`, import.meta.url));
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [path],
      { env: { ...process.env, ...env, OTEL_LOG_LEVEL: 'error' }, timeout: SCENARIO_TIMEOUT_MS, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`${script} failed: ${error.message}\n${stderr}`, { cause: error }));
          return;
        }
        const lines = stdout.trim().split('\n');
        try {
          resolve(JSON.parse(lines.at(-1) ?? ''));
        } catch (parseError) {
          reject(new Error(`${script} printed no JSON result:\n${stdout}\n${stderr}`, { cause: parseError }));
        }
      },
    );
  });
}

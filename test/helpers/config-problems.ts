/** The problems loadCollectorConfig reports for an environment (none when it loads). */
import { ConfigError, loadCollectorConfig } from '../../config/collector-config.js';

export function configProblems(env: Record<string, string>): readonly string[] {
  try {
    loadCollectorConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

import type { SealbookConfig } from "../config";
import { installLogger, loggerForEnv, logger } from "../observability/logger";
import { describeConfiguration, formatConfigProblems } from "./config-report";

/**
 * `npm start`'s first step: the same offline validation as `sealbook config check`. On an error
 * it logs each problem with its variable and fix, and exits 1 (no stack trace); otherwise it
 * installs the process logger (LOG_FORMAT, LOG_LEVEL, secrets hidden), logs the warnings and
 * returns the configuration.
 */
export function configurationOrExit(env: Record<string, string | undefined> = process.env): SealbookConfig {
  const report = describeConfiguration(env);
  installLogger(loggerForEnv(env));
  if (!report.config) {
    const n = report.errors.length;
    logger().error(
      { problems: report.errors.map((p) => p.variable) },
      `Sealbook cannot start: ${n === 1 ? "a setting is" : `${n} settings are`} not valid.\n${formatConfigProblems(report.errors)}\n  (\`npm run sealbook -- config check\` shows the whole configuration.)`,
    );
    process.exit(1);
  }
  for (const warning of report.warnings) logger().warn({ variable: warning.variable }, `${warning.message} ${warning.fix}`);
  return report.config;
}

/**
 * The Sealbook command line: `sealbook <command> [options]` (bin/sealbook.mjs runs it compiled;
 * `npm run sealbook -- …` too). Each command lives in scripts/commands/ and is loaded only when it
 * runs; `sealbook help` lists them.
 */
import packageJson from "../package.json" with { type: "json" };
import { CliError, parseCommandArgs } from "./cli-kit";
import { commands, type CommandEntry } from "./commands/index";

function printHelp(): void {
  const width = Math.max(...commands.map((c) => c.name.length));
  console.log(`Sealbook: a tamper-evident ledger for public-sector records.

Usage: sealbook <command> [options]   (or npm run sealbook -- <command> [options])

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n")}

Run \`sealbook <command> --help\` for a command's options.
The database is chosen by DATABASE_URL (PostgreSQL) or SEALBOOK_DATA_DIR (embedded PGlite, default .sealbook).`);
}

function findCommand(argv: string[]): { command: CommandEntry; rest: string[] } | null {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(" ");
    const command = commands.find((c) => c.name === name);
    if (command) return { command, rest: argv.slice(words) };
  }
  return null;
}

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === "help" || argv[0] === "--help" || argv[0] === "-h") {
    printHelp();
    return 0;
  }
  if (argv[0] === "--version" || argv[0] === "-v" || argv[0] === "version") {
    console.log(`sealbook ${packageJson.version}`);
    return 0;
  }
  const found = findCommand(argv);
  if (!found) throw new CliError(`Unknown command "${argv.slice(0, 2).join(" ")}". Run \`sealbook help\` for the list.`);
  const { values, positionals } = parseCommandArgs(found.command, found.rest);
  if (values.help) {
    console.log(`${found.command.summary}\n\nUsage: ${found.command.usage}`);
    return 0;
  }
  const command = await found.command.load();
  return (await command.run({ values, positionals })) ?? 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof CliError) {
      console.error(`sealbook: ${error.message}`);
      process.exit(error.exitCode);
    }
    console.error("sealbook: unexpected failure:", error);
    process.exit(1);
  },
);

// `roster sim docebo`: runs the simulator in the foreground until SIGINT/SIGTERM.
import { readFile } from 'node:fs/promises';
import { startDoceboSimulator } from './docebo-simulator.ts';
import type { DoceboSimulatorOptions, SeedUser } from './sim-types.ts';

function parseArgs(args: string[]): { options: DoceboSimulatorOptions; seedFile: string | null } {
  const options: DoceboSimulatorOptions = {};
  let seedFile: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const value = args[i + 1];
    const need = () => {
      if (value === undefined) throw new Error(`${flag} needs a value`);
      i++;
      return value;
    };
    const int = () => {
      const n = Number(need());
      if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} expects a whole number, got "${value}"`);
      return n;
    };
    if (flag === '--port') options.port = int();
    else if (flag === '--client-id') options.clientId = need();
    else if (flag === '--client-secret') options.clientSecret = need();
    else if (flag === '--calls-per-hour') options.callsPerHour = int();
    else if (flag === '--token-ttl') options.tokenTtlSeconds = int();
    else if (flag === '--seed') seedFile = need();
    else if (flag === '--quiet') options.quiet = true;
    else throw new Error(`Unknown option for the Docebo simulator: ${flag}`);
  }
  return { options, seedFile };
}

export async function runDoceboSimulatorCli(args: string[]): Promise<void> {
  const { options, seedFile } = parseArgs(args);
  if (seedFile) {
    const parsed = JSON.parse(await readFile(seedFile, 'utf8')) as { users?: SeedUser[] };
    options.seedUsers = parsed.users ?? [];
  }
  const sim = await startDoceboSimulator(options);
  process.stdout.write(`listening on ${sim.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await sim.close();
  process.exit(0);
}

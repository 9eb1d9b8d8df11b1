// `roster sim salesforce …`: parses flags, starts the simulator, prints the one line scripts wait for, and
// runs until SIGINT/SIGTERM.
import { readFile } from 'node:fs/promises';
import { startSalesforceSimulator, type SalesforceSimulatorOptions } from './salesforce-simulator.ts';
import { parseSchemaDecl } from './schema.ts';
import type { SalesforceSeed } from './salesforce-state.ts';

const FLAGS = [
  '--port',
  '--seed',
  '--schema',
  '--client-id',
  '--client-secret',
  '--jwt-public-key',
  '--pubsub-port',
] as const;

export function parseSimulatorArgs(args: string[]): Partial<Record<(typeof FLAGS)[number], string>> {
  const out: Partial<Record<(typeof FLAGS)[number], string>> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const [name, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    const flag = FLAGS.find((f) => f === name);
    if (!flag) throw new Error(`Unknown option ${arg}. Options: ${FLAGS.join(', ')}`);
    const value = inline ?? args[++i];
    if (value === undefined || value === '') throw new Error(`${flag} needs a value`);
    out[flag] = value;
  }
  return out;
}

export async function runSalesforceSimulatorCli(args: string[]): Promise<void> {
  const flags = parseSimulatorArgs(args);
  const port = flags['--port'] === undefined ? 0 : Number(flags['--port']);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be 0–65535, got ${flags['--port']}`);
  const readJson = async (path: string) => JSON.parse(await readFile(path, 'utf8')) as unknown;
  const opts: SalesforceSimulatorOptions = { port, quiet: true };
  if (flags['--seed']) opts.seed = (await readJson(flags['--seed'])) as SalesforceSeed;
  if (flags['--schema']) opts.schema = parseSchemaDecl(await readJson(flags['--schema']));
  if (flags['--client-id']) opts.clientId = flags['--client-id'];
  if (flags['--client-secret']) opts.clientSecret = flags['--client-secret'];
  if (flags['--jwt-public-key']) opts.jwtPublicKeyPem = await readFile(flags['--jwt-public-key'], 'utf8');
  if (flags['--pubsub-port'] !== undefined) {
    const pubsubPort = Number(flags['--pubsub-port']);
    if (!Number.isInteger(pubsubPort) || pubsubPort < 0 || pubsubPort > 65535)
      throw new Error(`--pubsub-port must be 0–65535, got ${flags['--pubsub-port']}`);
    opts.pubsub = { enabled: true, port: pubsubPort };
  }
  const sim = await startSalesforceSimulator(opts);
  process.stdout.write(`listening on ${sim.url}\n`);
  if (sim.pubsub) process.stdout.write(`pubsub listening on ${sim.pubsub.address}\n`);
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
}

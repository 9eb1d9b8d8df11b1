// Asks on the terminal before changing Docebo. Without a terminal, scripts must say --yes explicitly.
import { createInterface } from 'node:readline/promises';
import { RosterError } from '../domain/errors.ts';
import type { Output } from './output.ts';

export async function confirmOnTerminal(out: Pick<Output, 'terminal'>, question: string): Promise<boolean> {
  if (!out.terminal) {
    throw new RosterError(
      'ROSTER_ABORTED',
      'Not on a terminal, so nobody can confirm: pass --yes to apply without asking.',
    );
  }
  const rl = createInterface({ input: out.terminal.input, output: out.terminal.output });
  try {
    const answer = await rl.question(`${question} Type "yes" to continue: `);
    return answer.trim().toLowerCase() === 'yes';
  } finally {
    rl.close();
  }
}

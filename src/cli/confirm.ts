// Asks on the terminal before changing Docebo. Without a terminal, scripts must say --yes explicitly.
import { createInterface } from 'node:readline/promises';
import { RosterError } from '../domain/errors.ts';

export async function confirmOnTerminal(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) {
    throw new RosterError(
      'ROSTER_ABORTED',
      'Not on a terminal, so nobody can confirm: pass --yes to apply without asking.',
    );
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} Type "yes" to continue: `);
    return answer.trim().toLowerCase() === 'yes';
  } finally {
    rl.close();
  }
}

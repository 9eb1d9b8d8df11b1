// What a writing command (apply, undo) tells the person while another Roster process holds the writer
// lease: once who it is, then a dot now and then, so a long wait never looks like a hang.
import { describeHolder, type WaitOptions } from '../app/writer-lease.ts';
import type { Output } from './output.ts';

export function writerWait(wait: boolean | undefined, out: Output): WaitOptions {
  let said: string | null = null;
  let waited = 0;
  return {
    wait: Boolean(wait),
    onWaiting: (holder) => {
      const who = describeHolder(holder);
      if (who !== said) {
        out.note(`Waiting for the writer lease: ${who} (expires ${holder.expiresAt} unless renewed)…`);
        said = who;
      } else if (++waited % 30 === 0) out.note(`  still waiting (${waited} s)…`);
    },
  };
}

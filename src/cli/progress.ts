// Progress bars on stderr, only when a person is watching; scripts and --json get clean output.
import cliProgress from 'cli-progress';
import type { ProgressReporter } from '../app/roster-context.ts';
import type { Output } from './output.ts';

const LABELS = {
  salesforce: 'Reading Salesforce contacts',
  docebo: 'Reading Docebo users    ',
  apply: 'Writing to Docebo       ',
};

export interface ProgressHandle {
  report: ProgressReporter;
  stop(): void;
}

export function makeProgress(out: Pick<Output, 'interactive' | 'progressStream'>): ProgressHandle {
  if (!out.interactive) return { report: () => {}, stop: () => {} };
  const multi = new cliProgress.MultiBar(
    {
      format: '{label} [{bar}] {value}/{total}',
      hideCursor: true,
      clearOnComplete: false,
      // cli-progress only writes and moves the cursor with escape codes, both through write().
      stream: out.progressStream as unknown as NodeJS.WritableStream,
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, cliProgress.SingleBar>();
  return {
    report(step, done, total) {
      let bar = bars.get(step);
      if (!bar) {
        bar = multi.create(total ?? done, done, { label: LABELS[step] });
        bars.set(step, bar);
      }
      if (total !== null) bar.setTotal(total);
      else if (done > bar.getTotal()) bar.setTotal(done);
      bar.update(done);
    },
    stop() {
      multi.stop();
    },
  };
}

// Preloaded into a measured process: prints its peak resident memory when it exits.
import process from 'node:process';

process.on('exit', () => process.stderr.write(`\nbench-max-rss-kb=${process.resourceUsage().maxRSS}\n`));

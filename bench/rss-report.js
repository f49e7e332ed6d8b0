// Preloaded into every node process of a bench run (NODE_OPTIONS=--require): appends the
// process's peak resident set size in KiB to $LLMD_BENCH_RSS_FILE when it exits.
'use strict';
const fs = require('fs');
process.on('exit', () => {
  const file = process.env.LLMD_BENCH_RSS_FILE;
  if (file) fs.appendFileSync(file, `${process.resourceUsage().maxRSS}\n`);
});

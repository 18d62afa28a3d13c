/**
 * Loaded into a server process (NODE_OPTIONS=--import) by a browser test that needs a session of an hour without
 * waiting an hour: the process' clock runs ahead of the real one by the minutes written in SHIFTED_CLOCK_FILE, which
 * the test raises step by step (entries are then stored at those moments, as a nurse would have written them).
 */
import fs from 'node:fs';

const file = process.env.SHIFTED_CLOCK_FILE;
const RealDate = Date;
const realNow = RealDate.now.bind(RealDate);
let offsetMs = 0;
let readAt = -Infinity;

function now() {
  const real = realNow();
  if (file && real - readAt > 50) {
    readAt = real;
    try {
      offsetMs = Number(fs.readFileSync(file, 'utf8')) * 60_000 || 0;
    } catch {
      offsetMs = 0;
    }
  }
  return real + offsetMs;
}

class ShiftedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(now());
    else super(...args);
  }
  static now() {
    return now();
  }
}

globalThis.Date = ShiftedDate;

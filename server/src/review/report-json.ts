/*
 * The session report as JSON, with the session's readings given as JSON already: they are the bulk
 * of a report (4 MB for 3 hours at 1 Hz), and a finished session's readings are serialised once
 * (report-cache.ts), not on every view. The result is exactly `JSON.stringify(report)`.
 */

/** `JSON.stringify(object)` in two parts: the text before the value of `key`, and the text after it. */
export function stringifyAround(object: object, key: string): { head: string; tail: string } {
  const before: string[] = [];
  const after: string[] = [];
  let found = false;
  // Object.entries lists the keys in the order JSON.stringify writes them.
  for (const [k, value] of Object.entries(object)) {
    if (k === key) {
      found = true;
      continue;
    }
    const text: string | undefined = JSON.stringify(value);
    if (text !== undefined) (found ? after : before).push(`${JSON.stringify(k)}:${text}`);
  }
  if (!found) throw new Error(`no "${key}" to write around`);
  return {
    head: `{${before.map((m) => `${m},`).join('')}${JSON.stringify(key)}:`,
    tail: `${after.map((m) => `,${m}`).join('')}}`,
  };
}

/** What a session report is shaped like, as far as the readings go. */
interface ReportShape {
  input: { session: { readings: unknown } };
}

/** `JSON.stringify(report)` is `head`, then the JSON of `report.input.session.readings`, then `tail`. */
export function reportJsonAround(report: ReportShape): { head: string; tail: string } {
  const outer = stringifyAround(report, 'input');
  const input = stringifyAround(report.input, 'session');
  const session = stringifyAround(report.input.session, 'readings');
  return { head: outer.head + input.head + session.head, tail: session.tail + input.tail + outer.tail };
}

/** The report as UTF-8 JSON (`JSON.stringify(report)`), around the readings' JSON. */
export function reportJsonBody(report: ReportShape, readingsJson: Buffer): Buffer {
  const { head, tail } = reportJsonAround(report);
  return Buffer.concat([Buffer.from(head, 'utf8'), readingsJson, Buffer.from(tail, 'utf8')]);
}

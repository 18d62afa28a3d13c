import { describe, expect, it } from 'vitest';
import { buildAck } from './ack';
import { componentsOf, parseHl7, segmentsOf, valueOf } from './hl7-message';
import { hl7, oddDelimiters, pcd01Published } from './test-fixtures';

const nowMs = Date.parse('2026-11-22T10:15:07Z');

function request(segments: readonly string[]) {
  const parsed = parseHl7(hl7(segments));
  if (!parsed.ok) throw new Error('not HL7');
  const [header] = parsed.message.segments;
  if (!header) throw new Error('no MSH');
  return { header, delimiters: parsed.message.delimiters };
}

function parsedAck(text: string) {
  const parsed = parseHl7(text);
  if (!parsed.ok) throw new Error(`the ACK is not HL7: ${parsed.error.message}`);
  return { msh: parsed.message.segments[0], msa: segmentsOf(parsed.message, 'MSA')[0], message: parsed.message };
}

describe('buildAck', () => {
  it('answers the PCD-01 message AA: sender and receiver swapped, MSH-10 echoed in MSA-2, CR-terminated', () => {
    const text = buildAck({ code: 'AA', request: request(pcd01Published), controlId: 'CS1', nowMs });
    expect(text.endsWith('\r')).toBe(true);
    expect(text.split('\r')).toHaveLength(3);
    const { msh, msa } = parsedAck(text);
    expect(valueOf(msh, 3)).toBe('CHAIRSIDE');
    expect(componentsOf(msh, 5)).toEqual(['AcmeInc', 'ACDE48234567ABCD', 'EUI-64']);
    expect(valueOf(msh, 7)).toBe('20261122101507+0000');
    expect(componentsOf(msh, 9)).toEqual(['ACK', 'R01', 'ACK']);
    expect(valueOf(msh, 10)).toBe('CS1');
    expect(valueOf(msh, 11)).toBe('P');
    expect(valueOf(msh, 12)).toBe('2.6');
    expect(valueOf(msa, 1)).toBe('AA');
    expect(valueOf(msa, 2)).toBe('MSGID1234');
    expect(msa?.fields).toHaveLength(3);
  });

  it('names the receiving application of the request as its own sender', () => {
    const req = request(['MSH|^~\\&|MON|WARD|CENTRAL|CLINIC|20261122101500||ORU^R01|X1|T|2.3.1']);
    const { msh } = parsedAck(buildAck({ code: 'AA', request: req, controlId: 'CS2', nowMs }));
    expect([3, 4, 5, 6, 11, 12].map((n) => valueOf(msh, n))).toEqual(['CENTRAL', 'CLINIC', 'MON', 'WARD', 'T', '2.3']);
  });

  it('AE and AR carry the reason in MSA-3, escaped', () => {
    const reason = 'no chair mapped for bed KETA^102^1 / device A|B';
    const { msa } = parsedAck(buildAck({ code: 'AE', text: reason, request: request(pcd01Published), controlId: 'CS3', nowMs }));
    expect(valueOf(msa, 1)).toBe('AE');
    expect(valueOf(msa, 3)).toBe(reason);
  });

  it('cuts long reasons', () => {
    const { msa } = parsedAck(buildAck({ code: 'AE', text: 'x'.repeat(1000), request: null, controlId: 'CS4', nowMs }));
    expect(valueOf(msa, 3)).toHaveLength(200);
  });

  it('answers garbage AR with standard delimiters, no control id to echo', () => {
    const { msh, msa } = parsedAck(buildAck({ code: 'AR', text: 'the message does not start with an MSH segment', request: null, controlId: 'CS5', nowMs }));
    expect(valueOf(msh, 2)).toBe('^~\\&');
    expect(valueOf(msh, 9)).toBe('ACK');
    expect([valueOf(msa, 1), valueOf(msa, 2)]).toEqual(['AR', '']);
  });

  it("replies in the sender's own delimiters", () => {
    const text = buildAck({ code: 'AE', text: 'bad $ value', request: request(oddDelimiters), controlId: 'CS6', nowMs });
    expect(text.startsWith('MSH!$*?%!')).toBe(true);
    const { message, msa } = parsedAck(text);
    expect(message.delimiters.component).toBe('$');
    expect([valueOf(msa, 2), valueOf(msa, 3)]).toEqual(['ODD-1', 'bad $ value']);
  });

  it('does not echo absurdly long header fields', () => {
    const req = request([`MSH|^~\\&|${'A'.repeat(5000)}||||20261122101500||ORU^R01|${'C'.repeat(300)}|P|2.6`]);
    const text = buildAck({ code: 'AR', text: 'too long', request: req, controlId: 'CS7', nowMs });
    expect(text.length).toBeLessThan(400);
  });
});

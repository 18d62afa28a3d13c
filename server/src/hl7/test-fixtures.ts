/**
 * HL7 messages for tests. The PCD-01 message is the published one (docs/clinical-defaults.md "Data standards"); the
 * others are written for these tests in the styles real gateways use (not copied from any vendor).
 * Segments are written one per line and joined with CR unless a test says otherwise.
 */

/** Joins segments with CR (the standard), or another separator to test tolerance. */
export const hl7 = (segments: readonly string[], separator = '\r'): string => segments.join(separator) + separator;

/** The published IHE PCD-01 test message (NIBP 120/80/100, times at +0500). */
export const pcd01Published = [
  'MSH|^~\\&|AcmeInc^ACDE48234567ABCD^EUI-64||||20090713090030+0500||ORU^R01^ORU_R01|MSGID1234|P|2.6|||NE|AL|||||IHE PCD ORU-R01 2006^HL7^1.3.6.1.4.1.19376.1.6.1.1.1^ISO',
  'PID|||789567^^^Imaginary Hospital^PI||Doe^John^Joseph^^^^L^A|||M',
  'OBR|1|AB12345^AcmeAHDInc^ACDE48234567ABCD^EUI-64|CD12345^AcmeAHDInc^ACDE48234567ABCD^EUI-64|528391^MDC_DEV_SPEC_PROFILE_BP^MDC|||20090813095715+0500',
  'OBX|1||528391^MDC_DEV_SPEC_PROFILE_BP^MDC|1|||||||R|||||||0123456789ABCDEF^EUI-64',
  'OBX|2||150020^MDC_PRESS_BLD_NONINV^MDC|1.0.1|||||||R|||20090813095715+0500',
  'OBX|3|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.0.1.1|120|266016^MDC_DIM_MMHG^MDC|||||R',
  'OBX|4|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC|1.0.1.2|80|266016^MDC_DIM_MMHG^MDC|||||R',
  'OBX|5|NM|150023^MDC_PRESS_BLD_NONINV_MEAN^MDC|1.0.1.3|100|266016^MDC_DIM_MMHG^MDC|||||R',
];

/**
 * Philips-style central station export: v2.6 PCD-01, MDC codes and MDC units, an MDS header row
 * with the monitor's EUI-64 in OBX-18, BP and the continuous vitals at different OBX-14 times.
 * ECG HR 72 and SpO₂ pulse 74 arrive together: the ECG HR wins.
 */
export const philipsStyle = [
  'MSH|^~\\&|MONITOR^00095CFFFE7A2B1C^EUI-64|PIIC|CHAIRSIDE||20261122101500+0100||ORU^R01^ORU_R01|PH000123|P|2.6|||AL|NE||UNICODE UTF-8|||IHE_PCD_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO',
  'PID|||MRN12345^^^HOSP^MR||Patient^Test||19800101|F',
  'PV1||I|KETA^102^1',
  'OBR|1|PH000123^PIIC|PH000123^PIIC|182777000^monitoring of patient^SNOMED-CT|||20261122101500+0100',
  'OBX|1||69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC|1|||||||X|||||||00095CFFFE7A2B1C^EUI-64',
  'OBX|2|NM|147842^MDC_ECG_HEART_RATE^MDC|1.1.1.1|72|264864^MDC_DIM_BEAT_PER_MIN^MDC|50-120||||R|||20261122101455+0100',
  'OBX|3|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.1.2.1|97|262688^MDC_DIM_PERCENT^MDC|90-100||||R|||20261122101455+0100',
  'OBX|4|NM|149530^MDC_PULS_OXIM_PULS_RATE^MDC|1.1.2.2|74|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R|||20261122101455+0100',
  'OBX|5|NM|151562^MDC_RESP_RATE^MDC|1.1.3.1|14|264928^MDC_DIM_RESP_PER_MIN^MDC|||||R|||20261122101455+0100',
  'OBX|6|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.1.4.1|128|266016^MDC_DIM_MMHG^MDC|||||R|||20261122101400+0100',
  'OBX|7|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC|1.1.4.2|82|266016^MDC_DIM_MMHG^MDC|||||R|||20261122101400+0100',
  'OBX|8|NM|150023^MDC_PRESS_BLD_NONINV_MEAN^MDC|1.1.4.3|97|266016^MDC_DIM_MMHG^MDC|||||R|||20261122101400+0100',
];

/**
 * GE-style gateway: v2.4, vendor-local codes with the MDC code as the alternate, plain-text units,
 * the bed alone in PV1-3.3, no OBX-14 (OBR-7 only) and no UTC offsets (clinic time). Sent with LF.
 */
export const geStyle = [
  'MSH|^~\\&|CARESCAPE|GEHC|CHAIRSIDE|KETA|20261122091500||ORU^R01|GE-778812|P|2.4',
  'PID|||123456||Doe^Jane',
  'PV1||O|^^BED04',
  'OBR|1||||||20261122091455',
  'OBX|1|NM|0002-4182^HR^MDIL^147842^MDC_ECG_HEART_RATE^MDC||68|bpm|||||F',
  'OBX|2|NM|0002-4bb8^SPO2^MDIL^150456^MDC_PULS_OXIM_SAT_O2^MDC||99|%|||||F',
  'OBX|3|NM|0002-4a05^NBP-S^MDIL^150021^MDC_PRESS_BLD_NONINV_SYS^MDC||135|mmHg|||||F',
  'OBX|4|NM|0002-4a06^NBP-D^MDIL^150022^^MDC||85|mmHg|||||F',
  'OBX|5|NM|0002-4a07^NBP-M^MDIL^150023^^MDC||101|mmHg|||||F',
  'OBX|6|NM|0002-5000^RR^MDIL^151562^^MDC||16|/min|||||F',
];

/**
 * Mindray-style gateway: v2.6, the cuff-pressure code family (15030x), UCUM units, OBX-14 to the
 * minute at -0500, "no reading" markers for pulse and SpO₂, and a temperature we do not store.
 */
export const mindrayStyle = [
  'MSH|^~\\&|Mindray Gateway^MINDRAY_GW^L||CHAIRSIDE||20261122041530-0500||ORU^R01^ORU_R01|MR-5521|P|2.6|||AL|NE',
  'PID|||PAT-1||Smith^Ann',
  'PV1||I|ICU^^7',
  'OBR|1||MR-5521|Mindray Monitoring|||20261122041500-0500',
  'OBX|1|NM|150301^MDC_PRESS_CUFF_SYS^MDC||118|mm[Hg]^mm[Hg]^UCUM|||||F|||202611220415-0500',
  'OBX|2|NM|150302^MDC_PRESS_CUFF_DIA^MDC||76|mm[Hg]^mm[Hg]^UCUM|||||F|||202611220415-0500',
  'OBX|3|NM|150303^MDC_PRESS_CUFF_MEAN^MDC||90|mm[Hg]^mm[Hg]^UCUM|||||F|||202611220415-0500',
  'OBX|4|NM|149514^MDC_PULS_RATE^MDC||-999|/min^/min^UCUM|||||F|||202611220415-0500',
  'OBX|5|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||-99.9|%^%^UCUM|||||F|||202611220415-0500',
  'OBX|6|NM|150344^MDC_TEMP^MDC||36.8|Cel^Cel^UCUM|||||F|||202611220415-0500',
];

/** A European monitor reporting NIBP in kPa (16.0/10.7/12.5 kPa ≈ 120/80/94 mmHg). No PV1. */
export const kPaStyle = [
  'MSH|^~\\&|EUMON^0011223344556677^EUI-64||||20261122120000+0100||ORU^R01^ORU_R01|KPA-1|P|2.6',
  'OBR|1|||||| 20261122115900+0100',
  'OBX|1|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.1.1.1|16.0|265987^MDC_DIM_KILO_PASCAL^MDC|||||F',
  'OBX|2|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC|1.1.1.2|10.7|kPa^kPa^UCUM|||||F',
  'OBX|3|NM|150023^MDC_PRESS_BLD_NONINV_MEAN^MDC|1.1.1.3|12.5|265987^^MDC|||||F',
];

/**
 * Unusual delimiters (field `!`, component `$`, repetition `*`, escape `?`, subcomponent `%`), an
 * escaped `$` inside PV1-3's point of care and a structured-numeric (SN) value.
 */
export const oddDelimiters = [
  'MSH!$*?%!ODD$DEV-9!!!!20261122101500+0000!!ORU$R01!ODD-1!P!2.5',
  'PV1!!I!WARD?S?A$3$2',
  'OBR!1!!!!!!20261122101400+0000',
  'OBX!1!SN!150456$MDC_PULS_OXIM_SAT_O2$MDC!!$96!262688$MDC_DIM_PERCENT$MDC!!!!!F',
  'NTE!1!!a note with an escaped field separator ?F? and a literal % sign',
];

/** LOINC-coded vitals as a generic interface engine sends them. */
export const loincStyle = [
  'MSH|^~\\&|ENGINE|CLINIC|||20261122101500+0000||ORU^R01|LN-1|P|2.5.1',
  'PV1||O|KETA^101^2',
  'OBR|1||||||20261122101400+0000',
  'OBX|1|NM|8480-6^Systolic blood pressure^LN||142|mm[Hg]^^UCUM|||||F',
  'OBX|2|NM|8462-4^Diastolic blood pressure^LN||91|mm[Hg]^^UCUM|||||F',
  'OBX|3|NM|8867-4^Heart rate^LN||88|/min^^UCUM|||||F',
  'OBX|4|NM|59408-5^SpO2^LN||95|%^^UCUM|||||F',
  'OBX|5|NM|9279-1^Respiratory rate^LN||12|/min^^UCUM|||||F',
];

/** Two patients (beds) in one message. */
export const twoPatients = [
  'MSH|^~\\&|CENTRAL^CS-1^L||||20261122101500+0000||ORU^R01|TWO-1|P|2.6',
  'PID|||A1',
  'PV1||I|KETA^101^1',
  'OBR|1||||||20261122101400+0000',
  'OBX|1|NM|147842^MDC_ECG_HEART_RATE^MDC||70|264864^^MDC|||||F',
  'PID|||A2',
  'PV1||I|KETA^101^2',
  'OBR|1||||||20261122101400+0000',
  'OBX|1|NM|147842^MDC_ECG_HEART_RATE^MDC||90|264864^^MDC|||||F',
];

/** The published PCD-01 message, with its times moved to `at` (HL7 TS with offset) and its control id set. */
export function pcd01At(at: string, controlId = 'MSGID1234', values: [number, number, number] = [120, 80, 100]): string[] {
  const valueRows: Record<string, number> = { 'OBX|3|': values[0], 'OBX|4|': values[1], 'OBX|5|': values[2] };
  return pcd01Published.map((line) => {
    let out = line.replace(/20090813095715\+0500/g, at).replace('MSGID1234', controlId);
    for (const [prefix, value] of Object.entries(valueRows)) {
      if (out.startsWith(prefix)) out = out.replace(/\|\d+\|266016/, `|${value}|266016`);
    }
    return out;
  });
}

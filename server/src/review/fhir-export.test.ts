import { esketamineProtocol } from '@chairside/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { loincCodes, rxnormCodes, scoreDisplays, sessionFhirBundle, uuidV5, vitalSignsProfiles } from './fhir-export';
import type {
  AdverseEvent,
  Bundle,
  DetectedIssue,
  Encounter,
  ExportedResource,
  MedicationAdministration,
  Observation,
  Patient,
  Provenance,
  QuestionnaireResponse,
  RelatedPerson,
} from './fhir-types';
import { type R4Validator, createR4Validator } from './fhir-validator.test-support';
import { at, makeEsketamineRecordInput, makeRecordReviewInput, makeReviewInput } from './test-fixtures';

const options = { timeZone: 'Europe/Berlin', generatedAtMs: at(200) };

let validator: R4Validator;
beforeAll(() => {
  validator = createR4Validator();
}, 120_000);

const resources = <T extends ExportedResource>(bundle: Bundle, type: T['resourceType']): T[] =>
  bundle.entry.filter((e) => e.resource.resourceType === type).map((e) => e.resource as T);

const byCode = (bundle: Bundle, code: string): Observation[] =>
  resources<Observation>(bundle, 'Observation').filter((o) => o.code.coding?.some((c) => c.code === code));

describe('sessionFhirBundle: validation against FHIR R4', () => {
  it('knows the vital-signs profiles it validates against', () => {
    expect(validator.knownProfiles).toEqual(expect.arrayContaining(Object.values(vitalSignsProfiles)));
  });

  it.each([
    ['a signed, discharged IV session', () => makeReviewInput()],
    [
      'a running esketamine session with an addendum, a simulated reading and no MRN',
      () => {
        const input = makeReviewInput(esketamineProtocol);
        input.session.state = { ...input.session.state, phase: 'observation', dischargedAtMs: null };
        input.session.patient = { ...input.session.patient, mrn: null };
        input.session.readings = input.session.readings.map((r, i) => (i === 3 ? { ...r, source: 'simulator' as const } : r));
        input.signature = null;
        input.addenda = [{ text: 'BP at 40 min re-measured manually: 176/104', by: 'dr.lee', atMs: at(300) }];
        return input;
      },
    ],
    [
      'a cancelled session without readings or alerts',
      () => {
        const input = makeReviewInput();
        input.session.state = { ...input.session.state, phase: 'cancelled', treatmentStartedAtMs: null, treatmentEndedAtMs: null, pauses: [], dischargedAtMs: null, cancelledAtMs: at(20), cancelReason: 'patient unwell' };
        input.session.readings = [];
        input.session.events = input.session.events.slice(0, 1);
        input.alerts = [];
        input.signature = null;
        input.chairName = null;
        return input;
      },
    ],
    ['an IV session with an entry of every record type and a correction', () => makeRecordReviewInput()],
    ['an esketamine session with three devices and their lots', () => makeEsketamineRecordInput()],
    [
      'a running IV session mid-infusion with an open PRN reassessment',
      () => {
        const input = makeRecordReviewInput();
        input.session.state = { ...input.session.state, phase: 'treatment', treatmentEndedAtMs: null, observationStartedAtMs: null, dischargedAtMs: null, gateFirstHeldAtMs: null };
        input.session.events = input.session.events.filter((e) => Date.parse(e.at) <= at(40));
        input.signature = null;
        return input;
      },
    ],
  ])('%s validates', (_name, make) => {
    const bundle = sessionFhirBundle(make(), options);
    expect(validator.validate(bundle)).toEqual([]);
  });

  it.each([
    // what is broken                              what the validator says
    ['an unknown bundle type', (b: Bundle) => ({ ...b, type: 'pile' }), /\.type should be equal to one of the allowed values/],
    ['an Observation without status', (b: Bundle) => withFirst<Observation>(b, 'Observation', ({ status: _s, ...o }) => o), /Observation\.status: Missing required property/],
    ['an unknown element', (b: Bundle) => withFirst<Encounter>(b, 'Encounter', (e) => ({ ...e, chair: 'Chair 3' })), /Invalid additional property "chair"/],
    ['a heart rate in the wrong unit', (b: Bundle) => withFirstCode(b, loincCodes.heartRate, (o) => ({ ...o, valueQuantity: { ...o.valueQuantity, code: 'Hz' } })), /valueQuantity\.code: expected "\/min", found "Hz"/],
    ['a BP panel without its diastolic component', (b: Bundle) => withFirstCode(b, loincCodes.bpPanel, (o) => ({ ...o, component: o.component?.slice(0, 1) })), /slice 'DiastolicBP' \(8462-4\) expected 1\.\.1, found 0/],
    ['a vital sign without the vital-signs category', (b: Bundle) => withFirstCode(b, loincCodes.respRate, ({ category: _c, ...o }) => o), /Observation\.category: Missing required property/],
    ['a date-time without its offset', (b: Bundle) => withFirstCode(b, loincCodes.spo2, (o) => ({ ...o, effectiveDateTime: '2025-01-15T10:12:00' })), /\.effectiveDateTime should match pattern/],
    ['an unknown alert severity', (b: Bundle) => withFirst<DetectedIssue>(b, 'DetectedIssue', (d) => ({ ...d, severity: 'medium' })), /\.severity should be equal to one of the allowed values/],
    ['an adverse event without actuality', (b: Bundle) => withFirst<AdverseEvent>(b, 'AdverseEvent', ({ actuality: _a, ...a }) => a), /AdverseEvent\.actuality: Missing required property/],
    ['an administration with an unknown status', (b: Bundle) => withFirst<MedicationAdministration>(b, 'MedicationAdministration', (m) => ({ ...m, status: 'given' })), /MedicationAdministration\.status: "given" is not one of/],
    ['an adverse event of an unknown severity', (b: Bundle) => withFirst<AdverseEvent>(b, 'AdverseEvent', (a) => ({ ...a, severity: { coding: [{ ...a.severity?.coding?.[0], code: 'bad' }] } })), /AdverseEvent\.severity: "bad" is not one of mild, moderate, severe/],
    ['an administration without its medication', (b: Bundle) => withFirst<MedicationAdministration>(b, 'MedicationAdministration', ({ medicationCodeableConcept: _m, ...m }) => m), /MedicationAdministration\.medication\[x\]: Missing required property/],
    ['a readiness answer without its linkId', (b: Bundle) => withFirst<QuestionnaireResponse>(b, 'QuestionnaireResponse', (q) => ({ ...q, item: q.item?.map(({ linkId: _l, ...i }) => i) })), /linkId/],
    ['a body weight without its patient', (b: Bundle) => withFirstCode(b, loincCodes.bodyWeight, ({ subject: _s, ...o }) => o), /Observation\.subject: Missing required property/],
  ])('rejects a bundle with %s', (_name, breakIt, expected) => {
    const broken = breakIt(sessionFhirBundle(makeRecordReviewInput(), options));
    expect(validator.validate(broken).map((i) => i.message).join('\n')).toMatch(expected);
  });
});

function withFirst<T extends ExportedResource>(bundle: Bundle, type: T['resourceType'], change: (r: T) => object): object {
  let done = false;
  return {
    ...bundle,
    entry: bundle.entry.map((e) => {
      if (done || e.resource.resourceType !== type) return e;
      done = true;
      return { ...e, resource: change(e.resource as T) };
    }),
  };
}

function withFirstCode(bundle: Bundle, code: string, change: (o: Observation) => object): object {
  let done = false;
  return {
    ...bundle,
    entry: bundle.entry.map((e) => {
      const r = e.resource;
      if (done || r.resourceType !== 'Observation' || !r.code.coding?.some((c) => c.code === code)) return e;
      done = true;
      return { ...e, resource: change(r) };
    }),
  };
}

describe('sessionFhirBundle: content', () => {
  const input = makeReviewInput();
  const bundle = sessionFhirBundle(input, options);
  const [patient] = resources<Patient>(bundle, 'Patient');
  const [encounter] = resources<Encounter>(bundle, 'Encounter');
  const fullUrls = new Set(bundle.entry.map((e) => e.fullUrl));
  const patientUrl = bundle.entry[0]?.fullUrl;
  const encounterUrl = bundle.entry[1]?.fullUrl;

  it('is a collection with unique urn:uuid fullUrls, the same on every export', () => {
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection', timestamp: '2025-01-15T13:20:00+01:00' });
    expect(fullUrls.size).toBe(bundle.entry.length);
    for (const url of fullUrls) expect(url).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(sessionFhirBundle(input, options).entry.map((e) => e.fullUrl)).toEqual(bundle.entry.map((e) => e.fullUrl));
  });

  it('resolves every reference inside the bundle', () => {
    const refs = JSON.stringify(bundle).match(/"reference":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) expect(fullUrls).toContain(ref.slice('"reference":"'.length, -1));
  });

  it('has a pseudonymous patient with the MRN as identifier', () => {
    expect(patient?.name).toEqual([{ text: 'Robin B.' }]);
    expect(patient?.identifier?.[0]).toMatchObject({ type: { coding: [{ code: 'MR' }] }, value: 'MRN-0042' });
    expect(patient?.meta?.security?.[0]?.code).toBe('PSEUDED');
  });

  it('has the session as a finished encounter at the chair, times with the clinic offset', () => {
    expect(encounter).toMatchObject({
      status: 'finished',
      class: { code: 'AMB' },
      subject: { reference: patientUrl },
      period: { start: '2025-01-15T10:00:00+01:00', end: '2025-01-15T11:55:00+01:00' },
      location: [{ location: { display: 'Chair 3 (window)' }, status: 'completed' }],
      length: { value: 115, code: 'min', system: 'http://unitsofmeasure.org' },
    });
  });

  it.each([
    // LOINC              profile                       unit        value  at (clinic time)
    [loincCodes.heartRate, vitalSignsProfiles.heartrate, '/min', 78, '2025-01-15T10:00:00+01:00'],
    [loincCodes.spo2, vitalSignsProfiles.oxygensat, '%', 98, '2025-01-15T10:12:00+01:00'],
    [loincCodes.respRate, vitalSignsProfiles.resprate, '/min', 14, '2025-01-15T10:12:00+01:00'],
  ])('codes %s on %s in %s', (code, profile, unit, value, effective) => {
    const [first] = byCode(bundle, code);
    expect(first).toMatchObject({
      status: 'final',
      meta: { profile: [vitalSignsProfiles.vitalsigns, profile] },
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
      subject: { reference: patientUrl },
      encounter: { reference: encounterUrl },
      effectiveDateTime: effective,
      valueQuantity: { value, code: unit, system: 'http://unitsofmeasure.org' },
    });
  });

  it('codes SpO₂ with both LOINC codes', () => {
    expect(byCode(bundle, loincCodes.spo2)[0]?.code.coding?.map((c) => c.code)).toEqual(['2708-6', '59408-5']);
  });

  it('writes a cuff reading as one BP panel with systolic, diastolic and mean components in mm[Hg]', () => {
    const panels = byCode(bundle, loincCodes.bpPanel);
    expect(panels).toHaveLength(10);
    expect(panels[0]).toMatchObject({
      meta: { profile: [vitalSignsProfiles.vitalsigns, vitalSignsProfiles.bp] },
      effectiveDateTime: '2025-01-15T10:00:00+01:00',
      issued: '2025-01-15T10:00:01.200+01:00',
      component: [
        { code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, valueQuantity: { value: 132, code: 'mm[Hg]' } },
        { code: { coding: [{ code: '8462-4' }] }, valueQuantity: { value: 84, code: 'mm[Hg]' } },
        { code: { coding: [{ code: '8478-0' }] }, valueQuantity: { value: 100, code: 'mm[Hg]' } },
      ],
    });
    expect(panels[1]?.performer).toEqual([{ display: 'nina' }]);
  });

  it('never writes a rejected value as a vital sign', () => {
    const values = JSON.stringify(bundle.entry.filter((e) => e.resource.resourceType === 'Observation'));
    expect(values).not.toContain('"value":-999');
    expect(byCode(bundle, loincCodes.spo2).map((o) => o.valueQuantity?.value)).not.toContain(101);
    const partial = byCode(bundle, loincCodes.bpPanel).find((o) => o.effectiveDateTime === '2025-01-15T10:42:00+01:00');
    expect(partial?.component?.[0]).toMatchObject({ code: { coding: [{ code: '8480-6' }] }, dataAbsentReason: { coding: [{ code: 'error' }] } });
    expect(partial?.component?.[0]?.valueQuantity).toBeUndefined();
    expect(partial?.note?.[0]?.text).toContain('-999 rejected (no-reading-marker)');
    // the reading at 55 min had only a rejected SpO₂ and a heart rate: no SpO₂ observation at that time
    expect(byCode(bundle, loincCodes.spo2).map((o) => o.effectiveDateTime)).not.toContain('2025-01-15T10:55:00+01:00');
  });

  it('writes alerts as detected issues with acknowledgements as mitigations', () => {
    // the severe BP was raised by the reading at 40 min: its BP panel and heart rate are implicated
    const atTenForty = (code: string): string | undefined =>
      byCode(bundle, code).find((o) => o.effectiveDateTime === '2025-01-15T10:40:00+01:00')?.identifier?.[0]?.value;
    const [severe, spo2] = resources<DetectedIssue>(bundle, 'DetectedIssue');
    expect(severe).toMatchObject({
      status: 'final',
      severity: 'moderate',
      code: { coding: [{ code: 'bp-severe' }], text: 'Severe hypertension' },
      patient: { reference: patientUrl },
      identifiedDateTime: '2025-01-15T10:40:00+01:00',
      extension: [{ valueReference: { reference: encounterUrl } }],
      mitigation: [{ action: { text: 'Acknowledged: Seen; rechecking in 5 min' }, date: '2025-01-15T10:41:30+01:00', author: { display: 'dr.lee' } }],
    });
    expect(severe?.implicated).toEqual([
      { reference: atTenForty(loincCodes.bpPanel), type: 'Observation' },
      { reference: atTenForty(loincCodes.heartRate), type: 'Observation' },
    ]);
    expect(spo2).toMatchObject({ severity: 'high' });
    expect(spo2?.mitigation).toBeUndefined();
  });

  it('calls a "recheck BP now" prompt what the dashboard calls it, not by its rule’s name', () => {
    const prompted = makeReviewInput();
    const [severe] = prompted.alerts;
    if (severe === undefined || severe.facts.kind !== 'bp-threshold') throw new Error('fixture changed');
    prompted.alerts = [{ ...severe, priority: 'low', facts: { ...severe.facts, prompt: 'recheck BP now', bp: { systolic: 186, diastolic: 100 } } }];
    const [issue] = resources<DetectedIssue>(sessionFhirBundle(prompted, options), 'DetectedIssue');
    expect(issue?.code).toEqual({ coding: [{ system: expect.stringContaining('alert-rule') as string, code: 'bp-severe' }], text: 'Recheck BP now: 186/100' });
    expect(JSON.stringify(issue)).not.toContain('Severe hypertension');
  });

  it('writes each session event, and the signature, as provenance of the encounter', () => {
    const provenances = resources<Provenance>(bundle, 'Provenance');
    expect(provenances).toHaveLength(input.session.events.length + 1);
    expect(provenances[1]).toMatchObject({
      target: [{ reference: encounterUrl }],
      occurredDateTime: '2025-01-15T10:10:00+01:00',
      activity: { coding: [{ code: 'treatment-started' }], text: 'Infusion started' },
      agent: [{ who: { display: 'nina' }, role: [{ text: 'nurse' }] }],
    });
    const note = provenances.find((p) => p.activity?.coding?.[0]?.code === 'note');
    expect(note?.text?.status).toBe('additional');
    expect(note?.text?.div).toContain('Patient calm, &lt;b&gt;no headache&lt;/b&gt; &amp; talking');
    expect(provenances.at(-1)).toMatchObject({ signature: [{ who: { display: 'dr.lee' }, when: '2025-01-15T13:00:00+01:00' }] });
  });

  it('makes name-based UUIDs (RFC 4122 version 5)', () => {
    // RFC 4122 appendix B's DNS namespace example, as corrected in the errata and RFC 9562
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });
});

describe('sessionFhirBundle: the session record beyond vitals', () => {
  const iv = sessionFhirBundle(makeRecordReviewInput(), options);
  const esk = sessionFhirBundle(makeEsketamineRecordInput(), options);
  const urlOf = (bundle: Bundle, resource: object): string | undefined => bundle.entry.find((e) => e.resource === resource)?.fullUrl;
  const [encounterUrl] = [iv.entry[1]?.fullUrl];

  it('writes the IV infusion as one administration over its period: RxNorm ketamine, IV, rate in mL/h, mg infused, mg/kg in the text', () => {
    const [infusion] = resources<MedicationAdministration>(iv, 'MedicationAdministration');
    expect(infusion).toMatchObject({
      status: 'completed',
      medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: rxnormCodes.ketamine.code }], text: 'Ketamine' },
      context: { reference: encounterUrl },
      effectivePeriod: { start: '2025-01-15T10:10:00+01:00', end: '2025-01-15T10:53:00+01:00' },
      performer: [{ actor: { display: 'nina' } }],
      dosage: {
        route: { coding: [{ system: 'http://snomed.info/sct', code: '47625008' }] },
        // 52.5 mL/h for 15 min, paused 3 min, 2 min more, then 40 mL/h for 23 min at 1 mg/mL
        dose: { value: 30.2, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' },
        rateQuantity: { value: 52.5, unit: 'mL/h', system: 'http://unitsofmeasure.org', code: 'mL/h' },
      },
      note: [{ text: 'Paused 10:25 to 10:28: IV line check' }],
    });
    expect(infusion?.dosage?.text).toBe('0.5 mg/kg × 70 kg = 35 mg planned over 40 min, 1 mg/mL at 52.5 mL/h; 30.2 mg infused (0.43 mg/kg)');
    const weight = resources<Observation>(iv, 'Observation').find((o) => o.code.coding?.[0]?.code === loincCodes.bodyWeight);
    expect(weight).toMatchObject({ meta: { profile: [vitalSignsProfiles.vitalsigns, vitalSignsProfiles.bodyweight] }, valueQuantity: { value: 70, code: 'kg' } });
    expect(infusion?.supportingInformation?.[0]?.reference).toBe(urlOf(iv, weight as object));
  });

  it('writes a rate change as an administration of its own, part of the infusion, for the time it ran', () => {
    const [infusion, change] = resources<MedicationAdministration>(iv, 'MedicationAdministration');
    expect(change).toMatchObject({
      partOf: [{ reference: urlOf(iv, infusion as object) }],
      effectivePeriod: { start: '2025-01-15T10:30:00+01:00', end: '2025-01-15T10:53:00+01:00' },
      performer: [{ actor: { display: 'dr.lee' } }],
      dosage: { rateQuantity: { value: 40, code: 'mL/h' }, text: '40 mL/h (0.57 mg/kg/h) at 1 mg/mL' },
      note: [{ text: 'Rate changed to 40 mL/h: BP 168/101: slowed' }],
    });
  });

  it('writes a PRN as an administration with its indication and its reassessment', () => {
    const prn = resources<MedicationAdministration>(iv, 'MedicationAdministration').find((m) => m.medicationCodeableConcept?.text === 'Ondansetron');
    expect(prn).toMatchObject({
      status: 'completed',
      medicationCodeableConcept: { text: 'Ondansetron' },
      effectiveDateTime: '2025-01-15T10:36:00+01:00',
      reasonCode: [{ text: 'nausea' }],
      dosage: { dose: { value: 4, code: 'mg' }, route: { coding: [{ code: '47625008' }] } },
      note: [{ text: 'PRN. Reassessed 10:50 by nina: Nausea settled' }],
    });
    expect(prn?.medicationCodeableConcept?.coding).toBeUndefined();
  });

  it('writes each esketamine device with RxNorm, the nasal route, 28 mg and its lot in a contained Medication', () => {
    const devices = resources<MedicationAdministration>(esk, 'MedicationAdministration');
    expect(devices).toHaveLength(3);
    expect(devices[1]).toMatchObject({
      status: 'completed',
      effectiveDateTime: '2025-01-15T10:15:00+01:00',
      contained: [{ resourceType: 'Medication', id: 'med', code: { coding: [{ code: rxnormCodes.esketamineNasalSpray.code }] }, batch: { lotNumber: 'LOT-2411A' } }],
      medicationReference: { reference: '#med' },
      dosage: { route: { coding: [{ system: 'http://snomed.info/sct', code: '46713006' }] }, dose: { value: 28, code: 'mg' } },
    });
    expect(devices.map((d) => d.dosage?.text)).toEqual([
      'Device 1 of 3, 28 mg intranasal, lot LOT-2411A; 28 mg in all by then',
      'Device 2 of 3, 28 mg intranasal, lot LOT-2411A; 56 mg in all by then',
      'Device 3 of 3, 28 mg intranasal, lot LOT-2411B; 84 mg in all by then',
    ]);
  });

  it('writes MOAA/S and CADSS-6 as survey observations in a local code system, CADSS-6 items as components, a correction as corrected', () => {
    const scores = resources<Observation>(iv, 'Observation').filter((o) => o.category[0]?.coding?.[0]?.code === 'survey');
    expect(scores).toHaveLength(6);
    const cadss = scores.find((o) => o.valueInteger === 5 && o.code.coding?.[0]?.code === 'cadss-6');
    expect(cadss).toMatchObject({
      status: 'final',
      code: { coding: [{ system: 'urn:chairside:score', code: 'cadss-6', display: scoreDisplays['cadss-6'] }] },
      effectiveDateTime: '2025-01-15T10:30:00+01:00',
      performer: [{ display: 'nina' }],
    });
    expect(cadss?.component?.map((c) => [c.code.coding?.[0]?.code, c.valueInteger])).toEqual([
      ['cadss-6-item-1', 1], ['cadss-6-item-2', 2], ['cadss-6-item-3', 1], ['cadss-6-item-4', 0], ['cadss-6-item-5', 1], ['cadss-6-item-6', 0],
    ]);
    const moaa = scores.filter((o) => o.code.coding?.[0]?.code === 'moaa-s');
    // the MOAA/S written as 4 at 10:30 and corrected to 3: only the correction, with the corrected moment
    expect(moaa.map((o) => [o.effectiveDateTime, o.valueInteger, o.status])).toEqual([
      ['2025-01-15T10:06:00+01:00', 5, 'final'],
      ['2025-01-15T10:30:00+01:00', 3, 'corrected'],
      ['2025-01-15T10:53:00+01:00', 5, 'final'],
    ]);
    expect(moaa[1]).toMatchObject({ issued: '2025-01-15T10:33:00+01:00', note: [{ text: 'first written as 4 by mistake' }] });
  });

  it('writes an adverse event: actual, its kind, seriousness and severity, the administrations as suspects', () => {
    const [ae] = resources<AdverseEvent>(iv, 'AdverseEvent');
    const [infusion] = resources<MedicationAdministration>(iv, 'MedicationAdministration');
    expect(ae).toMatchObject({
      actuality: 'actual',
      event: { coding: [{ code: 'nausea', display: 'Nausea' }], text: 'Nausea: after the rate change' },
      encounter: { reference: encounterUrl },
      date: '2025-01-15T10:35:00+01:00',
      seriousness: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/adverse-event-seriousness', code: 'Non-serious' }] },
      severity: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/adverse-event-severity', code: 'mild' }] },
      suspectEntity: [{ instance: { reference: urlOf(iv, infusion as object) } }],
    });
  });

  it('writes readiness as a questionnaire response, the escort as a related person, the hand-off on the encounter', () => {
    const [ivReadiness] = resources<QuestionnaireResponse>(iv, 'QuestionnaireResponse');
    expect(ivReadiness).toMatchObject({ status: 'completed', authored: '2025-01-15T10:02:00+01:00', author: { display: 'nina' } });
    expect(ivReadiness?.item?.[0]).toEqual({ linkId: 'weight-today', text: 'Weight measured today (hard stop)', answer: [{ valueBoolean: true }] });
    // esketamine: three concomitant-medication items left unanswered
    const [eskReadiness] = resources<QuestionnaireResponse>(esk, 'QuestionnaireResponse');
    expect(eskReadiness?.status).toBe('in-progress');
    expect(eskReadiness?.item?.find((i) => i.linkId === 'med-opioids')?.answer).toEqual([{ valueBoolean: false }]);
    expect(resources<RelatedPerson>(iv, 'RelatedPerson')).toMatchObject([{ name: [{ text: 'Sam B.' }], telecom: [{ system: 'phone', value: '+49 30 1234567' }], relationship: [{ text: expect.stringContaining('Escort') as string }] }]);
    expect(resources<Encounter>(iv, 'Encounter')[0]?.hospitalization?.dischargeDisposition?.text).toBe('Collected by Sam B. (partner), 11:54 (recorded by nina)');
  });

  it('logs every record entry as provenance, the corrected one too, targeting what was made of it', () => {
    const provenances = resources<Provenance>(iv, 'Provenance');
    const moaa = provenances.filter((p) => p.activity?.text === 'MOAA/S recorded');
    expect(moaa).toHaveLength(4);
    const corrected = moaa.find((p) => p.text?.div.includes('MOAA/S: 4'));
    const correction = moaa.find((p) => p.text?.div.includes('MOAA/S: 3'));
    expect(corrected?.target).toHaveLength(1);
    expect(correction?.text?.div).toContain('Corrects entry #');
    const [ae] = resources<AdverseEvent>(iv, 'AdverseEvent');
    expect(provenances.find((p) => p.activity?.text === 'Adverse event')?.target[1]?.reference).toBe(urlOf(iv, ae as object));
  });
});

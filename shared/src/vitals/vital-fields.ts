/** The vital-sign values a reading can carry, with their units and display names. */
export const vitalFields = ['systolic', 'diastolic', 'mean', 'heartRate', 'spo2', 'respRate'] as const;
export type VitalField = (typeof vitalFields)[number];

export type VitalValues = Partial<Record<VitalField, number>>;

export interface VitalFieldInfo {
  /** Short label for tiles and alert text ("SBP"). */
  abbreviation: string;
  /** Full label for forms and tables. */
  label: string;
  /** Display unit. */
  unit: string;
  /** UCUM unit code, for exports. */
  ucum: string;
}

export const vitalFieldInfo: Record<VitalField, VitalFieldInfo> = {
  systolic: { abbreviation: 'SBP', label: 'Systolic', unit: 'mmHg', ucum: 'mm[Hg]' },
  diastolic: { abbreviation: 'DBP', label: 'Diastolic', unit: 'mmHg', ucum: 'mm[Hg]' },
  mean: { abbreviation: 'MAP', label: 'Mean arterial', unit: 'mmHg', ucum: 'mm[Hg]' },
  heartRate: { abbreviation: 'HR', label: 'Heart rate', unit: '/min', ucum: '/min' },
  spo2: { abbreviation: 'SpO₂', label: 'SpO₂', unit: '%', ucum: '%' },
  respRate: { abbreviation: 'RR', label: 'Respiratory rate', unit: '/min', ucum: '/min' },
};

export const bloodPressureFields = ['systolic', 'diastolic', 'mean'] as const satisfies readonly VitalField[];

export function isBloodPressureField(field: VitalField): boolean {
  return (bloodPressureFields as readonly VitalField[]).includes(field);
}

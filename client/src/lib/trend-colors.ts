/** Parameter colours, after bedside-monitor convention (HR green, SpO₂ blue); kept in step with theme.css. */
export const trendColors = {
  bp: '#c9b6fb',
  mean: '#a78bfa',
  heartRate: '#7fdc9f',
  spo2: '#7cc8f2',
  respRate: '#e4e1dc',
  grid: '#243140',
  axis: '#8d9aa8',
} as const;

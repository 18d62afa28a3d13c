/** Permanent wording (docs/clinical-defaults.md "Alarm behaviour"): what Chairside is, and what stays primary. */
export function SafetyNote() {
  return (
    <footer className="safety-note">
      <svg className="safety-note__icon" viewBox="0 0 20 20" width="18" height="18" aria-hidden="true" focusable="false">
        <circle cx="10" cy="10" r="8.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
        <path d="M10 9v5.2M10 5.8v.1" stroke="currentColor" strokeWidth="1.9" strokeLinecap="round" />
      </svg>
      Record-keeping and secondary notification aid — the bedside monitor and the clinician remain primary.
    </footer>
  );
}

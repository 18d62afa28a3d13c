/**
 * Copies `text`: the Clipboard API where the page may use it (HTTPS or localhost), else the selected
 * input and the older copy command (a clinic LAN over plain HTTP). False when neither worked.
 */
export async function copyText(text: string, input: HTMLInputElement | null): Promise<boolean> {
  try {
    if (typeof navigator.clipboard?.writeText === 'function') {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the selection
  }
  if (input === null) return false;
  input.focus();
  input.select();
  try {
    return typeof document.execCommand === 'function' && document.execCommand('copy');
  } catch {
    return false;
  }
}

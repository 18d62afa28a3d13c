import { createRequire } from 'node:module';
import type PDFDocument from 'pdfkit';

type PdfKit = typeof PDFDocument;

let loaded: PdfKit | undefined;

/**
 * pdfkit's document class, loaded on the first PDF instead of at start: with its font tables it holds
 * about 16 MiB, and most servers render PDFs in the export workers or not at all (docs/capacity.md,
 * "Footprint of a small clinic").
 */
export function pdfDocumentClass(): PdfKit {
  loaded ??= createRequire(import.meta.url)('pdfkit') as PdfKit;
  return loaded;
}

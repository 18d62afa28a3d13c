import type { FieldIssue } from '@chairside/shared';
import type { z } from 'zod';
import { ApiError, errorMessage } from '../../api/api-error';

export type FormErrors<F extends string> = Partial<Record<F | 'form', string>>;

/** Puts each issue next to the field its path names; the rest go to the form. */
export function errorsFromIssues<F extends string>(issues: readonly FieldIssue[], fields: readonly F[]): FormErrors<F> {
  const errors: FormErrors<F> = {};
  const unplaced: string[] = [];
  for (const issue of issues) {
    const head = issue.path[0];
    const field = fields.find((f) => f === head);
    if (field === undefined) unplaced.push(issue.message);
    else errors[field] ??= issue.message;
  }
  if (unplaced.length > 0) errors.form = unplaced.join('; ');
  return errors;
}

/** A zod failure as field errors (the shared schemas' own wording). */
export function errorsFromZod<F extends string>(error: z.ZodError, fields: readonly F[]): FormErrors<F> {
  return errorsFromIssues(
    error.issues.map((issue) => ({ path: issue.path.filter((p) => typeof p !== 'symbol'), message: issue.message })),
    fields,
  );
}

/**
 * A refused request as field errors: the server's per-field details beside their fields, the
 * message at the form ("Not saved: …"), and a conflict (409) beside `conflictField` when given.
 */
export function errorsFromFailure<F extends string>(error: unknown, fields: readonly F[], prefix: string, conflictField?: F): FormErrors<F> {
  const errors: FormErrors<F> = error instanceof ApiError ? errorsFromIssues(error.details, fields) : {};
  if (error instanceof ApiError && error.status === 409 && conflictField !== undefined) {
    errors[conflictField] = error.message;
    return { ...errors, form: `${prefix}: ${error.message}` };
  }
  return { ...errors, form: `${prefix}: ${errors.form ?? errorMessage(error)}` };
}

export const hasErrors = (errors: FormErrors<string>): boolean => Object.values(errors).some((e) => e !== undefined);

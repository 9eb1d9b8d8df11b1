// Zod schemas for what Docebo sends back, tolerant by design: ids and flags arrive as strings or numbers
// (the 2017 spec said int, today's platforms send strings), empty dates as null, "" or "0000-00-00",
// and unknown fields are ignored.
import { z } from 'zod';
import { parseIsoDate, type IsoDate } from '../../domain/dates.ts';

export const idLike = z.union([z.string().min(1), z.number()]).transform((v) => String(v));

export const flag = z
  .union([z.boolean(), z.number(), z.string(), z.null()])
  .transform(
    (v) => v === true || v === 1 || v === '1' || (typeof v === 'string' && v.toLowerCase() === 'true'),
  );

/** A date or date-time, or any of Docebo's spellings of "none", to an IsoDate or null. */
export const looseDate = z
  .union([z.string(), z.null(), z.undefined()])
  .transform((v): IsoDate | null => (v ? parseIsoDate(v) : null));

const text = z
  .union([z.string(), z.number(), z.null(), z.undefined()])
  .transform((v) => (v === null || v === undefined ? '' : String(v)));

export const userItemSchema = z.looseObject({
  user_id: idLike,
  username: text,
  first_name: text,
  last_name: text,
  email: text,
  status: flag.optional(),
  expiration_date: looseDate,
  expired: flag.optional(),
});
export type DoceboUserItem = z.infer<typeof userItemSchema>;

const count = z.union([z.number(), z.string()]).transform((v) => Number(v));

export const userPageSchema = z.object({
  data: z.object({
    items: z.array(z.unknown()),
    has_more_data: flag.optional(),
    current_page: count.optional(),
    total_page_count: count.optional(),
    total_count: count.optional(),
  }),
});

/** Message fields are a string, an array of strings, or `[{id, message}]`. */
export const messageLike = z
  .union([
    z.string(),
    z.array(z.union([z.string(), z.looseObject({ message: z.unknown().optional() })])),
    z.null(),
    z.undefined(),
  ])
  .transform((v): string => {
    if (!v) return '';
    if (typeof v === 'string') return v;
    return v.map((m) => (typeof m === 'string' ? m : String(m.message ?? ''))).join('; ');
  });

/**
 * One per-row batch result, read leniently: the reference marks the shape uncertain, and platforms have
 * been seen to leave `message` out of success rows, send it as an array, and send `output` as an object,
 * as `[]` (PHP's empty array) or not at all. Only `success` must be there; `row_index` defaults to the
 * row's position in the answer.
 */
export const batchRowSchema = z.looseObject({
  row_index: count.optional().catch(undefined),
  success: z
    .union([z.boolean(), z.number(), z.string()])
    .transform(
      (v) => v === true || v === 1 || (typeof v === 'string' && ['1', 'true'].includes(v.toLowerCase())),
    ),
  message: messageLike.catch(''),
  output: z.unknown().optional(),
});

/** `output.error` and `output.user_id` when `output` is an object; anything else says nothing. */
export const batchRowOutputSchema = z
  .looseObject({ error: messageLike.catch('').optional(), user_id: idLike.optional().catch(undefined) })
  .catch({});

export const batchResponseSchema = z.object({
  data: z.union([
    z.array(z.unknown()),
    // A whole-call refusal under HTTP 200.
    z.looseObject({ success: flag, message: messageLike.catch('') }),
  ]),
});

export const errorEnvelopeSchema = z.looseObject({
  name: z.string().optional(),
  message: messageLike.optional(),
  code: z.union([z.number(), z.string()]).optional(),
  status: z.union([z.number(), z.string()]).optional(),
  error: z.string().optional(),
  error_description: z.string().optional(),
});

export const tokenSchema = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.union([z.number(), z.string()]).transform(Number).optional(),
  token_type: z.string().optional(),
});

// `roster doctor` for Docebo: a token can be had, users can be listed, and the API user is a superadmin
// (a Power User's token only sees its own branches, so it would silently miss leavers).
import { errorData } from '../../domain/errors.ts';
import type { AccessCheck } from '../../ports/access-check.ts';
import type { DoceboHttp } from './docebo-http.ts';
import { userItemSchema, userPageSchema } from './docebo-schemas.ts';

const failed = (name: string, e: unknown): AccessCheck => {
  const err = errorData(e);
  return { name, ok: false, detail: `${err.code}: ${err.message}` };
};

export async function doceboAccessChecks(
  http: DoceboHttp,
  opts: { grant: 'client_credentials' | 'password'; username?: string },
): Promise<AccessCheck[]> {
  const checks: AccessCheck[] = [];
  try {
    await http.ensureToken();
    checks.push({ name: 'Docebo OAuth2 token', ok: true, detail: `grant ${opts.grant}` });
  } catch (e) {
    return [failed('Docebo OAuth2 token', e)];
  }

  try {
    const page = await http.request(
      { method: 'GET', path: '/manage/v1/user', query: { page: 1, page_size: 1, get_total_count: 1 } },
      userPageSchema,
    );
    const total = page.data.total_count;
    checks.push({
      name: 'Docebo list users',
      ok: true,
      detail: total === undefined ? 'GET /manage/v1/user answered' : `${total} users visible`,
    });
  } catch (e) {
    checks.push(failed('Docebo list users', e));
    return checks;
  }

  if (opts.grant === 'password' && opts.username) {
    try {
      const page = await http.request(
        {
          method: 'GET',
          path: '/manage/v1/user',
          query: { search_text: opts.username, match_type: 'full', page: 1, page_size: 20 },
        },
        userPageSchema,
      );
      const me = page.data.items
        .map((i) => userItemSchema.safeParse(i))
        .find((p) => p.success && p.data.username.toLowerCase() === opts.username?.toLowerCase());
      const level = me?.success
        ? String((me.data as Record<string, unknown>).level ?? 'unknown')
        : 'not found';
      checks.push({
        name: 'Docebo API user is a superadmin',
        ok: level === 'godadmin',
        detail:
          level === 'godadmin'
            ? `${opts.username} is a superadmin`
            : `${opts.username} has level "${level}"; Roster needs a superadmin (Power Users only see their branches)`,
      });
    } catch (e) {
      checks.push(failed('Docebo API user is a superadmin', e));
    }
  } else {
    checks.push({
      name: 'Docebo API user is a superadmin',
      ok: true,
      detail:
        'not checkable with client_credentials: Docebo does not say which user the token acts as; the OAuth2 app must be owned by a superadmin',
    });
  }
  return checks;
}

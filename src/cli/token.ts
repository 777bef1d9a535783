import { parseArgs } from 'node:util';
import { demoOrganisations, demoRolesOf, demoSubjectFor } from '../../seeds';
import { DevIssuer } from '../platform/auth/dev-issuer';
import { isOrganisationRole } from '../platform/auth/roles';
import { config } from '../platform/config';

const USAGE = 'usage: npm run token -- --org <slug> --roles <ROLE,ROLE> [--sub <subject>] [--expires 8h (at most TOKEN_MAX_LIFETIME)]';

/** `npm run token`: prints a development token for an organisation (never in production). */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      org: { type: 'string' },
      roles: { type: 'string', default: 'STAFF' },
      sub: { type: 'string' },
      // Unset: 8 hours, or TOKEN_MAX_LIFETIME when that is shorter (the issuer decides).
      expires: { type: 'string' },
    },
  });
  if (!values.org) throw new Error(USAGE);
  if (!config().devIssuerEnabled) throw new Error('The development issuer is disabled (NODE_ENV=production or DEV_ISSUER_ENABLED=false)');
  const roles = (values.roles ?? '').split(',').map((role) => role.trim()).filter(Boolean);
  const unknown = roles.filter((role) => !isOrganisationRole(role));
  if (unknown.length) throw new Error(`Unknown role(s): ${unknown.join(', ')}\n${USAGE}`);
  if (!demoOrganisations.some((organisation) => organisation.slug === values.org)) {
    process.stderr.write(`note: "${values.org}" is not a seeded organisation; the server accepts the token only if it exists\n`);
  }
  const subject = values.sub ?? demoSubjectFor(values.org, roles) ?? `dev-${values.org}`;
  // The server acts on the roles the platform records for the subject, capped by the token's:
  // say so when the token asks for more than the seeds record.
  const recorded = demoRolesOf(values.org, subject);
  const missing = recorded ? roles.filter((role) => !recorded.includes(role)) : [];
  if (recorded && missing.length) {
    process.stderr.write(`note: ${subject} holds ${recorded.join(', ') || 'no roles'}; the token cannot add ${missing.join(', ')}\n`);
  } else if (!recorded && demoOrganisations.some((organisation) => organisation.slug === values.org)) {
    process.stderr.write(`note: no seeded person has the subject "${subject}"; the token will act with no roles\n`);
  }
  const issuer = await DevIssuer.load();
  process.stdout.write(`${await issuer.sign({ organisation: values.org, subject, roles, expiresIn: values.expires })}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});

/**
 * Every message the service mails, in one place: subject, the paragraphs, and the link with its lifetime. The
 * plain-text and HTML bodies are rendered from the same parts, so they always say the same thing.
 */

/** What a mail's template may say about the account, beyond the link. Never a secret. */
export interface MailParams {
  /** The account holder's name, when they gave one. */
  name?: string | null;
  /** The address an email change moves to (shown to the old address). */
  newEmail?: string;
}

interface TemplateParts {
  subject: string;
  paragraphs: string[];
  /** The button's label; templates with an action carry a link. */
  action?: string;
  /** After the link (or the paragraphs): why the reader got this and what to do if it was not them. */
  closing: string;
}

const LINK_LIFETIMES = { '24h': '24 hours', '30min': '30 minutes' } as const;
const NOT_YOU = 'If this was not you, reset your password now and tell your administrator.';

const templates = {
  verify_email: {
    linkPath: '/admin/verify-email',
    lifetime: LINK_LIFETIMES['24h'],
    parts: (product: string): TemplateParts => ({
      subject: `Confirm your email address for ${product}`,
      paragraphs: [`Please confirm that this address belongs to your ${product} account.`],
      action: 'Confirm email address',
      closing: 'If you did not create an account or ask for this, you can ignore this message.',
    }),
  },
  password_reset: {
    linkPath: '/admin/reset-password',
    lifetime: LINK_LIFETIMES['30min'],
    parts: (product: string): TemplateParts => ({
      subject: `Reset your ${product} password`,
      paragraphs: [`Someone asked to reset the password of your ${product} account. Choose a new password with the link below.`],
      action: 'Choose a new password',
      closing: 'If you did not ask for this, ignore this message: your password stays as it is.',
    }),
  },
  confirm_email_change: {
    linkPath: '/admin/confirm-email-change',
    lifetime: LINK_LIFETIMES['24h'],
    parts: (product: string): TemplateParts => ({
      subject: `Confirm your new email address for ${product}`,
      paragraphs: [`Confirm that your ${product} account should use this address from now on. Nothing changes until you do.`],
      action: 'Confirm new address',
      closing: 'If you did not ask for this, ignore this message: the account keeps its current address.',
    }),
  },
  email_change_requested: {
    parts: (product: string, { newEmail }: MailParams): TemplateParts => ({
      subject: `A change of your ${product} email address was requested`,
      paragraphs: [
        `Someone signed in to your ${product} account asked to change its email address to ${newEmail ?? 'another address'}.`,
        'Nothing changes until the new address is confirmed.',
      ],
      closing: NOT_YOU,
    }),
  },
  email_changed: {
    parts: (product: string, { newEmail }: MailParams): TemplateParts => ({
      subject: `Your ${product} email address was changed`,
      paragraphs: [`The email address of your ${product} account is now ${newEmail ?? 'another address'}. Mail will no longer come here.`],
      closing: 'If this was not you, contact your administrator now.',
    }),
  },
  password_changed: {
    parts: (product: string): TemplateParts => ({
      subject: `Your ${product} password was changed`,
      paragraphs: [`The password of your ${product} account was just changed. Your other sessions were signed out.`],
      closing: NOT_YOU,
    }),
  },
  password_reset_done: {
    parts: (product: string): TemplateParts => ({
      subject: `Your ${product} password was reset`,
      paragraphs: [`The password of your ${product} account was reset with a link sent to this address. Every session was signed out.`],
      closing: 'If this was not you, contact your administrator now.',
    }),
  },
  mfa_enabled: {
    parts: (product: string): TemplateParts => ({
      subject: `Two-factor authentication is on for your ${product} account`,
      paragraphs: [
        `An authenticator app was set up for your ${product} account: signing in now takes a code from it, or one of your recovery codes.`,
      ],
      closing: NOT_YOU,
    }),
  },
  mfa_disabled: {
    parts: (product: string): TemplateParts => ({
      subject: `Two-factor authentication was turned off for your ${product} account`,
      paragraphs: [`Signing in to your ${product} account no longer asks for a code. Your other sessions were signed out.`],
      closing: NOT_YOU,
    }),
  },
  recovery_codes_regenerated: {
    parts: (product: string): TemplateParts => ({
      subject: `New recovery codes for your ${product} account`,
      paragraphs: [`New recovery codes were made for your ${product} account. The old ones no longer work.`],
      closing: NOT_YOU,
    }),
  },
  mfa_reset: {
    parts: (product: string): TemplateParts => ({
      subject: `An administrator reset two-factor authentication on your ${product} account`,
      paragraphs: [
        `An administrator removed the authenticator app and recovery codes of your ${product} account and signed out every session.`,
        'Sign in with your password and set up two-factor authentication again.',
      ],
      closing: 'If you did not ask for this, contact your administrator now.',
    }),
  },
} satisfies Record<string, { linkPath?: string; lifetime?: string; parts: (product: string, params: MailParams) => TemplateParts }>;

export type MailTemplateName = keyof typeof templates;
/** The templates that carry a link (and so a token). */
export type LinkTemplateName = {
  [K in MailTemplateName]: (typeof templates)[K] extends { linkPath: string } ? K : never;
}[MailTemplateName];

export const isMailTemplateName = (name: unknown): name is MailTemplateName => typeof name === 'string' && Object.hasOwn(templates, name);

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** The message of a template; `link` is the whole URL, token included, for templates that carry one. */
export function renderMail(
  name: MailTemplateName,
  { product, params, link }: { product: string; params: MailParams; link: string | null },
): RenderedMail {
  const template = templates[name];
  const parts = template.parts(product, params);
  const lifetime = 'lifetime' in template ? template.lifetime : null;
  if (parts.action && !link) throw new Error(`mail template ${name} needs its link`);
  const greeting = params.name ? `Hello ${params.name},` : 'Hello,';
  const expiry = lifetime ? `The link works once, for ${lifetime}.` : null;

  const text = [
    greeting,
    ...parts.paragraphs,
    ...(parts.action && link ? [`${parts.action}: ${link}`, expiry] : []),
    parts.closing,
    `— ${product}`,
  ]
    .filter((line): line is string => Boolean(line))
    .join('\n\n');

  const html = [
    '<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1f2933;max-width:560px">',
    `<p>${escapeHtml(greeting)}</p>`,
    ...parts.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
    ...(parts.action && link
      ? [
          `<p><a href="${escapeHtml(link)}" style="display:inline-block;padding:10px 16px;background:#2457c5;color:#fff;text-decoration:none;border-radius:6px">${escapeHtml(parts.action)}</a></p>`,
          `<p style="font-size:13px;color:#52606d">${escapeHtml(expiry ?? '')} If the button does not work, open this address: <br>${escapeHtml(link)}</p>`,
        ]
      : []),
    `<p>${escapeHtml(parts.closing)}</p>`,
    `<p style="color:#52606d">— ${escapeHtml(product)}</p>`,
    '</body></html>',
  ].join('\n');

  return { subject: parts.subject, text, html };
}

/** Where a link template's link points, below PUBLIC_URL. */
export const linkPathOf = (name: LinkTemplateName): string => templates[name].linkPath;

// Five characters are all HTML text and attribute values need; a dependency would do the same.
const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);

// The password rule beyond length: zxcvbn's estimate of how many guesses it takes, with the common-password,
// English and diceware dictionaries, and the person's own email and name counted as known words.
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';

/** zxcvbn's score 3: "safely unguessable: moderate protection from offline slow-hash scenario" (≥ 10^8 guesses). */
export const MIN_PASSWORD_SCORE = 3;

// Building the ranked dictionaries takes ~0.3 s, so it happens once, on first use; the factory is immutable.
let factory: ZxcvbnFactory | undefined;
function estimator(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    translations: en.translations,
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...en.dictionary },
  });
  return factory;
}

/** Words a guesser would try first for this person: the email, its parts, the name and its parts, the product. */
export function personalWords(person: { email: string; name: string }): string[] {
  const email = person.email.toLowerCase();
  const [local = '', domain = ''] = email.split('@');
  const words = [
    email,
    local,
    domain,
    ...local.split(/[._+-]+/),
    ...domain.split('.'),
    person.name,
    ...person.name.split(/\s+/),
    'lastmile',
  ];
  return [...new Set(words.map((word) => word.trim()).filter((word) => word.length >= 3))];
}

export type PasswordVerdict = { ok: true } | { ok: false; reason: string };

/** Whether `password` is hard enough to guess; the reason carries zxcvbn's warning when it has one. */
export function checkPasswordStrength(password: string, person: { email: string; name: string }): PasswordVerdict {
  const result = estimator().check(password, personalWords(person));
  if (result.score >= MIN_PASSWORD_SCORE) return { ok: true };
  const hint = result.feedback.warning ?? result.feedback.suggestions[0] ?? 'Add another word or two.';
  return { ok: false, reason: `is too easy to guess: ${hint}` };
}

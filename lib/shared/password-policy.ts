import { z } from 'zod/mini';

/** One rule for a new password, in the browser and on the server (lib/auth/staff-store.ts checks it again). */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;

export const changePasswordSchema = z
  .object({
    current: z.string().check(z.minLength(1, 'Enter your current password.'), z.maxLength(PASSWORD_MAX_LENGTH)),
    next: z
      .string()
      .check(
        z.minLength(PASSWORD_MIN_LENGTH, `A new password needs at least ${PASSWORD_MIN_LENGTH} characters.`),
        z.maxLength(PASSWORD_MAX_LENGTH, `At most ${PASSWORD_MAX_LENGTH} characters.`),
      ),
    confirm: z.string(),
  })
  .check(
    z.refine((v) => v.next === v.confirm, { message: 'The two new passwords differ.', path: ['confirm'] }),
    z.refine((v) => v.next !== v.current, { message: 'Choose a password other than the current one.', path: ['next'] }),
  );
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;

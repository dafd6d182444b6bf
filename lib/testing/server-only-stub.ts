// Tests run outside Next.js: the server-only guard has nothing to guard there.
export {};

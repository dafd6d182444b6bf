// The demo organization's fixed identities: the seed creates them, the sign-in
// page shows them while the demo seed is in use, the README and e2e tests use them.

export const DEMO_PASSWORD = "IamLab-Demo-2026!";
/** base32 TOTP seed of erin's virtual MFA device (demo only: it is published). */
export const DEMO_MFA_SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

export const DEMO_ORG = { id: "o-examplecorp", rootId: "r-ex01", name: "Example Corp" };

export const DEMO_ACCOUNTS = {
  dev: { id: "111122223333", alias: "example-dev", name: "dev", color: "#2563eb", rootEmail: "root@dev.example.com" },
  staging: { id: "222233334444", alias: "example-staging", name: "staging", color: "#d97706", rootEmail: "root@staging.example.com" },
  prod: { id: "333344445555", alias: "example-prod", name: "prod", color: "#dc2626", rootEmail: "root@prod.example.com" },
} as const;

export const DEMO_USERS = [
  { name: "admin", note: "AdministratorAccess" },
  { name: "alice", note: "in group Developers; may switch into staging and prod roles, and elevate once she assigns an MFA device" },
  { name: "bob", note: "ReadOnlyAccess" },
  { name: "carol", note: "auditor (SecurityAudit)" },
  { name: "erin", note: "AdministratorAccess, signs in with MFA" },
  { name: "newhire", note: "must change the password at first sign-in" },
] as const;

export const ELEVATION_ROLE = "S3ElevatedAccess";

// Fixed settings of the test runs (never used outside tests).
export const TEST_MASTER_KEY = "aWFtbGFiLXRlc3Qta2V5aWFtbGFiLXRlc3Qta2V5aWE=";
export const TEST_AUTH_SECRET = "test-auth-secret-not-for-production-use-0123456789";

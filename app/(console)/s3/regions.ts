/** The regions the create-bucket form offers (a bucket keeps its region for life). */
export const S3_REGIONS = ["us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"] as const;

export const BUCKET_NAME_RULE =
  "3 to 63 characters: lowercase letters, numbers, periods (.) and hyphens (-); begin and end with a letter or number; no two adjacent periods; not an IP address; unique across all accounts.";

